// Staff → Agents, with XCALLY's fields: typology, auto-generated unique internal extension,
// per-channel capacity and auto-answer, hot-desking, masked sensitive data. A supervisor only sees
// and changes agents of their scope (server/staff/scope.ts).
import { z } from 'zod';
import { and, asc, desc, eq, ilike, inArray, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { transaction, type Db } from '../db/database.ts';
import { agents, queueAgents, teamMembers, users, type AgentTypology } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import { uniqueViolation } from '../db/errors.ts';
import type { Settings } from '../settings/settings.ts';
import type { Principal } from '../auth/permissions.ts';
import { agentScope, queueScope, teamScope } from './scope.ts';
import { DomainError, notFound } from '../errors.ts';
import { HOTDESK_NEEDS_EXTERNAL, type AgentSort, type agentCreateSchema, type agentListQuery, type agentUpdateSchema } from '../../contracts/staff.ts';
import { acceptablePasswordHash, accountView, setLocked, withLockouts, type AccountView } from './accounts.ts';
import { hashPassword } from '../auth/passwords.ts';
import { rethrowConflict } from './conflicts.ts';
import { assertUnchanged, staleEdit, unchangedSince } from '../db/row-version.ts';
import { escapeLike } from './users.ts';

export type AgentView = AccountView & {
  hasPhonePin: boolean;
  alias: string | null;
  typology: AgentTypology;
  extension: string;
  voicemail: boolean;
  loginInPause: boolean;
  capacity: Record<string, number>;
  autoAnswer: Record<string, { enabled: boolean; delaySeconds: number }>;
  hotdesk: boolean;
  maskSensitiveData: boolean;
  chanspy: boolean;
};

type Row = { user: typeof users.$inferSelect; agent: typeof agents.$inferSelect };

function agentView({ user, agent }: Row): AgentView {
  const { permissions: _p, ...account } = accountView(user);
  return {
    ...account,
    permissions: {},
    alias: agent.alias,
    typology: agent.typology,
    extension: agent.extension,
    voicemail: agent.voicemail,
    loginInPause: agent.loginInPause,
    capacity: agent.capacity as Record<string, number>,
    autoAnswer: agent.autoAnswer as AgentView['autoAnswer'],
    hotdesk: agent.hotdesk,
    maskSensitiveData: agent.maskSensitiveData,
    chanspy: agent.chanspy,
    hasPhonePin: agent.phonePinHash !== null,
  };
}

async function findAgent(db: Db, id: number): Promise<Row | undefined> {
  const [row] = await db.select({ user: users, agent: agents }).from(users).innerJoin(agents, eq(agents.userId, users.id)).where(eq(users.id, id));
  return row;
}

/** The agent's rows, when the principal may act on them; the same 404 for an unknown id and an out-of-scope one. */
async function loadAgentInScope(db: Db, principal: Principal, id: number): Promise<Row> {
  const [row] = await db
    .select({ user: users, agent: agents })
    .from(users)
    .innerJoin(agents, eq(agents.userId, users.id))
    .where(and(eq(users.id, id), agentScope(principal)));
  if (!row) throw notFound('agent', id);
  return row;
}

export type AgentFilter = Omit<z.output<typeof agentListQuery>, 'limit' | 'offset'>;

/** The agents list's WHERE: the principal's scope, the search and the filters. */
function agentFilter(principal: Principal, q: AgentFilter): SQL | undefined {
  const like = q.q ? `%${escapeLike(q.q)}%` : undefined;
  return and(
    agentScope(principal),
    like ? or(ilike(users.username, like), ilike(users.fullName, like), ilike(agents.extension, like), ilike(agents.alias, like)) : undefined,
    q.typology ? eq(agents.typology, q.typology) : undefined,
    q.enabled === undefined ? undefined : eq(users.disabled, !q.enabled),
    // A team or queue outside the scope filters to nothing, as an unknown one does.
    q.teamId ? and(sql`exists (select 1 from ${teamMembers} tm where tm.user_id = ${users.id} and tm.team_id = ${q.teamId})`, teamScope(principal, sql`${q.teamId}`)) : undefined,
    q.queueId ? and(sql`exists (select 1 from ${queueAgents} qa where qa.user_id = ${users.id} and qa.queue_id = ${q.queueId})`, queueScope(principal, sql`${q.queueId}`)) : undefined,
  );
}

// username as its unique index holds it (case-insensitively), so that index serves the order.
const SORT_COLUMN: Record<AgentSort, AnyColumn | SQL> = {
  id: users.id,
  fullName: users.fullName,
  username: sql`lower(${users.username})`,
  extension: agents.extension,
  typology: agents.typology,
  createdAt: users.createdAt,
};

/** ORDER BY the whitelisted column, ties broken by id so that pages never overlap. */
function agentOrder(q: Pick<AgentFilter, 'sort' | 'order'>): SQL[] {
  const dir = q.order === 'desc' ? desc : asc;
  return q.sort === 'id' ? [dir(users.id)] : [dir(SORT_COLUMN[q.sort]), dir(users.id)];
}

/** One page of the agents matching the search and filters, and how many match in all. */
export async function listAgents(db: Db, principal: Principal, q: z.output<typeof agentListQuery>): Promise<{ agents: AgentView[]; total: number }> {
  const where = agentFilter(principal, q);
  const [rows, [count]] = await Promise.all([
    db
      .select({ user: users, agent: agents })
      .from(users)
      .innerJoin(agents, eq(agents.userId, users.id))
      .where(where)
      .orderBy(...agentOrder(q))
      .limit(q.limit)
      .offset(q.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(users).innerJoin(agents, eq(agents.userId, users.id)).where(where),
  ]);
  return { agents: await withLockouts(db, rows.map(agentView)), total: count?.n ?? 0 };
}

/** Every agent matching the search and filters, in the list's order (the CSV export). */
export async function exportAgents(db: Db, principal: Principal, q: AgentFilter): Promise<AgentView[]> {
  const rows = await db
    .select({ user: users, agent: agents })
    .from(users)
    .innerJoin(agents, eq(agents.userId, users.id))
    .where(agentFilter(principal, q))
    .orderBy(...agentOrder(q));
  return withLockouts(db, rows.map(agentView));
}

export async function getAgent(db: Db, principal: Principal, id: number): Promise<AgentView> {
  const [view] = await withLockouts(db, [agentView(await loadAgentInScope(db, principal, id))]);
  return view!;
}

export async function getAgentsByIds(db: Db, principal: Principal, ids: number[] | undefined): Promise<AgentView[]> {
  const rows = await db
    .select({ user: users, agent: agents })
    .from(users)
    .innerJoin(agents, eq(agents.userId, users.id))
    .where(and(agentScope(principal), ids ? inArray(users.id, ids.length ? ids : [-1]) : undefined))
    .orderBy(asc(users.id));
  return withLockouts(db, rows.map(agentView));
}

/**
 * The next free numeric extension from 1000 on. Called inside the creating transaction after taking
 * an advisory lock, so that agents created at the same moment (on any node) do not compute the same one.
 */
async function nextExtension(db: Db): Promise<string> {
  await db.execute(sql`select pg_advisory_xact_lock(7412002)`);
  const [row] = await db
    .select({ next: sql<number>`coalesce(max(${agents.extension}::bigint), 999) + 1` })
    .from(agents)
    .where(sql`${agents.extension} ~ '^[0-9]{1,10}$'`);
  return String(Math.max(1000, Number(row?.next ?? 1000)));
}

export async function createAgent(db: Db, settings: Settings, cost: number, input: z.output<typeof agentCreateSchema>, actorId: number): Promise<AgentView> {
  const passwordHash = await acceptablePasswordHash(settings, cost, input.password);
  for (let attempt = 0; ; attempt++) {
    let extension = input.extension ?? '';
    try {
      const id = await transaction(db, async (tx) => {
        if (input.extension === undefined) extension = await nextExtension(tx);
        const [user] = await tx
          .insert(users)
          .values({
            role: 'agent',
            username: input.username,
            fullName: input.fullName,
            email: input.email ?? null,
            description: input.description ?? null,
            passwordHash,
            passwordChangedAt: new Date(),
            disabled: input.disabled,
          })
          .returning({ id: users.id });
        await tx.insert(agents).values({
          userId: user!.id,
          alias: input.alias ?? null,
          typology: input.typology,
          extension,
          voicemail: input.voicemail,
          loginInPause: input.loginInPause,
          capacity: input.capacity,
          autoAnswer: input.autoAnswer as AgentView['autoAnswer'],
          hotdesk: input.hotdesk,
          maskSensitiveData: input.maskSensitiveData,
          chanspy: input.chanspy,
          phonePinHash: input.pin === undefined ? null : await hashPassword(input.pin, cost),
        });
        return user!.id;
      });
      await audit(db, actorId, 'agent.created', `user:${id}`, { username: input.username, extension });
      const row = await findAgent(db, id);
      return agentView(row!);
    } catch (err) {
      // Belt and braces: an extension typed by hand meanwhile can still collide with the computed one.
      if (input.extension === undefined && uniqueViolation(err) === 'agents_extension_key' && attempt < 5) continue;
      rethrowConflict(err);
    }
  }
}

export async function updateAgent(db: Db, principal: Principal, id: number, patch: z.output<typeof agentUpdateSchema>, pinCost = 15, expected?: Date): Promise<AgentView> {
  const current = await loadAgentInScope(db, principal, id);
  // An agent's version is its account's: every change of the agent row bumps users.updated_at.
  assertUnchanged('agent', id, current.user.updatedAt, expected);
  const typology = patch.typology ?? current.agent.typology;
  const hotdesk = patch.hotdesk ?? current.agent.hotdesk;
  if (hotdesk && typology !== 'external') {
    throw new DomainError('validation', `hotdesk: ${HOTDESK_NEEDS_EXTERNAL}`, {
      fields: [{ field: 'hotdesk', message: HOTDESK_NEEDS_EXTERNAL }],
    });
  }
  const userPatch = pick(patch, ['fullName', 'email', 'description', 'disabled']);
  const agentPatch: Partial<typeof agents.$inferInsert> = pick(patch, ['alias', 'typology', 'extension', 'voicemail', 'loginInPause', 'capacity', 'autoAnswer', 'hotdesk', 'maskSensitiveData', 'chanspy']);
  if (patch.pin !== undefined) agentPatch.phonePinHash = patch.pin === null ? null : await hashPassword(patch.pin, pinCost);
  try {
    await transaction(db, async (tx) => {
      const updated = await tx
        .update(users)
        .set({ ...userPatch, updatedAt: new Date() })
        .where(and(eq(users.id, id), unchangedSince(users.updatedAt, expected)))
        .returning({ id: users.id });
      if (!updated.length) throw staleEdit('agent', id);
      if (Object.keys(agentPatch).length) await tx.update(agents).set(agentPatch).where(eq(agents.userId, id));
    });
  } catch (err) {
    rethrowConflict(err);
  }
  // After the fields: locking changes the version the update above was checked against.
  // locked: false always lifts the locks failed logins put on single sources, which the row does not show.
  if (patch.locked === false || (patch.locked === true && !current.user.locked)) await setLocked(db, id, patch.locked, principal.userId);
  const changed = [...Object.keys(userPatch), ...Object.keys(agentPatch)];
  if (changed.length) await audit(db, principal.userId, 'agent.updated', `user:${id}`, { fields: changed });
  return getAgent(db, principal, id);
}

export async function deleteAgent(db: Db, principal: Principal, id: number): Promise<void> {
  const current = await loadAgentInScope(db, principal, id);
  await db.delete(users).where(eq(users.id, id));
  await audit(db, principal.userId, 'agent.deleted', `user:${id}`, { username: current.user.username });
}

function pick<T extends object, K extends keyof T>(obj: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}
