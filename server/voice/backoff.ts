/**
 * Reconnect delays for the AMI and ARI connections.
 *
 * Exponential with a cap and jitter: when Asterisk restarts, every Tandem node (and every
 * connection on a node) loses it at the same instant; without jitter they would all knock on
 * the same millisecond, and without a cap a long outage would push the next attempt out to
 * hours (asterisk-manager #62 saw almost a day).
 */
export interface BackoffPolicy {
  /** Delay before the first retry. */
  readonly initialMs: number;
  /** Upper bound of any delay. */
  readonly maxMs: number;
  /** Growth per attempt. */
  readonly factor: number;
  /** Share of the delay that is random, 0..1 (0.5: the delay lies in [base/2, base]). */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 };

/** Delay before retry number `attempt` (1 for the first retry); `random` returns [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** exponent);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(base * (1 - jitter) + base * jitter * r);
}

/** Fills in a partial policy from configuration and rejects nonsense early (at boot, not at the first outage). */
export function resolveBackoff(partial: Partial<BackoffPolicy> | undefined): BackoffPolicy {
  const policy = { ...DEFAULT_BACKOFF, ...partial };
  if (!(policy.initialMs > 0) || !(policy.maxMs >= policy.initialMs) || !(policy.factor >= 1)) {
    throw new RangeError(
      `invalid reconnect backoff: need initialMs > 0, maxMs >= initialMs, factor >= 1 (got ${JSON.stringify(policy)})`,
    );
  }
  return policy;
}
