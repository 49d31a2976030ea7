// The `/supervisor` socket.io namespace: authenticates like the default namespace, refuses users
// without the realtime permission, sends each supervisor a snapshot of what they may see, then at
// most one `board:delta` per flush interval with the latest state of what changed. Events only mark
// keys dirty; the flush recomputes those with batched queries and fans the result out per scope.
// With several nodes (socket.io's Redis adapter), each node tells the others which keys are dirty
// and every node recomputes for its own sockets.
import { z } from 'zod';
import type { Namespace, Server, Socket } from 'socket.io';
import { systemClock, type Clock } from '../../../flows/clock.ts';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../logger.ts';
import type { AcdEngine } from '../../acd/engine.ts';
import type { DeviceStates } from '../../voice/device-states.ts';
import { principalFromCredential } from '../../auth/credentials.ts';
import { handshakeCredential, reauthenticateSockets } from '../socket-auth.ts';
import { can, type Principal } from '../../auth/permissions.ts';
import { callRecordEvents } from '../../voice/call-records.ts';
import { BOARD_EVENTS, BOARD_NAMESPACE, type BoardAgent, type BoardDelta, type BoardSnapshot } from '../../../contracts/realtime-board.ts';
import { DirtySet, type DirtyKeys } from './coalescer.ts';
import { BoardView, scopeKey } from './board-view.ts';
import { BoardState, type BoardChanges } from './board-state.ts';
import { ChangeFeed } from './change-feed.ts';
import type { Directory } from './queries.ts';
import { scopeOf, seesAgent, seesCall, seesQueue, type BoardScope } from './scope.ts';

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

interface BoardSession {
  socket: Socket;
  /** The token or API key of the handshake: permissions are checked again with it (see #reauthorize). */
  credential: string;
  principal: Principal;
  can: BoardSnapshot['can'];
  /** The group this socket is in (it then shares the group's view and seq), or its own view when it fell behind. */
  group: BoardGroup | undefined;
  view: BoardView | undefined;
  seq: number;
  /** Consecutive group flushes this socket was still writing the previous message. */
  lagStrikes: number;
  /** Consecutive flushes an ungrouped socket had nothing left to send: it may rejoin its group. */
  caughtUp: number;
  /** When this socket last asked for a snapshot, and whether one more waits (resyncs are throttled). */
  resyncAt: number;
  /** Cancels the resync asked for during the interval, answered when it ends. */
  resyncQueued: (() => void) | undefined;
}

/** What the board lets this user do: act on agents (staff edit), listen/whisper/barge (chanspy edit, as the spy service requires). */
const boardRightsOf = (p: Principal): BoardSnapshot['can'] => ({ editAgents: can(p, 'staff', 'edit'), chanspy: can(p, 'chanspy', 'edit') });

/** A client asking for snapshots in a loop gets at most one per this many ms (each costs queries). */
const RESYNC_MIN_MS = 1_000;

/** How often every board socket's credential and permissions are checked again (logout, expiry, revocation). */
const REAUTHORIZE_MS = 60_000;

/** A grouped socket lagging this many flushes in a row leaves its group (at most this many messages wait for it). */
const LAG_STRIKES = 2;
/** An ungrouped socket caught up for this many flushes rejoins its group (through a fresh snapshot). */
const REJOIN_AFTER = 8;

/** Sockets with the same scope that keep up: one view, one `seq`, one encoded message per flush. */
interface BoardGroup {
  key: string;
  view: BoardView;
  seq: number;
  members: Set<BoardSession>;
}

/** The engine.io connection underneath: its write buffer and transport say whether the browser keeps up. */
interface EngineConn {
  writeBuffer?: unknown[];
  transport?: { writable?: boolean };
  on(event: 'drain', listener: () => void): unknown;
}

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
  readonly #groups = new Set<BoardGroup>();
  /** The group a newly connected socket joins, per scope key. */
  readonly #joinable = new Map<string, BoardGroup>();
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
  }

  /** Attaches the namespace and starts following events; the first full load runs in the background. */
  start(): void {
    const ns = this.#io.of(BOARD_NAMESPACE);
    this.#ns = ns;
    ns.use((socket, next) => {
      this.#authenticate(socket).then(
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

  /**
   * Checks every socket's credential and permissions again: a user disabled, logged out, expired or
   * stripped of the realtime permission is told why (board:error) and disconnected; one whose
   * permissions changed gets a new snapshot (its `can` and scope). One prepared query per socket.
   */
  async #reauthorize(): Promise<void> {
    await reauthenticateSockets([...this.#sessions.values()], {
      db: this.#services.db,
      logger: this.#services.logger,
      // The database is down: keep the socket (its data stops anyway) rather than drop everyone.
      unavailableLog: 'supervisor board: could not check a socket again',
      refusedEvent: BOARD_EVENTS.error,
      refusal: (principal) =>
        !principal
          ? { code: 'UNAUTHENTICATED', message: 'Your session ended; sign in again' }
          : !can(principal, 'realtime', 'read')
            ? { code: 'FORBIDDEN', message: "The realtime board needs the 'read' permission on 'realtime'" }
            : undefined,
      stillConnected: (session) => this.#sessions.has(session.socket.id),
      accept: (session, principal) => {
        const nextCan = boardRightsOf(principal);
        const canChanged = nextCan.editAgents !== session.can.editAgents || nextCan.chanspy !== session.can.chanspy;
        session.principal = principal;
        session.can = nextCan;
        if (canChanged) void this.#sendSnapshot(session);
      },
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

  async #authenticate(socket: Socket): Promise<void> {
    let principal: Principal | undefined;
    const credential = handshakeCredential(socket);
    try {
      principal = credential ? await principalFromCredential(this.#services, credential) : undefined;
    } catch (err) {
      this.#services.logger.warn({ err: String(err) }, 'supervisor board: authentication failed');
      throw refusal('UNAVAILABLE', 'The server could not check your credentials; try again');
    }
    if (!principal) throw refusal('UNAUTHENTICATED', 'The token or API key is invalid, expired or revoked');
    if (principal.mustChangePassword) throw refusal('PASSWORD_CHANGE_REQUIRED', 'Change your password first');
    if (!can(principal, 'realtime', 'read')) throw refusal('FORBIDDEN', "The realtime board needs the 'read' permission on 'realtime'");
    Object.assign(socket.data as object, { principal, credential });
  }

  #connected(socket: Socket): void {
    const { principal, credential } = socket.data as { principal: Principal; credential: string };
    const session: BoardSession = {
      socket,
      credential,
      principal,
      can: boardRightsOf(principal),
      group: undefined,
      view: undefined,
      seq: 0,
      lagStrikes: 0,
      caughtUp: 0,
      // The snapshot sent on connect counts: a client looping on resync from the start is throttled too.
      resyncAt: this.#clock.now(),
      resyncQueued: undefined,
    };
    this.#sessions.set(socket.id, session);
    socket.on('disconnect', () => {
      this.#sessions.delete(socket.id);
      session.resyncQueued?.();
      this.#leaveGroup(session);
    });
    socket.on(BOARD_EVENTS.resync, () => this.#resync(session));
    (socket.conn as unknown as EngineConn).on('drain', () => this.#send(session));
    void this.#sendSnapshot(session);
  }

  #leaveGroup(session: BoardSession): void {
    const g = session.group;
    if (!g) return;
    g.members.delete(session);
    session.group = undefined;
    if (g.members.size === 0) this.#dropGroup(g);
  }

  #dropGroup(g: BoardGroup): void {
    this.#groups.delete(g);
    if (this.#joinable.get(g.key) === g) this.#joinable.delete(g.key);
  }

  #addGroup(g: BoardGroup): void {
    this.#groups.add(g);
    if (!this.#joinable.has(g.key)) this.#joinable.set(g.key, g);
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
    // Joins the group of its scope: from now on it gets the group's deltas, numbered from here.
    this.#leaveGroup(session);
    const key = scopeKey(s);
    let group = this.#joinable.get(key);
    if (!group) this.#addGroup((group = { key, view: new BoardView(s, new Set(calls.map((c) => c.id))), seq: 0, members: new Set() }));
    group.members.add(session);
    session.group = group;
    session.view = undefined;
    session.seq = group.seq;
    session.lagStrikes = 0;
    session.caughtUp = 0;
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
        for (const session of this.#sessions.values()) this.#send(session);
        return;
      }
      const started = performance.now();
      const since = this.#dirtySince;
      this.#dirtySince = undefined;
      const listsBefore = this.#state.dir && pickLists(this.#state.dir);
      const changes = await this.#state.apply(this.#dirty.take());
      // Users, permissions or supervisors' queues changed: nobody keeps a view they may no longer have.
      if (changes.structure) await this.#reauthorize();
      this.#distribute(changes);
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

  #distribute(changes: BoardChanges): void {
    const dir = this.#state.directory;
    const at = new Date(this.#clock.now()).toISOString();
    if (changes.structure) {
      // Scopes may have changed under any socket: each group splits by its members' new scopes,
      // every part going on from the group's view and seq.
      for (const g of [...this.#groups]) {
        this.#dropGroup(g);
        const parts = new Map<string, { scope: BoardScope; members: BoardSession[] }>();
        for (const m of g.members) {
          const scope = scopeOf(m.principal, dir);
          const key = scopeKey(scope);
          if (!parts.has(key)) parts.set(key, { scope, members: [] });
          parts.get(key)!.members.push(m);
        }
        for (const [key, part] of parts) {
          const view = g.view.fork();
          view.absorb(changes, this.#state, part.scope);
          const regrouped: BoardGroup = { key, view, seq: g.seq, members: new Set(part.members) };
          for (const m of part.members) m.group = regrouped;
          this.#addGroup(regrouped);
        }
      }
    } else for (const g of this.#groups) g.view.absorb(changes, this.#state);
    const detached = new Set<BoardSession>();
    for (const g of [...this.#groups]) {
      if (g.view.pending.empty) continue;
      const delta = g.view.pending.take(g.seq + 1, at);
      const writable: string[] = [];
      for (const m of g.members) {
        if (!this.#lagging(m)) m.lagStrikes = 0;
        else if (++m.lagStrikes >= LAG_STRIKES) {
          // Falls behind: keeps this delta merged in a view of its own, sent when it drains.
          this.#detach(m, g);
          m.view!.pending.add(delta);
          detached.add(m);
          this.stats.held++;
          continue;
        }
        writable.push(m.socket.id);
      }
      for (const m of detached) g.members.delete(m);
      if (g.members.size === 0) this.#dropGroup(g);
      if (!writable.length) continue;
      g.seq++;
      for (const m of g.members) m.seq = g.seq;
      // One broadcast: socket.io encodes the message once for all the group's sockets on this node.
      this.#ns!.local.to(writable).emit(BOARD_EVENTS.delta, delta);
      this.stats.deltas += writable.length;
    }
    for (const session of this.#sessions.values()) {
      if (!session.view || detached.has(session)) continue;
      session.view.absorb(changes, this.#state, changes.structure ? scopeOf(session.principal, dir) : undefined);
      this.#send(session);
      if (!session.view.pending.empty || this.#lagging(session)) session.caughtUp = 0;
      else if (++session.caughtUp >= REJOIN_AFTER) {
        session.caughtUp = Number.NEGATIVE_INFINITY; // once: the snapshot resets it
        void this.#sendSnapshot(session);
      }
    }
  }

  /** The socket leaves its group with a copy of the group's view, numbered where the group was. */
  #detach(session: BoardSession, group: BoardGroup): void {
    session.view = group.view.fork();
    session.seq = group.seq;
    session.group = undefined;
  }

  /** Its previous messages are still waiting to be written (slow browser, long-polling between polls). */
  #lagging(session: BoardSession): boolean {
    const conn = session.socket.conn as unknown as EngineConn;
    return (conn.writeBuffer?.length ?? 0) > 0 || conn.transport?.writable === false;
  }

  /**
   * Sends a socket with a view of its own its merged changes unless it still lags: then they stay
   * merged and go on the next flush or when the connection drains, so a lagging browser never
   * queues up messages.
   */
  #send(session: BoardSession): void {
    const view = session.view;
    if (!view || view.pending.empty) return;
    if (this.#lagging(session)) {
      this.stats.held++;
      return;
    }
    const delta: BoardDelta = view.pending.take(++session.seq, new Date(this.#clock.now()).toISOString());
    session.socket.emit(BOARD_EVENTS.delta, delta);
    this.stats.deltas++;
  }
}

/** The named lists a snapshot carries, as one comparable string. */
function pickLists(dir: Directory): string {
  return JSON.stringify([dir.teams, dir.pauseReasons]);
}

/** A connect_error the page can show: `err.message` is the code, `err.data.message` says why. */
function refusal(code: string, message: string): Error & { data: { code: string; message: string } } {
  return Object.assign(new Error(code), { data: { code, message } });
}
