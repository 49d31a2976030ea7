// Who reaches which chat records. Admins and service users reach everything; a supervisor reaches the
// chats of the queues they are enabled on and the websites whose queue is one of those (a website
// without a queue belongs to no supervisor); an agent reaches the chats of the queues they serve
// (directly or through a team) and any chat they handled, and the websites of those queues. Callers
// answer 404 for what is out of scope, exactly as for what does not exist.
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { chatWebsites, interactions } from '../../db/schema.ts';
import { isScopedToQueues, type Principal } from '../../auth/permissions.ts';
import { getSupervisorQueues } from '../../staff/users.ts';

export interface ChatScope {
  /** Unscoped: admins and service users. */
  all: boolean;
  userId: number;
  /** An agent also reaches the interactions they handled, whatever their queue. */
  agent: boolean;
  queueIds: ReadonlySet<number>;
}

/** Queues the agent serves, directly or through a team (the membership the queue engine routes by). */
export const queuesOfAgent = (agentId: number) => sql`(
  select qa.queue_id from queue_agents qa where qa.user_id = ${agentId}
  union
  select qt.queue_id from queue_teams qt join team_members tm on tm.team_id = qt.team_id where tm.user_id = ${agentId})`;

async function agentQueueIds(db: Db, agentId: number): Promise<number[]> {
  const result = await db.execute<{ queue_id: string | number }>(sql`select queue_id from ${queuesOfAgent(agentId)} q`);
  return (result as unknown as { rows: { queue_id: string | number }[] }).rows.map((r) => Number(r.queue_id));
}

export async function chatScopeOf(db: Db, principal: Pick<Principal, 'role' | 'userId'>): Promise<ChatScope> {
  const base = { userId: principal.userId, agent: principal.role === 'agent' };
  if (principal.role === 'agent') return { ...base, all: false, queueIds: new Set(await agentQueueIds(db, principal.userId)) };
  if (isScopedToQueues(principal)) return { ...base, all: false, queueIds: new Set(await getSupervisorQueues(db, principal.userId)) };
  return { ...base, all: true, queueIds: new Set() };
}

export const seesQueue = (s: ChatScope, queueId: number | null): boolean => s.all || (queueId !== null && s.queueIds.has(queueId));

export const seesInteraction = (s: ChatScope, row: { queueId: number | null; agentId: number | null }): boolean =>
  seesQueue(s, row.queueId) || (s.agent && row.agentId === s.userId);

export const seesWebsite = (s: ChatScope, website: { queueId: number | null }): boolean => seesQueue(s, website.queueId);

/** SQL condition on `interactions` for lists; undefined when unscoped. */
export function interactionCondition(s: ChatScope): SQL | undefined {
  if (s.all) return undefined;
  const inQueues = s.queueIds.size > 0 ? inArray(interactions.queueId, [...s.queueIds]) : sql`false`;
  return s.agent ? or(inQueues, eq(interactions.agentId, s.userId)) : inQueues;
}

/** SQL condition on `chat_websites` for lists; undefined when unscoped. */
export function websiteCondition(s: ChatScope): SQL | undefined {
  if (s.all) return undefined;
  return s.queueIds.size > 0 ? inArray(chatWebsites.queueId, [...s.queueIds]) : sql`false`;
}

/** Whether the agent has (or had) a chat of this website: they need its canned answers and dispositions. */
export async function agentHandlesWebsite(db: Db, agentId: number, websiteId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: interactions.id })
    .from(interactions)
    .where(and(eq(interactions.accountId, websiteId), eq(interactions.agentId, agentId), eq(interactions.channel, 'chat')))
    .limit(1);
  return row !== undefined;
}
