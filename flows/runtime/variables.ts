import type { Value } from '../expression/index.ts';

export interface VariableLimits {
  /** Longest string a variable may hold. */
  readonly maxStringLength: number;
  /** Most elements in an array value (a database matrix counts its rows). */
  readonly maxArrayLength: number;
  /** Most distinct variables per call. */
  readonly maxVariables: number;
}

export const DEFAULT_VARIABLE_LIMITS: VariableLimits = {
  maxStringLength: 1_048_576,
  maxArrayLength: 100_000,
  maxVariables: 10_000,
};

export class VariableLimitError extends Error {
  readonly code = 'variable-limit';
  constructor(message: string) {
    super(message);
    this.name = 'VariableLimitError';
  }
}

/**
 * The variables of one call (or one sub-project run). A Map, never a plain object, so names such as
 * "__proto__" can never reach a prototype. `writes` lists the names set during the current step,
 * which is how the trace reports "variables changed" without diffing the whole store.
 */
export class VariableStore {
  private readonly values = new Map<string, Value>();
  // Names written this step; a counter instead of `length = 0` keeps the hot path allocation-free.
  private readonly writes: string[] = [];
  private writeCount = 0;

  constructor(private readonly limits: VariableLimits = DEFAULT_VARIABLE_LIMITS) {}

  get(name: string): Value | undefined {
    return this.values.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  set(name: string, value: Value): void {
    if (typeof value === 'string') {
      if (value.length > this.limits.maxStringLength) {
        throw new VariableLimitError(
          `value for ${name} is ${value.length} characters; variables hold at most ${this.limits.maxStringLength}`,
        );
      }
    } else if (Array.isArray(value) && value.length > this.limits.maxArrayLength) {
      throw new VariableLimitError(
        `value for ${name} has ${value.length} elements; variables hold at most ${this.limits.maxArrayLength}`,
      );
    }
    if (!this.values.has(name) && this.values.size >= this.limits.maxVariables) {
      throw new VariableLimitError(`too many variables (at most ${this.limits.maxVariables} per call)`);
    }
    this.values.set(name, value);
    this.writes[this.writeCount++] = name;
  }

  /** Changes made since the last clearWrites(), or undefined when there were none. */
  takeWrites(): Record<string, Value> | undefined {
    if (this.writeCount === 0) return undefined;
    const changed: Record<string, Value> = {};
    for (let i = 0; i < this.writeCount; i++) {
      const name = this.writes[i]!;
      assign(changed, name, this.values.get(name) ?? null);
    }
    this.writeCount = 0;
    if (this.writes.length > 64) this.writes.length = 0; // do not keep a huge buffer after a big step
    return changed;
  }

  clearWrites(): void {
    this.writeCount = 0;
  }

  snapshot(): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const [name, value] of this.values) assign(out, name, value);
    return out;
  }
}

/** `__proto__` is the one key plain assignment would turn into a prototype change. */
function assign(target: Record<string, Value>, name: string, value: Value): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}
