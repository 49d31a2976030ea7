// Password login with lockout: N failed attempts in a row lock the account until an administrator
// unlocks it (XCALLY's security suite); a disabled account never logs in.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { users } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import { ApiError } from '../http/errors.ts';
import { burnVerification, verifyPassword } from './passwords.ts';
import type { Settings } from '../settings/settings.ts';

export type UserRow = typeof users.$inferSelect;

export async function checkPassword(db: Db, settings: Settings, username: string, password: string, passwordCost: number): Promise<UserRow> {
  const [user] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
  if (!user || !user.passwordHash) {
    await burnVerification(passwordCost);
    throw new ApiError('INVALID_CREDENTIALS');
  }
  // A locked account refuses even the right password: the lock exists to stop guessing.
  if (user.locked) throw new ApiError('ACCOUNT_LOCKED');
  const ok = await verifyPassword(password, user.passwordHash);
  if (!ok) {
    if (await recordFailedLogin(db, settings, user.id)) throw new ApiError('ACCOUNT_LOCKED');
    throw new ApiError('INVALID_CREDENTIALS');
  }
  if (user.disabled) throw new ApiError('ACCOUNT_DISABLED');
  await recordSuccessfulLogin(db, user.id);
  return user;
}

/**
 * Counts a failed login (password, or an agent's phone PIN); returns true when this failure locked
 * the account. Guessing a PIN from a phone is stopped by the same lockout as guessing a password.
 */
export async function recordFailedLogin(db: Db, settings: Settings, userId: number): Promise<boolean> {
  const [after] = await db
    .update(users)
    .set({ failedLogins: sql`${users.failedLogins} + 1` })
    .where(eq(users.id, userId))
    .returning({ failedLogins: users.failedLogins });
  const failed = after?.failedLogins ?? 0;
  if (settings.maxFailedLogins > 0 && failed >= settings.maxFailedLogins) {
    await db.update(users).set({ locked: true, lockedAt: new Date() }).where(eq(users.id, userId));
    await audit(db, null, 'account.locked', `user:${userId}`, { failedLogins: failed });
    return true;
  }
  return false;
}

export async function recordSuccessfulLogin(db: Db, userId: number): Promise<void> {
  await db.update(users).set({ failedLogins: 0, lastLoginAt: new Date() }).where(eq(users.id, userId));
}
