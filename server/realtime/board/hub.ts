// The `/supervisor` socket.io namespace: authenticates like the default namespace, refuses users
// without the realtime permission, sends each supervisor a snapshot of what they may see, then at
// most one `board:delta` per flush interval with the latest state of what changed. Events only mark
// keys dirty; the flush recomputes those with batched queries and fans the result out per scope.
// With several nodes (socket.io's Redis adapter), each node tells the others which keys are dirty
// and every node recomputes for its own sockets.
//
// This file is the hub: it follows events, runs the flush loop and answers snapshots. Who a socket
// is lives in board-session.ts, how sockets share views in board-groups.ts, and how a flush's
// changes go out in board-fanout.ts.
import { z } from 'zod';
import type { Namespace, Server, Socket } from 'socket.io';
import { systemClock, type Clock } from '../../../flows/clock.ts';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../logger.ts';
import type { AcdEngine } from '../../acd/engine.ts';
import type { DeviceStates } from '../../voice/device-states.ts';
import { callRecordEvents } from '../../voice/call-records.ts';
import { BOARD_EVENTS, BOARD_NAMESPACE, type BoardAgent, type BoardSnapshot } from '../../../contracts/realtime-board.ts';
import { DirtySet, type DirtyKeys } from './coalescer.ts';
import { BoardState } from './board-state.ts';
import { ChangeFeed } from './change-feed.ts';
import type { Directory } from './queries.ts';
import { scopeOf, seesAgent, seesCall, seesQueue } from './scope.ts';
import { authenticateBoardSocket, newBoardSession, onDrain, reauthorizeSessions, type BoardSession } from './board-session.ts';
import { BoardGroups } from './board-groups.ts';
import { BoardFanOut } from './board-fanout.ts';

/** Nodes tell each other which keys are dirty (serverSideEmit; needs a cluster adapter such as Redis). */
export const BOARD_DIRTY_EVENT = 'board:dirty';

const idList = z.array(z.number().int().positive()).max(100_000);
const dirtyKeysSchema = z
  .object({
    agents: idList.default([]),
    queues: idList.default([]),
    calls: idList.default([]),
    callRefs: z.array(z.string().max(200)).max(100_000).default([]),
    entries: idList.default([]),
    trunks: idList.default([]),
    structure: z.boolean().default(false),
  })
  .strip();

/** What the spy service reports (server/voice/spy/spy-service.ts `session` events). */
export interface SpySessionEvent {
  sessionId: number;
  supervisorId: number;
  agentId: number;
  mode: 'listen' | 'whisper' | 'barge';
  status: string;
}
export interface SpySessionEvents {
  on(event: 'session', listener: (s: SpySessionEvent) => void): unknown;
  off(event: 'session', listener: (s: SpySessionEvent) => void): unknown;
}

/**
 * The node's services the board uses (the node passes its whole `Services`): declared here so the
 * board does not depend on the services that list it.
 */
export interface BoardHubServices {
  db: Db;
  logger: Logger;
  acd?: AcdEngine;
  devices?: DeviceStates;
}

export interface BoardHubOptions {
  /** How often changes are flushed to the sockets (ms). */
  flushMs?: number;
  /** How often the audit log and state history are polled for changes without events (ms). */
  feedMs?: number;
  spy?: SpySessionEvents;
  /**
   * Time for the flush, poll and re-check timers and the resync throttle (a virtual clock in tests);
   * the system clock by default. stop() cancels every timer, so none needs unref'ing.
   */
  clock?: Clock;
}

/** A client asking for snapshots in a loop gets at most one per this many ms (each costs queries). */
const RESYNC_MIN_MS = 1_000;

/** How often every board socket's credential and permissions are checked again (logout, expiry, revocation). */
const REAUTHORIZE_MS = 60_000;

/** The in-memory adapter only warns on serverSideEmit; a cluster adapter overrides it. */
function adapterBroadcastsToNodes(ns: Namespace): boolean {
  let owners = 0;
  for (let p: object | null = Object.getPrototypeOf(ns.adapter) as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    if (Object.prototype.hasOwnProperty.call(p, 'serverSideEmit')) owners++;
  }
  return owners > 1;
}

export class SupervisorBoardHub {
  readonly #services: BoardHubServices;
  readonly #io: Server;
  readonly #flushMs: number;
  readonly #feedMs: number;
  readonly #spy: SpySessionEvents | undefined;
  readonly #clock: Clock;
  readonly #state: BoardState;
  readonly #feed: ChangeFeed;
  /** Keys to recompute at the next flush. */
  readonly #dirty = new DirtySet();
  /** Keys that changed because of this node's events: the other nodes are told about them. */
  readonly #outbox = new DirtySet();
  readonly #sessions = new Map<string, BoardSession>();
  readonly #groups = new BoardGroups();
  readonly #fanOut: BoardFanOut;
  readonly #unsubscribe: (() => void)[] = [];
  /** The latest spy event per agent: the service announces an end before it writes it. */
  readonly #spyByAgent = new Map<number, SpySessionEvent>();
  #ns: Namespace | undefined;
  #loaded: Promise<void> | undefined;
  #flushing: Promise<void> | undefined;
  #flushTimer: (() => void) | undefined;
  #feedTimer: (() => void) | undefined;
  #reauthorizeTimer: (() => void) | undefined;
  #stopped = false;
  /**
   * For the benchmark: flushes and their duration, deltas handed to socket.io, times a lagging
   * socket was held back, and the age of the oldest local event of each flush (ms).
   */
  readonly stats = { flushes: 0, deltas: 0, held: 0, flushMs: 0, ageCount: 0, ages: [] as number[] };
  /** When the oldest key now dirty was marked (ms, performance clock): how long changes wait for their flush. */
  #dirtySince: number | undefined;

  constructor(io: Server, services: BoardHubServices, options: BoardHubOptions = {}) {
    this.#io = io;
    this.#services = services;
    this.#flushMs = options.flushMs ?? 250;
    this.#feedMs = options.feedMs ?? 1000;
    this.#spy = options.spy;
    this.#clock = options.clock ?? systemClock;
    this.#state = new BoardState({
      db: services.db,
      deviceState: (device) => services.devices?.get(device),
      due: (keys) => this.#dirty.merge(keys),
      spiedBy: (agentId, fromDb) => this.#spiedBy(agentId, fromDb),
    });
    this.#feed = new ChangeFeed(services.db);
    this.#fanOut = new BoardFanOut({
      groups: this.#groups,
      sessions: this.#sessions,
      state: this.#state,
      clock: this.#clock,
      namespace: () => this.#ns,
      stats: this.stats,
      rejoin: (session) => void this.#sendSnapshot(session),
    });
  }

  /** Attaches the namespace and starts following events; the first full load runs in the background. */
  start(): void {
    const ns = this.#io.of(BOARD_NAMESPACE);
    this.#ns = ns;
    ns.use((socket, next) => {
      authenticateBoardSocket(this.#services, socket).then(
        () => next(),
        (err: Error) => next(err),
      );
    });
    ns.on('connection', (socket) => this.#connected(socket));
    ns.on(BOARD_DIRTY_EVENT, (payload: unknown) => {
      const parsed = dirtyKeysSchema.safeParse(payload);
      if (parsed.success) this.#dirty.merge(parsed.data);
      else this.#services.logger.warn({ issues: parsed.error.issues.length }, 'ignored a malformed board:dirty message from another node');
    });
    this.#follow();
    this.#loaded = this.#feed.start().then(() => this.#flush());
    this.#loaded.catch((err: unknown) => this.#services.logger.error({ err: String(err) }, 'supervisor board: first load failed'));
    const tick = () => {
      if (this.#stopped) return;
      this.#flushTimer = this.#clock.setTimer(this.#flushMs, () => {
        void this.#flush().finally(tick);
      });
    };
    tick();
    const feedTick = () => {
      if (this.#stopped) return;
      this.#feedTimer = this.#clock.setTimer(this.#feedMs, () => {
        this.#feed
          .poll()
          .then((keys) => this.#dirty.merge(keys))
          .catch((err: unknown) => this.#services.logger.warn({ err: String(err) }, 'supervisor board: change feed poll failed'))
          .finally(feedTick);
      });
    };
    feedTick();
    const reauthorizeTick = () => {
      if (this.#stopped) return;
      this.#reauthorizeTimer = this.#clock.setTimer(REAUTHORIZE_MS, () => {
        void this.#reauthorize().finally(reauthorizeTick);
      });
    };
    reauthorizeTick();
  }

  /** Checks every socket's credential and permissions again (board-session.ts): one whose rights changed gets a new snapshot. */
  async #reauthorize(): Promise<void> {
    await reauthorizeSessions(this.#sessions.values(), this.#services, {
      stillConnected: (session) => this.#sessions.has(session.socket.id),
      rightsChanged: (session) => void this.#sendSnapshot(session),
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#reauthorizeTimer?.();
    this.#flushTimer?.();
    this.#feedTimer?.();
    for (const session of this.#sessions.values()) session.resyncQueued?.();
    for (const u of this.#unsubscribe.splice(0)) u();
    this.#state.stop();
    await this.#flushing?.catch(() => undefined);
    this.#ns?.disconnectSockets(true);
  }

  // --- events -------------------------------------------------------------------------------------

  #mark(keys: Partial<DirtyKeys>): void {
    this.#dirtySince ??= performance.now();
    this.#dirty.merge(keys);
    this.#outbox.merge(keys);
  }

  #follow(): void {
    const acd = this.#services.acd;
    if (acd) {
      const onPresence = (p: { agentId: number }) => this.#mark({ agents: [p.agentId] });
      const onEntry = (e: { id: number; queueId: number; channel: string; interactionRef: string; agentId: number | null }) =>
        this.#mark({ queues: [e.queueId], ...(e.agentId ? { agents: [e.agentId] } : {}), ...(e.channel === 'voice' ? { callRefs: [e.interactionRef] } : {}) });
      const onAccepted = (e: { id: number; queueId: number; channel: string; interactionRef: string; agentId: number | null }, o: { agentId: number }) =>
        this.#mark({ queues: [e.queueId], agents: [o.agentId], ...(e.channel === 'voice' ? { callRefs: [e.interactionRef] } : {}) });
      const onOffer = (_o: unknown, e: { channel: string; interactionRef: string }) => {
        if (e.channel === 'voice') this.#mark({ callRefs: [e.interactionRef] });
      };
      const onOfferEnded = (o: { entryId: number }) => this.#mark({ entries: [o.entryId] });
      acd.on('presence', onPresence);
      acd.on('entry-queued', onEntry);
      acd.on('entry-ended', onEntry);
      acd.on('entry-finished', onEntry);
      acd.on('entry-accepted', onAccepted);
      acd.on('offer', onOffer);
      acd.on('offer-ended', onOfferEnded);
      this.#unsubscribe.push(() => {
        acd.off('presence', onPresence);
        acd.off('entry-queued', onEntry);
        acd.off('entry-ended', onEntry);
        acd.off('entry-finished', onEntry);
        acd.off('entry-accepted', onAccepted);
        acd.off('offer', onOffer);
        acd.off('offer-ended', onOfferEnded);
      });
    }
    const onCall = (id: number) => this.#mark({ calls: [id] });
    callRecordEvents.on('opened', onCall);
    callRecordEvents.on('closed', onCall);
    this.#unsubscribe.push(() => {
      callRecordEvents.off('opened', onCall);
      callRecordEvents.off('closed', onCall);
    });
    const devices = this.#services.devices;
    // Device states come from this node's own AMI connection: not forwarded to other nodes.
    if (devices) this.#unsubscribe.push(devices.onChange((device) => this.#dirty.merge(this.#state.keysOfDevice(device))));
    if (this.#spy) this.followSpy(this.#spy);
  }

  /** Follows listen/whisper/barge sessions (the spy service exists only when ARI is configured). */
  followSpy(spy: SpySessionEvents): void {
    const onSpy = (e: SpySessionEvent) => {
      this.#spyByAgent.set(e.agentId, e);
      this.#mark({ agents: [e.agentId] });
    };
    spy.on('session', onSpy);
    this.#unsubscribe.push(() => spy.off('session', onSpy));
  }

  #spiedBy(agentId: number, fromDb: BoardAgent['spiedBy']): BoardAgent['spiedBy'] {
    const e = this.#spyByAgent.get(agentId);
    // A newer session than the last event (another node started it): the database knows better.
    if (!e || (fromDb && fromDb.sessionId > e.sessionId)) return fromDb;
    if (e.status === 'ended' || e.status === 'failed') return fromDb && fromDb.sessionId !== e.sessionId ? fromDb : null;
    return { sessionId: e.sessionId, supervisorId: e.supervisorId, mode: e.mode };
  }

  // --- sockets ------------------------------------------------------------------------------------

  #connected(socket: Socket): void {
    const session = newBoardSession(socket, this.#clock.now());
    this.#sessions.set(socket.id, session);
    socket.on('disconnect', () => {
      this.#sessions.delete(socket.id);
      session.resyncQueued?.();
      this.#groups.leave(session);
    });
    socket.on(BOARD_EVENTS.resync, () => this.#resync(session));
    onDrain(session, () => this.#fanOut.send(session));
    void this.#sendSnapshot(session);
  }

  /** `board:resync` from the client: answered at once, or once more after RESYNC_MIN_MS if asked in a loop. */
  #resync(session: BoardSession): void {
    if (session.resyncQueued) return;
    const wait = session.resyncAt + RESYNC_MIN_MS - this.#clock.now();
    if (wait <= 0) {
      session.resyncAt = this.#clock.now();
      void this.#sendSnapshot(session);
      return;
    }
    session.resyncQueued = this.#clock.setTimer(wait, () => {
      session.resyncQueued = undefined;
      if (this.#sessions.has(session.socket.id)) this.#resync(session);
    });
  }

  async #sendSnapshot(session: BoardSession): Promise<void> {
    try {
      await this.#loaded;
      // A supervisor enabled on a queue a moment ago must see it now, not after the next poll.
      // The periodic poll may already have queued a change that no flush has applied yet: flush
      // whatever is pending, not only what this poll found, so the snapshot is never staler.
      this.#dirty.merge(await this.#feed.pollFromNow());
      if (!this.#dirty.empty) await this.#flush();
    } catch (err) {
      this.#services.logger.warn({ err: String(err) }, 'supervisor board: snapshot failed');
      session.socket.emit(BOARD_EVENTS.error, { code: 'UNAVAILABLE', message: 'The board could not be loaded; ask again with board:resync' });
      return;
    }
    if (!this.#sessions.has(session.socket.id)) return;
    const dir = this.#state.dir;
    if (!dir) {
      // The first load failed (database down at start); the next flush tries again.
      session.socket.emit(BOARD_EVENTS.error, { code: 'UNAVAILABLE', message: 'The board is not loaded yet; ask again with board:resync' });
      return;
    }
    const s = scopeOf(session.principal, dir);
    const st = this.#state;
    const calls = [...st.calls.values()].filter((c) => seesCall(s, c));
    const group = this.#groups.join(session, s, calls);
    const snapshot: BoardSnapshot = {
      seq: group.seq,
      at: new Date(this.#clock.now()).toISOString(),
      can: session.can,
      agents: [...st.agents.values()].filter((a) => seesAgent(s, a.id)),
      queues: [...st.queues.values()].filter((q) => seesQueue(s, q.id)),
      calls,
      trunks: [...st.trunks.values()],
      teams: dir.teams,
      pauseReasons: dir.pauseReasons,
    };
    session.socket.emit(BOARD_EVENTS.snapshot, snapshot);
  }

  // --- flushing -----------------------------------------------------------------------------------

  /** One flush at a time; a flush asked for while one runs runs right after it. */
  #flush(): Promise<void> {
    const run = async () => {
      // Checked each time: the cluster adapter may be installed after the namespace was created.
      if (!this.#outbox.empty) {
        const keys = this.#outbox.take();
        if (this.#ns && adapterBroadcastsToNodes(this.#ns)) this.#ns.serverSideEmit(BOARD_DIRTY_EVENT, keys);
      }
      if (this.#dirty.empty && this.#state.dir) {
        // Nothing new; sockets that lagged may have caught up.
        for (const session of this.#sessions.values()) this.#fanOut.send(session);
        return;
      }
      const started = performance.now();
      const since = this.#dirtySince;
      this.#dirtySince = undefined;
      const listsBefore = this.#state.dir && pickLists(this.#state.dir);
      const changes = await this.#state.apply(this.#dirty.take());
      // Users, permissions or supervisors' queues changed: nobody keeps a view they may no longer have.
      if (changes.structure) await this.#reauthorize();
      this.#fanOut.distribute(changes);
      // Teams and pause reasons travel in snapshots only (they change a few times a year): when they
      // did, every page gets a fresh snapshot so its filters and pause menu offer what exists now.
      if (changes.structure && listsBefore !== undefined && this.#state.dir && pickLists(this.#state.dir) !== listsBefore) {
        for (const session of this.#sessions.values()) this.#resync(session);
      }
      const done = performance.now();
      this.stats.flushes++;
      this.stats.flushMs += done - started;
      if (since !== undefined) {
        // The last 10,000 only: a figure for the benchmark, not a growing log.
        this.stats.ages.push(done - since);
        if (this.stats.ages.length > 10_000) this.stats.ages.splice(0, this.stats.ages.length - 10_000);
        this.stats.ageCount++;
      }
    };
    const previous = this.#flushing ?? Promise.resolve();
    const next = previous.then(run, run).catch((err: unknown) => this.#services.logger.warn({ err: String(err) }, 'supervisor board: flush failed'));
    this.#flushing = next;
    void next.finally(() => {
      if (this.#flushing === next) this.#flushing = undefined;
    });
    return next;
  }
}

/** The named lists a snapshot carries, as one comparable string. */
function pickLists(dir: Directory): string {
  return JSON.stringify([dir.teams, dir.pauseReasons]);
}
