// What every account (user or agent) shares: the users row, its public view, password setting,
// unlocking. Agents add their own row on top (agents.ts).
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { users, type Role } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import { hashPassword, passwordProblems } from '../auth/passwords.ts';
import { weakPassword } from '../auth/password-reset.ts';
import { revokeUserSessions } from '../auth/sessions.ts';
import type { Settings } from '../settings/settings.ts';
import { ApiError, notFound } from '../http/errors.ts';

export type UserRow = typeof users.$inferSelect;

export interface AccountView {
  id: number;
  role: Role;
  username: string;
  fullName: string;
  email: string | null;
  description: string | null;
  permissions: UserRow['permissions'];
  disabled: boolean;
  locked: boolean;
  lockedAt: Date | null;
  failedLogins: number;
  mustChangePassword: boolean;
  passwordChangedAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function accountView(u: UserRow): AccountView {
  return {
    id: u.id,
    role: u.role,
    username: u.username,
    fullName: u.fullName,
    email: u.email,
    description: u.description,
    permissions: u.permissions,
    disabled: u.disabled,
    locked: u.locked,
    lockedAt: u.lockedAt,
    failedLogins: u.failedLogins,
    mustChangePassword: u.mustChangePassword,
    passwordChangedAt: u.passwordChangedAt,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
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
  await revokeUserSessions(db, id);
  await audit(db, actorId, 'password.set', `user:${id}`, { byAdmin: actorId !== id });
}

export async function setLocked(db: Db, id: number, locked: boolean, actorId: number): Promise<void> {
  await db
    .update(users)
    .set(locked ? { locked: true, lockedAt: new Date(), updatedAt: new Date() } : { locked: false, lockedAt: null, failedLogins: 0, updatedAt: new Date() })
    .where(eq(users.id, id));
  await audit(db, actorId, locked ? 'account.locked' : 'account.unlocked', `user:${id}`);
}

/** Refuses to remove or demote the last enabled admin: nobody could administer Tandem afterwards. */
export async function assertNotLastAdmin(db: Db, id: number): Promise<void> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.disabled, false), ne(users.id, id)));
  if ((row?.n ?? 0) === 0) throw new ApiError('CONFLICT', 'This is the last enabled administrator; create another one first', { fields: [{ field: 'id', message: 'last enabled administrator' }] });
}

export async function deleteAccount(db: Db, id: number, roles: readonly Role[], what: string): Promise<void> {
  const deleted = await db.delete(users).where(and(eq(users.id, id), inArray(users.role, [...roles]))).returning({ id: users.id });
  if (deleted.length === 0) throw notFound(what, id);
}
