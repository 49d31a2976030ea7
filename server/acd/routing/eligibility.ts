// May this agent be offered this interaction now? The checks, in order, and the reason of the
// first one that fails.
//
// The order follows XCALLY's tab-limit and capacity checks: before an interaction reaches an agent
// (to be auto-answered or accepted by hand), the agent's open tabs are compared with the global
// open-tab limit (a global setting) first, and only when that limit is not reached are the
// channel's open interactions compared with its capacity; reaching either means the agent is not
// notified. An agent gets a popup only when not paused on the channel and under both limits.
// So: logged in → tab limit → capacity → pause, then what XCALLY's rules do not cover: the phone
// (reachable, not busy), wrap-up, an offer already pending, and this entry's refusals.
import { atCapacity, atTabLimit, assertLimits, channelState } from './capacity.ts';
import { isOccupied, isUnreachable } from './device-state.ts';
import { assertInstant, RoutingInputError } from './errors.ts';
import type { CompiledQueue } from './queue-config.ts';
import { DEFAULT_RETRY_MS } from './queue-config.ts';
import { describeRefusal, inCooldown, tallyRefusals } from './refusals.ts';
import { CHANNELS, type AgentSnapshot, type Channel, type DeviceReachability, type Eligibility, type RoutingLimits, type SkipReason, type WaitingEntry } from './types.ts';
import { assertEntry } from './waiting-entry.ts';

const OK: Eligibility = Object.freeze({ ok: true });

/**
 * The hot-path core: the checks that concern this agent alone, without the entry's refusals.
 * Inputs are assumed valid except the agent's counters, which it checks as it reads them.
 */
export function skipReason(agent: AgentSnapshot, channel: Channel, now: number, maxOpenTabs: number): SkipReason | null {
  if (!agent.loggedIn) return 'logged-out';
  // The global open-tab limit is checked first…
  if (atTabLimit(agent, maxOpenTabs)) return 'at-tab-limit';
  // …then the Max Capacity of this channel…
  const state = channelState(agent, channel);
  if (atCapacity(agent, channel, state)) return 'at-capacity';
  // …and no popup while paused on the channel.
  if (state.paused) return 'paused';
  if (channel === 'voice') {
    // Presence from AMI device states: a phone that is not registered gets no offers; one that is
    // in use or ringing only when the agent has XCALLY's "Ring in Use" setting on.
    const device = agent.device ?? 'unknown';
    if (isUnreachable(device)) return 'unreachable';
    if (isOccupied(device) && agent.ringInUse !== true) return 'busy';
  }
  const wrapupUntil = state.wrapupUntil;
  if (wrapupUntil !== undefined && wrapupUntil !== null && now < wrapupUntil) return 'in-wrapup';
  // One offer at a time per channel: a second popup would race the first.
  if (state.pendingOffer === true) return 'offer-pending';
  return null;
}

const DEVICE_DETAIL: Readonly<Record<DeviceReachability, string>> = {
  registered: 'device registered',
  unavailable: 'device unavailable',
  invalid: 'device invalid',
  inuse: 'device inuse',
  ringing: 'device ringing',
  unknown: 'device unknown',
};

/** Words to go with a reason in the explainability record (constant strings: no allocation per member). */
export function skipDetail(agent: AgentSnapshot, channel: Channel, reason: SkipReason): string | null {
  if (reason === 'paused') return channelState(agent, channel).pauseReason ?? null;
  if (reason === 'unreachable' || reason === 'busy') return DEVICE_DETAIL[agent.device ?? 'unknown'];
  return null;
}

/**
 * May `agent` be offered an interaction of `channel` at `now`?
 *
 * `queue` (optional) must serve `channel`; with an `entry` of that queue, an agent who refused the
 * entry less than `queue.retryMs` ago (5 s without a queue) gets 'rejected-recently'. Queue
 * membership is not checked: the shell may ask about direct offers too. 'penalty' and the rotation
 * rule of refusals compare agents with each other, so only `decide` gives them.
 */
export function eligibility(
  agent: AgentSnapshot,
  queue: CompiledQueue | null,
  channel: Channel,
  now: number,
  limits: RoutingLimits,
  entry?: WaitingEntry,
): Eligibility {
  assertLimits(limits);
  assertInstant('now', now);
  if (!(CHANNELS as readonly string[]).includes(channel)) throw new RoutingInputError('channel', `${JSON.stringify(channel)} is not one of ${CHANNELS.join(', ')}`);
  if (queue !== null && queue.channel !== channel) throw new RoutingInputError('channel', `queue ${queue.id} serves ${queue.channel}, not ${channel}`);
  if (entry !== undefined && queue !== null) assertEntry(entry, queue);

  const reason = skipReason(agent, channel, now, limits.maxOpenTabs);
  if (reason !== null) return { ok: false, reason, detail: skipDetail(agent, channel, reason) };

  if (entry?.refusals?.length) {
    const mine = tallyRefusals(entry.refusals.filter((r) => r.agentId === agent.id)).get(agent.id);
    if (mine && inCooldown(mine, now, queue?.retryMs ?? DEFAULT_RETRY_MS)) return { ok: false, reason: 'rejected-recently', detail: describeRefusal(mine, now) };
  }
  return OK;
}
