// A queue's routing settings, validated once and turned into flat arrays for the hot path.
// The shell compiles a queue when its settings or members change (rare) and reuses the result
// for every decision (frequent), so `decide` never re-validates or re-sorts members.
import { z } from 'zod';
import { emptyMask } from './empty-policy.ts';
import { RoutingInputError } from './errors.ts';
import { CHANNELS, EMPTY_CONDITIONS, EMPTY_POLICY_KEYWORDS, STRATEGIES, type AgentId, type Channel, type QueueConfig, type QueueId, type Strategy } from './types.ts';

/** Asterisk's default `retry` (seconds → ms): the pause before an agent who refused is tried again. */
export const DEFAULT_RETRY_MS = 5000;

const oneOf = (what: string, values: readonly string[]) => (iss: { input: unknown }) =>
  `${JSON.stringify(iss.input)} is not ${what}; use one of ${values.join(', ')}`;

const wholeMs = (label: string, min: number) =>
  z.number({ message: `must be a number of milliseconds` }).int(`must be a whole number of milliseconds`).min(min, `${label} must be ${min} or more`);

const emptyPolicySchema = z.union(
  [
    z.enum(EMPTY_POLICY_KEYWORDS),
    z.array(z.enum(EMPTY_CONDITIONS, { error: oneOf('an empty condition', EMPTY_CONDITIONS) })),
  ],
  { error: 'must be yes, no, strict, loose or a list of conditions' },
);

/** The schema of `QueueConfig` (reusable by the API layer for queue settings). */
export const queueConfigSchema = z
  .object({
    id: z.number({ message: 'must be a number' }).int('must be a whole number'),
    channel: z.enum(CHANNELS, { error: oneOf('a channel', CHANNELS) }),
    strategy: z.enum(STRATEGIES, { error: oneOf('a strategy', STRATEGIES) }),
    members: z.array(
      z.object({
        agentId: z.number({ message: 'must be a number' }).int('must be a whole number'),
        penalty: z.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 or more'),
      }),
    ),
    timeoutMs: wholeMs('an offer timeout', 1),
    wrapupMs: wholeMs('a wrap-up time', 0),
    retryMs: wholeMs('a retry time', 0).default(DEFAULT_RETRY_MS),
    maxWaiting: z.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 (unlimited) or more'),
    joinEmpty: emptyPolicySchema.default('yes'),
    leaveWhenEmpty: emptyPolicySchema.default('no'),
  })
  .superRefine((q, ctx) => {
    const seen = new Set<number>();
    q.members.forEach((m, i) => {
      if (seen.has(m.agentId)) ctx.addIssue({ code: 'custom', path: ['members', i, 'agentId'], message: `agent ${m.agentId} is listed twice` });
      seen.add(m.agentId);
    });
  });

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

/** Validates a queue's settings and prepares them for routing. Throws RoutingInputError naming the bad field. */
export function compileQueue(config: QueueConfig): CompiledQueue {
  const parsed = queueConfigSchema.safeParse(config);
  if (!parsed.success) {
    const label = typeof (config as { id?: unknown } | null)?.id === 'number' ? `queue ${(config as { id: number }).id}` : 'queue';
    const issues = parsed.error.issues;
    const where = (path: readonly PropertyKey[]) => label + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    const first = issues[0]!;
    const rest = issues.slice(1).map((i) => `; ${where(i.path)}: ${i.message}`).join('');
    throw new RoutingInputError(where(first.path), `${first.message}${rest}`);
  }
  const q = parsed.data;
  const agentIds = q.members.map((m) => m.agentId);
  const penalties = q.members.map((m) => m.penalty);
  return Object.freeze({
    id: q.id,
    channel: q.channel,
    strategy: q.strategy,
    timeoutMs: q.timeoutMs,
    wrapupMs: q.wrapupMs,
    retryMs: q.retryMs,
    maxWaiting: q.maxWaiting,
    joinEmptyMask: emptyMask(q.joinEmpty, 'joinEmpty'),
    leaveWhenEmptyMask: emptyMask(q.leaveWhenEmpty, 'leaveWhenEmpty'),
    agentIds: Object.freeze(agentIds),
    penalties: Object.freeze(penalties),
    positionOf: new Map(agentIds.map((id, i) => [id, i])),
    singleTier: penalties.every((p) => p === penalties[0]),
  });
}
