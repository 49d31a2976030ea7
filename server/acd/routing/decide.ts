// One routing decision: for one waiting entry, which agents get an offer now, and why every other
// member of the queue does not (routing explainability).
//
// Passes over the members, in member order (≈50 per queue; one small object per member for the
// explainability record, nothing else proportional to the agent population):
//   1. each member on its own: eligibility.ts checks (logged in, tab limit, capacity, pause, phone,
//      wrap-up, pending offer); an agent absent from the snapshot counts as logged out;
//   2. the entry's refusals: cooldown, then "fewest refusals first" (refusals.ts);
//   3. penalty tiers (all strategies but wrandom): only the lowest penalty that still has an
//      eligible member is offered — Asterisk's `penalty * 1000000` in calc_metric: a higher tier is
//      reached only when every member of the lower ones is unavailable;
//   4. the strategy picks among what is left (strategies.ts); offers get their auto-answer.
import { autoAnswerCore } from './auto-answer.ts';
import { assertLimits } from './capacity.ts';
import { skipDetail, skipReason } from './eligibility.ts';
import { assertInstant, RoutingInputError } from './errors.ts';
import type { CompiledQueue } from './queue-config.ts';
import { describeRefusal, inCooldown, tallyRefusals } from './refusals.ts';
import { pick, type ConsideredRow } from './strategies.ts';
import type { AgentId, AgentLookup, DecideState, Offer, Refusal, RoutingDecision, SkipReason, WaitingEntry } from './types.ts';
import { assertEntry, compareWaiting } from './waiting-entry.ts';

const NO_OFFERS: readonly Offer[] = Object.freeze([]);

/**
 * Decides who is offered `entry` now. Pure: same inputs (and same `random` draws), same decision.
 * The shell then records the offers (pendingOffer on each agent's channel), stores
 * `rrLastAgentId` for rrmemory queues, and on expiry or rejection adds a Refusal to the entry.
 */
export function decide(queue: CompiledQueue, entry: WaitingEntry, agents: AgentLookup, now: number, state: DecideState): RoutingDecision {
  assertDecideInput(queue, now, state);
  assertEntry(entry, queue);
  return route(queue, entry, agents, now, state, state.rrLastAgentId ?? null, null);
}

/**
 * Decides for several entries of one queue at once, in queue order (priority, then arrival): an
 * agent offered an earlier entry counts as 'offer-pending' for the later ones, and the rrmemory
 * position carries from one decision to the next. Returns decisions in that order.
 */
export function decideMany(
  queue: CompiledQueue,
  entries: readonly WaitingEntry[],
  agents: AgentLookup,
  now: number,
  state: DecideState,
): { decisions: RoutingDecision[]; rrLastAgentId: AgentId | null } {
  const result = decideAcross(
    entries.map((entry) => ({ queue, entry })),
    agents,
    now,
    { limits: state.limits, ...(state.random ? { random: state.random } : {}), rrLastAgentIdOf: () => state.rrLastAgentId ?? null },
  );
  return { decisions: result.decisions, rrLastAgentId: result.rrLastAgentIds.get(queue.id) ?? state.rrLastAgentId ?? null };
}

/** What decideAcross needs besides the entries: the limits, the random source, each queue's rrmemory position. */
export interface AcrossState {
  limits: DecideState['limits'];
  random?: DecideState['random'];
  rrLastAgentIdOf(queueId: CompiledQueue['id']): AgentId | null;
}

/**
 * Decides for the waiting entries of several queues at once, in one service order across all of
 * them (priority, then arrival; compareWaiting): an agent who is a member of several queues is
 * offered the best-placed entry they can take, whichever queue it waits in, and counts as
 * 'offer-pending' on that channel for every later entry. Strategies still choose *which agent* of a
 * queue; they never change *which entry* goes first. A refusal keeps only the refusing agent from
 * that entry for the cooldown, so the entry keeps its place for everybody else.
 * Returns the decisions in service order and the rrmemory position of every queue decided.
 */
export function decideAcross(
  items: readonly { queue: CompiledQueue; entry: WaitingEntry }[],
  agents: AgentLookup,
  now: number,
  state: AcrossState,
): { decisions: RoutingDecision[]; rrLastAgentIds: Map<CompiledQueue['id'], AgentId | null> } {
  const rr = new Map<CompiledQueue['id'], AgentId | null>();
  const checked = new Set<CompiledQueue>();
  for (const { queue, entry } of items) {
    if (!checked.has(queue)) {
      assertDecideInput(queue, now, { limits: state.limits, ...(state.random ? { random: state.random } : {}) });
      checked.add(queue);
      rr.set(queue.id, state.rrLastAgentIdOf(queue.id));
    }
    assertEntry(entry, queue);
  }
  const ordered = [...items].sort((a, b) => compareWaiting(a.entry, b.entry));
  // Offer-pending is per channel (eligibility rule 8): one set of taken agents per channel.
  const taken = new Map<CompiledQueue['channel'], Set<AgentId>>();
  const decisions: RoutingDecision[] = [];
  for (const { queue, entry } of ordered) {
    let takenHere = taken.get(queue.channel);
    if (!takenHere) taken.set(queue.channel, (takenHere = new Set()));
    const d = route(queue, entry, agents, now, { limits: state.limits, ...(state.random ? { random: state.random } : {}) }, rr.get(queue.id) ?? null, takenHere);
    for (const o of d.offers) takenHere.add(o.agentId);
    rr.set(queue.id, d.rrLastAgentId);
    decisions.push(d);
  }
  return { decisions, rrLastAgentIds: rr };
}

function assertDecideInput(queue: CompiledQueue, now: number, state: DecideState): void {
  if (typeof queue !== 'object' || queue === null || !Array.isArray(queue.agentIds) || !(queue.positionOf instanceof Map)) {
    throw new RoutingInputError('queue', 'must be a CompiledQueue (build it with compileQueue)');
  }
  assertInstant('now', now);
  if (typeof state !== 'object' || state === null) throw new RoutingInputError('state', 'must be an object like { limits: { maxOpenTabs: 0 } }');
  assertLimits(state.limits);
  if ((queue.strategy === 'random' || queue.strategy === 'wrandom') && typeof state.random !== 'function') {
    throw new RoutingInputError('state.random', `queue ${queue.id} uses ${queue.strategy}: pass a random() function returning [0, 1)`);
  }
}

function route(
  queue: CompiledQueue,
  entry: WaitingEntry,
  agents: AgentLookup,
  now: number,
  state: DecideState,
  rrLastAgentId: AgentId | null,
  taken: ReadonlySet<AgentId> | null,
): RoutingDecision {
  const { agentIds, penalties, channel } = queue;
  const maxOpenTabs = state.limits.maxOpenTabs;
  const n = agentIds.length;
  const rows: ConsideredRow[] = new Array<ConsideredRow>(n);
  let eligibleCount = 0;

  // 1. Each member on its own.
  for (let i = 0; i < n; i++) {
    const id = agentIds[i]!;
    const agent = agents.get(id);
    let reason: SkipReason | null;
    let detail: string | null = null;
    if (agent === undefined) {
      // The shell may keep only logged-in agents in its snapshot: no snapshot, no session.
      reason = 'logged-out';
      detail = 'not in snapshot';
    } else {
      if (agent.id !== id) throw new RoutingInputError(`agents.get(${id})`, `returned the snapshot of agent ${agent.id}`);
      reason = skipReason(agent, channel, now, maxOpenTabs);
      if (reason !== null) detail = skipDetail(agent, channel, reason);
      else if (taken !== null && taken.has(id)) {
        reason = 'offer-pending';
        detail = 'offered an earlier entry in this routing pass';
      }
    }
    if (reason === null) eligibleCount++;
    rows[i] = { agentId: id, penalty: penalties[i]!, eligible: reason === null, offered: false, reason, detail };
  }

  // 2. This entry's refusals.
  const refusals = entry.refusals;
  if (eligibleCount > 0 && refusals !== undefined && refusals.length > 0) eligibleCount = applyRefusals(rows, refusals, now, queue.retryMs, eligibleCount);

  // 3. Penalty tiers (wrandom weighs penalties instead).
  if (eligibleCount > 0 && queue.strategy !== 'wrandom' && !queue.singleTier) eligibleCount = keepBestTier(rows, eligibleCount);

  // 4. The strategy.
  let offers = NO_OFFERS;
  let tier: number | null = null;
  let nextRr = rrLastAgentId;
  if (eligibleCount > 0) {
    const chosen = pick({ queue, rows, eligibleCount, agents, rrLastAgentId, random: state.random });
    const list: Offer[] = new Array<Offer>(chosen.length);
    for (let k = 0; k < chosen.length; k++) {
      const row = rows[chosen[k]!]!;
      row.offered = true;
      if (tier === null || row.penalty < tier) tier = row.penalty;
      list[k] = { agentId: row.agentId, autoAnswer: autoAnswerCore(agents.get(row.agentId)!, channel, now, maxOpenTabs, queue.strategy) };
    }
    offers = list;
    if (queue.strategy === 'rrmemory') nextRr = list[0]!.agentId;
  }

  return {
    queueId: queue.id,
    entryId: entry.id,
    strategy: queue.strategy,
    decidedAt: now,
    offers,
    offerExpiresAt: offers.length > 0 ? now + queue.timeoutMs : null,
    tier,
    considered: rows,
    rrLastAgentId: nextRr,
  };
}

/** Cooldown, then fewest-refusals-first (refusals.ts). Returns the new eligible count. */
function applyRefusals(rows: ConsideredRow[], refusals: readonly Refusal[], now: number, retryMs: number, eligibleCount: number): number {
  const tally = tallyRefusals(refusals);
  let fewest = Infinity;
  for (const row of rows) {
    if (!row.eligible) continue;
    const t = tally.get(row.agentId);
    if (inCooldown(t, now, retryMs)) {
      row.eligible = false;
      row.reason = 'rejected-recently';
      row.detail = describeRefusal(t!, now);
      eligibleCount--;
    } else {
      const count = t?.count ?? 0;
      if (count < fewest) fewest = count;
    }
  }
  if (eligibleCount === 0) return 0;
  return eligibleCount - dropRefusedMoreThan(rows, tally, fewest, now);
}

function dropRefusedMoreThan(rows: ConsideredRow[], tally: ReturnType<typeof tallyRefusals>, fewest: number, now: number): number {
  let dropped = 0;
  for (const row of rows) {
    if (!row.eligible) continue;
    const t = tally.get(row.agentId);
    if (t !== undefined && t.count > fewest) {
      row.eligible = false;
      row.reason = 'rejected-recently';
      row.detail = `${describeRefusal(t, now)}; others refused it fewer times`;
      dropped++;
    }
  }
  return dropped;
}

/** Marks eligible members above the lowest eligible penalty as 'penalty'. Returns the new eligible count. */
function keepBestTier(rows: ConsideredRow[], eligibleCount: number): number {
  let best = Infinity;
  for (const row of rows) if (row.eligible && row.penalty < best) best = row.penalty;
  const detail = tierDetail(best);
  for (const row of rows) {
    if (row.eligible && row.penalty > best) {
      row.eligible = false;
      row.reason = 'penalty';
      row.detail = detail;
      eligibleCount--;
    }
  }
  return eligibleCount;
}

// The 'penalty' detail is the same string for every decision of a tier: build each once.
const TIER_DETAILS: string[] = [];
function tierDetail(tier: number): string {
  if (tier > 1000) return `penalty ${tier} has eligible agents`;
  return (TIER_DETAILS[tier] ??= `penalty ${tier} has eligible agents`);
}
