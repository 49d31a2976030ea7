// Login sessions: an opaque bearer token (`tds_…`) whose hash is stored with an expiry. Ending a
// session deletes its row: nothing hidden can come back. Disabling or locking an account, or
// changing its password, deletes its sessions in the database itself (trigger of migration 0012);
// resolving a token re-reads the user all the same.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { sessions, users } from '../db/schema.ts';
import type { Principal } from './permissions.ts';
import { hashSecret, newSecret } from './tokens.ts';

export const SESSION_PREFIX = 'tds_';

export async function createSession(db: Db, userId: number, hours: number, userAgent?: string): Promise<{ token: string; expiresAt: Date; sessionId: number }> {
  const token = SESSION_PREFIX + newSecret();
  const expiresAt = new Date(Date.now() + hours * 3600_000);
  const [row] = await db
    .insert(sessions)
    .values({ userId, tokenHash: hashSecret(token), expiresAt, userAgent: userAgent?.slice(0, 300) ?? null })
    .returning({ id: sessions.id });
  return { token, expiresAt, sessionId: row!.id };
}

// Every authenticated request reads its session: prepared once per database handle, so neither
// drizzle's query building nor PostgreSQL's planning is paid per request.
const sessionByHash = (db: Db) =>
  db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sql.placeholder('hash')), isNull(sessions.revokedAt), sql`${sessions.expiresAt} > now()`))
    .prepare('auth_session_by_hash');
const preparedSessionByHash = new WeakMap<Db, ReturnType<typeof sessionByHash>>();

export async function resolveSession(db: Db, token: string): Promise<Principal | undefined> {
  let query = preparedSessionByHash.get(db);
  if (!query) preparedSessionByHash.set(db, (query = sessionByHash(db)));
  const [row] = await query.execute({ hash: hashSecret(token) });
  if (!row || row.user.disabled || row.user.locked) return undefined;
  // Touch at most once a minute: a busy client must not write on every request.
  if (Date.now() - row.session.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, row.session.id));
  }
  return {
    userId: row.user.id,
    role: row.user.role,
    username: row.user.username,
    permissions: row.user.permissions,
    via: 'session',
    sessionId: row.session.id,
    mustChangePassword: row.user.mustChangePassword,
  };
}

export async function revokeSession(db: Db, sessionId: number): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Every session of that user ends (password set, account disabled or locked, admin command). */
export async function revokeUserSessions(db: Db, userId: number, exceptSessionId?: number): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), exceptSessionId === undefined ? undefined : sql`${sessions.id} <> ${exceptSessionId}`));
}
