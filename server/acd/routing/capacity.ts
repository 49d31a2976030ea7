// The two limits XCALLY checks before an interaction reaches an agent: the global maximum of open
// tabs and the per-channel maximum capacity. Kept apart from eligibility.ts because auto-answer and admission apply the very
// same two checks.
import { assertCount, isCount, notACount, RoutingInputError } from './errors.ts';
import type { AgentChannelState, AgentSnapshot, Channel, RoutingLimits } from './types.ts';

/**
 * Voice capacity when none is configured: a phone carries one queue call at a time. Every other
 * channel defaults to 0 = unlimited, XCALLY's default capacity for chat, e-mail, SMS, open
 * channel, fax and WhatsApp.
 */
export const DEFAULT_VOICE_CAPACITY = 1;

const IDLE: AgentChannelState = { paused: false, open: 0 };

/** The agent's state on a channel, with the defaults for a channel it has no entry for. */
export function channelState(agent: AgentSnapshot, channel: Channel): AgentChannelState {
  return agent.channels[channel] ?? IDLE;
}

/** Configured capacity of the channel, or its default; 0 = unlimited. */
export function capacityOf(agent: AgentSnapshot, channel: Channel, state: AgentChannelState = channelState(agent, channel)): number {
  const configured = state.capacity;
  if (configured === undefined) return channel === 'voice' ? DEFAULT_VOICE_CAPACITY : 0;
  if (!isCount(configured)) throw notACount(`agent ${agent.id}.channels.${channel}.capacity`, configured);
  return configured;
}

/**
 * An agent who has reached the global open-tab limit is not notified of a new interaction (XCALLY).
 * Reached means: a limit is set (> 0) and the agent already has that many tabs open.
 */
export function atTabLimit(agent: AgentSnapshot, maxOpenTabs: number): boolean {
  if (maxOpenTabs === 0) return false;
  if (!isCount(agent.openTabs)) throw notACount(`agent ${agent.id}.openTabs`, agent.openTabs);
  return agent.openTabs >= maxOpenTabs;
}

/**
 * An agent who has reached the channel's capacity is not notified of a new interaction (XCALLY): a
 * capacity is set (> 0) and that many interactions of this channel are open.
 */
export function atCapacity(agent: AgentSnapshot, channel: Channel, state: AgentChannelState = channelState(agent, channel)): boolean {
  const capacity = capacityOf(agent, channel, state);
  if (capacity === 0) return false;
  if (!isCount(state.open)) throw notACount(`agent ${agent.id}.channels.${channel}.open`, state.open);
  return state.open >= capacity;
}

/** Global limits must be whole numbers ≥ 0 (0 = unlimited). */
export function assertLimits(limits: RoutingLimits): void {
  if (typeof limits !== 'object' || limits === null) throw new RoutingInputError('limits', 'must be an object like { maxOpenTabs: 0 }');
  assertCount('limits.maxOpenTabs', limits.maxOpenTabs);
}
