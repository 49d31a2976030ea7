// One supervisor's socket on the board: who they are (checked at the handshake and again every
// minute), what they may do, and where they are in the stream of deltas (their group's, or a view
// of their own while their browser lags).
import type { Socket } from 'socket.io';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../logger.ts';
import { principalFromCredential } from '../../auth/credentials.ts';
import { handshakeCredential, reauthenticateSockets } from '../socket-auth.ts';
import { can, type Principal } from '../../auth/permissions.ts';
import { BOARD_EVENTS, type BoardSnapshot } from '../../../contracts/realtime-board.ts';
import type { BoardView } from './board-view.ts';

/**
 * Sockets with the same scope: they share one view and one delta numbering, so each delta is
 * encoded once for all of them. Declared here with the session, which points back at its group.
 */
export interface BoardGroup {
  key: string;
  view: BoardView;
  seq: number;
  members: Set<BoardSession>;
}

export interface BoardSession {
  socket: Socket;
  /** The token or API key of the handshake: permissions are checked again with it (see reauthorizeSessions). */
  credential: string;
  principal: Principal;
  can: BoardSnapshot['can'];
  /** The group this socket is in (it then shares the group's view and seq), or its own view when it fell behind. */
  group: BoardGroup | undefined;
  view: BoardView | undefined;
  seq: number;
  /** Consecutive group flushes this socket was still writing the previous message. */
  lagStrikes: number;
  /** Consecutive flushes an ungrouped socket had nothing left to send: it may rejoin its group. */
  caughtUp: number;
  /** When this socket last asked for a snapshot (resyncs are throttled). */
  resyncAt: number;
  /** Cancels the resync asked for during the interval, answered when it ends. */
  resyncQueued: (() => void) | undefined;
}

/** What the board lets this user do: act on agents (staff edit), listen/whisper/barge (chanspy edit, as the spy service requires). */
export const boardRightsOf = (p: Principal): BoardSnapshot['can'] => ({ editAgents: can(p, 'staff', 'edit'), chanspy: can(p, 'chanspy', 'edit') });

const FORBIDDEN = { code: 'FORBIDDEN', message: "The realtime board needs the 'read' permission on 'realtime'" } as const;

/**
 * The namespace's handshake check: a valid token or API key, no password change pending, the
 * realtime read permission. Leaves the principal and the credential in `socket.data`.
 */
export async function authenticateBoardSocket(services: { db: Db; logger: Logger }, socket: Socket): Promise<void> {
  let principal: Principal | undefined;
  const credential = handshakeCredential(socket);
  try {
    principal = credential ? await principalFromCredential(services, credential) : undefined;
  } catch (err) {
    services.logger.warn({ err: String(err) }, 'supervisor board: authentication failed');
    throw refusal('UNAVAILABLE', 'The server could not check your credentials; try again');
  }
  if (!principal) throw refusal('UNAUTHENTICATED', 'The token or API key is invalid, expired or revoked');
  if (principal.mustChangePassword) throw refusal('PASSWORD_CHANGE_REQUIRED', 'Change your password first');
  if (!can(principal, 'realtime', 'read')) throw refusal(FORBIDDEN.code, FORBIDDEN.message);
  Object.assign(socket.data as object, { principal, credential });
}

/** The session of a socket that passed authenticateBoardSocket, connected at `now`. */
export function newBoardSession(socket: Socket, now: number): BoardSession {
  const { principal, credential } = socket.data as { principal: Principal; credential: string };
  return {
    socket,
    credential,
    principal,
    can: boardRightsOf(principal),
    group: undefined,
    view: undefined,
    seq: 0,
    lagStrikes: 0,
    caughtUp: 0,
    // The snapshot sent on connect counts: a client looping on resync from the start is throttled too.
    resyncAt: now,
    resyncQueued: undefined,
  };
}

/**
 * Checks every socket's credential and permissions again: a user disabled, logged out, expired or
 * stripped of the realtime permission is told why (board:error) and disconnected; one whose
 * permissions changed is handed to `rightsChanged` (it needs a new snapshot: its `can` and scope).
 * One prepared query per socket.
 */
export async function reauthorizeSessions(
  sessions: Iterable<BoardSession>,
  services: { db: Db; logger: Logger },
  on: { stillConnected: (session: BoardSession) => boolean; rightsChanged: (session: BoardSession) => void },
): Promise<void> {
  await reauthenticateSockets(sessions, {
    db: services.db,
    logger: services.logger,
    // The database is down: keep the socket (its data stops anyway) rather than drop everyone.
    unavailableLog: 'supervisor board: could not check a socket again',
    refusedEvent: BOARD_EVENTS.error,
    refusal: (principal) =>
      !principal ? { code: 'UNAUTHENTICATED', message: 'Your session ended; sign in again' } : !can(principal, 'realtime', 'read') ? { ...FORBIDDEN } : undefined,
    stillConnected: on.stillConnected,
    accept: (session, principal) => {
      const nextCan = boardRightsOf(principal);
      const canChanged = nextCan.editAgents !== session.can.editAgents || nextCan.chanspy !== session.can.chanspy;
      session.principal = principal;
      session.can = nextCan;
      if (canChanged) on.rightsChanged(session);
    },
  });
}

/** The engine.io connection underneath: its write buffer and transport say whether the browser keeps up. */
interface EngineConn {
  writeBuffer?: unknown[];
  transport?: { writable?: boolean };
  on(event: 'drain', listener: () => void): unknown;
}

/** Calls `listener` each time the socket's connection has written everything it held. */
export function onDrain(session: BoardSession, listener: () => void): void {
  (session.socket.conn as unknown as EngineConn).on('drain', listener);
}

/** Its previous messages are still waiting to be written (slow browser, long-polling between polls). */
export function lagging(session: BoardSession): boolean {
  const conn = session.socket.conn as unknown as EngineConn;
  return (conn.writeBuffer?.length ?? 0) > 0 || conn.transport?.writable === false;
}

/** A connect_error the page can show: `err.message` is the code, `err.data.message` says why. */
function refusal(code: string, message: string): Error & { data: { code: string; message: string } } {
  return Object.assign(new Error(code), { data: { code, message } });
}
