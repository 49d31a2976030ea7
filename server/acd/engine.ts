// The queue engine's shell: it wires the routing pass (./routing-pass.ts, decisions by the pure core
// in ./routing) to what triggers it, and announces every change as an event. Waiting entries
// (./entry-store.ts), offers (./offers.ts) and reports live in PostgreSQL. Several nodes can run an engine on one database:
// a routing pass claims the queues it routes with FOR UPDATE SKIP LOCKED and the agents it offers
// the same way, so no interaction and no agent is offered twice at once; accepting is a guarded
// update, so only one agent wins an offer.
//
// Routing is event-driven: everything that can free an agent or add a caller (enqueue, login,
// unpause, an interaction finished, a refusal, a membership or settings change) calls kick(), and
// what only time changes (an offer ringing out, a wrap-up or a refusal cooldown ending, an entry's
// deadline) is woken by a timer set for that instant. The periodic pass is only a safety net.
import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../../flows/clock.ts';
import { transaction, type Db } from '../db/database.ts';
import type { routingDecisions } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { presenceOf, type AgentPresence } from './presence.ts';
import { inMilliseconds } from './queue-settings.ts';
import { queueMembers } from './members.ts';
import { readSettings } from '../settings/settings.ts';
import type { RoutingCore } from './routing-port.ts';
import { ALL, routingPass, routingQueue, widen, type EntryRow, type OfferRow, type RecordedDecision, type RoutingScope } from './routing-pass.ts';
import { endEntry, ENDED, entriesAhead, entriesPastDeadline, entryById, decisionsOf, findQueue, inLineCount, insertEntry, nextDeadline, type EntryStatus } from './entry-store.ts';
import { acceptOffer, expireOffers, finishAccepted, pendingOffersOf, rejectOffer } from './offers.ts';

export type { EntryRow, EntryStatus, OfferRow };

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
    const swept = (await expireOffers(this.#db, this.#now(), (o) => this.emit('offer-ended', o))) + (await this.#timeoutEntries());
    const routed = await this.#route(swept > 0 ? ALL : scope);
    const next = await nextDeadline(this.#db);
    const at = [routed.wakeAt, next, routed.retrySoon ? this.#now() + this.#lockRetryMs : null].filter((x): x is number => x !== null);
    if (at.length) this.#wakeUpAt(Math.min(...at));
  }

  // --- entries ------------------------------------------------------------------------------------

  async enqueue(input: EnqueueInput): Promise<EnqueueResult> {
    const queue = await findQueue(this.#db, input.queueId);
    if (!queue) return { ok: false, outcome: 'failed', reason: `queue ${input.queueId} does not exist` };
    const settings = inMilliseconds(queue);
    // Most queues admit everyone: only a join-empty rule or a maximum needs the members and the count.
    if (!this.#core.admitsEveryone(settings)) {
      const members = await queueMembers(this.#db, queue.id);
      const presence = await presenceOf(this.#db, members.map((m) => m.userId));
      const waiting = await inLineCount(this.#db, queue.id);
      const admission = this.#core.admit(routingQueue(queue, members), [...presence.values()], waiting, this.#now());
      if (!admission.ok) return { ok: false, outcome: admission.outcome, reason: admission.reason };
    }
    const timeoutMs = input.timeoutMs && input.timeoutMs > 0 ? input.timeoutMs : settings.waitTimeoutMs;
    const entry = await insertEntry(this.#db, queue, input, this.#now(), timeoutMs);
    this.emit('entry-queued', entry);
    this.kick({ queues: [entry.queueId] });
    return { ok: true, entry };
  }

  async getEntry(entryId: number): Promise<EntryRow> {
    return entryById(this.#db, entryId);
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
    const agentId = await finishAccepted(this.#db, entryId, this.#now(), disposition);
    if (agentId === undefined) return;
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

  /** How many entries of the queue are served before this one (0 = next): the router's own order. */
  async position(entry: EntryRow): Promise<number> {
    return entriesAhead(this.#db, entry);
  }

  async decisions(entryId: number): Promise<(typeof routingDecisions.$inferSelect)[]> {
    await this.getEntry(entryId);
    return decisionsOf(this.#db, entryId);
  }

  // --- offers ---------------------------------------------------------------------------------------

  async pendingOffers(agentId: number): Promise<OfferRow[]> {
    return pendingOffersOf(this.#db, agentId);
  }

  /** Accepts an offer for `agentId`: 409 when it expired, was withdrawn, or another agent took the interaction. */
  async accept(offerId: number, agentId: number): Promise<EntryRow> {
    const result = await acceptOffer(this.#db, offerId, agentId, this.#now());
    for (const o of result.others) this.emit('offer-ended', o);
    this.emit('entry-accepted', result.entry, result.accepted);
    // The agent's offer is no longer pending (a capacity above one leaves room for the next entry),
    // and the other agents of a ringall round are free again.
    this.kick({ agents: [agentId, ...result.others.map((o) => o.agentId)] });
    return result.entry;
  }

  /** The agent declines (or does not answer the phone): the interaction goes to someone else. */
  async reject(offerId: number, agentId: number): Promise<void> {
    const ended = await rejectOffer(this.#db, offerId, agentId, this.#now());
    this.emit('offer-ended', ended.offer);
    // The refuser may take the next entry in line; the entry, back in line, may go to another member.
    this.kick({ agents: [agentId], queues: ended.queueId === null ? [] : [ended.queueId] });
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

  async #timeoutEntries(): Promise<number> {
    const due = await entriesPastDeadline(this.#db, this.#now());
    for (const id of due) await this.#end(id, 'timeout', ['waiting', 'offered']);
    return due.length;
  }

  async #end(entryId: number, status: 'timeout' | 'abandoned' | 'cancelled', from: EntryStatus[], why?: string): Promise<EntryRow | undefined> {
    const result = await endEntry(this.#db, entryId, status, from, this.#now(), why);
    if (!result) return undefined;
    for (const o of result.withdrawn) this.emit('offer-ended', o);
    this.emit('entry-ended', result.entry);
    // The agents its offers were ringing are free again: the next entry in line is theirs now.
    if (result.withdrawn.length > 0) this.kick({ agents: result.withdrawn.map((o) => o.agentId) });
    return result.entry;
  }
}
