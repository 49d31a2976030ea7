// Pending interactions: chats that ended without an agent and left a message through the offline
// form. They are work, not history: an agent of the interaction's queue takes one (claim), or a
// supervisor gives it to an agent (assign); then it is that agent's like an accepted chat — tags,
// notes in the journey, close with a disposition. The claim is one guarded UPDATE, so two agents
// clicking at once cannot both get it.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { agents, interactions } from '../../db/schema.ts';
import { ApiError, notFound } from '../../http/errors.ts';
import type { InteractionRow } from './store.ts';

/** Queues the agent serves, directly or through a team (the same membership the queue engine routes by). */
const queuesOfAgent = (agentId: number) => sql`(
  select qa.queue_id from queue_agents qa where qa.user_id = ${agentId}
  union
  select qt.queue_id from queue_teams qt join team_members tm on tm.team_id = qt.team_id where tm.user_id = ${agentId})`;

/** Unclaimed pending interactions of the agent's queues, newest first. */
export async function pendingForAgent(db: Db, agentId: number, limit = 200): Promise<InteractionRow[]> {
  return db
    .select()
    .from(interactions)
    .where(and(eq(interactions.status, 'pending'), isNull(interactions.agentId), sql`${interactions.queueId} in ${queuesOfAgent(agentId)}`))
    .orderBy(desc(interactions.id))
    .limit(limit);
}

async function servesQueue(db: Db, agentId: number, queueId: number | null): Promise<boolean> {
  if (queueId === null) return false;
  const result = await db.execute<{ ok: number }>(sql`select 1 as ok where ${queueId} in ${queuesOfAgent(agentId)}`);
  return (result as unknown as { rows: unknown[] }).rows.length > 0;
}

/**
 * Gives a pending interaction to `agentId`. `byAgentItself`: an agent claiming for themself must serve
 * the interaction's queue (otherwise it is not found, as for anything outside their reach); a
 * supervisor may assign it to any agent.
 */
export async function claimPending(db: Db, interactionId: number, agentId: number, byAgentItself: boolean): Promise<InteractionRow> {
  const [current] = await db.select().from(interactions).where(eq(interactions.id, interactionId));
  if (!current) throw notFound('interaction', interactionId);
  if (byAgentItself && !(await servesQueue(db, agentId, current.queueId))) throw notFound('interaction', interactionId);
  if (!byAgentItself) {
    const [agent] = await db.select({ id: agents.userId }).from(agents).where(eq(agents.userId, agentId));
    if (!agent) throw new ApiError('VALIDATION_FAILED', `Invalid request body: agentId: no agent ${agentId}`, { fields: [{ field: 'agentId', message: `no agent ${agentId}` }] });
  }
  const [claimed] = await db
    .update(interactions)
    .set({ agentId, updatedAt: new Date() })
    .where(and(eq(interactions.id, interactionId), eq(interactions.status, 'pending'), isNull(interactions.agentId)))
    .returning();
  if (claimed) return claimed;
  const why = current.status !== 'pending' ? `is ${current.status}, not pending` : 'was taken by another agent';
  throw new ApiError('CONFLICT', `Interaction ${interactionId} ${why}`, { fields: [{ field: 'id', message: why }] });
}
