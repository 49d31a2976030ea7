// Forgotten passwords: a link e-mailed to the account's address, valid for one hour (configurable),
// usable once. Asking always gets the same answer at the same speed, known address or not, mail
// server up or not: the lookup and the mail happen after the answer, and a failed mail is logged
// here, never told to the asker. At most one link per account is alive: a new one replaces the
// older, and any password change (this reset, the user's own, an administrator's) deletes them all
// (trigger of migration 0012). Asking is limited per client address (429, the same for every
// address asked about) and per account (silently: a 429 there would say the account exists).
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { passwordResets, users } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import { DomainError, tooManyRequests } from '../errors.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Logger } from '../logger.ts';
import type { BackgroundTasks } from '../background-tasks.ts';
import type { Settings } from '../settings/settings.ts';
import { hashPassword, passwordProblems } from './passwords.ts';
import { hashSecret, newSecret } from './tokens.ts';
import { revokeUserSessions } from './sessions.ts';
import { take, type Limit } from './rate-limit.ts';
import { clearLockouts, lockName } from './lockout.ts';

/** Requests one client address may make (whatever the addresses asked about). */
export const RESET_REQUESTS_PER_ADDRESS: Limit = { capacity: 10, windowMs: 15 * 60_000 };
/** Mails one account may receive; requests beyond are answered alike and send nothing. */
export const RESET_MAILS_PER_ACCOUNT: Limit = { capacity: 3, windowMs: 60 * 60_000 };

export interface ResetDeps {
  db: Db;
  mailer: Mailer;
  logger: Logger;
  tasks: BackgroundTasks | undefined;
}

/** Counts the request against the client address (429 beyond), then mails in the background. */
export async function requestPasswordReset(deps: ResetDeps, settings: Settings, publicUrl: string, email: string, source: string): Promise<void> {
  const verdict = await take(deps.db, `reset-address:${source}`, RESET_REQUESTS_PER_ADDRESS);
  if (!verdict.allowed) throw tooManyRequests(verdict.retryAfterSeconds);
  const send = () => mailResetLinks(deps, settings, publicUrl, email);
  if (deps.tasks) deps.tasks.run('password reset', send);
  else void send().catch((err: unknown) => deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'password reset failed'));
}

async function mailResetLinks({ db, mailer, logger }: ResetDeps, settings: Settings, publicUrl: string, email: string): Promise<void> {
  const candidates = await db
    .select()
    .from(users)
    .where(and(sql`lower(${users.email}) = lower(${email})`, sql`${users.role} <> 'service'`, eq(users.disabled, false)));
  for (const user of candidates) {
    const quota = await take(db, `reset-account:${user.id}`, RESET_MAILS_PER_ACCOUNT);
    if (!quota.allowed) {
      logger.info({ userId: user.id }, 'password reset not mailed: too many requests for this account');
      continue;
    }
    const token = newSecret();
    const tokenHash = hashSecret(token);
    await db.transaction(async (tx) => {
      // The new link replaces every older one still unused; the row lock serialises two requests
      // for one account (on any node), so that neither misses the other's link.
      await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for('update');
      await tx.delete(passwordResets).where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
      await tx.insert(passwordResets).values({ userId: user.id, tokenHash, expiresAt: new Date(Date.now() + settings.passwordResetMinutes * 60_000) });
    });
    try {
      await mailer.send({
        to: user.email!,
        subject: 'Tandem: reset your password',
        text:
          `Hello ${user.fullName},\n\nsomeone (hopefully you) asked to reset the password of the Tandem account "${user.username}".\n` +
          `Open this link to choose a new password. It expires in ${settings.passwordResetMinutes} minutes and works once:\n\n` +
          `${publicUrl}/reset-password?token=${token}\n\nIf you did not ask for this, ignore this message.\n`,
      });
    } catch (err) {
      // Nobody got this link: it must not stay alive. The log names the account, not the link.
      await db.delete(passwordResets).where(eq(passwordResets.tokenHash, tokenHash));
      logger.warn({ userId: user.id, err: err instanceof Error ? err.message : String(err) }, 'password reset mail not sent');
      await audit(db, null, 'password.reset-mail-failed', `user:${user.id}`);
      continue;
    }
    await audit(db, null, 'password.reset-requested', `user:${user.id}`);
  }
}

export async function confirmPasswordReset(db: Db, settings: Settings, token: string, password: string, cost: number): Promise<void> {
  const [found] = await db
    .select({ reset: passwordResets, disabled: users.disabled })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(eq(passwordResets.tokenHash, hashSecret(token)));
  // Links of a disabled account were deleted when it was disabled; refused here all the same.
  if (!found || found.disabled) throw new DomainError('reset_token_invalid');
  const reset = found.reset;
  if (reset.usedAt) throw new DomainError('reset_token_used');
  if (reset.expiresAt.getTime() <= Date.now()) throw new DomainError('reset_token_expired');
  const problems = passwordProblems(password, settings.securitySuite);
  if (problems.length) throw weakPassword('password', problems);
  const hash = await hashPassword(password, cost);
  await db.transaction(async (tx) => {
    // Mark used first, guarded, so two concurrent uses of one link cannot both succeed.
    const used = await tx
      .update(passwordResets)
      .set({ usedAt: new Date() })
      .where(and(eq(passwordResets.id, reset.id), isNull(passwordResets.usedAt)))
      .returning({ id: passwordResets.id });
    if (used.length === 0) throw new DomainError('reset_token_used');
    // Every other link of the account dies with this reset (the trigger would delete them too).
    await tx.delete(passwordResets).where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt)));
    await tx
      .update(users)
      .set({ passwordHash: hash, passwordChangedAt: new Date(), mustChangePassword: false, failedLogins: 0, updatedAt: new Date() })
      .where(eq(users.id, reset.userId));
  });
  await revokeUserSessions(db, reset.userId);
  // Whoever reads the account's mail may choose its password: the locks they ran into go too.
  const [user] = await db.select({ username: users.username }).from(users).where(eq(users.id, reset.userId));
  if (user) await clearLockouts(db, lockName(user.username));
  await audit(db, reset.userId, 'password.reset', `user:${reset.userId}`);
}

export function weakPassword(field: string, problems: string[]): DomainError {
  return new DomainError('weak_password', `${field}: ${problems.join('; ')}`, { fields: problems.map((message) => ({ field, message })) });
}
