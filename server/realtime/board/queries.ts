// The board's reads, batched: each loader takes the ids that changed (or `'all'` for the first
// load) and answers with one query per table, never one per entity — a flush after 200 events
// costs the same handful of queries as a flush after one.
import { and, desc, eq, gte, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/database.ts';
import {
  agentChannelStates,
  agentSessions,
  agents,
  calls,
  offers,
  pauseReasons,
  queueEntries,
  queueReports,
  queues,
  queueSupervisors,
  spySessions,
  teamMembers,
  teams,
  trunks,
  users,
  type Channel,
  type RouteKind,
  type SpyMode,
} from '../../db/schema.ts';
import type { AgentLive, AgentStatic, QueueStats } from './agent-status.ts';
import type { CallStart } from '../../voice/call-records.ts';

export type Ids = readonly number[] | 'all';

const within = (column: Parameters<typeof inArray>[0], ids: Ids): SQL | undefined => (ids === 'all' ? undefined : inArray(column, ids.length ? [...ids] : [-1]));
const toDate = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

/** Everything that changes only when an admin edits configuration (the audit log says when). */
export interface Directory {
  queues: Map<number, { id: number; name: string; channel: Channel; serviceLevelSec: number }>;
  /** Queue → its members (queue agents ∪ agents of its teams). */
  members: Map<number, Set<number>>;
  /** Supervisor → the queues they are enabled on. */
  supervisorQueues: Map<number, Set<number>>;
  agents: Map<number, AgentStatic>;
  teams: { id: number; name: string }[];
  pauseReasons: { id: number; name: string }[];
  trunks: Map<number, { id: number; name: string; endpoint: string; enabled: boolean }>;
}

export async function loadDirectory(db: Db): Promise<Directory> {
  const [queueRows, memberRows, supervisorRows, agentRows, teamRows, teamMemberRows, reasonRows, trunkRows] = await Promise.all([
    db.select({ id: queues.id, name: queues.name, channel: queues.channel, serviceLevelSec: queues.serviceLevelSec }).from(queues),
    db.execute(sql`select queue_id, user_id from queue_agents
                   union
                   select qt.queue_id, tm.user_id from queue_teams qt join team_members tm on tm.team_id = qt.team_id join agents a on a.user_id = tm.user_id`),
    db.select().from(queueSupervisors),
    db
      .select({ id: users.id, name: users.fullName, username: users.username, extension: agents.extension, typology: agents.typology, chanspy: agents.chanspy, capacity: agents.capacity })
      .from(agents)
      .innerJoin(users, eq(users.id, agents.userId)),
    db.select({ id: teams.id, name: teams.name }).from(teams).orderBy(teams.name),
    db.select().from(teamMembers),
    db.select({ id: pauseReasons.id, name: pauseReasons.name }).from(pauseReasons).orderBy(pauseReasons.name),
    db.select({ id: trunks.id, name: trunks.name, endpoint: trunks.endpoint, enabled: trunks.enabled }).from(trunks),
  ]);
  const queueMap = new Map(queueRows.map((q) => [q.id, q]));
  const members = new Map<number, Set<number>>();
  const agentQueues = new Map<number, Set<number>>();
  for (const r of rowsOf<{ queue_id: string | number; user_id: string | number }>(memberRows)) {
    const q = Number(r.queue_id);
    const u = Number(r.user_id);
    if (!members.has(q)) members.set(q, new Set());
    members.get(q)!.add(u);
    if (!agentQueues.has(u)) agentQueues.set(u, new Set());
    agentQueues.get(u)!.add(q);
  }
  const supervisorQueues = new Map<number, Set<number>>();
  for (const r of supervisorRows) {
    if (!supervisorQueues.has(r.userId)) supervisorQueues.set(r.userId, new Set());
    supervisorQueues.get(r.userId)!.add(r.queueId);
  }
  const agentTeams = new Map<number, number[]>();
  for (const r of teamMemberRows) agentTeams.set(r.userId, [...(agentTeams.get(r.userId) ?? []), r.teamId]);
  const agentMap = new Map<number, AgentStatic>();
  for (const a of agentRows) {
    const queueIds = [...(agentQueues.get(a.id) ?? [])].sort((x, y) => x - y);
    const channels = [...new Set(queueIds.map((q) => queueMap.get(q)?.channel).filter((c): c is Channel => c !== undefined))];
    agentMap.set(a.id, { ...a, capacity: a.capacity as Partial<Record<Channel, number>>, teamIds: (agentTeams.get(a.id) ?? []).sort((x, y) => x - y), queueIds, channels });
  }
  return {
    queues: queueMap,
    members,
    supervisorQueues,
    agents: agentMap,
    teams: teamRows,
    pauseReasons: reasonRows,
    trunks: new Map(trunkRows.map((t) => [t.id, t])),
  };
}

/** Sessions, channel states, open interactions and spy sessions of the agents: four queries. */
export async function loadAgentLive(db: Db, ids: Ids): Promise<Map<number, AgentLive>> {
  const [sessions, states, open, spies] = await Promise.all([
    db.select().from(agentSessions).where(within(agentSessions.userId, ids)),
    db.select().from(agentChannelStates).where(within(agentChannelStates.userId, ids)),
    db
      .select({ entryId: queueEntries.id, agentId: queueEntries.agentId, channel: queueEntries.channel, queueId: queueEntries.queueId, caller: queueEntries.caller, enqueuedAt: queueEntries.enqueuedAt, acceptedAt: offers.decidedAt })
      .from(queueEntries)
      .leftJoin(offers, and(eq(offers.entryId, queueEntries.id), eq(offers.status, 'accepted')))
      .where(and(within(queueEntries.agentId, ids), eq(queueEntries.status, 'accepted'), isNull(queueEntries.endedAt))),
    db
      .select({ id: spySessions.id, agentId: spySessions.agentId, supervisorId: spySessions.supervisorId, mode: spySessions.mode })
      .from(spySessions)
      .where(and(within(spySessions.agentId, ids), inArray(spySessions.status, ['calling', 'active'])))
      .orderBy(desc(spySessions.id)),
  ]);
  const out = new Map<number, AgentLive>();
  const of = (id: number): AgentLive => {
    let live = out.get(id);
    if (!live) out.set(id, (live = { session: null, states: [], interactions: [], spiedBy: null }));
    return live;
  };
  if (ids !== 'all') for (const id of ids) of(id);
  for (const s of sessions) of(s.userId).session = { device: s.device, dialTarget: s.dialTarget, loggedInAt: s.loggedInAt };
  for (const s of states) of(s.userId).states.push(s);
  for (const o of open) {
    if (o.agentId === null) continue;
    of(o.agentId).interactions.push({ entryId: o.entryId, channel: o.channel, queueId: o.queueId, with: o.caller || null, since: o.acceptedAt ?? o.enqueuedAt });
  }
  for (const s of spies) {
    const live = of(s.agentId);
    // Newest first: the current session wins when an old one was never closed.
    live.spiedBy ??= { sessionId: s.id, supervisorId: s.supervisorId, mode: s.mode as SpyMode };
  }
  return out;
}

/** Waiting entries and today's passages per queue: two queries. */
export async function loadQueueStats(db: Db, ids: Ids, since: Date): Promise<Map<number, QueueStats>> {
  const [waiting, today] = await Promise.all([
    db
      .select({ queueId: queueEntries.queueId, n: sql<number>`count(*)::int`, oldest: sql<unknown>`min(${queueEntries.enqueuedAt})` })
      .from(queueEntries)
      .where(and(inArray(queueEntries.status, ['waiting', 'offered']), within(queueEntries.queueId, ids)))
      .groupBy(queueEntries.queueId),
    db
      .select({
        queueId: queueReports.queueId,
        total: sql<number>`count(*)::int`,
        answered: sql<number>`(count(*) filter (where ${queueReports.reason} = 'accepted'))::int`,
        abandoned: sql<number>`(count(*) filter (where ${queueReports.reason} = 'abandoned'))::int`,
        timeout: sql<number>`(count(*) filter (where ${queueReports.reason} = 'timeout'))::int`,
        withinSl: sql<number>`(count(*) filter (where ${queueReports.reason} = 'accepted' and ${queueReports.waitMs} <= ${queues.serviceLevelSec} * 1000))::int`,
      })
      .from(queueReports)
      .innerJoin(queues, eq(queues.id, queueReports.queueId))
      .where(and(gte(queueReports.endedAt, since), within(queueReports.queueId, ids)))
      .groupBy(queueReports.queueId),
  ]);
  const out = new Map<number, QueueStats>();
  const of = (id: number): QueueStats => {
    let s = out.get(id);
    if (!s) out.set(id, (s = { waiting: 0, longestWaitingSince: null, offered: 0, answered: 0, abandoned: 0, timeout: 0, answeredWithinServiceLevel: 0 }));
    return s;
  };
  if (ids !== 'all') for (const id of ids) of(id);
  for (const w of waiting) {
    const s = of(w.queueId);
    s.waiting = Number(w.n);
    s.longestWaitingSince = toDate(w.oldest);
  }
  for (const t of today) {
    const s = of(t.queueId);
    s.answered = Number(t.answered);
    s.abandoned = Number(t.abandoned);
    s.timeout = Number(t.timeout);
    s.answeredWithinServiceLevel = Number(t.withinSl);
    s.offered = Number(t.total);
  }
  // Offered today = passages that ended today + those waiting now (cancelled ones leave no report).
  for (const s of out.values()) s.offered += s.waiting;
  return out;
}

export interface CallRow extends CallStart {
  id: number;
  answeredAt: Date | null;
  endedAt: Date | null;
  agentId: number | null;
  entry: { id: number; queueId: number; status: string; priority: number; enqueuedAt: Date; agentId: number | null; endedAt: Date | null; acceptedAt: Date | null } | null;
}

/** A call record left open by a crash would stay "in progress" forever: the board ignores older ones. */
export const STALE_CALL_MS = 24 * 3600_000;

/** Call records (open ones for `'all'`) with their latest queue entry: one query. */
export async function loadCalls(db: Db, which: { ids: readonly number[]; refs: readonly string[]; entries: readonly number[] } | 'all', now: Date): Promise<CallRow[]> {
  const where =
    which === 'all'
      ? sql`c.ended_at is null and c.started_at > ${new Date(now.getTime() - STALE_CALL_MS)}`
      : sql`(c.id in (${sql.join([...which.ids, -1].map((i) => sql`${i}`), sql`, `)}) or c.unique_id in (${sql.join([...which.refs, ''].map((r) => sql`${r}`), sql`, `)})
          or c.unique_id in (select qe.interaction_ref from ${queueEntries} qe where qe.id in (${sql.join([...which.entries, -1].map((i) => sql`${i}`), sql`, `)})))`;
  const result = await db.execute(sql`
    select c.id, c.unique_id, c.channel_name, c.direction, c.caller_number, c.caller_name, c.did, c.started_at, c.answered_at, c.ended_at, c.agent_id,
           e.id as e_id, e.queue_id as e_queue_id, e.status as e_status, e.priority as e_priority, e.enqueued_at as e_enqueued_at, e.agent_id as e_agent_id, e.ended_at as e_ended_at, e.accepted_at as e_accepted_at
      from ${calls} c
      left join lateral (
        select qe.id, qe.queue_id, qe.status, qe.priority, qe.enqueued_at, qe.agent_id, qe.ended_at,
               (select o.decided_at from ${offers} o where o.entry_id = qe.id and o.status = 'accepted' limit 1) as accepted_at
          from ${queueEntries} qe
         where qe.interaction_ref = c.unique_id and qe.channel = 'voice'
         order by qe.id desc
         limit 1) e on true
     where ${where}`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    id: Number(r.id),
    uniqueId: String(r.unique_id),
    channelName: String(r.channel_name),
    direction: r.direction as RouteKind,
    callerNumber: String(r.caller_number ?? ''),
    callerName: String(r.caller_name ?? ''),
    did: String(r.did ?? ''),
    startedAt: toDate(r.started_at)!,
    answeredAt: toDate(r.answered_at),
    endedAt: toDate(r.ended_at),
    agentId: r.agent_id === null ? null : Number(r.agent_id),
    entry:
      r.e_queue_id === null || r.e_queue_id === undefined
        ? null
        : {
            id: Number(r.e_id),
            queueId: Number(r.e_queue_id),
            status: String(r.e_status),
            priority: Number(r.e_priority),
            enqueuedAt: toDate(r.e_enqueued_at)!,
            agentId: r.e_agent_id === null ? null : Number(r.e_agent_id),
            endedAt: toDate(r.e_ended_at),
            acceptedAt: toDate(r.e_accepted_at),
          },
  }));
}

