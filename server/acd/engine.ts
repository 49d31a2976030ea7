// The queue engine's I/O shell: waiting entries, offers and reports live in PostgreSQL; routing
// decisions come from the pure core (./routing). Several nodes can run an engine on one database:
// an entry is claimed with FOR UPDATE SKIP LOCKED and the agents offered are locked the same way,
// so no interaction and no agent is offered twice at once; accepting is a guarded update, so only
// one agent wins an offer.
import { EventEmitter } from 'node:events';
import { and, asc, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { agentSessions, agentStateHistory, agents as agentsTable, calls, offers, queueEntries, queueReports, queues, routingDecisions, type Channel } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { presenceOf, startWrapup, type AgentPresence } from './presence.ts';
import { queueMembers, type QueueMember } from './members.ts';
import { readSettings } from '../settings/settings.ts';
import type { RoutingCore, RoutingQueue } from './routing-port.ts';

export type EntryStatus = 'waiting' | 'offered' | 'accepted' | 'timeout' | 'abandoned' | 'cancelled';
export type EntryRow = typeof queueEntries.$inferSelect;
export type OfferRow = typeof offers.$inferSelect;

export interface EnqueueInput {
  queueId: number;
  interactionRef: string;
  caller?: string;
  priority?: number;
  /** Overrides the queue's own timeout (ms; 0 = the queue's). */
  timeoutMs?: number;
  data?: Record<string, unknown>;
}

export type EnqueueResult = { ok: true; entry: EntryRow } | { ok: false; outcome: 'full' | 'unavailable' | 'failed'; reason: string };

export interface EntryOutcome {
  status: Exclude<EntryStatus, 'waiting' | 'offered'>;
  agentId: number | null;
}

export interface AcdEvents {
  offer: [offer: OfferRow, entry: EntryRow];
  'offer-ended': [offer: OfferRow];
  'entry-ended': [entry: EntryRow];
  'entry-accepted': [entry: EntryRow, offer: OfferRow];
  'entry-queued': [entry: EntryRow];
  /** The agent finished an accepted interaction (hung up / closed, disposition given): wrap-up or ready follows. */
  'entry-finished': [entry: EntryRow];
  /** An agent logged in or out, paused or unpaused (emitted by whoever changed it). */
  presence: [presence: AgentPresence];
}

export interface AcdEngineDeps {
  db: Db;
  logger: Logger;
  core: RoutingCore;
  now?: () => number;
  /** How often sweeps (offer expiry, deadlines) and a routing pass run without other triggers. */
  tickMs?: number;
  /** Asterisk's state of the device an agent's voice offers ring (from AMI), when known. */
  deviceState?: (dialTarget: string | null) => string | undefined;
}

const ENDED: readonly EntryStatus[] = ['accepted', 'timeout', 'abandoned', 'cancelled'];

export class AcdEngine extends EventEmitter<AcdEvents> {
  readonly #db: Db;
  readonly #log: Logger;
  readonly #core: RoutingCore;
  readonly #now: () => number;
  readonly #tickMs: number;
  readonly #deviceState: (dialTarget: string | null) => string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(deps: AcdEngineDeps) {
    super();
    this.#db = deps.db;
    this.#log = deps.logger;
    this.#core = deps.core;
    this.#now = deps.now ?? Date.now;
    this.#tickMs = deps.tickMs ?? 500;
    this.#deviceState = deps.deviceState ?? (() => undefined);
    // Every waiting chat or call listens for its outcome: many listeners are normal here.
    this.setMaxListeners(0);
  }

  start(): void {
    this.#stopped = false;
    const loop = () => {
      if (this.#stopped) return;
      this.kick();
      this.#timer = setTimeout(loop, this.#tickMs);
    };
    loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  #autoAccept(offer: OfferRow, delayMs: number): void {
    const timer = setTimeout(() => {
      if (this.#stopped) return;
      // Still pending? (another agent may have taken it, or it was withdrawn meanwhile)
      this.accept(offer.id, offer.agentId).catch(() => undefined);
    }, delayMs);
    timer.unref();
  }

  /** Announces a presence change (login, logout, pause) and routes again: a slot may have opened. */
  presenceChanged(presence: AgentPresence): void {
    this.emit('presence', presence);
    this.kick();
  }

  /** Runs sweeps and routing soon; calls made while a pass runs coalesce into one more pass. */
  kick(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.pass()
      .catch((err: unknown) => this.#log.warn({ err: String(err) }, 'queue engine pass failed; retrying on the next tick'))
      .finally(() => {
        this.#running = undefined;
        if (this.#again && !this.#stopped) {
          this.#again = false;
          this.kick();
        }
      });
  }

  /** One full pass: expire offers, time out entries past their deadline, route what waits. */
  async pass(): Promise<void> {
    await this.#expireOffers();
    await this.#timeoutEntries();
    for (const queueId of await this.#dueQueues(this.#now())) await this.#routeQueue(queueId);
  }

  // --- entries ------------------------------------------------------------------------------------

  async enqueue(input: EnqueueInput): Promise<EnqueueResult> {
    const [queue] = await this.#db.select().from(queues).where(eq(queues.id, input.queueId));
    if (!queue) return { ok: false, outcome: 'failed', reason: `queue ${input.queueId} does not exist` };
    const members = await queueMembers(this.#db, queue.id);
    const presence = await presenceOf(this.#db, members.map((m) => m.userId));
    const [waiting] = await this.#db
      .select({ n: sql<number>`count(*)::int` })
      .from(queueEntries)
      .where(and(eq(queueEntries.queueId, queue.id), inArray(queueEntries.status, ['waiting', 'offered'])));
    const admission = this.#core.admit(this.#routingQueue(queue, members), [...presence.values()], waiting?.n ?? 0, this.#now());
    if (!admission.ok) return { ok: false, outcome: admission.outcome, reason: admission.reason };
    const timeoutMs = input.timeoutMs && input.timeoutMs > 0 ? input.timeoutMs : queue.timeoutSec * 1000;
    const now = this.#now();
    const [entry] = await this.#db
      .insert(queueEntries)
      .values({
        queueId: queue.id,
        channel: queue.channel,
        interactionRef: input.interactionRef,
        caller: input.caller ?? '',
        priority: input.priority ?? 0,
        enqueuedAt: new Date(now),
        nextTryAt: new Date(now),
        deadlineAt: timeoutMs > 0 ? new Date(now + timeoutMs) : null,
        data: input.data ?? {},
      })
      .returning();
    this.emit('entry-queued', entry!);
    this.kick();
    return { ok: true, entry: entry! };
  }

  async getEntry(entryId: number): Promise<EntryRow> {
    const [e] = await this.#db.select().from(queueEntries).where(eq(queueEntries.id, entryId));
    if (!e) throw notFound('queue entry', entryId);
    return e;
  }

  /** The caller or visitor left before anyone took it. */
  async abandon(entryId: number): Promise<EntryRow | undefined> {
    return this.#end(entryId, 'abandoned', ['waiting', 'offered']);
  }

  /** The interaction left the queue for another reason (moved by a supervisor, flow stopped). */
  async cancel(entryId: number): Promise<EntryRow | undefined> {
    return this.#end(entryId, 'cancelled', ['waiting', 'offered']);
  }

  /**
   * The accepted interaction is over: the agent enters wrap-up on that channel. A disposition given
   * by the agent is kept on the entry and, for a call, on the call record with the agent's id.
   */
  async finish(entryId: number, disposition?: { code: string; note?: string; by: number }): Promise<void> {
    if (disposition) {
      const [entry] = await this.#db
        .update(queueEntries)
        .set({ data: sql`${queueEntries.data} || ${JSON.stringify({ disposition: disposition.code, dispositionNote: disposition.note ?? null })}::jsonb` })
        .where(and(eq(queueEntries.id, entryId), eq(queueEntries.agentId, disposition.by)))
        .returning();
      if (entry?.channel === 'voice') {
        await this.#db
          .update(calls)
          .set({ disposition: disposition.code, dispositionNote: disposition.note ?? null, disposedBy: disposition.by, disposedAt: new Date(this.#now()) })
          .where(eq(calls.uniqueId, entry.interactionRef));
      }
    }
    const [e] = await this.#db
      .update(queueEntries)
      .set({ endedAt: new Date(this.#now()) })
      .where(and(eq(queueEntries.id, entryId), eq(queueEntries.status, 'accepted'), isNull(queueEntries.endedAt)))
      .returning();
    if (!e?.agentId) return;
    const [queue] = await this.#db.select({ wrapupSec: queues.wrapupSec }).from(queues).where(eq(queues.id, e.queueId));
    await startWrapup(this.#db, e.agentId, e.channel, queue?.wrapupSec ?? 0);
    await this.#db.insert(agentStateHistory).values({
      userId: e.agentId,
      channel: e.channel,
      state: (queue?.wrapupSec ?? 0) > 0 ? 'wrapup' : 'ready',
      details: { entryId: e.id, wrapupSec: queue?.wrapupSec ?? 0 },
    });
    this.emit('entry-finished', e);
    this.kick();
  }

  /** Resolves when the entry leaves the queue (accepted, timeout, abandoned, cancelled). */
  async waitForOutcome(entryId: number, signal?: AbortSignal): Promise<EntryOutcome> {
    for (;;) {
      const e = await this.getEntry(entryId);
      if (ENDED.includes(e.status as EntryStatus)) return { status: e.status as EntryOutcome['status'], agentId: e.agentId };
      signal?.throwIfAborted();
      // Woken at once by this node's events; the poll covers decisions taken on another node.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.off('entry-ended', onEnd);
          this.off('entry-accepted', onEnd);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const onEnd = (ended: EntryRow) => {
          if (ended.id === entryId) done();
        };
        const timer = setTimeout(done, 1000);
        this.on('entry-ended', onEnd);
        this.on('entry-accepted', onEnd);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  // --- offers ---------------------------------------------------------------------------------------

  async pendingOffers(agentId: number): Promise<OfferRow[]> {
    return this.#db
      .select()
      .from(offers)
      .where(and(eq(offers.agentId, agentId), eq(offers.status, 'pending')))
      .orderBy(asc(offers.id));
  }

  /** Accepts an offer for `agentId`: 409 when it expired, was withdrawn, or another agent took the interaction. */
  async accept(offerId: number, agentId: number): Promise<EntryRow> {
    const now = new Date(this.#now());
    const result = await this.#db.transaction(async (tx) => {
      const [offer] = await tx.select().from(offers).where(eq(offers.id, offerId)).for('update');
      if (!offer || offer.agentId !== agentId) throw notFound('offer', offerId);
      if (offer.status !== 'pending' || offer.expiresAt.getTime() <= now.getTime()) {
        throw new ApiError('CONFLICT', `Offer ${offerId} is no longer open (${offer.status === 'pending' ? 'expired' : offer.status})`, { fields: [{ field: 'offerId', message: 'is no longer open' }], status: offer.status });
      }
      const [entry] = await tx
        .update(queueEntries)
        .set({ status: 'accepted', agentId })
        .where(and(eq(queueEntries.id, offer.entryId), eq(queueEntries.status, 'offered')))
        .returning();
      if (!entry) throw new ApiError('CONFLICT', `The interaction of offer ${offerId} was taken or left the queue`, { fields: [{ field: 'offerId', message: 'interaction no longer waiting' }] });
      const [accepted] = await tx.update(offers).set({ status: 'accepted', decidedAt: now }).where(eq(offers.id, offerId)).returning();
      const others = await tx
        .update(offers)
        .set({ status: 'cancelled', decidedAt: now })
        .where(and(eq(offers.entryId, entry.id), eq(offers.status, 'pending')))
        .returning();
      await this.#report(tx as unknown as Db, entry, 'accepted', agentId, now);
      await tx.insert(agentStateHistory).values({ userId: agentId, channel: entry.channel, state: 'busy', at: now, details: { entryId: entry.id, queueId: entry.queueId } });
      return { entry, accepted: accepted!, others };
    });
    for (const o of result.others) this.emit('offer-ended', o);
    this.emit('entry-accepted', result.entry, result.accepted);
    return result.entry;
  }

  /** The agent declines (or does not answer the phone): the interaction goes to someone else. */
  async reject(offerId: number, agentId: number): Promise<void> {
    const now = new Date(this.#now());
    const ended = await this.#db.transaction(async (tx) => {
      const [offer] = await tx
        .update(offers)
        .set({ status: 'rejected', decidedAt: now })
        .where(and(eq(offers.id, offerId), eq(offers.agentId, agentId), eq(offers.status, 'pending')))
        .returning();
      if (!offer) throw new ApiError('CONFLICT', `Offer ${offerId} is no longer open`, { fields: [{ field: 'offerId', message: 'is no longer open' }] });
      await this.#noteRefusal(tx as unknown as Db, offer.entryId, agentId, now);
      await this.#backToWaiting(tx as unknown as Db, offer.entryId, now);
      return offer;
    });
    this.emit('offer-ended', ended);
    this.kick();
  }

  async decisions(entryId: number): Promise<(typeof routingDecisions.$inferSelect)[]> {
    await this.getEntry(entryId);
    return this.#db.select().from(routingDecisions).where(eq(routingDecisions.entryId, entryId)).orderBy(asc(routingDecisions.id));
  }

  // --- internals -------------------------------------------------------------------------------------

  #routingQueue(queue: typeof queues.$inferSelect, members: QueueMember[]): RoutingQueue {
    return {
      id: queue.id,
      channel: queue.channel,
      strategy: queue.strategy,
      members: members.map((m) => ({ agentId: m.userId, penalty: m.penalty })),
      rrLastAgentId: queue.rrLastAgentId,
      joinEmpty: queue.joinEmpty,
      leaveWhenEmpty: queue.leaveWhenEmpty,
      maxWaiting: queue.maxWaiting,
    };
  }

  /** Queues with entries due for routing now. */
  async #dueQueues(now: number): Promise<number[]> {
    const rows = await this.#db
      .selectDistinct({ queueId: queueEntries.queueId })
      .from(queueEntries)
      .where(and(eq(queueEntries.status, 'waiting'), lte(queueEntries.nextTryAt, new Date(now))));
    return rows.map((r) => r.queueId);
  }

  /**
   * Routes one queue in one transaction: the queue row is claimed (SKIP LOCKED: another node busy
   * with it is left alone), its due entries are decided together in queue order (priority, then
   * arrival) so a later entry never overtakes an earlier one, and offers are written.
   */
  async #routeQueue(queueId: number): Promise<void> {
    const now = this.#now();
    const settings = await readSettings(this.#db);
    const offered = await this.#db.transaction(async (tx) => {
      const [queue] = await tx.select().from(queues).where(eq(queues.id, queueId)).for('update', { skipLocked: true });
      if (!queue) return { leave: [] as number[], created: [] };
      const entries = await tx
        .select()
        .from(queueEntries)
        .where(and(eq(queueEntries.queueId, queueId), eq(queueEntries.status, 'waiting'), lte(queueEntries.nextTryAt, new Date(now))))
        .orderBy(desc(queueEntries.priority), asc(queueEntries.enqueuedAt), asc(queueEntries.id))
        .limit(100)
        .for('update');
      if (entries.length === 0) return { leave: [] as number[], created: [] };
      const members = await queueMembers(tx as unknown as Db, queue.id);
      const memberIds = members.map((m) => m.userId);
      // Agents another node is offering to right now (in another queue) are skipped, not waited for.
      const lockable = memberIds.length
        ? await tx.select({ id: agentSessions.userId }).from(agentSessions).where(inArray(agentSessions.userId, memberIds)).for('update', { skipLocked: true })
        : [];
      const locked = new Set(lockable.map((r) => r.id));
      const presence = await presenceOf(tx as unknown as Db, memberIds);
      const load = await this.#loads(tx as unknown as Db, memberIds);
      const settingsRows = memberIds.length ? await tx.select().from(agentsTable).where(inArray(agentsTable.userId, memberIds)) : [];
      const agentInputs = memberIds.map((id) => {
        const a = settingsRows.find((r) => r.userId === id);
        return {
          presence: presence.get(id)!,
          settings: { capacity: (a?.capacity ?? {}) as Partial<Record<Channel, number>>, autoAnswer: a?.autoAnswer ?? {} },
          load: load.get(id) ?? emptyLoad(),
          lockedElsewhere: !locked.has(id) && presence.get(id)?.loggedIn === true,
          ...(queue.channel === 'voice' ? withDevice(this.#deviceState(presence.get(id)?.dialTarget ?? null)) : {}),
        };
      });
      if (queue.leaveWhenEmpty !== 'no' && this.#core.shouldLeave(this.#routingQueue(queue, members), agentInputs, settings.maxOpenTabs, now)) {
        // Nobody left to take them: the waiting interactions leave (their flows go on from timeout).
        return { leave: entries.map((e) => e.id), created: [] };
      }
      const { decisions, rrLastAgentId } = this.#core.decideMany({
        queue: this.#routingQueue(queue, members),
        entries: entries.map((entry) => ({ id: entry.id, priority: entry.priority, enqueuedAt: entry.enqueuedAt.getTime(), refusals: refusalsOf(entry) })),
        agents: agentInputs,
        maxOpenTabs: settings.maxOpenTabs,
        now,
      });
      const created: { offer: OfferRow; entry: EntryRow; autoAnswerDelayMs: number }[] = [];
      for (const [index, decision] of decisions.entries()) {
        const entry = entries[index]!;
        await tx.insert(routingDecisions).values({ entryId: entry.id, strategy: queue.strategy, considered: decision.considered, offeredTo: decision.offerTo.map((o) => o.agentId) });
        if (decision.offerTo.length === 0) {
          await tx.update(queueEntries).set({ nextTryAt: new Date(now + queue.retrySec * 1000) }).where(eq(queueEntries.id, entry.id));
          continue;
        }
        const expiresAt = new Date(now + queue.ringTimeoutSec * 1000);
        const rows = await tx
          .insert(offers)
          .values(decision.offerTo.map((o) => ({ entryId: entry.id, agentId: o.agentId, autoAnswer: o.autoAnswer, expiresAt })))
          .returning();
        const [updated] = await tx.update(queueEntries).set({ status: 'offered' }).where(eq(queueEntries.id, entry.id)).returning();
        for (const offer of rows) {
          const delay = decision.offerTo.find((o) => o.agentId === offer.agentId)?.autoAnswerDelayMs ?? 0;
          created.push({ offer, entry: updated!, autoAnswerDelayMs: delay });
        }
      }
      if (rrLastAgentId !== undefined && rrLastAgentId !== queue.rrLastAgentId) await tx.update(queues).set({ rrLastAgentId }).where(eq(queues.id, queue.id));
      return { leave: [] as number[], created };
    });
    for (const { offer, entry, autoAnswerDelayMs } of offered.created) {
      this.emit('offer', offer, entry);
      // Auto-answer (per agent and channel, with its delay) for interactions the desktop shows; a
      // voice call is answered by the agent's phone itself (phone bar auto-answer), not here.
      if (offer.autoAnswer && entry.channel !== 'voice') this.#autoAccept(offer, autoAnswerDelayMs);
    }
    for (const id of offered.leave) await this.#end(id, 'timeout', ['waiting'], 'the queue emptied (leave when empty)');
  }

  /** Open interactions per agent and channel, and whether an offer is pending for them. */
  async #loads(db: Db, agentIds: number[]): Promise<Map<number, AgentLoad>> {
    const out = new Map<number, AgentLoad>();
    if (!agentIds.length) return out;
    const open = await db
      .select({ agentId: queueEntries.agentId, channel: queueEntries.channel, n: sql<number>`count(*)::int` })
      .from(queueEntries)
      .where(and(inArray(queueEntries.agentId, agentIds), eq(queueEntries.status, 'accepted'), isNull(queueEntries.endedAt)))
      .groupBy(queueEntries.agentId, queueEntries.channel);
    const pending = await db
      .select({ agentId: offers.agentId, channel: queueEntries.channel })
      .from(offers)
      .innerJoin(queueEntries, eq(queueEntries.id, offers.entryId))
      .where(and(inArray(offers.agentId, agentIds), eq(offers.status, 'pending')));
    for (const id of agentIds) {
      const mine = open.filter((o) => o.agentId === id);
      const openByChannel: Partial<Record<Channel, number>> = {};
      for (const o of mine) openByChannel[o.channel] = o.n;
      out.set(id, { open: openByChannel, pendingChannels: pending.filter((p) => p.agentId === id).map((p) => p.channel) });
    }
    return out;
  }

  async #expireOffers(): Promise<void> {
    const now = new Date(this.#now());
    const expired = await this.#db
      .update(offers)
      .set({ status: 'expired', decidedAt: now })
      .where(and(eq(offers.status, 'pending'), lte(offers.expiresAt, now)))
      .returning();
    for (const o of expired) {
      await this.#noteRefusal(this.#db, o.entryId, o.agentId, now);
      await this.#backToWaiting(this.#db, o.entryId, now);
      this.emit('offer-ended', o);
    }
  }

  async #timeoutEntries(): Promise<void> {
    const now = new Date(this.#now());
    const due = await this.#db
      .select({ id: queueEntries.id })
      .from(queueEntries)
      .where(and(inArray(queueEntries.status, ['waiting', 'offered']), lte(queueEntries.deadlineAt, now)));
    for (const d of due) await this.#end(d.id, 'timeout', ['waiting', 'offered']);
  }

  async #end(entryId: number, status: 'timeout' | 'abandoned' | 'cancelled', from: EntryStatus[], why?: string): Promise<EntryRow | undefined> {
    const now = new Date(this.#now());
    const result = await this.#db.transaction(async (tx) => {
      const [entry] = await tx
        .update(queueEntries)
        .set({ status, endedAt: now, ...(why ? { data: sql`${queueEntries.data} || ${JSON.stringify({ endReason: why })}::jsonb` } : {}) })
        .where(and(eq(queueEntries.id, entryId), inArray(queueEntries.status, from)))
        .returning();
      if (!entry) return undefined;
      const withdrawn = await tx
        .update(offers)
        .set({ status: 'cancelled', decidedAt: now })
        .where(and(eq(offers.entryId, entryId), eq(offers.status, 'pending')))
        .returning();
      if (status !== 'cancelled') await this.#report(tx as unknown as Db, entry, status, null, now);
      return { entry, withdrawn };
    });
    if (!result) return undefined;
    for (const o of result.withdrawn) this.emit('offer-ended', o);
    this.emit('entry-ended', result.entry);
    return result.entry;
  }

  async #backToWaiting(db: Db, entryId: number, now: Date): Promise<void> {
    const [stillPending] = await db
      .select({ id: offers.id })
      .from(offers)
      .where(and(eq(offers.entryId, entryId), eq(offers.status, 'pending')))
      .limit(1);
    if (stillPending) return;
    await db
      .update(queueEntries)
      .set({ status: 'waiting', nextTryAt: now })
      .where(and(eq(queueEntries.id, entryId), eq(queueEntries.status, 'offered')));
  }

  async #noteRefusal(db: Db, entryId: number, agentId: number, now: Date): Promise<void> {
    await db
      .update(queueEntries)
      .set({ data: sql`jsonb_set(${queueEntries.data}, '{refusals}', coalesce(${queueEntries.data}->'refusals', '[]'::jsonb) || ${JSON.stringify([{ agentId, at: now.getTime() }])}::jsonb)` })
      .where(eq(queueEntries.id, entryId));
  }

  /** One report row per queue passage (report_<channel>_queue). */
  async #report(db: Db, entry: EntryRow, reason: 'accepted' | 'timeout' | 'abandoned', userId: number | null, endedAt: Date): Promise<void> {
    await db
      .insert(queueReports)
      .values({
        channel: entry.channel,
        queueId: entry.queueId,
        entryId: entry.id,
        interactionRef: entry.interactionRef,
        reason,
        userId,
        enqueuedAt: entry.enqueuedAt,
        endedAt,
        waitMs: Math.max(0, endedAt.getTime() - entry.enqueuedAt.getTime()),
      })
      .onConflictDoNothing();
  }
}

export interface AgentLoad {
  open: Partial<Record<Channel, number>>;
  pendingChannels: Channel[];
}

const emptyLoad = (): AgentLoad => ({ open: {}, pendingChannels: [] });
const withDevice = (state: string | undefined) => (state === undefined ? {} : { deviceState: state });

function refusalsOf(entry: EntryRow): { agentId: number; at: number }[] {
  const r = (entry.data as { refusals?: unknown }).refusals;
  return Array.isArray(r) ? r.filter((x): x is { agentId: number; at: number } => typeof x === 'object' && x !== null && typeof (x as { agentId?: unknown }).agentId === 'number') : [];
}
