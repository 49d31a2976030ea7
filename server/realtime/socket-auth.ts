// Socket authentication for every namespace that serves signed-in users (agents' default namespace,
// supervisors' board): the handshake's credential, and the periodic check that a connected socket's
// credential and rights still hold. Each namespace keeps its own refusal event and rules.
import type { Socket } from 'socket.io';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Principal } from '../auth/permissions.ts';
import { credentialOf, principalFromCredential } from '../auth/credentials.ts';

/** The handshake's `auth.token`, else the credential of its HTTP headers. */
export function handshakeCredential(socket: Pick<Socket, 'handshake'>): string | undefined {
  const fromAuth = (socket.handshake.auth as { token?: unknown }).token;
  return typeof fromAuth === 'string' ? fromAuth : credentialOf(socket.handshake.headers);
}

/** What a refused socket is told before it is disconnected. */
export interface SocketRefusal {
  code: string;
  message: string;
}

/** A connected socket with the credential of its handshake. */
export interface AuthenticatedSocket {
  socket: Pick<Socket, 'id' | 'emit' | 'disconnect'>;
  credential: string;
}

export interface ReauthenticationRules<T extends AuthenticatedSocket> {
  db: Db;
  logger: Logger;
  /** Logged when the database cannot answer: every socket is kept then rather than all dropped at once. */
  unavailableLog: string;
  /** The event that tells a refused socket why (each namespace has its own). */
  refusedEvent: string;
  /** Why a socket may no longer stay (no principal: the credential ended), or undefined when it may. */
  refusal(principal: Principal | undefined): SocketRefusal | undefined;
  /** False when the socket left while its credential was being checked. */
  stillConnected?(entry: T): boolean;
  /** The socket stays: take its current principal. */
  accept(entry: T, principal: Principal): void;
}

/**
 * Rights are read at the handshake; a user logged out, expired, disabled or stripped of a permission
 * since must not keep receiving events. Checks each socket's credential again, one query per socket.
 */
export async function reauthenticateSockets<T extends AuthenticatedSocket>(entries: Iterable<T>, rules: ReauthenticationRules<T>): Promise<void> {
  for (const entry of entries) {
    let principal: Principal | undefined;
    try {
      principal = await principalFromCredential(rules, entry.credential);
    } catch (err) {
      rules.logger.warn({ err: String(err) }, rules.unavailableLog);
      return;
    }
    if (rules.stillConnected && !rules.stillConnected(entry)) continue;
    const refusal = rules.refusal(principal);
    if (refusal || !principal) {
      entry.socket.emit(rules.refusedEvent, refusal);
      entry.socket.disconnect(true);
      continue;
    }
    rules.accept(entry, principal);
  }
}
