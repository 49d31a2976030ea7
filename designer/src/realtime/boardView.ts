// What the tables show of the board state: filters (queue, team, channel, text), sorting per column
// and the counters. Pure; the page memoises the results on the state's collections, which keep their
// identity until a delta touches them.
import type { AgentChannelStatus, BoardAgent, BoardAgentChannel, BoardCall, BoardQueue } from '../../../contracts/realtime-board.ts';
import { CHANNELS, isChannel, type Channel } from '../../../contracts/channels.ts';
import type { ReadonlyIdMap } from './idMap.ts';


// One collator for every comparison: `localeCompare` with options builds a new one per call, which
// made sorting 500 agents cost tens of milliseconds.
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const byText = (a: string, b: string): number => collator.compare(a, b);

export const BOARD_CHANNELS: readonly Channel[] = CHANNELS;

export function isBoardChannel(value: string): value is Channel {
  return isChannel(value);
}

export interface BoardFilters {
  readonly queueId: number | null;
  readonly teamId: number | null;
  readonly channel: Channel | null;
  /** Part of an agent's name, username or extension, or of a caller. */
  readonly text: string;
}

export const NO_FILTERS: BoardFilters = { queueId: null, teamId: null, channel: null, text: '' };

export type SortDirection = 'ascending' | 'descending';
export interface SortOrder<K extends string> {
  readonly key: K;
  readonly direction: SortDirection;
}

/** Names and channels of the queues, without their counters: rows depend on this, not on the counters. */
export interface QueueDirectory {
  /** By name, for pickers. */
  readonly list: readonly { readonly id: number; readonly name: string; readonly channel: Channel }[];
  readonly get: (id: number) => { readonly name: string; readonly channel: Channel } | undefined;
  /** A string that changes only when a name or channel does, to memoise the directory on. */
  readonly signature: string;
}

export function queueDirectory(queues: ReadonlyIdMap<BoardQueue>): QueueDirectory {
  const entries = new Map<number, { name: string; channel: Channel }>();
  for (const q of queues.values()) entries.set(q.id, { name: q.name, channel: q.channel });
  const signature = [...entries].map(([id, q]) => `${id}\u0001${q.name}\u0001${q.channel}`).join('\u0002');
  const list = [...entries].map(([id, q]) => ({ id, ...q })).sort((a, b) => byText(a.name, b.name) || a.id - b.id);
  return { list, get: (id) => entries.get(id), signature };
}

// --- agents

/** Busy first, then wrap-up, ready, paused, logged out: the order a supervisor scans for. */
const STATUS_RANK: Readonly<Record<AgentChannelStatus, number>> = { busy: 0, 'wrap-up': 1, ready: 2, paused: 3, offline: 4 };

/**
 * The channels worth a cell in the agent's row: the channels of the agent's queues, plus any channel
 * where the agent holds work. With a channel filter, that channel only.
 */
export function agentChannels(agent: BoardAgent, directory: QueueDirectory, channel: Channel | null): BoardAgentChannel[] {
  if (channel !== null) return agent.channels.filter((c) => c.channel === channel);
  const wanted = new Set<Channel>();
  for (const queueId of agent.queueIds) {
    const q = directory.get(queueId);
    if (q !== undefined) wanted.add(q.channel);
  }
  return agent.channels.filter((c) => wanted.has(c.channel) || c.open > 0 || c.status === 'busy' || c.status === 'wrap-up');
}

/** The agent's state in one word, the most telling of its channels (busy beats ready beats paused). */
export function agentOverallStatus(agent: BoardAgent, channels: readonly BoardAgentChannel[]): AgentChannelStatus {
  if (!agent.loggedIn) return 'offline';
  let best: AgentChannelStatus = 'offline';
  for (const c of channels) if (STATUS_RANK[c.status] < STATUS_RANK[best]) best = c.status;
  return best;
}

/**
 * Open interactions against capacity over the given channels (the row's). Capacity 0 means no limit
 * (the contract's default for every channel but voice), so one unlimited channel makes the sum
 * unlimited: `capacity` is then null.
 */
export function agentOpen(channels: readonly BoardAgentChannel[]): { open: number; capacity: number | null } {
  let open = 0;
  let capacity: number | null = 0;
  for (const c of channels) {
    open += c.open;
    capacity = capacity === null || c.capacity === 0 ? null : capacity + c.capacity;
  }
  return { open, capacity };
}

function textMatches(text: string, ...values: (string | null | undefined)[]): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  return values.some((v) => v != null && v.toLowerCase().includes(needle));
}

export function agentMatches(agent: BoardAgent, filters: BoardFilters, directory: QueueDirectory): boolean {
  if (filters.queueId !== null && !agent.queueIds.includes(filters.queueId)) return false;
  if (filters.teamId !== null && !agent.teamIds.includes(filters.teamId)) return false;
  if (filters.channel !== null) {
    const channel = filters.channel;
    const inChannel = agent.queueIds.some((id) => directory.get(id)?.channel === channel) || agent.interactions.some((i) => i.channel === channel);
    if (!inChannel) return false;
  }
  return textMatches(filters.text, agent.name, agent.username, agent.extension);
}

export type AgentSortKey = 'name' | 'typology' | 'phone' | 'status' | 'open' | 'loggedIn';

const time = (iso: string | null): number => (iso === null ? Number.POSITIVE_INFINITY : Date.parse(iso));

/** Earliest `since` among the channels in the agent's overall status: "paused the longest" sorts first. */
function statusSince(agent: BoardAgent, channels: readonly BoardAgentChannel[], status: AgentChannelStatus): number {
  let earliest = Number.POSITIVE_INFINITY;
  for (const c of channels) if (c.status === status) earliest = Math.min(earliest, time(c.since));
  return earliest;
}

export function sortedAgents(agents: Iterable<BoardAgent>, filters: BoardFilters, directory: QueueDirectory, order: SortOrder<AgentSortKey>): BoardAgent[] {
  interface Row {
    agent: BoardAgent;
    status: AgentChannelStatus;
    since: number;
    open: number;
  }
  const rows: Row[] = [];
  for (const agent of agents) {
    if (!agentMatches(agent, filters, directory)) continue;
    const channels = agentChannels(agent, directory, filters.channel);
    const status = agentOverallStatus(agent, channels);
    rows.push({ agent, status, since: statusSince(agent, channels, status), open: agentOpen(channels).open });
  }
  const sign = order.direction === 'ascending' ? 1 : -1;
  const compare = (a: Row, b: Row): number => {
    switch (order.key) {
      case 'name':
        return byText(a.agent.name, b.agent.name);
      case 'typology':
        return byText(a.agent.typology, b.agent.typology);
      case 'phone':
        return byText(a.agent.phone.state ?? '~', b.agent.phone.state ?? '~');
      case 'status':
        return STATUS_RANK[a.status] - STATUS_RANK[b.status] || a.since - b.since;
      case 'open':
        return a.open - b.open;
      case 'loggedIn':
        return time(a.agent.loggedInAt) - time(b.agent.loggedInAt);
    }
  };
  rows.sort((a, b) => sign * compare(a, b) || byText(a.agent.name, b.agent.name) || a.agent.id - b.agent.id);
  return rows.map((r) => r.agent);
}

// --- queues

/** Queues where at least one agent of the team works: the contract does not say which teams a queue has. */
function teamQueueIds(agents: Iterable<BoardAgent>, teamId: number): Set<number> {
  const ids = new Set<number>();
  for (const agent of agents) if (agent.teamIds.includes(teamId)) for (const q of agent.queueIds) ids.add(q);
  return ids;
}

export type QueueSortKey = 'name' | 'channel' | 'waiting' | 'longestWait' | 'ready' | 'busy' | 'paused' | 'answered' | 'abandoned' | 'serviceLevel';

export function sortedQueues(queues: Iterable<BoardQueue>, agents: Iterable<BoardAgent>, filters: BoardFilters, order: SortOrder<QueueSortKey>): BoardQueue[] {
  const teamQueues = filters.teamId === null ? null : teamQueueIds(agents, filters.teamId);
  const rows = [...queues].filter(
    (q) =>
      (filters.queueId === null || q.id === filters.queueId) &&
      (filters.channel === null || q.channel === filters.channel) &&
      (teamQueues === null || teamQueues.has(q.id)),
  );
  const sign = order.direction === 'ascending' ? 1 : -1;
  const compare = (a: BoardQueue, b: BoardQueue): number => {
    switch (order.key) {
      case 'name':
        return byText(a.name, b.name);
      case 'channel':
        return byText(a.channel, b.channel);
      case 'waiting':
        return a.waiting - b.waiting;
      // The longest wait is the earliest enqueue time: ascending wait = latest time first.
      case 'longestWait':
        return time(b.longestWaitingSince) - time(a.longestWaitingSince) || 0;
      case 'ready':
        return a.agents.ready - b.agents.ready;
      case 'busy':
        return a.agents.busy - b.agents.busy;
      case 'paused':
        return a.agents.paused - b.agents.paused;
      case 'answered':
        return a.today.answered - b.today.answered;
      case 'abandoned':
        return a.today.abandoned - b.today.abandoned;
      case 'serviceLevel':
        return (a.serviceLevel ?? -1) - (b.serviceLevel ?? -1);
    }
  };
  return rows.sort((a, b) => sign * safe(compare(a, b)) || byText(a.name, b.name) || a.id - b.id);
}

/** Infinity − Infinity is NaN: two queues without waiting callers compare equal. */
const safe = (n: number): number => (Number.isNaN(n) ? 0 : n);

// --- calls

export type CallSortKey = 'caller' | 'queue' | 'agent' | 'state' | 'duration';
const CALL_STATE_RANK = { talking: 0, ringing: 1, queued: 2, ivr: 3 } as const;

export function sortedCalls(
  calls: Iterable<BoardCall>,
  agents: ReadonlyIdMap<BoardAgent>,
  directory: QueueDirectory,
  filters: BoardFilters,
  order: SortOrder<CallSortKey>,
): BoardCall[] {
  const teamQueues = filters.teamId === null ? null : teamQueueIds(agents.values(), filters.teamId);
  const agentName = (c: BoardCall): string => (c.agentId === null ? '' : (agents.get(c.agentId)?.name ?? ''));
  const queueName = (c: BoardCall): string => (c.queueId === null ? '' : (directory.get(c.queueId)?.name ?? ''));
  const rows = [...calls].filter((c) => {
    // Calls are voice: another channel filter hides them all.
    if (filters.channel !== null && filters.channel !== 'voice') return false;
    if (filters.queueId !== null && c.queueId !== filters.queueId) return false;
    if (filters.teamId !== null) {
      const agent = c.agentId === null ? undefined : agents.get(c.agentId);
      const ofTeam = agent !== undefined ? agent.teamIds.includes(filters.teamId) : c.queueId !== null && teamQueues !== null && teamQueues.has(c.queueId);
      if (!ofTeam) return false;
    }
    return textMatches(filters.text, c.caller, c.callerName, agentName(c));
  });
  const sign = order.direction === 'ascending' ? 1 : -1;
  const compare = (a: BoardCall, b: BoardCall): number => {
    switch (order.key) {
      case 'caller':
        return byText(a.callerName || a.caller, b.callerName || b.caller);
      // Within a queue, callers in line come in the order they will be served.
      case 'queue':
        return byText(queueName(a), queueName(b)) || inLineOrder(a, b);
      case 'agent':
        return byText(agentName(a), agentName(b));
      case 'state':
        return CALL_STATE_RANK[a.state] - CALL_STATE_RANK[b.state] || inLineOrder(a, b);
      // Longest first when ascending would surprise: ascending duration = most recent start first.
      case 'duration':
        return Date.parse(b.startedAt) - Date.parse(a.startedAt);
    }
  };
  return rows.sort((a, b) => sign * compare(a, b) || a.id - b.id);
}

/**
 * The router's service order for two calls in line (priority, then arrival, then entry id); calls
 * not in line compare equal. The server's queue engine sorts waiting entries the same way.
 */
export function inLineOrder(a: BoardCall, b: BoardCall): number {
  if (a.line === null || b.line === null) return 0;
  if (a.line.priority !== b.line.priority) return b.line.priority - a.line.priority;
  const since = Date.parse(a.line.since) - Date.parse(b.line.since);
  return since !== 0 ? since : a.line.entryId - b.line.entryId;
}

/** Each call in line's place in its queue (1 = served next), as the router will serve them. */
export function linePositions(calls: Iterable<BoardCall>): Map<number, number> {
  const byQueue = new Map<number, BoardCall[]>();
  for (const c of calls) {
    if (c.line === null || c.queueId === null) continue;
    const list = byQueue.get(c.queueId);
    if (list) list.push(c);
    else byQueue.set(c.queueId, [c]);
  }
  const out = new Map<number, number>();
  for (const list of byQueue.values()) list.sort(inLineOrder).forEach((c, i) => out.set(c.id, i + 1));
  return out;
}

// --- counters

export interface AgentCounters {
  total: number;
  loggedIn: number;
  ready: number;
  paused: number;
  busy: number;
  wrapUp: number;
}

export function agentCounters(agents: readonly BoardAgent[], directory: QueueDirectory, channel: Channel | null): AgentCounters {
  const counters: AgentCounters = { total: agents.length, loggedIn: 0, ready: 0, paused: 0, busy: 0, wrapUp: 0 };
  for (const agent of agents) {
    if (!agent.loggedIn) continue;
    counters.loggedIn++;
    const status = agentOverallStatus(agent, agentChannels(agent, directory, channel));
    if (status === 'ready') counters.ready++;
    else if (status === 'paused') counters.paused++;
    else if (status === 'busy') counters.busy++;
    else if (status === 'wrap-up') counters.wrapUp++;
  }
  return counters;
}
