// socket.io's side of the NUL rule (server/http/nul.ts): on every namespace, a handshake whose auth
// or query holds a NUL is refused (connect_error VALIDATION_FAILED, naming the field), and an event
// whose payload holds one goes to no handler; its ack, when asked for, gets the error naming the field.
import type { Namespace, Server, Socket } from 'socket.io';
import { findNul, NUL_MESSAGE } from '../http/nul.ts';

export interface NulRefusal {
  code: 'VALIDATION_FAILED';
  message: string;
  details: { fields: { field: string; message: string }[] };
}

export function nulRefusal(where: string, field: string): NulRefusal {
  return { code: 'VALIDATION_FAILED', message: `Invalid ${where}: ${field}: ${NUL_MESSAGE}`, details: { fields: [{ field, message: NUL_MESSAGE }] } };
}

/** Guards every namespace of `io`, present and future; call before the subsystems add theirs. */
export function refuseNulPayloads(io: Server): void {
  const guard = (ns: Namespace): void => {
    ns.use((socket, next) => {
      const inAuth = findNul(socket.handshake.auth, ['auth']);
      const field = inAuth ?? findNul(socket.handshake.query, ['query']);
      if (field === undefined) return next();
      const refusal = nulRefusal('handshake', field);
      next(Object.assign(new Error(refusal.code), { data: refusal }));
    });
    ns.on('connection', (socket: Socket) => {
      socket.use((packet, next) => {
        const [event, ...args] = packet as [string, ...unknown[]];
        const last = args[args.length - 1];
        const ack = typeof last === 'function' ? (last as (reply: unknown) => void) : undefined;
        const payload = ack ? args.slice(0, -1) : args;
        const found = payload.length === 1 ? findNul(payload[0]) : findNul(payload);
        if (found === undefined) return next();
        // Not passed on: the handlers (and the database) never see it.
        ack?.({ ok: false, error: nulRefusal(String(event), found || '(payload)') });
      });
    });
  };
  guard(io.of('/'));
  io.on('new_namespace', guard);
}
