// The node's copy of the whole board (every agent, queue, open call and trunk), kept current by
// recomputing only what the dirty keys name. Each flush answers with what really changed (compared
// with what the board showed), which the hub then filters per supervisor.
import type { Db } from '../../db/database.ts';
import type { BoardAgent, BoardCall, BoardQueue, BoardTrunk } from '../../../contracts/realtime-board.ts';
import type { DirtyKeys } from './coalescer.ts';
import { boardAgent, boardQueue, nextWrapupEnd, NO_STATS, type AgentLive, type QueueStats } from './agent-status.ts';
import { boardCall, boardTrunk, trunkDevice } from './call-status.ts';
import { loadAgentLive, loadCalls, loadDirectory, loadQueueStats, STALE_CALL_MS, type Directory, type Ids } from './queries.ts';

export interface BoardChanges {
  agents: BoardAgent[];
  queues: BoardQueue[];
  calls: BoardCall[];
  trunks: BoardTrunk[];
  removed: { agents: number[]; queues: number[]; calls: number[] };
  /** The directory was reloaded: scopes must be computed again. */
  structure: boolean;
}

export interface BoardStateDeps {
  db: Db;
  /** Asterisk's state of a device (`PJSIP/1001`), when known. */
  deviceState: (device: string) => string | undefined;
  /** The spy session to show for an agent, given what the database says (events may be ahead of it). */
  spiedBy?: (agentId: number, fromDb: BoardAgent['spiedBy']) => BoardAgent['spiedBy'];
  /** Something will change by itself at a known time (a wrap-up ends, a new day starts). */
  due: (keys: Partial<DirtyKeys>) => void;
  now?: () => Date;
}

/** The device whose state the board shows for a dial target; Local channels (remote agents) have none. */
export function deviceOfTarget(target: string | null): string | null {
  if (!target || target.startsWith('Local/')) return null;
  return target.split('@')[0]!.toLowerCase();
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function localMidnight(now: Date): Date {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d;
}

export class BoardState {
  readonly #deps: BoardStateDeps;
  readonly #now: () => Date;
  dir: Directory | undefined;
  readonly agents = new Map<number, BoardAgent>();
  readonly queues = new Map<number, BoardQueue>();
  readonly calls = new Map<number, BoardCall>();
  readonly trunks = new Map<number, BoardTrunk>();
  readonly #stats = new Map<number, QueueStats>();
  readonly #callChannels = new Map<number, string>();
  /** Lower-case device → agents whose phone it is (to follow AMI device states). */
  readonly #agentsByDevice = new Map<string, Set<number>>();
  readonly #deviceOfAgent = new Map<number, string>();
  readonly #wrapupTimers = new Map<number, NodeJS.Timeout>();
  #midnightTimer: NodeJS.Timeout | undefined;
  #day = 0;

  constructor(deps: BoardStateDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  get directory(): Directory {
    if (!this.dir) throw new Error('the board is not loaded yet');
    return this.dir;
  }

  /** Agents and trunks whose phone/endpoint is this device. */
  keysOfDevice(device: string): Partial<DirtyKeys> {
    const d = device.toLowerCase();
    const agents = [...(this.#agentsByDevice.get(d) ?? [])];
    const trunks = [...(this.dir?.trunks.values() ?? [])].filter((t) => trunkDevice(t.endpoint).toLowerCase() === d).map((t) => t.id);
    return { agents, trunks };
  }

  /** Recomputes what `keys` names (everything on the first call) and answers with what changed. */
  async apply(keys: DirtyKeys): Promise<BoardChanges> {
    const now = this.#now();
    const changes: BoardChanges = { agents: [], queues: [], calls: [], trunks: [], removed: { agents: [], queues: [], calls: [] }, structure: false };
    const first = this.dir === undefined;
    const structure = first || keys.structure;
    // A new day: today's counters of every queue start over.
    const midnight = localMidnight(now);
    const newDay = this.#day !== 0 && midnight.getTime() !== this.#day;
    this.#day = midnight.getTime();
    this.#scheduleMidnight(now);
    let dir = this.dir;
    if (structure) {
      dir = await loadDirectory(this.#deps.db);
      changes.structure = !first;
    }
    const agentIds: Ids = structure ? 'all' : keys.agents.filter((id) => dir!.agents.has(id));
    const statsIds: Ids = structure || newDay ? 'all' : keys.queues.filter((id) => dir!.queues.has(id));
    const callsWanted = first ? ('all' as const) : { ids: keys.calls, refs: keys.callRefs, entries: keys.entries };
    const hasCalls = callsWanted === 'all' || callsWanted.ids.length + callsWanted.refs.length + callsWanted.entries.length > 0;
    const [live, stats, callRows] = await Promise.all([
      agentIds === 'all' || agentIds.length ? loadAgentLive(this.#deps.db, agentIds) : Promise.resolve(new Map<number, AgentLive>()),
      statsIds === 'all' || statsIds.length ? loadQueueStats(this.#deps.db, statsIds, midnight) : Promise.resolve(new Map<number, QueueStats>()),
      hasCalls ? loadCalls(this.#deps.db, callsWanted, now) : Promise.resolve([]),
    ]);
    // Everything below is synchronous: a snapshot taken meanwhile never sees half a flush.
    this.dir = dir;
    if (statsIds === 'all') this.#stats.clear();
    for (const [id, s] of stats) this.#stats.set(id, s);

    // agents
    const queuesToCount = new Set<number>(statsIds === 'all' ? dir!.queues.keys() : statsIds);
    if (structure) {
      for (const id of [...this.agents.keys()]) {
        if (dir!.agents.has(id)) continue;
        this.agents.delete(id);
        this.#forgetDevice(id);
        changes.removed.agents.push(id);
      }
      for (const id of [...this.queues.keys()]) {
        if (dir!.queues.has(id)) continue;
        this.queues.delete(id);
        changes.removed.queues.push(id);
      }
    }
    const ids = agentIds === 'all' ? [...dir!.agents.keys()] : agentIds;
    for (const id of ids) {
      const s = dir!.agents.get(id)!;
      const l = live.get(id) ?? { session: null, states: [], interactions: [], spiedBy: null };
      if (this.#deps.spiedBy) l.spiedBy = this.#deps.spiedBy(id, l.spiedBy);
      const previous = this.agents.get(id);
      const device = deviceOfTarget(l.session?.dialTarget ?? `PJSIP/${s.extension}`);
      this.#rememberDevice(id, device);
      const view = boardAgent(s, l, device ? (this.#deps.deviceState(device) ?? null) : null, now, previous);
      this.#scheduleWrapupEnd(id, nextWrapupEnd(l, now));
      if (previous && same(previous, view)) continue;
      this.agents.set(id, view);
      changes.agents.push(view);
      for (const q of view.queueIds) queuesToCount.add(q);
      for (const q of previous?.queueIds ?? []) queuesToCount.add(q);
    }

    // queues: figures from the database, agents' counts from the agents above
    for (const id of queuesToCount) {
      const q = dir!.queues.get(id);
      if (!q) continue;
      const members = [...(dir!.members.get(id) ?? [])].map((a) => this.agents.get(a));
      const view = boardQueue(q, this.#stats.get(id) ?? NO_STATS, members);
      const previous = this.queues.get(id);
      if (previous && same(previous, view)) continue;
      this.queues.set(id, view);
      changes.queues.push(view);
    }

    // calls
    let callsChanged = false;
    const staleBefore = now.getTime() - STALE_CALL_MS;
    for (const row of callRows) {
      const open = row.endedAt === null && row.startedAt.getTime() > staleBefore;
      if (!open) {
        if (this.calls.delete(row.id)) {
          this.#callChannels.delete(row.id);
          changes.removed.calls.push(row.id);
          callsChanged = true;
        }
        continue;
      }
      const view = boardCall(row);
      this.#callChannels.set(row.id, row.channelName);
      const previous = this.calls.get(row.id);
      if (previous && same(previous, view)) continue;
      this.calls.set(row.id, view);
      changes.calls.push(view);
      callsChanged = true;
    }

    // trunks: their state from AMI, their calls from the open calls above
    const trunkIds = structure || callsChanged ? [...dir!.trunks.keys()] : keys.trunks;
    if (structure) {
      for (const id of [...this.trunks.keys()]) if (!dir!.trunks.has(id)) this.trunks.delete(id);
    }
    for (const id of trunkIds) {
      const t = dir!.trunks.get(id);
      if (!t) continue;
      const view = boardTrunk(t, this.#deps.deviceState(trunkDevice(t.endpoint)) ?? null, this.#callChannels.values());
      const previous = this.trunks.get(id);
      if (previous && same(previous, view)) continue;
      this.trunks.set(id, view);
      changes.trunks.push(view);
    }
    return changes;
  }

  stop(): void {
    for (const t of this.#wrapupTimers.values()) clearTimeout(t);
    this.#wrapupTimers.clear();
    clearTimeout(this.#midnightTimer);
  }

  #rememberDevice(agentId: number, device: string | null): void {
    if (this.#deviceOfAgent.get(agentId) === (device ?? undefined)) return;
    this.#forgetDevice(agentId);
    if (!device) return;
    this.#deviceOfAgent.set(agentId, device);
    if (!this.#agentsByDevice.has(device)) this.#agentsByDevice.set(device, new Set());
    this.#agentsByDevice.get(device)!.add(agentId);
  }

  #forgetDevice(agentId: number): void {
    const old = this.#deviceOfAgent.get(agentId);
    if (old === undefined) return;
    this.#deviceOfAgent.delete(agentId);
    this.#agentsByDevice.get(old)?.delete(agentId);
  }

  /** Wrap-up ends by the clock, with no event: the board looks at the agent again then. */
  #scheduleWrapupEnd(agentId: number, at: Date | null): void {
    clearTimeout(this.#wrapupTimers.get(agentId));
    this.#wrapupTimers.delete(agentId);
    if (!at) return;
    const timer = setTimeout(() => {
      this.#wrapupTimers.delete(agentId);
      this.#deps.due({ agents: [agentId] });
    }, Math.max(0, at.getTime() - this.#now().getTime()) + 20);
    timer.unref();
    this.#wrapupTimers.set(agentId, timer);
  }

  #scheduleMidnight(now: Date): void {
    if (this.#midnightTimer) return;
    const next = localMidnight(now);
    next.setDate(next.getDate() + 1);
    this.#midnightTimer = setTimeout(() => {
      this.#midnightTimer = undefined;
      // Any queue key triggers the day check in apply(), which reloads every queue's figures.
      this.#deps.due({ queues: [...(this.dir?.queues.keys() ?? [])] });
    }, next.getTime() - now.getTime() + 50);
    this.#midnightTimer.unref();
  }
}
