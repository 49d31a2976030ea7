// The last step of a flush: the changes go to every view, and out. Each group sends one delta to
// the members that keep up (socket.io encodes it once for all of them); a member lagging two
// flushes in a row leaves with a view of its own, whose changes stay merged until its connection
// drains, so a slow browser never has messages queue up. Caught up again, it rejoins its group.
import type { Namespace } from 'socket.io';
import type { Clock } from '../../../flows/clock.ts';
import { BOARD_EVENTS, type BoardDelta } from '../../../contracts/realtime-board.ts';
import type { BoardChanges, BoardState } from './board-state.ts';
import type { BoardGroups } from './board-groups.ts';
import { lagging, type BoardSession } from './board-session.ts';
import { scopeOf } from './scope.ts';

/** A grouped socket lagging this many flushes in a row leaves its group (at most this many messages wait for it). */
const LAG_STRIKES = 2;
/** An ungrouped socket caught up for this many flushes rejoins its group (through a fresh snapshot). */
const REJOIN_AFTER = 8;

export interface FanOutDeps {
  groups: BoardGroups;
  sessions: ReadonlyMap<string, BoardSession>;
  state: BoardState;
  clock: Clock;
  /** The namespace, once attached. */
  namespace: () => Namespace | undefined;
  /** Counted for the benchmark: deltas handed to socket.io, times a lagging socket was held back. */
  stats: { deltas: number; held: number };
  /** Sends the socket a fresh snapshot (which makes it join its group again). */
  rejoin: (session: BoardSession) => void;
}

export class BoardFanOut {
  readonly #d: FanOutDeps;

  constructor(deps: FanOutDeps) {
    this.#d = deps;
  }

  /** Hands a flush's changes to every group and every socket with a view of its own, and sends what each may send. */
  distribute(changes: BoardChanges): void {
    const { groups, sessions, state, stats } = this.#d;
    const dir = state.directory;
    const at = new Date(this.#d.clock.now()).toISOString();
    groups.absorb(changes, state, dir);
    const detached = new Set<BoardSession>();
    for (const g of groups.all()) {
      if (g.view.pending.empty) continue;
      const delta = g.view.pending.take(g.seq + 1, at);
      const writable: string[] = [];
      for (const m of g.members) {
        if (!lagging(m)) m.lagStrikes = 0;
        else if (++m.lagStrikes >= LAG_STRIKES) {
          // Falls behind: keeps this delta merged in a view of its own, sent when it drains.
          groups.detach(m, g);
          m.view!.pending.add(delta);
          detached.add(m);
          stats.held++;
          continue;
        }
        writable.push(m.socket.id);
      }
      for (const m of detached) g.members.delete(m);
      if (g.members.size === 0) groups.drop(g);
      if (!writable.length) continue;
      g.seq++;
      for (const m of g.members) m.seq = g.seq;
      // One broadcast: socket.io encodes the message once for all the group's sockets on this node.
      this.#d.namespace()!.local.to(writable).emit(BOARD_EVENTS.delta, delta);
      stats.deltas += writable.length;
    }
    for (const session of sessions.values()) {
      if (!session.view || detached.has(session)) continue;
      session.view.absorb(changes, state, changes.structure ? scopeOf(session.principal, dir) : undefined);
      this.send(session);
      if (!session.view.pending.empty || lagging(session)) session.caughtUp = 0;
      else if (++session.caughtUp >= REJOIN_AFTER) {
        session.caughtUp = Number.NEGATIVE_INFINITY; // once: the snapshot resets it
        this.#d.rejoin(session);
      }
    }
  }

  /**
   * Sends a socket with a view of its own its merged changes unless it still lags: then they stay
   * merged and go on the next flush or when the connection drains.
   */
  send(session: BoardSession): void {
    const view = session.view;
    if (!view || view.pending.empty) return;
    if (lagging(session)) {
      this.#d.stats.held++;
      return;
    }
    const delta: BoardDelta = view.pending.take(++session.seq, new Date(this.#d.clock.now()).toISOString());
    session.socket.emit(BOARD_EVENTS.delta, delta);
    this.#d.stats.deltas++;
  }
}
