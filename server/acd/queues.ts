// Queues per channel and their agents (with penalty). The queue engine adds routing settings
// (strategy, timeouts, wrap-up…) on top of these rows; the foundation needs the rows already for
// a supervisor's scope (server/staff/scope.ts): they act on their own queues only, and add to them
// only agents and teams already in their scope.
import { z } from 'zod';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { queueAgents, queues, queueTeams, type Channel } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import type { Principal } from '../auth/permissions.ts';
import { notFound } from '../errors.ts';
import { agentInScope, queueInScope, queueScope, teamInScope, type QueueRow } from '../staff/scope.ts';
import { rethrowConflict } from '../staff/conflicts.ts';
import { assertUnchanged, staleEdit, unchangedSince } from '../db/row-version.ts';
import { optionalQueueSettings, type queueAgentSchema, type queueCreateSchema, type queueTeamSchema, type queueUpdateSchema } from '../../contracts/queues.ts';

export type { QueueRow };

export async function listQueues(db: Db, principal: Principal, channel?: Channel): Promise<QueueRow[]> {
  return db
    .select()
    .from(queues)
    .where(and(queueScope(principal), channel ? eq(queues.channel, channel) : undefined))
    .orderBy(asc(queues.id));
}

export async function createQueue(db: Db, input: z.output<typeof queueCreateSchema>, actorId: number): Promise<QueueRow> {
  try {
    const settings = Object.fromEntries(Object.entries(input).filter(([k, v]) => k in optionalQueueSettings && v !== undefined));
    const [row] = await db
      .insert(queues)
      .values({ ...settings, name: input.name, channel: input.channel, description: input.description ?? null })
      .returning();
    await audit(db, actorId, 'queue.created', `queue:${row!.id}`, { name: input.name, channel: input.channel });
    return row!;
  } catch (err) {
    rethrowConflict(err);
  }
}

export async function updateQueue(db: Db, principal: Principal, id: number, patch: z.output<typeof queueUpdateSchema>, expected?: Date): Promise<QueueRow> {
  const current = await queueInScope(db, principal, id);
  assertUnchanged('queue', id, current.updatedAt, expected);
  const values = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  try {
    const [row] = await db
      .update(queues)
      .set({ ...values, updatedAt: sql`now()` })
      .where(and(eq(queues.id, id), unchangedSince(queues.updatedAt, expected)))
      .returning();
    if (!row) throw staleEdit('queue', id);
    await audit(db, principal.userId, 'queue.updated', `queue:${id}`, { fields: Object.keys(values) });
    return row!;
  } catch (err) {
    rethrowConflict(err);
  }
}

export async function deleteQueue(db: Db, principal: Principal, id: number): Promise<void> {
  await queueInScope(db, principal, id);
  await db.delete(queues).where(eq(queues.id, id));
  await audit(db, principal.userId, 'queue.deleted', `queue:${id}`);
}

export async function listQueueAgents(db: Db, principal: Principal, id: number): Promise<{ agentId: number; penalty: number }[]> {
  await queueInScope(db, principal, id);
  const rows = await db.select().from(queueAgents).where(eq(queueAgents.queueId, id)).orderBy(asc(queueAgents.userId));
  return rows.map((r) => ({ agentId: r.userId, penalty: r.penalty }));
}

/**
 * Adds (or re-weights) an agent on a queue. A supervisor may do so on their own queues, for agents
 * already in their scope (directly or through a team): never one of another supervisor's, nor one
 * in no queue at all — that would widen their scope. Checked before the change; an agent out of
 * scope answers the same 404 as an unknown one.
 */
export async function putQueueAgent(db: Db, principal: Principal, id: number, input: z.output<typeof queueAgentSchema>): Promise<{ agentId: number; penalty: number }> {
  await queueInScope(db, principal, id);
  await agentInScope(db, principal, input.agentId);
  await db
    .insert(queueAgents)
    .values({ queueId: id, userId: input.agentId, penalty: input.penalty })
    .onConflictDoUpdate({ target: [queueAgents.queueId, queueAgents.userId], set: { penalty: input.penalty } });
  await audit(db, principal.userId, 'queue.agent-added', `queue:${id}`, { agentId: input.agentId, penalty: input.penalty });
  return { agentId: input.agentId, penalty: input.penalty };
}

export async function removeQueueAgent(db: Db, principal: Principal, id: number, agentId: number): Promise<void> {
  await queueInScope(db, principal, id);
  const deleted = await db
    .delete(queueAgents)
    .where(and(eq(queueAgents.queueId, id), eq(queueAgents.userId, agentId)))
    .returning({ id: queueAgents.userId });
  if (!deleted.length) throw notFound('agent on this queue', agentId);
  await audit(db, principal.userId, 'queue.agent-removed', `queue:${id}`, { agentId });
}

/** The queues the agent serves directly, as far as the principal's scope goes (a supervisor does not learn of others' queues). */
export async function agentQueues(db: Db, principal: Principal, agentId: number): Promise<{ queueId: number; penalty: number }[]> {
  const rows = await db
    .select()
    .from(queueAgents)
    .where(and(eq(queueAgents.userId, agentId), queueScope(principal, queueAgents.queueId)))
    .orderBy(asc(queueAgents.queueId));
  return rows.map((r) => ({ queueId: r.queueId, penalty: r.penalty }));
}

export async function listQueueTeams(db: Db, principal: Principal, id: number): Promise<{ teamId: number; penalty: number }[]> {
  await queueInScope(db, principal, id);
  const rows = await db.select().from(queueTeams).where(eq(queueTeams.queueId, id)).orderBy(asc(queueTeams.teamId));
  return rows.map((r) => ({ teamId: r.teamId, penalty: r.penalty }));
}

/**
 * Adds (or re-weights) a team on a queue: all its agents serve the queue with the team's penalty. A
 * supervisor may attach only a team wholly inside their scope (its agents are theirs already, and it
 * serves no one else's queue), checked before the change; any other answers 404 as an unknown one.
 */
export async function putQueueTeam(db: Db, principal: Principal, id: number, input: z.output<typeof queueTeamSchema>): Promise<{ teamId: number; penalty: number }> {
  await queueInScope(db, principal, id);
  await teamInScope(db, principal, input.teamId);
  await db
    .insert(queueTeams)
    .values({ queueId: id, teamId: input.teamId, penalty: input.penalty })
    .onConflictDoUpdate({ target: [queueTeams.queueId, queueTeams.teamId], set: { penalty: input.penalty } });
  await audit(db, principal.userId, 'queue.team-added', `queue:${id}`, { teamId: input.teamId, penalty: input.penalty });
  return { teamId: input.teamId, penalty: input.penalty };
}

/** Detaches a team from a queue of the principal's (that only narrows their own queue: the team need not be theirs). */
export async function removeQueueTeam(db: Db, principal: Principal, id: number, teamId: number): Promise<void> {
  await queueInScope(db, principal, id);
  const deleted = await db
    .delete(queueTeams)
    .where(and(eq(queueTeams.queueId, id), eq(queueTeams.teamId, teamId)))
    .returning({ id: queueTeams.teamId });
  if (!deleted.length) throw notFound('team on this queue', teamId);
  await audit(db, principal.userId, 'queue.team-removed', `queue:${id}`, { teamId });
}
