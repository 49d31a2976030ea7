// What every account (user or agent) shares: the users row, its public view, password setting,
// unlocking. Agents add their own row on top (agents.ts).
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { passwordResets, users, type Role } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import { hashPassword, passwordProblems } from '../auth/passwords.ts';
import { weakPassword } from '../auth/password-reset.ts';
import { revokeUserSessions } from '../auth/sessions.ts';
import { activeLockouts, clearLockouts, lockName, type Lockout } from '../auth/lockout.ts';
import { readSettings, type Settings } from '../settings/settings.ts';
import { DomainError, notFound } from '../errors.ts';
import type { AccountView as ApiAccountView } from '../../contracts/api.ts';

export type UserRow = typeof users.$inferSelect;

/** The API's account shape (contracts/api.ts), with the Date values the server builds it from. */
export type AccountView = ApiAccountView<Date>;

/** The account as the API shows it; `lockouts` from withLockouts() (the row alone does not hold them). */
export function accountView(u: UserRow, lockouts: Lockout[] = []): AccountView {
  return {
    id: u.id,
    role: u.role,
    username: u.username,
    fullName: u.fullName,
    email: u.email,
    description: u.description,
    permissions: u.permissions,
    preferences: u.preferences,
    disabled: u.disabled,
    locked: u.locked || lockouts.length > 0,
    lockedAt: u.locked ? u.lockedAt : (lockouts[0]?.lockedAt ?? null),
    lockouts,
    failedLogins: u.failedLogins,
    mustChangePassword: u.mustChangePassword,
    passwordChangedAt: u.passwordChangedAt,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

/** Fills in the lockouts in force of these accounts (one query for all). */
export async function withLockouts<T extends AccountView>(db: Db, views: T[], settings?: Settings): Promise<T[]> {
  if (views.length === 0) return views;
  const byName = await activeLockouts(db, settings ?? (await readSettings(db)), views.map((v) => lockName(v.username)));
  for (const v of views) {
    const lockouts = byName.get(lockName(v.username)) ?? [];
    if (lockouts.length === 0) continue;
    v.lockouts = lockouts;
    if (!v.locked) {
      v.locked = true;
      v.lockedAt = lockouts[0]!.lockedAt;
    }
  }
  return views;
}

/** Checks the password rules (security suite) and hashes; a weak password is a 400 naming the field. */
export async function acceptablePasswordHash(settings: Settings, cost: number, password: string, field = 'password'): Promise<string> {
  const problems = passwordProblems(password, settings.securitySuite);
  if (problems.length) throw weakPassword(field, problems);
  return hashPassword(password, cost);
}

export async function findAccount(db: Db, id: number, roles: readonly Role[]): Promise<UserRow | undefined> {
  const [u] = await db.select().from(users).where(eq(users.id, id));
  return u && roles.includes(u.role) ? u : undefined;
}

export async function setAccountPassword(db: Db, settings: Settings, cost: number, id: number, password: string, actorId: number, mustChange: boolean, field = 'password'): Promise<void> {
  const hash = await acceptablePasswordHash(settings, cost, password, field);
  await db
    .update(users)
    .set({ passwordHash: hash, passwordChangedAt: new Date(), mustChangePassword: mustChange, updatedAt: new Date() })
    .where(eq(users.id, id));
  // Every session and every outstanding reset link ends (the users trigger of migration 0012 does
  // the same for any change of the hash; said here for whoever reads this code).
  await revokeUserSessions(db, id);
  await db.delete(passwordResets).where(and(eq(passwordResets.userId, id), isNull(passwordResets.usedAt)));
  await audit(db, actorId, 'password.set', `user:${id}`, { byAdmin: actorId !== id });
}

/**
 * Locking locks the account for everyone and ends its sessions, API keys and reset links for good
 * (deleted or revoked, so unlocking brings none back). Unlocking lifts that lock and every lock a
 * source earned by failed logins. `actorId` null: the offline admin command. True when there was
 * something to lock or unlock.
 */
export async function setLocked(db: Db, id: number, locked: boolean, actorId: number | null, via?: string): Promise<boolean> {
  const [u] = await db.select().from(users).where(eq(users.id, id));
  if (!u) return false;
  const details = via ? { via } : {};
  if (locked) {
    await db.update(users).set({ locked: true, lockedAt: new Date(), updatedAt: new Date() }).where(eq(users.id, id));
    await revokeUserSessions(db, id);
    await audit(db, actorId, 'account.locked', `user:${id}`, details);
    return true;
  }
  const lifted = await clearLockouts(db, lockName(u.username));
  if (!u.locked && lifted === 0 && u.failedLogins === 0) return false;
  await db.update(users).set({ locked: false, lockedAt: null, failedLogins: 0, updatedAt: new Date() }).where(eq(users.id, id));
  await audit(db, actorId, 'account.unlocked', `user:${id}`, { ...details, wasLockedForEveryone: u.locked, sourcesLifted: lifted });
  return u.locked || lifted > 0;
}

/** Refuses to remove or demote the last enabled admin: nobody could administer Tandem afterwards. */
export async function assertNotLastAdmin(db: Db, id: number): Promise<void> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.disabled, false), ne(users.id, id)));
  if ((row?.n ?? 0) === 0) throw new DomainError('conflict', 'This is the last enabled administrator; create another one first', { fields: [{ field: 'id', message: 'last enabled administrator' }] });
}

export async function deleteAccount(db: Db, id: number, roles: readonly Role[], what: string): Promise<void> {
  const deleted = await db.delete(users).where(and(eq(users.id, id), inArray(users.role, [...roles]))).returning({ id: users.id });
  if (deleted.length === 0) throw notFound(what, id);
}
