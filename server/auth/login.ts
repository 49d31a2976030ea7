// Password login. In order: the client address's budget of failed logins (429 beyond, whatever the
// usernames), the lockout of this name from this source (423, known name or not), the password (the
// hash is computed for unknown names too, so timing tells nothing), then the account's own state.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { users } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import { DomainError, tooManyRequests } from '../errors.ts';
import { burnVerification, verifyPassword } from './passwords.ts';
import type { Settings } from '../settings/settings.ts';
import { clearFailures, lockedFor, lockName, recordFailure } from './lockout.ts';
import { charge, peek, type Limit } from './rate-limit.ts';

export type UserRow = typeof users.$inferSelect;

export interface LoginAttempt {
  username: string;
  password: string;
  /** Where the attempt comes from: addressKey() of the client address. */
  source: string;
}

function addressLimit(settings: Settings): Limit | undefined {
  if (settings.maxFailedLoginsPerAddress === 0) return undefined;
  return { capacity: settings.maxFailedLoginsPerAddress, windowMs: settings.failedLoginsWindowMinutes * 60_000 };
}

export async function checkPassword(db: Db, settings: Settings, attempt: LoginAttempt, passwordCost: number): Promise<UserRow> {
  const limit = addressLimit(settings);
  const bucket = `login:${attempt.source}`;
  if (limit) {
    const verdict = await peek(db, bucket, limit);
    if (!verdict.allowed) throw tooManyRequests(verdict.retryAfterSeconds);
  }
  try {
    return await verify(db, settings, attempt, passwordCost);
  } catch (err) {
    // Every refused attempt costs the address a token; a success costs nothing, so a whole floor of
    // agents behind one NAT address logging in at once is never throttled.
    if (limit && err instanceof DomainError && (err.code === 'invalid_credentials' || err.code === 'account_locked')) await charge(db, bucket, limit);
    throw err;
  }
}

async function verify(db: Db, settings: Settings, attempt: LoginAttempt, passwordCost: number): Promise<UserRow> {
  const name = lockName(attempt.username);
  // Locked for this source: refused before the password is even looked at (the lock exists to stop
  // guessing), with the same answer for a name that belongs to nobody.
  if (await lockedFor(db, settings, name, attempt.source)) throw new DomainError('account_locked');
  const [user] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${attempt.username})`);
  let ok = false;
  if (!user || !user.passwordHash) await burnVerification(passwordCost);
  else ok = await verifyPassword(attempt.password, user.passwordHash);
  if (!user || !ok) {
    if (await recordFailedLogin(db, settings, name, attempt.source, user?.id)) throw new DomainError('account_locked');
    throw new DomainError('invalid_credentials');
  }
  // Told only to whoever has the password: locked for everyone by an administrator, or disabled.
  if (user.locked) throw new DomainError('account_locked', 'The account is locked; an administrator must unlock it');
  if (user.disabled) throw new DomainError('account_disabled');
  await recordSuccessfulLogin(db, user.id, name, attempt.source);
  return user;
}

/**
 * Counts a failed login (password, or an agent's phone PIN) of `name` from `source`; returns true
 * when this failure locked the name for that source. `userId` when the name is an account's: its
 * failure counter (shown to administrators) goes up, and the lock is audited.
 */
export async function recordFailedLogin(db: Db, settings: Settings, name: string, source: string, userId?: number): Promise<boolean> {
  const locked = await recordFailure(db, settings, name, source);
  if (userId !== undefined) {
    const [after] = await db
      .update(users)
      .set({ failedLogins: sql`${users.failedLogins} + 1` })
      .where(eq(users.id, userId))
      .returning({ failedLogins: users.failedLogins });
    if (locked) await audit(db, null, 'account.locked', `user:${userId}`, { source, failedLogins: after?.failedLogins ?? 0, minutes: settings.lockoutMinutes || null });
  }
  return locked;
}

export async function recordSuccessfulLogin(db: Db, userId: number, name: string, source: string): Promise<void> {
  await clearFailures(db, name, source);
  await db.update(users).set({ failedLogins: 0, lastLoginAt: new Date() }).where(eq(users.id, userId));
}
