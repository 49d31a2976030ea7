// A supervisor's scope, in one place. Admins and service users are unscoped (their module
// permissions alone decide); a supervisor reaches:
//
// - queues: the ones an administrator enabled them on (queue_supervisors);
// - agents: the members of those queues, directly (queue_agents) or through a team the queue
//   serves (queue_teams → team_members). An agent in no queue at all is in nobody's scope;
// - teams: only those lying wholly inside the scope — every member is an agent of the scope and
//   every queue the team serves is one of the supervisor's (so an empty team on no queue is in
//   every supervisor's scope). A team shared with another supervisor's queue, or holding someone
//   else's agent, is an administrator's to change: a supervisor neither sees it nor edits it,
//   attaches it to a queue, renames it, re-members it or deletes it.
//
// Every action is checked against the scope as it is BEFORE the change, so no action can widen it:
// adding an agent or a team to a queue, or agents to a team, needs them in the scope already.
// Anything outside the scope answers exactly as an unknown id does (404, same code and message),
// so that ids cannot be probed. Refusals for a missing module permission stay 403.
import { and, eq, inArray, sql, type AnyColumn, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { agents, calls, queues, teams, users } from '../db/schema.ts';
import { isScopedToQueues, type Principal } from '../auth/permissions.ts';
import { notFound } from '../errors.ts';

type Column = SQLWrapper | AnyColumn;
type Scoped = Pick<Principal, 'role' | 'userId'>;

// Each condition uses its own table aliases, so that they nest (the team condition embeds the
// agent and queue ones) without a subquery's alias shadowing the column it is given.

/** SQL condition: the queue (by default `queues.id`) is one the principal is enabled on; undefined when unscoped. */
export function queueScope(principal: Scoped, queueIdColumn: Column = queues.id): SQL | undefined {
  if (!isScopedToQueues(principal)) return undefined;
  return sql`exists (select 1 from queue_supervisors scope_q_qs where scope_q_qs.queue_id = ${queueIdColumn} and scope_q_qs.user_id = ${principal.userId})`;
}

/** SQL condition: the agent (by default `users.id`) serves one of the principal's queues, directly or through a team; undefined when unscoped. */
export function agentScope(principal: Scoped, agentIdColumn: Column = users.id): SQL | undefined {
  if (!isScopedToQueues(principal)) return undefined;
  return sql`(exists (select 1 from queue_agents scope_a_qa join queue_supervisors scope_a_qs on scope_a_qs.queue_id = scope_a_qa.queue_id
                      where scope_a_qa.user_id = ${agentIdColumn} and scope_a_qs.user_id = ${principal.userId})
          or exists (select 1 from queue_teams scope_a_qt join team_members scope_a_tm on scope_a_tm.team_id = scope_a_qt.team_id
                       join queue_supervisors scope_a_qs2 on scope_a_qs2.queue_id = scope_a_qt.queue_id
                      where scope_a_tm.user_id = ${agentIdColumn} and scope_a_qs2.user_id = ${principal.userId}))`;
}

/** SQL condition: the team (by default `teams.id`) lies wholly inside the principal's scope; undefined when unscoped. */
export function teamScope(principal: Scoped, teamIdColumn: Column = teams.id): SQL | undefined {
  if (!isScopedToQueues(principal)) return undefined;
  return sql`(not exists (select 1 from team_members scope_t_tm where scope_t_tm.team_id = ${teamIdColumn}
                          and not ${agentScope(principal, sql.raw('scope_t_tm.user_id'))})
          and not exists (select 1 from queue_teams scope_t_qt where scope_t_qt.team_id = ${teamIdColumn}
                          and not ${queueScope(principal, sql.raw('scope_t_qt.queue_id'))}))`;
}

/**
 * SQL condition: the call record (by default `calls`) is one the principal may read — it passed
 * through a queue they are enabled on (a voice queue entry refers to the call's unique id), or an
 * agent of their scope answered or disposed it; undefined when unscoped. A call that never left the
 * IVR is in no supervisor's scope.
 */
export function callScope(principal: Scoped, columns: { uniqueId: Column; agentId: Column; disposedBy: Column } = calls): SQL | undefined {
  if (!isScopedToQueues(principal)) return undefined;
  return sql`(exists (select 1 from queue_entries scope_c_qe join queue_supervisors scope_c_qs on scope_c_qs.queue_id = scope_c_qe.queue_id
                      where scope_c_qe.channel = 'voice' and scope_c_qe.interaction_ref = ${columns.uniqueId} and scope_c_qs.user_id = ${principal.userId})
          or ${agentScope(principal, columns.agentId)}
          or ${agentScope(principal, columns.disposedBy)})`;
}

// --- loaders: the row when it is in scope, the same 404 as an unknown id otherwise

export type QueueRow = typeof queues.$inferSelect;
export type TeamRow = typeof teams.$inferSelect;

/** The queue when it exists and is in the principal's scope. */
export async function findQueueInScope(db: Db, principal: Scoped, id: number): Promise<QueueRow | undefined> {
  const [row] = await db.select().from(queues).where(and(eq(queues.id, id), queueScope(principal)));
  return row;
}

/** The queue, or 404 `queue <id> not found` — for an unknown id and an out-of-scope one alike. */
export async function queueInScope(db: Db, principal: Scoped, id: number): Promise<QueueRow> {
  const row = await findQueueInScope(db, principal, id);
  if (!row) throw notFound('queue', id);
  return row;
}

/** Whether the id is an agent in the principal's scope (any agent for unscoped principals). */
export async function isAgentInScope(db: Db, principal: Scoped, id: number): Promise<boolean> {
  const [row] = await db
    .select({ id: agents.userId })
    .from(agents)
    .where(and(eq(agents.userId, id), agentScope(principal, agents.userId)));
  return row !== undefined;
}

/** Nothing, or 404 `agent <id> not found` — for an unknown id, a non-agent user and an out-of-scope agent alike. */
export async function agentInScope(db: Db, principal: Scoped, id: number): Promise<void> {
  if (!(await isAgentInScope(db, principal, id))) throw notFound('agent', id);
}

/** Every id must be an agent in scope; otherwise one 404 naming all the others, unknown or out of scope alike. */
export async function agentsInScope(db: Db, principal: Scoped, ids: readonly number[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  const found = await db
    .select({ id: agents.userId })
    .from(agents)
    .where(and(inArray(agents.userId, unique), agentScope(principal, agents.userId)));
  const seen = new Set(found.map((f) => f.id));
  const missing = unique.filter((id) => !seen.has(id));
  if (missing.length) throw notFound('agent', missing.join(', '));
}

/** The team, or 404 `team <id> not found` — for an unknown id and a team not wholly in scope alike. */
export async function teamInScope(db: Db, principal: Scoped, id: number): Promise<TeamRow> {
  const [row] = await db.select().from(teams).where(and(eq(teams.id, id), teamScope(principal)));
  if (!row) throw notFound('team', id);
  return row;
}
