// One routing pass of the queue engine, in one transaction: every queue that has waiting entries is
// claimed (FOR UPDATE SKIP LOCKED: a queue another node is routing right now is left to it and
// retried shortly), all their waiting entries are decided together in one service order (priority,
// then arrival, across queues, so an agent who serves several queues gets the best-placed caller),
// and the offers are written with a handful of statements whatever the number of entries.
//
// Nothing here looks at a per-entry retry timer: a refusal or a ring timeout keeps only the agent who
// refused away from that entry for the queue's retry time (the core's cooldown), the entry keeps its
// place for everybody else. What can only change with time (a wrap-up or a cooldown ending) is
// returned as `wakeAt`, so the engine sets a timer for that instant instead of waiting for a tick.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/database.ts';
import { agentSessions, agents as agentsTable, offers, queueEntries, queues, routingDecisions, type Channel } from '../db/schema.ts';
import { queueMembersOf, type QueueMember } from './members.ts';
import { presenceOf } from './presence.ts';
import { inMilliseconds } from './queue-settings.ts';
import type { Considered, RoutingAgent, RoutingCore, RoutingEntry, RoutingQueue } from './routing-port.ts';

export type EntryRow = typeof queueEntries.$inferSelect;
export type OfferRow = typeof offers.$inferSelect;
type QueueRow = typeof queues.$inferSelect;


/** What a pass routes: every queue, or the queues named and those the agents named are members of. */
export type RoutingScope = 'all' | { readonly queues: ReadonlySet<number>; readonly agents: ReadonlySet<number> };
export const ALL: RoutingScope = 'all';

/** The union of a pending scope and a new request (none = everything). */
export function widen(pending: RoutingScope | null, more: { queues?: readonly number[]; agents?: readonly number[] } | undefined): RoutingScope {
  if (more === undefined || pending === 'all') return ALL;
  const queues = new Set(pending?.queues ?? []);
  const agents = new Set(pending?.agents ?? []);
  for (const q of more.queues ?? []) queues.add(q);
  for (const a of more.agents ?? []) agents.add(a);
  return { queues, agents };
}

export interface PassInput {
  now: number;
  scope: RoutingScope;
  maxOpenTabs: number;
  core: RoutingCore;
  deviceState: (dialTarget: string | null) => string | undefined;
  /** The last unoffered decision recorded per entry, so that an unchanged one is not stored again and a changing one at most once per DECISION_RECORD_MS. */
  lastDecision: ReadonlyMap<number, RecordedDecision>;
}

export interface RecordedDecision {
  signature: string;
  at: number;
}

/**
 * Explainability without flooding: an entry that waits gets its first decision stored, then a new
 * one when the reasons change, at most once per this interval (every agent's change would otherwise
 * store a row for every entry of each of their queues). The decision that makes an offer is always stored.
 */
export const DECISION_RECORD_MS = 5_000;

export interface PassResult {
  created: { offer: OfferRow; entry: EntryRow; autoAnswerDelayMs: number }[];
  /** Entries of queues whose members are all gone (leave when empty): the engine ends them. */
  leave: number[];
  /** The earliest instant a wrap-up or a refusal cooldown ends for an entry still waiting. */
  wakeAt: number | null;
  /** Some queue or agent was busy in another node's pass: route again shortly. */
  retrySoon: boolean;
  /** Decisions recorded by this pass (apply once committed). */
  recorded: Map<number, RecordedDecision>;
}

const EMPTY: PassResult = { created: [], leave: [], wakeAt: null, retrySoon: false, recorded: new Map() };

/**
 * The waiting entries a pass needs, in service order. One pass offers at most one entry per member
 * of a queue (ringall offers one entry to all of them), so beyond that many entries per queue
 * nothing can be offered now; entries that some agent refused are all read, since a refusal can
 * keep its agent from it while that agent may take the next one in line.
 */
async function waitingEntries(tx: Db, membersByQueue: ReadonlyMap<number, readonly QueueMember[]>): Promise<EntryRow[]> {
  const limits = [...membersByQueue].map(([queueId, members]) => sql`(${queueId}::bigint, ${Math.max(1, members.length)}::int)`);
  if (limits.length === 0) return [];
  const ids = rowsOf<{ id: number | string }>(
    await tx.execute(sql`
      select id from (
        select qe.id, qe.data ? 'refusals' as refused, lim.n,
               row_number() over (partition by qe.queue_id, qe.data ? 'refusals' order by qe.priority desc, qe.enqueued_at, qe.id) as rn
          from ${queueEntries} qe
          join (values ${sql.join(limits, sql`, `)}) as lim(queue_id, n) on lim.queue_id = qe.queue_id
         where qe.status = 'waiting'
      ) ranked
      where refused or rn <= n`),
  ).map((r) => Number(r.id));
  if (ids.length === 0) return [];
  return tx.select().from(queueEntries).where(and(inArray(queueEntries.id, ids), eq(queueEntries.status, 'waiting'))).orderBy(...SERVICE_ORDER);
}

/** Service order: the one the router uses, position announcements and the board use it too. */
export const SERVICE_ORDER = [desc(queueEntries.priority), asc(queueEntries.enqueuedAt), asc(queueEntries.id)] as const;

/**
 * The SQL condition "entry row `other` is served before the entry (priority, enqueuedAt, id)": the
 * same order as SERVICE_ORDER, for counting the entries ahead of a caller.
 */
export function servedBefore(entry: Pick<EntryRow, 'priority' | 'enqueuedAt' | 'id'>) {
  return sql`(${queueEntries.priority} > ${entry.priority}
    or (${queueEntries.priority} = ${entry.priority} and ${queueEntries.enqueuedAt} < ${entry.enqueuedAt})
    or (${queueEntries.priority} = ${entry.priority} and ${queueEntries.enqueuedAt} = ${entry.enqueuedAt} and ${queueEntries.id} < ${entry.id}))`;
}

export async function routingPass(tx: Db, input: PassInput): Promise<PassResult> {
  const { now, core } = input;
  const waitingIn = await tx.selectDistinct({ queueId: queueEntries.queueId }).from(queueEntries).where(and(eq(queueEntries.status, 'waiting'), inScope(input.scope)));
  if (waitingIn.length === 0) return EMPTY;
  const wanted = waitingIn.map((r) => r.queueId);
  const queueRows = await tx.select().from(queues).where(inArray(queues.id, wanted)).orderBy(asc(queues.id)).for('update', { skipLocked: true });
  let retrySoon = queueRows.length < wanted.length;
  if (queueRows.length === 0) return { ...EMPTY, retrySoon };
  const queueIds = queueRows.map((q) => q.id);
  const membersByQueue = await queueMembersOf(tx, queueIds);
  const entries = await waitingEntries(tx, membersByQueue);
  const memberIds = [...new Set([...membersByQueue.values()].flat().map((m) => m.userId))];
  const agentsById = await routingAgents(tx, memberIds, input.deviceState);

  const routingQueues = new Map(queueRows.map((q) => [q.id, routingQueue(q, membersByQueue.get(q.id) ?? [])]));
  const leaving = new Set<number>();
  for (const q of routingQueues.values()) {
    if (q.settings.leaveWhenEmpty === 'no') continue;
    const members = q.members.map((m) => agentsById.get(m.agentId)!);
    if (core.shouldLeave(q, members, input.maxOpenTabs, now)) leaving.add(q.id);
  }
  const routed = entries.filter((e) => !leaving.has(e.queueId));
  const leave = entries.filter((e) => leaving.has(e.queueId)).map((e) => e.id);
  if (routed.length === 0) return { ...EMPTY, leave, retrySoon };

  const { decisions, rrLastAgentIds } = core.decideAcross({
    queues: [...routingQueues.values()].filter((q) => !leaving.has(q.id)),
    entries: routed.map(routingEntry),
    agents: [...agentsById.values()],
    maxOpenTabs: input.maxOpenTabs,
    now,
  });
  const entryById = new Map(routed.map((e) => [e.id, e]));

  // Claim the offered entries with a guarded update: one abandoned meanwhile is simply not offered.
  const offeredIds = decisions.filter((d) => d.offerTo.length > 0).map((d) => d.entryId);
  const claimed = offeredIds.length
    ? await tx.update(queueEntries).set({ status: 'offered' }).where(and(inArray(queueEntries.id, offeredIds), eq(queueEntries.status, 'waiting'))).returning()
    : [];
  const claimedById = new Map(claimed.map((e) => [e.id, e]));
  if (claimed.length < offeredIds.length) retrySoon = true;

  const offerValues: (typeof offers.$inferInsert)[] = [];
  const delays = new Map<string, number>();
  const decisionRows: (typeof routingDecisions.$inferInsert)[] = [];
  const recorded = new Map<number, RecordedDecision>();
  let wakeAt: number | null = null;
  const wake = (at: number) => {
    if (at > now && (wakeAt === null || at < wakeAt)) wakeAt = at;
  };
  for (const d of decisions) {
    const entry = entryById.get(d.entryId)!;
    const queue = routingQueues.get(entry.queueId)!;
    const strategy = queue.settings.strategy;
    if (d.offerTo.length > 0) {
      if (!claimedById.has(d.entryId)) continue;
      decisionRows.push({ entryId: d.entryId, at: new Date(now), strategy, considered: d.considered, offeredTo: d.offerTo.map((o) => o.agentId) });
      const expiresAt = new Date(now + queue.settings.timeoutMs);
      for (const o of d.offerTo) {
        offerValues.push({ entryId: d.entryId, agentId: o.agentId, autoAnswer: o.autoAnswer, expiresAt, createdAt: new Date(now) });
        delays.set(`${d.entryId}:${o.agentId}`, o.autoAnswerDelayMs);
      }
      continue;
    }
    // Not offered: store the decision only when its reasons changed since the last one stored.
    const signature = decisionSignature(d.considered);
    const last = input.lastDecision.get(d.entryId);
    if (last === undefined || (last.signature !== signature && now - last.at >= DECISION_RECORD_MS)) {
      decisionRows.push({ entryId: d.entryId, at: new Date(now), strategy, considered: d.considered, offeredTo: [] });
      recorded.set(d.entryId, { signature, at: now });
    }
    if (d.considered.some((c) => c.reason === 'offer-pending' && lockedElsewhere(agentsById.get(c.agentId)))) retrySoon = true;
    for (const at of timeBoundChanges(entry, queue, agentsById, now)) wake(at);
  }
  if (decisionRows.length) await tx.insert(routingDecisions).values(decisionRows);
  const offerRows = offerValues.length ? await tx.insert(offers).values(offerValues).returning() : [];
  // rrmemory positions that moved, in one statement.
  const moved = queueRows.flatMap((q) => {
    const rr = rrLastAgentIds.get(q.id);
    return rr !== undefined && rr !== null && rr !== q.rrLastAgentId ? [sql`(${q.id}::bigint, ${rr}::bigint)`] : [];
  });
  if (moved.length) await tx.execute(sql`update ${queues} set rr_last_agent_id = v.rr from (values ${sql.join(moved, sql`, `)}) as v(id, rr) where ${queues.id} = v.id`);
  const created = offerRows.map((offer) => ({ offer, entry: claimedById.get(offer.entryId)!, autoAnswerDelayMs: delays.get(`${offer.entryId}:${offer.agentId}`) ?? 0 }));
  return { created, leave, wakeAt, retrySoon, recorded };
}

/** The queues of a scope, as a condition on queue_entries: named, or served by a named agent (directly or through a team). */
function inScope(scope: RoutingScope) {
  if (scope === 'all') return undefined;
  const queueIds = [...scope.queues, -1];
  const agentIds = [...scope.agents, -1];
  const list = (ids: number[]) => sql.join(ids.map((id) => sql`${id}`), sql`, `);
  return sql`(${queueEntries.queueId} in (${list(queueIds)})
    or ${queueEntries.queueId} in (select qa.queue_id from queue_agents qa where qa.user_id in (${list(agentIds)}))
    or ${queueEntries.queueId} in (select qt.queue_id from queue_teams qt join team_members tm on tm.team_id = qt.team_id where tm.user_id in (${list(agentIds)})))`;
}

/** What the explainability record says, without the parts that change with time alone ("3000 ms ago"). */
function decisionSignature(considered: readonly Considered[]): string {
  let s = '';
  for (const c of considered) s += `${c.agentId}:${c.reason ?? (c.offered ? 'offered' : 'eligible')};`;
  return s;
}

function lockedElsewhere(agent: RoutingAgent | undefined): boolean {
  return agent?.lockedElsewhere === true;
}

/** Instants at which a member may become able to take this entry without any event: end of wrap-up, end of a refusal cooldown. */
function* timeBoundChanges(entry: EntryRow, queue: RoutingQueue, agents: ReadonlyMap<number, RoutingAgent>, now: number): Generator<number> {
  for (const m of queue.members) {
    const until = agents.get(m.agentId)?.presence.channels.find((c) => c.channel === queue.channel)?.wrapupUntil?.getTime();
    if (until !== undefined && until > now) yield until;
  }
  for (const r of refusalsOf(entry)) if (r.at + queue.settings.retryMs > now) yield r.at + queue.settings.retryMs;
}

export function routingQueue(queue: QueueRow, members: QueueMember[]): RoutingQueue {
  return {
    id: queue.id,
    channel: queue.channel,
    settings: inMilliseconds(queue),
    members: members.map((m) => ({ agentId: m.userId, penalty: m.penalty })),
    rrLastAgentId: queue.rrLastAgentId,
  };
}

function routingEntry(entry: EntryRow): RoutingEntry {
  return { id: entry.id, queueId: entry.queueId, priority: entry.priority, enqueuedAt: entry.enqueuedAt.getTime(), refusals: refusalsOf(entry) };
}

/** Presence, load, settings and lock state of the agents a pass may offer to. */
async function routingAgents(tx: Db, ids: number[], deviceState: (dialTarget: string | null) => string | undefined): Promise<Map<number, RoutingAgent>> {
  const out = new Map<number, RoutingAgent>();
  if (ids.length === 0) return out;
  // Agents another node is offering to right now (in a queue this pass does not hold) are skipped, not waited for.
  const lockable = await tx.select({ id: agentSessions.userId }).from(agentSessions).where(inArray(agentSessions.userId, ids)).for('update', { skipLocked: true });
  const locked = new Set(lockable.map((r) => r.id));
  const presence = await presenceOf(tx, ids);
  const load = await loadsOf(tx, ids);
  const settingsRows = await tx.select({ userId: agentsTable.userId, capacity: agentsTable.capacity, autoAnswer: agentsTable.autoAnswer }).from(agentsTable).where(inArray(agentsTable.userId, ids));
  const settingsById = new Map(settingsRows.map((r) => [r.userId, r]));
  for (const id of ids) {
    const p = presence.get(id)!;
    const a = settingsById.get(id);
    const device = deviceState(p.dialTarget);
    out.set(id, {
      presence: p,
      settings: { capacity: (a?.capacity ?? {}) as Partial<Record<Channel, number>>, autoAnswer: a?.autoAnswer ?? {} },
      load: load.get(id) ?? { open: {}, pendingChannels: [] },
      lockedElsewhere: !locked.has(id) && p.loggedIn,
      ...(device === undefined ? {} : { deviceState: device }),
    });
  }
  return out;
}

export interface AgentLoad {
  open: Partial<Record<Channel, number>>;
  pendingChannels: Channel[];
}

/** Open interactions per agent and channel, and the channels on which an offer is pending for them. */
export async function loadsOf(db: Db, agentIds: number[]): Promise<Map<number, AgentLoad>> {
  const out = new Map<number, AgentLoad>();
  if (!agentIds.length) return out;
  const ids = sql.join(
    agentIds.map((id) => sql`${id}`),
    sql`, `,
  );
  // Accepted and not finished (open), and offers ringing (pending), in one round trip.
  const rows = rowsOf<{ kind: 'open' | 'pending'; agent_id: number | string; channel: Channel; n: number | string }>(
    await db.execute(sql`
      select 'open' as kind, agent_id, channel, count(*)::int as n from ${queueEntries}
       where agent_id in (${ids}) and status = 'accepted' and ended_at is null
       group by agent_id, channel
      union all
      select 'pending', o.agent_id, qe.channel, 1 from ${offers} o join ${queueEntries} qe on qe.id = o.entry_id
       where o.agent_id in (${ids}) and o.status = 'pending'`),
  );
  for (const id of agentIds) out.set(id, { open: {}, pendingChannels: [] });
  for (const r of rows) {
    const load = out.get(Number(r.agent_id));
    if (!load) continue;
    if (r.kind === 'open') load.open[r.channel] = Number(r.n);
    else load.pendingChannels.push(r.channel);
  }
  return out;
}

export interface StoredRefusal {
  agentId: number;
  at: number;
  kind: 'rejected' | 'timeout';
}

/** The refusals recorded on an entry (data.refusals), each with its kind (older rows have none: rejected). */
export function refusalsOf(entry: Pick<EntryRow, 'data'>): StoredRefusal[] {
  const r = (entry.data as { refusals?: unknown }).refusals;
  if (!Array.isArray(r)) return [];
  const out: StoredRefusal[] = [];
  for (const x of r) {
    if (typeof x !== 'object' || x === null) continue;
    const { agentId, at, kind } = x as { agentId?: unknown; at?: unknown; kind?: unknown };
    if (typeof agentId === 'number' && typeof at === 'number') out.push({ agentId, at, kind: kind === 'timeout' ? 'timeout' : 'rejected' });
  }
  return out;
}
