// The agents' and supervisors' socket side of chat, on the authenticated default namespace:
// `chat:spy` lets a supervisor (or admin) with `chat` read follow a live chat's messages and notes.
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { can, type Principal } from '../../auth/permissions.ts';
import { getInteraction } from './store.ts';
import { spyRoom } from './chat-service.ts';

type Ack = (r: { ok: true } | { ok: false; error: { code: string; message: string } }) => void;
const spySchema = z.object({ interactionId: z.number().int().positive() });

export function attachAgentChatEvents(io: Server, db: Db): void {
  io.on('connection', (socket: Socket) => {
    const principal = (socket.data as { principal?: Principal }).principal;
    for (const [event, join] of [['chat:spy', true], ['chat:unspy', false]] as const) {
      socket.on(event, (raw: unknown, maybeAck?: unknown) => {
        const ack: Ack = typeof maybeAck === 'function' ? (maybeAck as Ack) : () => undefined;
        const parsed = spySchema.safeParse(raw);
        if (!parsed.success) return ack({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'interactionId must be a positive integer' } });
        if (!principal || principal.role === 'agent' || !can(principal, 'chat', 'read')) return ack({ ok: false, error: { code: 'FORBIDDEN', message: "Spying needs the 'read' permission on 'chat'" } });
        const id = parsed.data.interactionId;
        void getInteraction(db, id)
          .then(async () => {
            if (join) await socket.join(spyRoom(id));
            else await socket.leave(spyRoom(id));
            ack({ ok: true });
          })
          .catch(() => ack({ ok: false, error: { code: 'NOT_FOUND', message: `interaction ${id} not found` } }));
      });
    }
  });
}
