// Forgotten passwords: a link e-mailed to the account's address, valid for one hour (configurable),
// usable once. Asking never tells whether an address is known.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { passwordResets, users } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import { ApiError } from '../http/errors.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Settings } from '../settings/settings.ts';
import { hashPassword, passwordProblems } from './passwords.ts';
import { hashSecret, newSecret } from './tokens.ts';
import { revokeUserSessions } from './sessions.ts';

export async function requestPasswordReset(db: Db, mailer: Mailer, settings: Settings, publicUrl: string, email: string): Promise<void> {
  const candidates = await db
    .select()
    .from(users)
    .where(and(sql`lower(${users.email}) = lower(${email})`, sql`${users.role} <> 'service'`, eq(users.disabled, false)));
  for (const user of candidates) {
    const token = newSecret();
    await db.insert(passwordResets).values({
      userId: user.id,
      tokenHash: hashSecret(token),
      expiresAt: new Date(Date.now() + settings.passwordResetMinutes * 60_000),
    });
    await mailer.send({
      to: user.email!,
      subject: 'Tandem: reset your password',
      text:
        `Hello ${user.fullName},\n\nsomeone (hopefully you) asked to reset the password of the Tandem account "${user.username}".\n` +
        `Open this link to choose a new password. It expires in ${settings.passwordResetMinutes} minutes and works once:\n\n` +
        `${publicUrl}/reset-password?token=${token}\n\nIf you did not ask for this, ignore this message.\n`,
    });
    await audit(db, null, 'password.reset-requested', `user:${user.id}`);
  }
}

export async function confirmPasswordReset(db: Db, settings: Settings, token: string, password: string, cost: number): Promise<void> {
  const [reset] = await db.select().from(passwordResets).where(eq(passwordResets.tokenHash, hashSecret(token)));
  if (!reset) throw new ApiError('RESET_TOKEN_INVALID');
  if (reset.usedAt) throw new ApiError('RESET_TOKEN_USED');
  if (reset.expiresAt.getTime() <= Date.now()) throw new ApiError('RESET_TOKEN_EXPIRED');
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
    if (used.length === 0) throw new ApiError('RESET_TOKEN_USED');
    await tx
      .update(users)
      .set({ passwordHash: hash, passwordChangedAt: new Date(), mustChangePassword: false, failedLogins: 0, updatedAt: new Date() })
      .where(eq(users.id, reset.userId));
  });
  await revokeUserSessions(db, reset.userId);
  await audit(db, reset.userId, 'password.reset', `user:${reset.userId}`);
}

export function weakPassword(field: string, problems: string[]): ApiError {
  return new ApiError('WEAK_PASSWORD', `${field}: ${problems.join('; ')}`, { fields: problems.map((message) => ({ field, message })) });
}
