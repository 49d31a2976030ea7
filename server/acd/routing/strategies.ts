// The eight strategies: which of the eligible members get the offer.
//
// They mirror Asterisk's app_queue (apps/app_queue.c, calc_metric): every member gets a metric,
// lowest first, with `penalty * 1000000` added for all strategies but wrandom — i.e. a lower
// penalty tier always wins. Here the tier is applied before picking (decide.ts), so each function
// below only sees the eligible members of the best tier (wrandom: of every tier), in member order.
// Ties always go to the earlier member, as find_best keeps the first lowest metric.
//
//   ringall      every eligible member at once; first to accept wins.
//   beepall      the same offer list as ringall (a notification to every eligible agent, first to
//                accept wins); it differs only in never auto-answering (auto-answer.ts).
//   linear       the first eligible member in configured order. The entry's refusals move it down
//                the list and wrap (refusals.ts), like Asterisk's per-caller linpos.
//   rrmemory     round robin with memory: the first eligible member AFTER the last agent offered
//                (state.rrLastAgentId), wrapping; from the top when that agent is no longer a member.
//   leastrecent  the member whose last interaction from this queue ended longest ago; never = first.
//   fewestcalls  the member with the fewest interactions of this queue answered today.
//   random       uniform among the eligible members: index floor(random() * count).
//   wrandom      weighted random by penalty, across tiers: each eligible member draws
//                metric = random() * (1 + penalty) and the lowest metric wins — Asterisk's
//                `ast_random() % ((1 + penalty) * 1000)` without the integer rounding. So penalty 0
//                draws in [0,1), penalty 1 in [0,2), …: with one member of each, P(penalty 0 wins)
//                = 1 - ∫₀¹ x/2 dx = 3/4.
import { isCount, notACount, RoutingInputError } from './errors.ts';
import type { CompiledQueue } from './queue-config.ts';
import type { AgentId, AgentLookup, ConsideredAgent } from './types.ts';

/** A ConsideredAgent while the decision is being built. */
export type ConsideredRow = { -readonly [K in keyof ConsideredAgent]: ConsideredAgent[K] };

export interface PickContext {
  readonly queue: CompiledQueue;
  readonly rows: readonly ConsideredRow[];
  /** How many rows are eligible (> 0). */
  readonly eligibleCount: number;
  readonly agents: AgentLookup;
  readonly rrLastAgentId: AgentId | null;
  readonly random: (() => number) | undefined;
}

/** Indices (into the member arrays) of the members to offer to, in offer order. */
export function pick(ctx: PickContext): number[] {
  switch (ctx.queue.strategy) {
    case 'ringall':
    case 'beepall':
      return everyEligible(ctx.rows);
    case 'linear':
      return [firstEligibleFrom(ctx.rows, 0)];
    case 'rrmemory':
      return [firstEligibleFrom(ctx.rows, afterLast(ctx))];
    case 'leastrecent':
      return [lowest(ctx, lastCallMetric)];
    case 'fewestcalls':
      return [lowest(ctx, callsMetric)];
    case 'random':
      return [nthEligible(ctx.rows, Math.floor(draw(ctx) * ctx.eligibleCount))];
    case 'wrandom':
      return [lowest(ctx, weightedMetric)];
    default:
      throw new RoutingInputError(`queue ${ctx.queue.id}.strategy`, `${JSON.stringify(ctx.queue.strategy as string)} is not a strategy (build queues with compileQueue)`);
  }
}

function everyEligible(rows: readonly ConsideredRow[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) if (rows[i]!.eligible) out.push(i);
  return out;
}

/** First eligible row at or after `start`, wrapping around. */
function firstEligibleFrom(rows: readonly ConsideredRow[], start: number): number {
  const n = rows.length;
  for (let k = 0; k < n; k++) {
    const i = (start + k) % n;
    if (rows[i]!.eligible) return i;
  }
  throw new Error('routing invariant broken: no eligible row although eligibleCount > 0');
}

function nthEligible(rows: readonly ConsideredRow[], nth: number): number {
  let seen = 0;
  for (let i = 0; i < rows.length; i++) {
    if (!rows[i]!.eligible) continue;
    if (seen === nth) return i;
    seen++;
  }
  throw new Error('routing invariant broken: fewer eligible rows than eligibleCount');
}

function afterLast(ctx: PickContext): number {
  if (ctx.rrLastAgentId === null) return 0;
  const last = ctx.queue.positionOf.get(ctx.rrLastAgentId);
  return last === undefined ? 0 : last + 1;
}

/** Eligible row with the lowest metric; ties to the earlier member. */
function lowest(ctx: PickContext, metric: (ctx: PickContext, i: number) => number): number {
  let best = -1;
  let bestMetric = Infinity;
  const rows = ctx.rows;
  for (let i = 0; i < rows.length; i++) {
    if (!rows[i]!.eligible) continue;
    const m = metric(ctx, i);
    if (best === -1 || m < bestMetric) {
      best = i;
      bestMetric = m;
    }
  }
  return best;
}

function statsOf(ctx: PickContext, i: number) {
  const id = ctx.queue.agentIds[i]!;
  return ctx.agents.get(id)?.queueStats?.get(ctx.queue.id);
}

function lastCallMetric(ctx: PickContext, i: number): number {
  const at = statsOf(ctx, i)?.lastCallEndAt ?? null;
  if (at === null) return -Infinity;
  if (!Number.isFinite(at)) throw new RoutingInputError(`agent ${ctx.queue.agentIds[i]!}.queueStats(${ctx.queue.id}).lastCallEndAt`, `must be null or a finite epoch-ms number, got ${String(at)}`);
  return at;
}

function callsMetric(ctx: PickContext, i: number): number {
  const calls = statsOf(ctx, i)?.callsToday ?? 0;
  if (!isCount(calls)) throw notACount(`agent ${ctx.queue.agentIds[i]!}.queueStats(${ctx.queue.id}).callsToday`, calls);
  return calls;
}

function weightedMetric(ctx: PickContext, i: number): number {
  return draw(ctx) * (1 + ctx.queue.penalties[i]!);
}

function draw(ctx: PickContext): number {
  const x = ctx.random!();
  if (!(x >= 0 && x < 1)) throw new RoutingInputError('state.random', `must return a number in [0, 1), returned ${String(x)}`);
  return x;
}
