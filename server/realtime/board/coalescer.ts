// Coalescing for the supervisor board, pure: the keys that changed since the last flush (a set, so
// a burst of 200 events about one agent is one recomputation), and per socket the delta not yet
// delivered (the latest version of each entity wins, a removal cancels an upsert and vice versa).
// A socket that cannot keep up keeps one merged delta here instead of a queue of messages.
import type { BoardAgent, BoardCall, BoardDelta, BoardQueue, BoardTrunk } from '../../../contracts/realtime-board.ts';

/** What to recompute at the next flush; also what nodes tell each other (serverSideEmit). */
export interface DirtyKeys {
  agents: number[];
  /** Queues whose waiting entries or today's counters may have changed (needs the database). */
  queues: number[];
  calls: number[];
  /** Calls known by their Asterisk unique id only (queue entries of voice carry it). */
  callRefs: string[];
  /** Calls known by a queue entry id only (an offer ended, an interaction finished). */
  entries: number[];
  trunks: number[];
  /** Queues, memberships, teams, supervisors' queues, agents' settings or trunks changed: reload them. */
  structure: boolean;
}

export class DirtySet {
  #agents = new Set<number>();
  #queues = new Set<number>();
  #calls = new Set<number>();
  #callRefs = new Set<string>();
  #entries = new Set<number>();
  #trunks = new Set<number>();
  #structure = false;

  agent(id: number): void {
    this.#agents.add(id);
  }
  queue(id: number): void {
    this.#queues.add(id);
  }
  call(id: number): void {
    this.#calls.add(id);
  }
  callRef(ref: string): void {
    this.#callRefs.add(ref);
  }
  entry(id: number): void {
    this.#entries.add(id);
  }
  trunk(id: number): void {
    this.#trunks.add(id);
  }
  structure(): void {
    this.#structure = true;
  }

  merge(keys: Partial<DirtyKeys>): void {
    for (const id of keys.agents ?? []) this.agent(id);
    for (const id of keys.queues ?? []) this.queue(id);
    for (const id of keys.calls ?? []) this.call(id);
    for (const ref of keys.callRefs ?? []) this.callRef(ref);
    for (const id of keys.entries ?? []) this.entry(id);
    for (const id of keys.trunks ?? []) this.trunk(id);
    if (keys.structure) this.structure();
  }

  get empty(): boolean {
    return !this.#structure && this.#agents.size + this.#queues.size + this.#calls.size + this.#callRefs.size + this.#entries.size + this.#trunks.size === 0;
  }

  /** The keys collected so far; the set starts over empty. */
  take(): DirtyKeys {
    const keys: DirtyKeys = {
      agents: [...this.#agents],
      queues: [...this.#queues],
      calls: [...this.#calls],
      callRefs: [...this.#callRefs],
      entries: [...this.#entries],
      trunks: [...this.#trunks],
      structure: this.#structure,
    };
    this.#agents = new Set();
    this.#queues = new Set();
    this.#calls = new Set();
    this.#callRefs = new Set();
    this.#entries = new Set();
    this.#trunks = new Set();
    this.#structure = false;
    return keys;
  }
}

type Kind = 'agents' | 'queues' | 'calls';

/** One socket's changes not yet sent: merged, so it never holds more than one version per entity. */
export class PendingDelta {
  readonly #agents = new Map<number, BoardAgent>();
  readonly #queues = new Map<number, BoardQueue>();
  readonly #calls = new Map<number, BoardCall>();
  readonly #trunks = new Map<number, BoardTrunk>();
  readonly #removed: Record<Kind, Set<number>> = { agents: new Set(), queues: new Set(), calls: new Set() };

  upsertAgent(a: BoardAgent): void {
    this.#removed.agents.delete(a.id);
    this.#agents.set(a.id, a);
  }
  upsertQueue(q: BoardQueue): void {
    this.#removed.queues.delete(q.id);
    this.#queues.set(q.id, q);
  }
  upsertCall(c: BoardCall): void {
    this.#removed.calls.delete(c.id);
    this.#calls.set(c.id, c);
  }
  upsertTrunk(t: BoardTrunk): void {
    this.#trunks.set(t.id, t);
  }
  remove(kind: Kind, id: number): void {
    if (kind === 'agents') this.#agents.delete(id);
    else if (kind === 'queues') this.#queues.delete(id);
    else this.#calls.delete(id);
    this.#removed[kind].add(id);
  }

  get empty(): boolean {
    return (
      this.#agents.size + this.#queues.size + this.#calls.size + this.#trunks.size + this.#removed.agents.size + this.#removed.queues.size + this.#removed.calls.size === 0
    );
  }

  /** Merges a delta that was not delivered (a socket falling behind its group). */
  add(delta: BoardDelta): void {
    for (const a of delta.agents ?? []) this.upsertAgent(a);
    for (const q of delta.queues ?? []) this.upsertQueue(q);
    for (const c of delta.calls ?? []) this.upsertCall(c);
    for (const t of delta.trunks ?? []) this.upsertTrunk(t);
    for (const id of delta.removed?.agents ?? []) this.remove('agents', id);
    for (const id of delta.removed?.queues ?? []) this.remove('queues', id);
    for (const id of delta.removed?.calls ?? []) this.remove('calls', id);
  }

  /** Forgets everything (a fresh snapshot replaces it). */
  clear(): void {
    this.#agents.clear();
    this.#queues.clear();
    this.#calls.clear();
    this.#trunks.clear();
    for (const s of Object.values(this.#removed)) s.clear();
  }

  /** The message to send, leaving this empty; only the kinds that changed are present. */
  take(seq: number, at: string): BoardDelta {
    const delta: BoardDelta = { seq, at };
    if (this.#agents.size) delta.agents = [...this.#agents.values()];
    if (this.#queues.size) delta.queues = [...this.#queues.values()];
    if (this.#calls.size) delta.calls = [...this.#calls.values()];
    if (this.#trunks.size) delta.trunks = [...this.#trunks.values()];
    const removed: NonNullable<BoardDelta['removed']> = {};
    if (this.#removed.agents.size) removed.agents = [...this.#removed.agents];
    if (this.#removed.queues.size) removed.queues = [...this.#removed.queues];
    if (this.#removed.calls.size) removed.calls = [...this.#removed.calls];
    if (Object.keys(removed).length) delta.removed = removed;
    this.clear();
    return delta;
  }
}
