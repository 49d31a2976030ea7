import { ExpressionError } from './errors.ts';

/**
 * The mutable state of one evaluate() call: where names are looked up and how much budget is
 * left. Compiled closures receive it as their only argument, so a compiled expression holds no
 * per-call state and can be evaluated concurrently by many calls.
 */
export interface Runtime {
  readonly scope: (name: string) => unknown;
  steps: number;
  readonly maxSteps: number;
  readonly maxLength: number;
  /** Set for budgets that are not the expression's own step budget (copying values out). */
  readonly budgetName?: string;
}

/**
 * Copying a value out of evaluate() or rendering it in a template is not the expression's own
 * work and is not charged to maxSteps; this bound only stops pathological data (a shared
 * sub-structure referenced from everywhere expands exponentially when copied).
 */
export const MAX_VALUE_NODES = 1_000_000;

export function valueRuntime(scope: (name: string) => unknown, maxLength: number): Runtime {
  return { scope, steps: 0, maxSteps: MAX_VALUE_NODES, maxLength, budgetName: 'value' };
}

export function stepsExhausted(rt: Runtime, position: number | undefined): never {
  if (rt.budgetName !== undefined) {
    throw new ExpressionError(`${rt.budgetName} has more than ${rt.maxSteps} members`, position, 'steps');
  }
  throw new ExpressionError(`step budget of ${rt.maxSteps} exhausted; the expression does too much work`, position, 'steps');
}

/** Charges work proportional to data size (elements copied, characters scanned, …). */
export function charge(rt: Runtime, amount: number, position: number | undefined): void {
  rt.steps += amount;
  if (rt.steps > rt.maxSteps) stepsExhausted(rt, position);
}

export function tooLong(rt: Runtime, length: number, position: number | undefined): never {
  throw new ExpressionError(`produced text of ${length} characters exceeds the limit of ${rt.maxLength}`, position, 'length');
}

export function checkLength(rt: Runtime, text: string, position: number | undefined): string {
  if (text.length > rt.maxLength) tooLong(rt, text.length, position);
  return text;
}
