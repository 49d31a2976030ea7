// May an interaction join the queue, and must the waiting ones leave it?
// Asterisk's order (apps/app_queue.c, join_queue): the joinempty check first, then maxlen.
// "Empty" and the conditions are defined in empty-policy.ts.
import { atCapacity, atTabLimit, assertLimits, channelState } from './capacity.ts';
import { EMPTY_BIT } from './empty-policy.ts';
import { assertCount, assertInstant } from './errors.ts';
import type { CompiledQueue } from './queue-config.ts';
import type { AgentLookup, AgentSnapshot, RoutingLimits } from './types.ts';

export type Admission = { readonly ok: true } | { readonly ok: false; readonly outcome: 'full' | 'unavailable' };

const ADMITTED: Admission = Object.freeze({ ok: true });
const UNAVAILABLE: Admission = Object.freeze({ ok: false, outcome: 'unavailable' });
const FULL: Admission = Object.freeze({ ok: false, outcome: 'full' });

const B = EMPTY_BIT;

/** Is this member present under the condition mask (empty-policy.ts)? */
export function isPresent(agent: AgentSnapshot | undefined, queue: CompiledQueue, now: number, maxOpenTabs: number, mask: number): boolean {
  if (agent === undefined || !agent.loggedIn) return false;
  const channel = queue.channel;
  const state = channelState(agent, channel);
  const device = channel === 'voice' ? (agent.device ?? 'unknown') : null;
  if (mask & B.paused && state.paused) return false;
  if (mask & B.inuse && (atTabLimit(agent, maxOpenTabs) || atCapacity(agent, channel, state) || device === 'inuse')) return false;
  if (mask & B.ringing && (state.pendingOffer === true || device === 'ringing')) return false;
  if (mask & B.unavailable && device === 'unavailable') return false;
  if (mask & B.invalid && device === 'invalid') return false;
  if (mask & B.unknown && device === 'unknown') return false;
  if (mask & B.wrapup && state.wrapupUntil !== undefined && state.wrapupUntil !== null && now < state.wrapupUntil) return false;
  return true;
}

function anyPresent(queue: CompiledQueue, agents: AgentLookup, now: number, maxOpenTabs: number, mask: number): boolean {
  for (const id of queue.agentIds) if (isPresent(agents.get(id), queue, now, maxOpenTabs, mask)) return true;
  return false;
}

/**
 * May one more interaction join? `waitingCount` = interactions already waiting in this queue.
 * 'unavailable' (Asterisk JOINEMPTY): joinEmpty is on and no member is present.
 * 'full' (Asterisk FULL): maxWaiting > 0 and that many are already waiting.
 * Neither produces a report row: the interaction never entered the queue; the flow takes the
 * Queue block's exit for it.
 */
export function admit(queue: CompiledQueue, agents: AgentLookup, waitingCount: number, now: number, limits: RoutingLimits): Admission {
  assertLimits(limits);
  assertInstant('now', now);
  assertCount('waitingCount', waitingCount);
  if (queue.joinEmptyMask !== 0 && !anyPresent(queue, agents, now, limits.maxOpenTabs, queue.joinEmptyMask)) return UNAVAILABLE;
  if (queue.maxWaiting > 0 && waitingCount >= queue.maxWaiting) return FULL;
  return ADMITTED;
}

/**
 * Must the interactions waiting in this queue leave it now (leaveWhenEmpty on and no member
 * present)? The shell asks periodically — Asterisk checks about every second while a caller waits
 * (wait_our_turn) — and ends those passages (report reason: see report.ts, 'left-empty').
 */
export function shouldLeave(queue: CompiledQueue, agents: AgentLookup, now: number, limits: RoutingLimits): boolean {
  assertLimits(limits);
  assertInstant('now', now);
  return queue.leaveWhenEmptyMask !== 0 && !anyPresent(queue, agents, now, limits.maxOpenTabs, queue.leaveWhenEmptyMask);
}
