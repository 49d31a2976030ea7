// The one error the routing core throws: its input broke a rule the caller must respect (an
// unknown strategy, a negative capacity, an entry of another queue…). The message names the
// offending thing and field so the shell can log it as is; the core never throws for a merely
// unlucky situation (nobody available is a normal decision, not an error).

export class RoutingInputError extends Error {
  override readonly name = 'RoutingInputError';
  /** Dotted path of the offending field, e.g. `queue 7.members[2].penalty`. */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.field = field;
  }
}

// Hot paths test with the predicates and build the message (a template string) only on failure:
// formatting a field name for every member of every decision would cost more than the decision.

/** A whole number ≥ 0. */
export function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 0;
}

export function notACount(field: string, value: number): RoutingInputError {
  return new RoutingInputError(field, `must be a whole number ≥ 0, got ${String(value)}`);
}

export function notAnInstant(field: string, value: number): RoutingInputError {
  return new RoutingInputError(field, `must be a finite epoch-ms number, got ${String(value)}`);
}

/** `value` must be a whole number ≥ 0. */
export function assertCount(field: string, value: number): void {
  if (!isCount(value)) throw notACount(field, value);
}

/** `value` must be a finite epoch-ms instant. */
export function assertInstant(field: string, value: number): void {
  if (!Number.isFinite(value)) throw notAnInstant(field, value);
}
