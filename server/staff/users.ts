// Staff → Users: administrators, supervisors (per-module permissions, enabled on queues) and service
// users (integrations and workforce tools, which authenticate with API keys only).
import { z } from 'zod';
import { and, asc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { queueSupervisors, queues, users } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import type { Settings } from '../settings/settings.ts';
import { DomainError, notFound } from '../errors.ts';
import { USER_ROLES, type userCreateSchema, type userUpdateSchema } from '../../contracts/staff.ts';
import { acceptablePasswordHash, accountView, assertNotLastAdmin, findAccount, setLocked, withLockouts, type AccountView } from './accounts.ts';
import { rethrowConflict } from './conflicts.ts';
import { assertUnchanged, staleEdit, unchangedSince } from '../db/row-version.ts';

export { USER_ROLES };

export const userListQuery = z.object({
  role: z.enum(USER_ROLES).optional(),
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export async function createUser(db: Db, settings: Settings, cost: number, input: z.output<typeof userCreateSchema>, actorId: number | null): Promise<AccountView> {
  const passwordHash = input.password === undefined ? null : await acceptablePasswordHash(settings, cost, input.password);
  try {
    const [row] = await db
      .insert(users)
      .values({
        role: input.role,
        username: input.username,
        fullName: input.fullName,
        email: input.email ?? null,
        description: input.description ?? null,
        passwordHash,
        passwordChangedAt: passwordHash ? new Date() : null,
        mustChangePassword: input.mustChangePassword,
        permissions: input.role === 'admin' ? {} : input.permissions,
        disabled: input.disabled,
      })
      .returning();
    await audit(db, actorId, 'user.created', `user:${row!.id}`, { role: input.role, username: input.username });
    return accountView(row!);
  } catch (err) {
    rethrowConflict(err);
  }
}

export async function listUsers(db: Db, q: z.output<typeof userListQuery>): Promise<AccountView[]> {
  const where = and(
    q.role ? eq(users.role, q.role) : inArray(users.role, [...USER_ROLES]),
    q.q ? or(ilike(users.username, `%${escapeLike(q.q)}%`), ilike(users.fullName, `%${escapeLike(q.q)}%`)) : undefined,
  );
  const rows = await db.select().from(users).where(where).orderBy(asc(users.id)).limit(q.limit).offset(q.offset);
  return withLockouts(db, rows.map((u) => accountView(u)));
}

export async function getUser(db: Db, id: number): Promise<AccountView> {
  const u = await findAccount(db, id, USER_ROLES);
  if (!u) throw notFound('user', id);
  const [view] = await withLockouts(db, [accountView(u)]);
  return view!;
}

export async function updateUser(db: Db, id: number, patch: z.output<typeof userUpdateSchema>, actorId: number, expected?: Date): Promise<AccountView> {
  const current = await findAccount(db, id, USER_ROLES);
  if (!current) throw notFound('user', id);
  assertUnchanged('user', id, current.updatedAt, expected);
  if (patch.role !== undefined && current.role === 'service') {
    throw new DomainError('validation', 'role: a service user cannot become an interactive user', { fields: [{ field: 'role', message: 'cannot change the role of a service user' }] });
  }
  const demotes = current.role === 'admin' && ((patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true);
  if (demotes) await assertNotLastAdmin(db, id);
  const { locked: _locked, ...rest } = patch;
  const values = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  if (Object.keys(values).length > 0) {
    const updated = await db
      .update(users)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(users.id, id), unchangedSince(users.updatedAt, expected)))
      .returning({ id: users.id });
    if (!updated.length) throw staleEdit('user', id);
    await audit(db, actorId, 'user.updated', `user:${id}`, { fields: Object.keys(values) });
  }
  // After the fields: locking changes the version the update above was checked against.
  // locked: false always lifts the locks failed logins put on single sources, which the row does not show.
  if (patch.locked === false || (patch.locked === true && !current.locked)) await setLocked(db, id, patch.locked, actorId);
  return getUser(db, id);
}

export async function deleteUser(db: Db, id: number, actorId: number): Promise<void> {
  const current = await findAccount(db, id, USER_ROLES);
  if (!current) throw notFound('user', id);
  if (id === actorId) throw new DomainError('conflict', 'You cannot delete your own account', { fields: [{ field: 'id', message: 'is your own account' }] });
  if (current.role === 'admin') await assertNotLastAdmin(db, id);
  await db.delete(users).where(eq(users.id, id));
  await audit(db, actorId, 'user.deleted', `user:${id}`, { username: current.username });
}

export async function getSupervisorQueues(db: Db, userId: number): Promise<number[]> {
  const rows = await db.select({ id: queueSupervisors.queueId }).from(queueSupervisors).where(eq(queueSupervisors.userId, userId)).orderBy(asc(queueSupervisors.queueId));
  return rows.map((r) => r.id);
}

/** Replaces the queues a supervisor is enabled on (their scope over agents). */
export async function setSupervisorQueues(db: Db, userId: number, queueIds: number[], actorId: number): Promise<number[]> {
  const user = await findAccount(db, userId, ['supervisor']);
  if (!user) throw notFound('supervisor', userId);
  const unique = [...new Set(queueIds)];
  if (unique.length) {
    const found = await db.select({ id: queues.id }).from(queues).where(inArray(queues.id, unique));
    const missing = unique.filter((q) => !found.some((f) => f.id === q));
    if (missing.length) throw notFound('queue', missing.join(', '));
  }
  await db.transaction(async (tx) => {
    await tx.delete(queueSupervisors).where(eq(queueSupervisors.userId, userId));
    if (unique.length) await tx.insert(queueSupervisors).values(unique.map((queueId) => ({ queueId, userId })));
  });
  await audit(db, actorId, 'supervisor.queues', `user:${userId}`, { queueIds: unique });
  return getSupervisorQueues(db, userId);
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

export const countUsers = async (db: Db): Promise<number> => {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
};
