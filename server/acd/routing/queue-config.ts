// A queue's routing settings turned into flat arrays for the hot path. The settings arrive valid:
// the shell derives them (in ms) from the settings in seconds that server/acd/queue-settings.ts
// validated when they were written, so compiling them per routing pass parses nothing. The shell
// compiles a queue per pass and reuses the result for every decision of the pass, so `decide`
// never re-sorts members.
import { emptyMask } from './empty-policy.ts';
import { isCount, notACount, RoutingInputError } from './errors.ts';
import type { AgentId, Channel, QueueConfig, QueueId, Strategy } from './types.ts';

/** Asterisk's default `retry` (seconds → ms): the pause before an agent who refused is tried again. */
export const DEFAULT_RETRY_MS = 5000;

/** What `decide`, `admit` and `shouldLeave` work on. Build it with `compileQueue`; treat it as immutable. */
export interface CompiledQueue {
  readonly id: QueueId;
  readonly channel: Channel;
  readonly strategy: Strategy;
  readonly timeoutMs: number;
  readonly wrapupMs: number;
  readonly retryMs: number;
  readonly maxWaiting: number;
  /** Condition masks (empty-policy.ts); 0 = the check is off. */
  readonly joinEmptyMask: number;
  readonly leaveWhenEmptyMask: number;
  /** Members in configured order, as parallel arrays. */
  readonly agentIds: readonly AgentId[];
  readonly penalties: readonly number[];
  /** Member position by agent id (rrmemory resumes after the last agent offered). */
  readonly positionOf: ReadonlyMap<AgentId, number>;
  /** All members share one penalty: the tier pass can be skipped. */
  readonly singleTier: boolean;
}

/**
 * Prepares a queue for routing. Its settings are trusted (see above); its members, which no schema
 * has seen, must each be listed once with a penalty ≥ 0 (RoutingInputError naming the member).
 */
export function compileQueue(config: QueueConfig): CompiledQueue {
  const agentIds: AgentId[] = [];
  const penalties: number[] = [];
  const positionOf = new Map<AgentId, number>();
  config.members.forEach((m, i) => {
    if (!isCount(m.penalty)) throw notACount(`queue ${config.id}.members[${i}].penalty`, m.penalty);
    if (positionOf.has(m.agentId)) throw new RoutingInputError(`queue ${config.id}.members[${i}].agentId`, `agent ${m.agentId} is listed twice`);
    positionOf.set(m.agentId, i);
    agentIds.push(m.agentId);
    penalties.push(m.penalty);
  });
  return Object.freeze({
    id: config.id,
    channel: config.channel,
    strategy: config.strategy,
    timeoutMs: config.timeoutMs,
    wrapupMs: config.wrapupMs,
    retryMs: config.retryMs ?? DEFAULT_RETRY_MS,
    maxWaiting: config.maxWaiting,
    joinEmptyMask: emptyMask(config.joinEmpty ?? 'yes', 'joinEmpty'),
    leaveWhenEmptyMask: emptyMask(config.leaveWhenEmpty ?? 'no', 'leaveWhenEmpty'),
    agentIds: Object.freeze(agentIds),
    penalties: Object.freeze(penalties),
    positionOf,
    singleTier: penalties.every((p) => p === penalties[0]),
  });
}
