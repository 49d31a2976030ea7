// The queue engine's I/O shell: waiting entries, offers and reports live in PostgreSQL; routing
// decisions come from the pure core (./routing). Several nodes can run an engine on one database:
// a routing pass claims the queues it routes with FOR UPDATE SKIP LOCKED and the agents it offers
// the same way, so no interaction and no agent is offered twice at once; accepting is a guarded
// update, so only one agent wins an offer.
//
// Routing is event-driven: everything that can free an agent or add a caller (enqueue, login,
// unpause, an interaction finished, a refusal, a membership or settings change) calls kick(), and
// what only time changes (an offer ringing out, a wrap-up or a refusal cooldown ending, an entry's
// deadline) is woken by a timer set for that instant. The periodic pass is only a safety net.
import { EventEmitter } from 'node:events';
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { systemClock, type Clock } from '../../flows/clock.ts';
import { rowsOf, transaction, type Db } from '../db/database.ts';
import { agentChannelStates, agentStateHistory, calls, offers, queueEntries, queueReports, queues, routingDecisions } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { DomainError, notFound } from '../errors.ts';
import { presenceOf, type AgentPresence } from './presence.ts';
import { inMilliseconds } from './queue-settings.ts';
import { queueMembers } from './members.ts';
import { readSettings } from '../settings/settings.ts';
import type { RoutingCore } from './routing-port.ts';
import { queueReportRow } from './routing/index.ts';
import { ALL, routingPass, routingQueue, servedBefore, widen, type EntryRow, type OfferRow, type RecordedDecision, type RoutingScope } from './routing-pass.ts';

export type EntryStatus = 'waiting' | 'offered' | 'accepted' | 'timeout' | 'abandoned' | 'cancelled';
export type { EntryRow, OfferRow };

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
  /** Time and timers (a virtual clock in tests). */
  clock?: Clock;
  /** The safety-net pass: how often one runs with no other trigger (0 = never; events and wake-up timers still route). */
  tickMs?: number;
  /** How soon to route again when another node held a queue or an agent during a pass. */
  lockRetryMs?: number;
  /** Asterisk's state of the device an agent's voice offers ring (from AMI), when known. */
  deviceState?: (dialTarget: string | null) => string | undefined;
}

const ENDED: readonly EntryStatus[] = ['accepted', 'timeout', 'abandoned', 'cancelled'];

export class AcdEngine extends EventEmitter<AcdEvents> {
  readonly #db: Db;
  readonly #log: Logger;
  readonly #core: RoutingCore;
  readonly #clock: Clock;
  readonly #tickMs: number;
  readonly #lockRetryMs: number;
  readonly #deviceState: (dialTarget: string | null) => string | undefined;
  #cancelTick: (() => void) | undefined;
  #cancelWake: (() => void) | undefined;
  #wakeAt: number | null = null;
  #running: Promise<void> | undefined;
  /** What the next pass must route: everything, or only what these queues and agents touch. */
  #pending: RoutingScope | null = null;
  #stopped = false;
  /** Per waiting entry, the last unoffered decision stored (explainability without repeats). */
  readonly #lastDecision = new Map<number, RecordedDecision>();

  constructor(deps: AcdEngineDeps) {
    super();
    this.#db = deps.db;
    this.#log = deps.logger;
    this.#core = deps.core;
    this.#clock = deps.clock ?? systemClock;
    this.#tickMs = deps.tickMs ?? 1000;
    this.#lockRetryMs = deps.lockRetryMs ?? 25;
    this.#deviceState = deps.deviceState ?? (() => undefined);
    // Every waiting chat or call listens for its outcome: many listeners are normal here.
    this.setMaxListeners(0);
    const forget = (e: EntryRow) => this.#lastDecision.delete(e.id);
    this.on('entry-ended', forget);
    this.on('entry-accepted', forget);
  }

  #now(): number {
    return this.#clock.now();
  }

  start(): void {
    this.#stopped = false;
    const loop = () => {
      if (this.#stopped) return;
      this.kick();
      if (this.#tickMs > 0) this.#cancelTick = this.#clock.setTimer(this.#tickMs, loop);
    };
    loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelTick?.();
    this.#cancelWake?.();
    await this.#running?.catch(() => undefined);
  }

  /** Resolves once no pass is running or asked for (tests on a virtual clock step with it). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  #autoAccept(offer: OfferRow, delayMs: number): void {
    this.#clock.setTimer(delayMs, () => {
      if (this.#stopped) return;
      // Still pending? (another agent may have taken it, or it was withdrawn meanwhile)
      this.accept(offer.id, offer.agentId).catch(() => undefined);
    });
  }

  /** Routes again at `at` (or soon after), unless a pass is already due earlier. */
  #wakeUpAt(at: number): void {
    if (this.#stopped) return;
    if (this.#wakeAt !== null && this.#wakeAt <= at) return;
    this.#cancelWake?.();
    this.#wakeAt = at;
    this.#cancelWake = this.#clock.setTimer(Math.max(0, at - this.#now()), () => {
      this.#wakeAt = null;
      this.#cancelWake = undefined;
      this.kick();
    });
  }

  /** Announces a presence change (login, logout, pause) and routes again: a slot may have opened. */
  presenceChanged(presence: AgentPresence): void {
    this.emit('presence', presence);
    this.kick({ agents: [presence.agentId] });
  }

  /**
   * Runs sweeps and routing soon; calls made while a pass runs coalesce into one more pass. With a
   * scope, that pass routes only the queues named and the queues of the agents named: what an
   * event can change. Nothing else can have become routable (every earlier pass left no agent idle
   * with an entry it could take), so the others need no new decision; time-bound changes and the
   * safety-net pass route everything.
   */
  kick(scope?: { queues?: readonly number[]; agents?: readonly number[] }): void {
    this.#pending = widen(this.#pending, scope);
    this.#drain();
  }

  #drain(): void {
    if (this.#running || this.#pending === null) return;
    const next = this.#pending;
    this.#pending = null;
    this.#running = this.pass(next)
      .catch((err: unknown) => this.#log.warn({ err: String(err) }, 'queue engine pass failed; retrying on the next tick'))
      .finally(() => {
        this.#running = undefined;
        if (!this.#stopped) this.#drain();
      });
  }

  /** One pass: expire offers, time out entries past their deadline, route what waits (in `scope`), set the next wake-up. */
  async pass(scope: RoutingScope = ALL): Promise<void> {
    const swept = (await this.#expireOffers()) + (await this.#timeoutEntries());
    const routed = await this.#route(swept > 0 ? ALL : scope);
    const next = await this.#nextDeadline();
    const at = [routed.wakeAt, next, routed.retrySoon ? this.#now() + this.#lockRetryMs : null].filter((x): x is number => x !== null);
    if (at.length) this.#wakeUpAt(Math.min(...at));
  }

  // --- entries ------------------------------------------------------------------------------------

  async enqueue(input: EnqueueInput): Promise<EnqueueResult> {
    const [queue] = await this.#db.select().from(queues).where(eq(queues.id, input.queueId));
    if (!queue) return { ok: false, outcome: 'failed', reason: `queue ${input.queueId} does not exist` };
    const settings = inMilliseconds(queue);
    // Most queues admit everyone: only a join-empty rule or a maximum needs the members and the count.
    if (!this.#core.admitsEveryone(settings)) {
      const members = await queueMembers(this.#db, queue.id);
      const presence = await presenceOf(this.#db, members.map((m) => m.userId));
      const [waiting] = await this.#db
        .select({ n: sql<number>`count(*)::int` })
        .from(queueEntries)
        .where(and(eq(queueEntries.queueId, queue.id), inArray(queueEntries.status, ['waiting', 'offered'])));
      const admission = this.#core.admit(routingQueue(queue, members), [...presence.values()], waiting?.n ?? 0, this.#now());
      if (!admission.ok) return { ok: false, outcome: admission.outcome, reason: admission.reason };
    }
    const timeoutMs = input.timeoutMs && input.timeoutMs > 0 ? input.timeoutMs : settings.waitTimeoutMs;
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
        deadlineAt: timeoutMs > 0 ? new Date(now + timeoutMs) : null,
        data: input.data ?? {},
      })
      .returning();
    this.emit('entry-queued', entry!);
    this.kick({ queues: [entry!.queueId] });
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
    const now = new Date(this.#now());
    // One statement (one commit): the entry ends; the agent enters the queue's wrap-up on that
    // channel (none: the last end is still recorded, an earlier wrap-up still running is kept); the
    // state history says wrap-up or ready.
    const [ended] = rowsOf<{ id: number | string; agent_id: number | string }>(
      await this.#db.execute(sql`
        with e as (
          update ${queueEntries} qe set ended_at = ${now}
            from ${queues} q
           where qe.id = ${entryId} and qe.status = 'accepted' and qe.ended_at is null and qe.agent_id is not null and q.id = qe.queue_id
          returning qe.id, qe.agent_id, qe.channel, q.wrapup_sec
        ), wrapup as (
          insert into ${agentChannelStates} (user_id, channel, wrapup_until, last_ended_at)
          select agent_id, channel, case when wrapup_sec > 0 then ${now}::timestamptz + make_interval(secs => wrapup_sec) end, ${now} from e
          on conflict (user_id, channel) do update
             set wrapup_until = coalesce(excluded.wrapup_until, ${agentChannelStates}.wrapup_until), last_ended_at = excluded.last_ended_at
        ), history as (
          insert into ${agentStateHistory} (user_id, channel, state, at, details)
          select agent_id, channel, case when wrapup_sec > 0 then 'wrapup' else 'ready' end, ${now},
                 jsonb_build_object('entryId', id, 'wrapupSec', wrapup_sec) from e
        )
        select id, agent_id from e`),
    );
    if (!ended) return;
    const agentId = Number(ended.agent_id);
    const e = await this.getEntry(entryId);
    this.emit('entry-finished', e);
    this.kick({ agents: [agentId] });
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
    const [pending] = await this.#db
      .select({ entry: queueEntries })
      .from(offers)
      .innerJoin(queueEntries, eq(queueEntries.id, offers.entryId))
      .where(and(eq(offers.id, offerId), eq(offers.agentId, agentId)));
    if (!pending) await this.#refuseAccept(offerId, agentId, now);
    const report = reportValues(pending!.entry, { outcome: 'accepted', agentId, at: now.getTime() });
    // One statement, so one round trip and atomic without a transaction: lock the offer if it is
    // still open for this agent, take the entry if it is still offered, close the offer and the
    // other agents' offers of the round, write the report row and the agent's state.
    const taken = rowsOf<{ entry_id: number | string | null; others: (number | string)[] | null }>(
      await this.#db.execute(sql`
        with target as (
          select id, entry_id from ${offers}
           where id = ${offerId} and agent_id = ${agentId} and status = 'pending' and expires_at > ${now}
             for update
        ), entry as (
          update ${queueEntries} qe set status = 'accepted', agent_id = ${agentId}
            from target where qe.id = target.entry_id and qe.status = 'offered'
          returning qe.id, qe.channel, qe.queue_id
        ), accepted as (
          update ${offers} set status = 'accepted', decided_at = ${now} where id in (select t.id from target t join entry e on e.id = t.entry_id)
        ), others as (
          update ${offers} set status = 'cancelled', decided_at = ${now}
           where entry_id in (select id from entry) and id <> ${offerId} and status = 'pending'
          returning id
        ), report as (
          insert into ${queueReports} (channel, queue_id, entry_id, interaction_ref, reason, user_id, enqueued_at, ended_at, wait_ms)
          select ${report.channel}, ${report.queueId}, ${report.entryId}, ${report.interactionRef}, ${report.reason}, ${report.userId},
                 ${report.enqueuedAt}, ${report.endedAt}, ${report.waitMs}
            from entry
          on conflict do nothing
        ), history as (
          insert into ${agentStateHistory} (user_id, channel, state, at, details)
          select ${agentId}, channel, 'busy', ${now}, jsonb_build_object('entryId', id, 'queueId', queue_id) from entry
        )
        select (select id from entry) as entry_id, array(select id from others) as others`),
    )[0];
    if (taken?.entry_id === null || taken?.entry_id === undefined) await this.#refuseAccept(offerId, agentId, now);
    const entryId = Number(taken!.entry_id);
    const others = (taken!.others ?? []).map(Number);
    const [entry] = await this.#db.select().from(queueEntries).where(eq(queueEntries.id, entryId));
    const closed = await this.#db.select().from(offers).where(inArray(offers.id, [offerId, ...others]));
    const result = { entry: entry!, accepted: closed.find((o) => o.id === offerId)!, others: closed.filter((o) => o.id !== offerId) };
    for (const o of result.others) this.emit('offer-ended', o);
    this.emit('entry-accepted', result.entry, result.accepted);
    // The agent's offer is no longer pending (a capacity above one leaves room for the next entry),
    // and the other agents of a ringall round are free again.
    this.kick({ agents: [agentId, ...result.others.map((o) => o.agentId)] });
    return result.entry;
  }

  /** Why an accept took nothing: 404 for an offer that is not this agent's, 409 for one no longer open. */
  async #refuseAccept(offerId: number, agentId: number, now: Date): Promise<never> {
    const [offer] = await this.#db.select().from(offers).where(eq(offers.id, offerId));
    if (!offer || offer.agentId !== agentId) throw notFound('offer', offerId);
    if (offer.status !== 'pending' || offer.expiresAt.getTime() <= now.getTime()) {
      throw new DomainError('conflict', `Offer ${offerId} is no longer open (${offer.status === 'pending' ? 'expired' : offer.status})`, { fields: [{ field: 'offerId', message: 'is no longer open' }], status: offer.status });
    }
    throw new DomainError('conflict', `The interaction of offer ${offerId} was taken or left the queue`, { fields: [{ field: 'offerId', message: 'interaction no longer waiting' }] });
  }

  /** The agent declines (or does not answer the phone): the interaction goes to someone else. */
  async reject(offerId: number, agentId: number): Promise<void> {
    const now = new Date(this.#now());
    const ended = await transaction(this.#db, async (tx) => {
      const [offer] = await tx
        .update(offers)
        .set({ status: 'rejected', decidedAt: now })
        .where(and(eq(offers.id, offerId), eq(offers.agentId, agentId), eq(offers.status, 'pending')))
        .returning();
      if (!offer) throw new DomainError('conflict', `Offer ${offerId} is no longer open`, { fields: [{ field: 'offerId', message: 'is no longer open' }] });
      await this.#noteRefusal(tx, offer.entryId, agentId, now, 'rejected');
      const queueId = await this.#backToWaiting(tx, offer.entryId);
      return { offer, queueId };
    });
    this.emit('offer-ended', ended.offer);
    // The refuser may take the next entry in line; the entry, back in line, may go to another member.
    this.kick({ agents: [agentId], queues: ended.queueId === null ? [] : [ended.queueId] });
  }

  async decisions(entryId: number): Promise<(typeof routingDecisions.$inferSelect)[]> {
    await this.getEntry(entryId);
    return this.#db.select().from(routingDecisions).where(eq(routingDecisions.entryId, entryId)).orderBy(asc(routingDecisions.id));
  }

  // --- internals -------------------------------------------------------------------------------------

  /** One routing pass over every queue with waiting entries (./routing-pass.ts), then its effects. */
  async #route(scope: RoutingScope): Promise<{ wakeAt: number | null; retrySoon: boolean }> {
    const now = this.#now();
    const settings = await readSettings(this.#db);
    const result = await transaction(this.#db, (tx) =>
      routingPass(tx, { now, scope, maxOpenTabs: settings.maxOpenTabs, core: this.#core, deviceState: this.#deviceState, lastDecision: this.#lastDecision }),
    );
    for (const [entryId, recorded] of result.recorded) this.#lastDecision.set(entryId, recorded);
    for (const { offer, entry, autoAnswerDelayMs } of result.created) {
      this.#lastDecision.delete(entry.id);
      this.emit('offer', offer, entry);
      // Auto-answer (per agent and channel, with its delay) for interactions the desktop shows; a
      // voice call is answered by the agent's phone itself (phone bar auto-answer), not here.
      if (offer.autoAnswer && entry.channel !== 'voice') this.#autoAccept(offer, autoAnswerDelayMs);
    }
    for (const id of result.leave) await this.#end(id, 'timeout', ['waiting'], 'the queue emptied (leave when empty)');
    return { wakeAt: result.wakeAt, retrySoon: result.retrySoon };
  }

  /** The next instant an offer rings out or an entry reaches its deadline. */
  async #nextDeadline(): Promise<number | null> {
    const [row] = rowsOf<{ offer_at: Date | string | null; deadline_at: Date | string | null }>(
      await this.#db.execute(sql`
        select (select min(expires_at) from offers where status = 'pending') as offer_at,
               (select min(deadline_at) from queue_entries where status in ('waiting', 'offered')) as deadline_at`),
    );
    const times = [row?.offer_at, row?.deadline_at].filter((t): t is Date | string => t !== null && t !== undefined).map((t) => new Date(t).getTime());
    return times.length ? Math.min(...times) : null;
  }

  /** How many entries of the queue are served before this one (0 = next): the router's own order. */
  async position(entry: EntryRow): Promise<number> {
    const [ahead] = await this.#db
      .select({ n: sql<number>`count(*)::int` })
      .from(queueEntries)
      .where(and(eq(queueEntries.queueId, entry.queueId), inArray(queueEntries.status, ['waiting', 'offered']), servedBefore(entry)));
    return Number(ahead?.n ?? 0);
  }

  async #expireOffers(): Promise<number> {
    const now = new Date(this.#now());
    const expired = await this.#db
      .update(offers)
      .set({ status: 'expired', decidedAt: now })
      .where(and(eq(offers.status, 'pending'), lte(offers.expiresAt, now)))
      .returning();
    for (const o of expired) {
      await this.#noteRefusal(this.#db, o.entryId, o.agentId, now, 'timeout');
      await this.#backToWaiting(this.#db, o.entryId);
      this.emit('offer-ended', o);
    }
    return expired.length;
  }

  async #timeoutEntries(): Promise<number> {
    const now = new Date(this.#now());
    const due = await this.#db
      .select({ id: queueEntries.id })
      .from(queueEntries)
      .where(and(inArray(queueEntries.status, ['waiting', 'offered']), lte(queueEntries.deadlineAt, now)));
    for (const d of due) await this.#end(d.id, 'timeout', ['waiting', 'offered']);
    return due.length;
  }

  async #end(entryId: number, status: 'timeout' | 'abandoned' | 'cancelled', from: EntryStatus[], why?: string): Promise<EntryRow | undefined> {
    const now = new Date(this.#now());
    const result = await transaction(this.#db, async (tx) => {
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
      if (status !== 'cancelled') await this.#report(tx, entry, status, now);
      return { entry, withdrawn };
    });
    if (!result) return undefined;
    for (const o of result.withdrawn) this.emit('offer-ended', o);
    this.emit('entry-ended', result.entry);
    // The agents its offers were ringing are free again: the next entry in line is theirs now.
    if (result.withdrawn.length > 0) this.kick({ agents: result.withdrawn.map((o) => o.agentId) });
    return result.entry;
  }

  /** The entry waits again if no offer rings for it any more; returns its queue when it does. */
  async #backToWaiting(db: Db, entryId: number): Promise<number | null> {
    const [stillPending] = await db
      .select({ id: offers.id })
      .from(offers)
      .where(and(eq(offers.entryId, entryId), eq(offers.status, 'pending')))
      .limit(1);
    if (stillPending) return null;
    const [waiting] = await db
      .update(queueEntries)
      .set({ status: 'waiting' })
      .where(and(eq(queueEntries.id, entryId), eq(queueEntries.status, 'offered')))
      .returning({ queueId: queueEntries.queueId });
    return waiting?.queueId ?? null;
  }

  async #noteRefusal(db: Db, entryId: number, agentId: number, now: Date, kind: 'rejected' | 'timeout'): Promise<void> {
    await db
      .update(queueEntries)
      .set({ data: sql`jsonb_set(${queueEntries.data}, '{refusals}', coalesce(${queueEntries.data}->'refusals', '[]'::jsonb) || ${JSON.stringify([{ agentId, at: now.getTime(), kind }])}::jsonb)` })
      .where(eq(queueEntries.id, entryId));
  }

  /** One report row per queue passage (report_<channel>_queue). */
  async #report(db: Db, entry: EntryRow, outcome: 'timeout' | 'abandoned', endedAt: Date): Promise<void> {
    await db.insert(queueReports).values(reportValues(entry, { outcome, at: endedAt.getTime() })).onConflictDoNothing();
  }
}

/**
 * The report row of a queue passage (report_<channel>_queue), built by the routing core's
 * queueReportRow. An end stamped before the entry's arrival (another node's clock a little behind)
 * counts as the arrival itself rather than failing the passage.
 */
function reportValues(entry: EntryRow, end: { outcome: 'accepted'; agentId: number; at: number } | { outcome: 'timeout' | 'abandoned'; at: number }): typeof queueReports.$inferInsert {
  const enqueuedAt = entry.enqueuedAt.getTime();
  const row = queueReportRow({ id: entry.queueId, channel: entry.channel }, { id: entry.id, enqueuedAt }, { ...end, at: Math.max(end.at, enqueuedAt) });
  return {
    channel: row.channel,
    queueId: row.queueId,
    entryId: entry.id,
    interactionRef: entry.interactionRef,
    reason: row.reason,
    userId: row.userId,
    enqueuedAt: new Date(row.enqueuedAt),
    endedAt: new Date(row.endedAt),
    waitMs: row.waitMs,
  };
}
