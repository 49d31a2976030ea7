// Builders for routing tests: readable snapshots with sensible defaults.
import {
  compileQueue,
  type AgentChannelState,
  type AgentId,
  type AgentQueueStats,
  type AgentSnapshot,
  type Channel,
  type CompiledQueue,
  type DeviceReachability,
  type QueueConfig,
  type QueueId,
  type Refusal,
  type RoutingLimits,
  type WaitingEntry,
} from '../../../server/acd/routing/index.ts';

/** Monday 2026-01-05 09:00 UTC: a fixed "now". */
export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const NO_LIMITS: RoutingLimits = { maxOpenTabs: 0 };

export interface AgentOptions {
  loggedIn?: boolean;
  openTabs?: number;
  device?: DeviceReachability;
  ringInUse?: boolean;
  channels?: Partial<Record<Channel, Partial<AgentChannelState>>>;
  stats?: Record<QueueId, Partial<AgentQueueStats>>;
  hotdeskPhoneId?: number | null;
}

export function agent(id: AgentId, o: AgentOptions = {}): AgentSnapshot {
  const channels: Partial<Record<Channel, AgentChannelState>> = {};
  for (const [ch, state] of Object.entries(o.channels ?? {}) as [Channel, Partial<AgentChannelState>][]) {
    channels[ch] = { paused: false, open: 0, ...state };
  }
  const stats = o.stats
    ? new Map(Object.entries(o.stats).map(([q, s]) => [Number(q), { lastCallEndAt: null, callsToday: 0, ...s }]))
    : undefined;
  return {
    id,
    loggedIn: o.loggedIn ?? true,
    openTabs: o.openTabs ?? 0,
    device: o.device ?? 'registered',
    ringInUse: o.ringInUse ?? false,
    channels,
    ...(stats ? { queueStats: stats } : {}),
    ...(o.hotdeskPhoneId !== undefined ? { hotdeskPhoneId: o.hotdeskPhoneId } : {}),
  };
}

export function agentMap(...agents: AgentSnapshot[]): Map<AgentId, AgentSnapshot> {
  return new Map(agents.map((a) => [a.id, a]));
}

export function queue(o: Partial<QueueConfig> & { memberIds?: AgentId[] } = {}): CompiledQueue {
  const { memberIds, ...rest } = o;
  return compileQueue({
    id: 1,
    channel: 'chat',
    strategy: 'ringall',
    members: (memberIds ?? []).map((agentId) => ({ agentId, penalty: 0 })),
    timeoutMs: 15_000,
    wrapupMs: 0,
    maxWaiting: 0,
    ...rest,
  });
}

export function entry(o: Partial<WaitingEntry> = {}): WaitingEntry {
  return { id: 'e1', queueId: 1, priority: 0, enqueuedAt: T0 - 30_000, ...o };
}

export function refusal(agentId: AgentId, at: number, kind: Refusal['kind'] = 'timeout'): Refusal {
  return { agentId, at, kind };
}

/** mulberry32: a tiny seeded PRNG so random strategies are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random() that returns the given values in turn (then fails loudly). */
export function scripted(...values: number[]): () => number {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error(`scripted random exhausted after ${values.length} draws`);
    return values[i++]!;
  };
}

export function offeredIds(d: { offers: readonly { agentId: AgentId }[] }): AgentId[] {
  return d.offers.map((o) => o.agentId);
}

export function reasonOf(d: { considered: readonly { agentId: AgentId; reason: string | null }[] }, id: AgentId): string | null {
  const row = d.considered.find((c) => c.agentId === id);
  if (!row) throw new Error(`agent ${id} not considered`);
  return row.reason;
}

/** Freezes an object graph (Maps are left as they are but their values frozen) to prove purity. */
export function deepFreeze<T>(value: T): T {
  if (value instanceof Map) {
    for (const v of value.values()) deepFreeze(v);
    return value;
  }
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
