// The agents' and supervisors' socket side of chat, on the authenticated default namespace:
// `chat:spy` lets a supervisor (or admin) with `chat` read follow a live chat's messages and notes,
// for the chats their scope reaches (scope.ts; a chat out of scope is "not found" as an unknown one).
// Scopes change (a supervisor taken off a queue, the permission removed): every minute the sockets
// spying are checked again, and those that lost a chat leave its room and are told (`chat:spy-ended`).
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../logger.ts';
import { can, type Principal } from '../../auth/permissions.ts';
import { DomainError } from '../../errors.ts';
import { getInteraction } from './store.ts';
import { spyRoom } from './chat-service.ts';
import { AGENT_CHAT_EVENTS } from '../../../contracts/chat-widget.ts';
import { chatScopeOf, seesInteraction } from './scope.ts';

type Ack = (r: { ok: true } | { ok: false; error: { code: string; message: string } }) => void;
const spySchema = z.object({ interactionId: z.number().int().positive() });
const RECHECK_MS = 60_000;

interface SpyingData {
  principal?: Principal;
  /** The chats this socket follows. */
  spying?: Set<number>;
}

const maySpy = (p: Principal | undefined): p is Principal => p !== undefined && p.role !== 'agent' && can(p, 'chat', 'read');

/** Whether the principal may follow the chat now: the permission, and the chat in their scope. */
async function mayFollow(db: Db, principal: Principal, interactionId: number): Promise<boolean> {
  if (!maySpy(principal)) return false;
  // Unknown (deleted) is "no"; a database failure propagates rather than evict every spy at once.
  const row = await getInteraction(db, interactionId).catch((err: unknown) => {
    if (err instanceof DomainError && err.code === 'not_found') return undefined;
    throw err;
  });
  return row !== undefined && seesInteraction(await chatScopeOf(db, principal), row);
}

/** Attaches the events; returns what stops the periodic check. */
export function attachAgentChatEvents(io: Server, db: Db, logger?: Logger): () => void {
  io.on('connection', (socket: Socket) => {
    for (const [event, join] of [[AGENT_CHAT_EVENTS.spy, true], [AGENT_CHAT_EVENTS.unspy, false]] as const) {
      socket.on(event, (raw: unknown, maybeAck?: unknown) => {
        const ack: Ack = typeof maybeAck === 'function' ? (maybeAck as Ack) : () => undefined;
        const data = socket.data as SpyingData;
        const parsed = spySchema.safeParse(raw);
        if (!parsed.success) return ack({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'interactionId must be a positive integer' } });
        // Read per event: the realtime layer refreshes the principal when it checks the socket again.
        if (!maySpy(data.principal)) return ack({ ok: false, error: { code: 'FORBIDDEN', message: "Spying needs the 'read' permission on 'chat'" } });
        const principal = data.principal;
        const id = parsed.data.interactionId;
        const notFound = () => ack({ ok: false, error: { code: 'NOT_FOUND', message: `interaction ${id} not found` } });
        void (async () => {
          if (!join) {
            await socket.leave(spyRoom(id));
            data.spying?.delete(id);
            return ack({ ok: true });
          }
          if (!(await mayFollow(db, principal, id))) return notFound();
          await socket.join(spyRoom(id));
          (data.spying ??= new Set()).add(id);
          ack({ ok: true });
        })().catch(notFound);
      });
    }
  });
  const timer = setInterval(() => void recheckChatSpies(io, db).catch((err: unknown) => logger?.warn({ err: String(err) }, 'checking chat spies again failed')), RECHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** This node's spying sockets keep only the chats their principal may still follow. */
export async function recheckChatSpies(io: Server, db: Db): Promise<void> {
  for (const socket of io.of('/').sockets.values()) {
    const data = socket.data as SpyingData;
    if (!data.spying?.size) continue;
    for (const id of [...data.spying]) {
      if (data.principal && (await mayFollow(db, data.principal, id))) continue;
      data.spying.delete(id);
      await socket.leave(spyRoom(id));
      socket.emit(AGENT_CHAT_EVENTS.spyEnded, { interactionId: id, reason: 'out-of-scope' });
    }
  }
}
