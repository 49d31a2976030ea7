// Auto-answer: the offer is accepted on the agent's behalf after a per-channel delay.
//
// XCALLY's auto-answer rules (an agent setting):
// - it is switched on or off per channel, with an answer delay in seconds → per-channel
//   { enabled, delaySeconds }.
// - it is not meant for the beepall strategy → beepall never auto-answers: beepall notifies many
//   agents at once; auto-accepting would hand the interaction to whichever desktop's timer fires
//   first instead of to a person who chose it.
// - an agent with auto-answer on who has already reached the open-tab limit or the channel's
//   capacity must not have a new request accepted automatically until a tab or a slot is freed
//   → the same two limit checks as eligibility, in the same order.
//
// When to call it: `decide` computes it for every offer. When the delay is over, the shell calls
// `autoAnswerFor` again with a fresh snapshot (the agent may have taken another interaction
// meanwhile); if it now says `auto: false` because of a limit, the offer stays a manual popup and
// the shell may ask again when one of the agent's interactions closes, until the offer expires.
import { atCapacity, atTabLimit, assertLimits, channelState } from './capacity.ts';
import { assertInstant, RoutingInputError } from './errors.ts';
import type { AgentSnapshot, AutoAnswerDecision, Channel, RoutingLimits, Strategy } from './types.ts';

const NOT_ENABLED: AutoAnswerDecision = Object.freeze({ auto: false, reason: 'not-enabled' });
const BEEPALL: AutoAnswerDecision = Object.freeze({ auto: false, reason: 'beepall' });
const LOGGED_OUT: AutoAnswerDecision = Object.freeze({ auto: false, reason: 'logged-out' });
const AT_TAB_LIMIT: AutoAnswerDecision = Object.freeze({ auto: false, reason: 'at-tab-limit' });
const AT_CAPACITY: AutoAnswerDecision = Object.freeze({ auto: false, reason: 'at-capacity' });
const PAUSED: AutoAnswerDecision = Object.freeze({ auto: false, reason: 'paused' });
const IN_WRAPUP: AutoAnswerDecision = Object.freeze({ auto: false, reason: 'in-wrapup' });

/** Hot-path core, inputs assumed valid (limits checked by the caller). */
export function autoAnswerCore(agent: AgentSnapshot, channel: Channel, now: number, maxOpenTabs: number, strategy: Strategy | null): AutoAnswerDecision {
  const state = channelState(agent, channel);
  const setting = state.autoAnswer;
  if (!setting || !setting.enabled) return NOT_ENABLED;
  if (strategy === 'beepall') return BEEPALL;
  if (!agent.loggedIn) return LOGGED_OUT;
  if (atTabLimit(agent, maxOpenTabs)) return AT_TAB_LIMIT;
  if (atCapacity(agent, channel, state)) return AT_CAPACITY;
  // Not in XCALLY's rules, but accepting for someone who just paused, or who is still in after-call
  // work, would defeat the pause and the wrap-up.
  if (state.paused) return PAUSED;
  if (state.wrapupUntil !== undefined && state.wrapupUntil !== null && now < state.wrapupUntil) return IN_WRAPUP;
  const delay = setting.delaySeconds;
  if (!(delay >= 0) || delay === Infinity) throw new RoutingInputError(`agent ${agent.id}.channels.${channel}.autoAnswer.delaySeconds`, `must be a finite number ≥ 0, got ${String(delay)}`);
  return { auto: true, delayMs: Math.round(delay * 1000) };
}

/**
 * Should an offer of `channel` to `agent` be accepted automatically, and after how long?
 * `strategy` is the strategy of the queue the offer comes from (null for a direct offer).
 */
export function autoAnswerFor(agent: AgentSnapshot, channel: Channel, now: number, limits: RoutingLimits, strategy: Strategy | null = null): AutoAnswerDecision {
  assertLimits(limits);
  assertInstant('now', now);
  return autoAnswerCore(agent, channel, now, limits.maxOpenTabs, strategy);
}
