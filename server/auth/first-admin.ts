// The first administrator. Never a fixed default password: either TANDEM_ADMIN_PASSWORD sets it, or a
// one-time password is generated, printed once, and must be changed at first login. If Tandem restarts
// before anyone used it, a new one replaces it (the old one is never shown again).
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { users } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import { generatePassword, hashPassword, passwordProblems } from './passwords.ts';

export type FirstAdmin =
  | { kind: 'existing' }
  | { kind: 'from-env'; username: string }
  | { kind: 'one-time'; username: string; password: string };

export async function ensureFirstAdmin(db: Db, username: string, envPassword: string | undefined, cost: number): Promise<FirstAdmin> {
  const admins = await db.select().from(users).where(eq(users.role, 'admin'));
  if (admins.length === 0) {
    if (envPassword !== undefined) {
      const problems = passwordProblems(envPassword, true);
      if (problems.length) throw new Error(`TANDEM_ADMIN_PASSWORD: ${problems.join('; ')}`);
      await db.insert(users).values({ role: 'admin', username, fullName: 'Administrator', passwordHash: await hashPassword(envPassword, cost), passwordChangedAt: new Date() });
      await audit(db, null, 'admin.bootstrap', `user:${username}`, { source: 'env' });
      return { kind: 'from-env', username };
    }
    const password = generatePassword();
    await db.insert(users).values({ role: 'admin', username, fullName: 'Administrator', passwordHash: await hashPassword(password, cost), mustChangePassword: true });
    await audit(db, null, 'admin.bootstrap', `user:${username}`, { source: 'one-time password' });
    return { kind: 'one-time', username, password };
  }
  // The bootstrap admin never logged in: its one-time password was only on a console that may be gone.
  const [unused] = await db
    .select()
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.mustChangePassword, true), isNull(users.lastLoginAt)));
  if (unused && admins.length === 1 && envPassword === undefined) {
    const password = generatePassword();
    await db.update(users).set({ passwordHash: await hashPassword(password, cost) }).where(eq(users.id, unused.id));
    return { kind: 'one-time', username: unused.username, password };
  }
  return { kind: 'existing' };
}
