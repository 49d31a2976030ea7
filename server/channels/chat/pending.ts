// Pending interactions: chats that ended without an agent and left a message through the offline
// form. They are work, not history: an agent of the interaction's queue takes one (claim), or a
// supervisor gives it to an agent (assign); then it is that agent's like an accepted chat — tags,
// notes in the journey, close with a disposition. The claim is one guarded UPDATE, so two agents
// clicking at once cannot both get it.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { agents, interactions } from '../../db/schema.ts';
import { DomainError, notFound } from '../../errors.ts';
import type { InteractionRow } from './store.ts';
import { queuesOfAgent } from './scope.ts';

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
 * Gives a pending interaction to `agentId`, who must serve the interaction's queue (directly or through
 * a team). `by: 'agent'`: an agent claiming for themself; the interaction of a queue they do not serve
 * is not found, as anything outside their reach. `by: 'supervisor'`: the caller has checked that the
 * interaction is in their scope; an agent who does not serve its queue is a wrong `agentId`.
 */
export async function claimPending(db: Db, interactionId: number, agentId: number, by: 'agent' | 'supervisor'): Promise<InteractionRow> {
  const [current] = await db.select().from(interactions).where(eq(interactions.id, interactionId));
  if (!current) throw notFound('interaction', interactionId);
  if (by === 'agent' && !(await servesQueue(db, agentId, current.queueId))) throw notFound('interaction', interactionId);
  if (by === 'supervisor') {
    const [agent] = await db.select({ id: agents.userId }).from(agents).where(eq(agents.userId, agentId));
    if (!agent) throw new DomainError('validation', `Invalid request body: agentId: no agent ${agentId}`, { fields: [{ field: 'agentId', message: `no agent ${agentId}` }] });
    if (!(await servesQueue(db, agentId, current.queueId))) {
      const message = `agent ${agentId} does not serve the queue of interaction ${interactionId}`;
      throw new DomainError('validation', `Invalid request body: agentId: ${message}`, { fields: [{ field: 'agentId', message }] });
    }
  }
  const [claimed] = await db
    .update(interactions)
    .set({ agentId, updatedAt: new Date() })
    .where(and(eq(interactions.id, interactionId), eq(interactions.status, 'pending'), isNull(interactions.agentId)))
    .returning();
  if (claimed) return claimed;
  const why = current.status !== 'pending' ? `is ${current.status}, not pending` : 'was taken by another agent';
  throw new DomainError('conflict', `Interaction ${interactionId} ${why}`, { fields: [{ field: 'id', message: why }] });
}
