// The board's state: a snapshot, then `board:delta` batches applied in `seq` order. Pure functions, no
// React: the socket hook feeds them and the tests drive them directly.
//
// Why structural sharing: with 500 agents a delta usually changes a handful of them. A delta replaces
// only the entities it names; in the collections it touches only the buckets holding them are copied
// (idMap.ts), once per batch however many deltas it holds; every other entity keeps its object
// identity, so memoised rows skip rendering, and untouched collections keep theirs, so their tables
// skip too.
import type { BoardAgent, BoardCall, BoardDelta, BoardQueue, BoardSnapshot, BoardTrunk } from '../../../contracts/realtime-board.ts';
import { IdMap } from './idMap.ts';

export interface Named {
  readonly id: number;
  readonly name: string;
}

export interface BoardState {
  /** The `seq` of the last message applied. */
  readonly seq: number;
  /** Server time of the last message applied. */
  readonly at: string;
  readonly can: { readonly editAgents: boolean; readonly chanspy: boolean };
  readonly agents: IdMap<BoardAgent>;
  readonly queues: IdMap<BoardQueue>;
  readonly calls: IdMap<BoardCall>;
  readonly trunks: IdMap<BoardTrunk>;
  readonly teams: readonly Named[];
  readonly pauseReasons: readonly Named[];
}

export interface DeltaOutcome {
  readonly state: BoardState;
  /**
   * A delta was missing (its `seq` skipped one): the deltas from the gap on were not applied and
   * the caller must ask the server for a fresh snapshot (`board:resync`).
   */
  readonly gap: boolean;
  /** How many deltas of the batch were applied (stale or duplicate ones are skipped). */
  readonly applied: number;
}


export function boardFromSnapshot(snapshot: BoardSnapshot): BoardState {
  return {
    seq: snapshot.seq,
    at: snapshot.at,
    can: snapshot.can,
    agents: IdMap.from(snapshot.agents),
    queues: IdMap.from(snapshot.queues),
    calls: IdMap.from(snapshot.calls),
    trunks: IdMap.from(snapshot.trunks),
    teams: snapshot.teams,
    pauseReasons: snapshot.pauseReasons,
  };
}

/** Applies a batch of deltas, in order, to `state`; `state` itself is never modified. */
export function applyDeltas(state: BoardState, deltas: readonly BoardDelta[]): DeltaOutcome {
  const agents = state.agents.edit();
  const queues = state.queues.edit();
  const calls = state.calls.edit();
  const trunks = state.trunks.edit();
  let seq = state.seq;
  let at = state.at;
  let applied = 0;
  let gap = false;
  for (const delta of deltas) {
    // Already covered by the snapshot or a duplicate delivery.
    if (delta.seq <= seq) continue;
    if (delta.seq !== seq + 1) {
      gap = true;
      break;
    }
    for (const a of delta.agents ?? []) agents.set(a);
    for (const q of delta.queues ?? []) queues.set(q);
    for (const c of delta.calls ?? []) calls.set(c);
    for (const t of delta.trunks ?? []) trunks.set(t);
    for (const id of delta.removed?.agents ?? []) agents.delete(id);
    for (const id of delta.removed?.queues ?? []) queues.delete(id);
    for (const id of delta.removed?.calls ?? []) calls.delete(id);
    seq = delta.seq;
    at = delta.at;
    applied++;
  }
  if (applied === 0) return { state, gap, applied };
  return {
    state: { ...state, seq, at, agents: agents.done(), queues: queues.done(), calls: calls.done(), trunks: trunks.done() },
    gap,
    applied,
  };
}

/** One delta; the same rules as `applyDeltas`. */
export const applyDelta = (state: BoardState, delta: BoardDelta): DeltaOutcome => applyDeltas(state, [delta]);
