/** Bounds that stop runaway or hostile expressions with an ExpressionError instead of a hang. */
export interface ExpressionLimits {
  /** Node evaluations (plus work done inside functions) allowed per evaluate(). */
  maxSteps?: number;
  /** Longest string an evaluation may produce; also the longest accepted source text. */
  maxLength?: number;
  /** Deepest nesting accepted by the parser (parentheses, unary chains, ternaries, calls). */
  maxDepth?: number;
}

export const DEFAULT_MAX_STEPS = 10_000;
export const DEFAULT_MAX_LENGTH = 65_536;
export const DEFAULT_MAX_DEPTH = 64;
/**
 * Values arriving from the scope (HTTP responses, database rows) may legitimately nest deeper than
 * expressions do; this bound only protects copying/comparing/printing them from cycles and stack
 * exhaustion.
 */
export const MAX_VALUE_DEPTH = 256;

export interface ResolvedLimits {
  readonly maxSteps: number;
  readonly maxLength: number;
  readonly maxDepth: number;
}

function positiveInt(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 1) return fallback;
  return Math.floor(value);
}

export function resolveLimits(limits: ExpressionLimits | undefined, base?: ResolvedLimits): ResolvedLimits {
  const maxSteps = positiveInt(limits?.maxSteps, base?.maxSteps ?? DEFAULT_MAX_STEPS);
  const maxLength = positiveInt(limits?.maxLength, base?.maxLength ?? DEFAULT_MAX_LENGTH);
  const maxDepth = positiveInt(limits?.maxDepth, base?.maxDepth ?? DEFAULT_MAX_DEPTH);
  return { maxSteps, maxLength, maxDepth };
}
