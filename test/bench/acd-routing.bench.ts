/**
 * Queue routing core: decisions per second and latency of `decide` with 10,000 agents in 1,000
 * queues (each agent in 5 queues, ≈ 50 members per queue), all strategies and channels mixed, and
 * a realistic share of agents logged out, paused, busy on the phone, at capacity, at the tab limit,
 * in wrap-up or with an offer pending. Also decideMany (5 waiting entries per queue) and admit.
 * Run alone: npx tsx test/bench/acd-routing.bench.ts   (≈ 15 s)
 */
import {
  admit,
  compileQueue,
  decide,
  decideMany,
  shouldLeave,
  STRATEGIES,
  type AgentChannelState,
  type AgentId,
  type AgentQueueStats,
  type AgentSnapshot,
  type Channel,
  type CompiledQueue,
  type DeviceReachability,
  type QueueId,
  type WaitingEntry,
} from '../../server/acd/routing/index.ts';

const AGENTS = 10_000;
const QUEUES = 1_000;
const QUEUES_PER_AGENT = 5;
const NOW = Date.UTC(2026, 0, 5, 11, 0, 0);
const LIMITS = { maxOpenTabs: 6 };

/** mulberry32, seeded: the same population on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = seeded(20260105);
const chance = (p: number) => rnd() < p;
const int = (n: number) => Math.floor(rnd() * n);

// ---- population ------------------------------------------------------------------------------
const CHANNEL_MIX: [Channel, number][] = [
  ['voice', 0.4],
  ['chat', 0.25],
  ['email', 0.1],
  ['sms', 0.1],
  ['whatsapp', 0.05],
  ['openchannel', 0.05],
  ['fax', 0.05],
];
function pickChannel(): Channel {
  let x = rnd();
  for (const [c, p] of CHANNEL_MIX) if ((x -= p) < 0) return c;
  return 'voice';
}

const membersOf: { agentId: AgentId; penalty: number }[][] = Array.from({ length: QUEUES }, () => []);
const queuesOf: QueueId[][] = Array.from({ length: AGENTS }, () => []);
for (let a = 0; a < AGENTS; a++) {
  const mine = new Set<number>();
  while (mine.size < QUEUES_PER_AGENT) mine.add(int(QUEUES));
  for (const q of mine) {
    membersOf[q]!.push({ agentId: a + 1, penalty: chance(0.7) ? 0 : 1 + int(3) });
    queuesOf[a]!.push(q + 1);
  }
}

const queues: CompiledQueue[] = [];
const setupStart = performance.now();
for (let q = 0; q < QUEUES; q++) {
  queues.push(
    compileQueue({
      id: q + 1,
      channel: pickChannel(),
      strategy: STRATEGIES[q % STRATEGIES.length]!,
      members: membersOf[q]!,
      timeoutMs: 20_000,
      wrapupMs: 10_000,
      maxWaiting: 50,
      joinEmpty: q % 3 === 0 ? 'strict' : 'yes',
      leaveWhenEmpty: q % 4 === 0 ? 'yes' : 'no',
    }),
  );
}
const compileMs = performance.now() - setupStart;

// A busy hour: most phones are in a call, most chat agents near capacity.
const DEVICE_MIX: [DeviceReachability, number][] = [
  ['registered', 0.35],
  ['inuse', 0.4],
  ['ringing', 0.05],
  ['unavailable', 0.05],
  ['unknown', 0.15],
];
function pickDevice(): DeviceReachability {
  let x = rnd();
  for (const [d, p] of DEVICE_MIX) if ((x -= p) < 0) return d;
  return 'registered';
}

const agents = new Map<AgentId, AgentSnapshot>();
for (let a = 0; a < AGENTS; a++) {
  const channels: Partial<Record<Channel, AgentChannelState>> = {};
  let openTabs = 0;
  for (const [channel] of CHANNEL_MIX) {
    const capacity = channel === 'voice' ? undefined : channel === 'chat' ? 3 : channel === 'email' ? 0 : 2;
    const open = channel === 'voice' ? (chance(0.4) ? 1 : 0) : channel === 'chat' ? int(4) : chance(0.4) ? int(3) : 0;
    if (channel !== 'voice') openTabs += open;
    channels[channel] = {
      paused: chance(0.15),
      pauseReason: 'lunch',
      open,
      ...(capacity !== undefined ? { capacity } : {}),
      autoAnswer: chance(0.3) ? { enabled: true, delaySeconds: int(5) } : null,
      wrapupUntil: chance(0.05) ? NOW + 5000 : null,
      pendingOffer: chance(0.05),
    };
  }
  const queueStats = new Map<QueueId, AgentQueueStats>();
  for (const q of queuesOf[a]!) queueStats.set(q, { lastCallEndAt: chance(0.1) ? null : NOW - int(3_600_000), callsToday: int(40) });
  agents.set(a + 1, { id: a + 1, loggedIn: !chance(0.08), openTabs, device: pickDevice(), ringInUse: chance(0.1), channels, queueStats });
}

// One waiting entry per queue; a fifth of them already refused by two members.
const entries: WaitingEntry[] = queues.map((q) => {
  const refusals =
    chance(0.2) && q.agentIds.length > 1
      ? [
          { agentId: q.agentIds[int(q.agentIds.length)]!, at: NOW - 30_000, kind: 'timeout' as const },
          { agentId: q.agentIds[int(q.agentIds.length)]!, at: NOW - 2_000, kind: 'rejected' as const },
        ]
      : [];
  return { id: `e${q.id}`, queueId: q.id, priority: int(3), enqueuedAt: NOW - int(120_000), refusals };
});
const rrPosition: (AgentId | null)[] = queues.map(() => null);
const random = seeded(7);

// ---- measurements ----------------------------------------------------------------------------
function line(label: string, value: string): void {
  console.log(`acd-routing ${label.padEnd(58)} ${value}`);
}

let cursor = 0;
function oneDecision(): void {
  const i = cursor;
  cursor = cursor + 1 === QUEUES ? 0 : cursor + 1;
  const d = decide(queues[i]!, entries[i]!, agents, NOW, { limits: LIMITS, rrLastAgentId: rrPosition[i]!, random });
  rrPosition[i] = d.rrLastAgentId;
}

/** Runs `fn` for about `ms` after a warm-up; returns operations per second. */
function rate(fn: () => void, ms: number): number {
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) for (let k = 0; k < 100; k++) fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let k = 0; k < 1000; k++) fn();
    ops += 1000;
    now = performance.now();
  }
  return ops / ((now - start) / 1000);
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

line('population', `${AGENTS} agents, ${QUEUES} queues, ${(queues.reduce((n, q) => n + q.agentIds.length, 0) / QUEUES).toFixed(1)} members/queue`);
line('compileQueue (all 1,000 queues)', `${compileMs.toFixed(1)} ms`);

// The mix, as the decisions themselves explain it (one decision per queue).
const reasons = new Map<string, number>();
let withOffer = 0;
let rows = 0;
for (let i = 0; i < QUEUES; i++) {
  const d = decide(queues[i]!, entries[i]!, agents, NOW, { limits: LIMITS, random });
  if (d.offers.length > 0) withOffer++;
  for (const c of d.considered) {
    rows++;
    const key = c.offered ? 'offered' : (c.reason ?? 'eligible, not picked');
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
}
line('mix: decisions with at least one offer', `${((100 * withOffer) / QUEUES).toFixed(1)} %`);
line('mix: members per decision by outcome', [...reasons].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${((100 * n) / rows).toFixed(1)}%`).join(', '));

const perSecond = rate(oneDecision, 4000);
line('decide: decisions per second (single core)', `${Math.round(perSecond).toLocaleString('en-US')} /s`);

// Latency: time every decision of 200,000, each measured alone.
const SAMPLES = 200_000;
const latencies = new Float64Array(SAMPLES);
for (let s = 0; s < SAMPLES; s++) {
  const t0 = process.hrtime.bigint();
  oneDecision();
  latencies[s] = Number(process.hrtime.bigint() - t0) / 1000;
}
latencies.sort();
line('decide latency p50', `${percentile(latencies, 0.5).toFixed(2)} µs`);
line('decide latency p99', `${percentile(latencies, 0.99).toFixed(2)} µs`);
line('decide latency p99.9', `${percentile(latencies, 0.999).toFixed(2)} µs`);
line('decide latency max (GC pauses included)', `${latencies[SAMPLES - 1]!.toFixed(0)} µs`);

// decideMany: five entries waiting in the same queue.
const batches = queues.map((q, i) => Array.from({ length: 5 }, (_, k) => ({ ...entries[i]!, id: `e${q.id}-${k}`, enqueuedAt: NOW - 1000 * k })));
let batchCursor = 0;
const batchRate = rate(() => {
  const i = batchCursor;
  batchCursor = batchCursor + 1 === QUEUES ? 0 : batchCursor + 1;
  decideMany(queues[i]!, batches[i]!, agents, NOW, { limits: LIMITS, rrLastAgentId: rrPosition[i]!, random });
}, 2000);
line('decideMany (5 entries): batches per second', `${Math.round(batchRate).toLocaleString('en-US')} /s (${Math.round(batchRate * 5).toLocaleString('en-US')} decisions/s)`);

// Only the queues whose joinEmpty ('strict') and leaveWhenEmpty ('yes') checks are on: the others
// return without looking at a member.
const checked = queues.filter((q) => q.joinEmptyMask !== 0 && q.leaveWhenEmptyMask !== 0);
let admitCursor = 0;
const admitRate = rate(() => {
  const q = checked[admitCursor]!;
  admitCursor = admitCursor + 1 === checked.length ? 0 : admitCursor + 1;
  admit(q, agents, 3, NOW, LIMITS);
  shouldLeave(q, agents, NOW, LIMITS);
}, 1500);
line(`admit + shouldLeave, both checks on (${checked.length} queues): pairs/s`, `${Math.round(admitRate).toLocaleString('en-US')} /s`);
