import type { z } from 'zod';
import type { CompiledExpression, Value } from './expression/index.ts';
import type { CallPort, Capability } from './call-port.ts';
import type { Clock } from './clock.ts';
import { CHANNEL_KINDS, type ChannelKind } from './project/schema.ts';
import type { LogLevel, ServiceName, Services } from './services.ts';
import type { Template } from './runtime/templates.ts';

/**
 * A block type: one module in flows/blocks/ exporting one of these. The designer builds its palette
 * and property forms from the same object the interpreter runs, so editor and runtime never disagree.
 *
 * `P` is the parsed params (zod output, defaults applied); `R` is what `compile` makes of them once
 * per project — templates and expressions analysed up front so a call step does no parsing.
 *
 * Function members use method syntax on purpose: it makes BlockDefinition<P, R> assignable to the
 * registry's BlockDefinition<unknown, unknown> without casts.
 */
export interface BlockDefinition<P = unknown, R = P> {
  readonly type: string;
  /** Bumped when params or exits change meaning; the designer can warn about old blocks. */
  readonly version: number;
  readonly category: BlockCategory;
  readonly label: string;
  readonly description: string;
  readonly params: z.ZodType<P>;
  /** Named exits for these params (Menu: one per choice plus invalid and timeout). */
  exits(params: P): readonly string[];
  readonly channels: readonly ChannelKind[];
  /** Transport capabilities the block needs; checked against CallPort.capabilities. */
  readonly requires?: readonly Capability[];
  /** Audio blocks have no effect in the Finally phase: they are skipped via `finallyExit`. */
  readonly audio?: boolean;
  /** Exit taken when the block is skipped in Finally (default: its first exit). */
  readonly finallyExit?: string;
  /** Waits for the caller or for time to pass, so a loop through it is not a busy loop. */
  readonly waits?: boolean;
  /** Exits that may stay unwired without a warning (the block copes, e.g. by retrying). */
  readonly optionalExits?: readonly string[];
  /** Ends the flow (End, Hangup): no exits. */
  readonly terminal?: boolean;
  /**
   * Runs in memory and (almost always) returns synchronously, so the interpreter skips the
   * per-block timer for it. It may still return a promise, e.g. to fetch a channel variable.
   */
  readonly pure?: boolean;
  /** Per-block time limit for these params; null = unlimited (a queue wait, a bridged dial). */
  maxDurationMs?(params: P): number | null;
  /** Variables this block writes (for "used but never set" validation). */
  writes?(params: P): readonly string[];
  /** Checks across fields or against the project (the zod schema covers single fields). */
  check?(params: P, env: CheckEnv): readonly ParamIssue[];
  /** Analyse params once per project (templates, expressions); the result is what `run` gets. */
  compile?(params: P, helpers: CompileHelpers): R;
  run(ctx: BlockContext, params: R, signal: AbortSignal): string | Promise<string>;
}

export type AnyBlockDefinition = BlockDefinition<unknown, unknown>;

export interface CheckEnv {
  readonly channel: ChannelKind;
}
export interface ParamIssue {
  /** Params path, e.g. `choices.2`. */
  readonly field: string;
  readonly message: string;
}

export const ALL_CHANNELS: readonly ChannelKind[] = CHANNEL_KINDS;
export const VOICE_ONLY: readonly ChannelKind[] = ['voice'];
export const MESSAGING_CHANNELS: readonly ChannelKind[] = ['chat', 'sms', 'email', 'openchannel'];
export const NEXT: readonly string[] = ['next'];

export const BLOCK_CATEGORIES = ['structure', 'call', 'audio', 'logic', 'integration', 'agent', 'messaging'] as const;
export type BlockCategory = (typeof BLOCK_CATEGORIES)[number];

/**
 * Offered to `compile`. `field` is the params path the source came from, so a syntax error is
 * reported against the right form field, and the validator can see every template and expression
 * a block uses.
 */
export interface CompileHelpers {
  template(source: string, field: string): Template;
  expression(source: string, field: string): CompiledExpression;
}

/** What a block sees of the running call. One per call (or sub-project run), reused every step. */
export interface BlockContext {
  readonly call: CallPort;
  readonly services: Services;
  readonly clock: Clock;
  readonly vars: VariableAccess;
  /** Synchronous name lookup: project variables, then what the call knows (CALLERID(num)…). */
  readonly scope: (name: string) => Value | undefined;
  readonly blockId: string;
  readonly projectId: string;
  readonly phase: 'main' | 'finally';
  /** Sub-project nesting depth (0 = top level). */
  readonly depth: number;

  render(template: Template, signal: AbortSignal, encode?: (text: string) => string): string | Promise<string>;
  /** `{NAME}` alone keeps NAME's type; anything else renders to text. */
  renderValue(template: Template, signal: AbortSignal): Value | Promise<Value>;
  evaluate(expression: CompiledExpression, signal: AbortSignal): Value | Promise<Value>;
  /** Whether `exit` of the current block leads somewhere (Menu: wired invalid/timeout win over retries). */
  isWired(exit: string): boolean;
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void;
  /** The named service port, or throws ServiceUnavailableError. */
  service<K extends ServiceName>(name: K): NonNullable<Services[K]>;
  /** Waits on the flow's clock; rejects when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  runSubProject(projectRef: string, inputs: ReadonlyMap<string, Value>, signal: AbortSignal): Promise<SubProjectOutcome>;
}

export interface VariableAccess {
  get(name: string): Value | undefined;
  set(name: string, value: Value): void;
}

export type SubProjectOutcome =
  | { readonly ok: true; readonly variables: ReadonlyMap<string, Value> }
  | { readonly ok: false; readonly reason: string };

/** Exit returned by terminal blocks: the flow ends here on purpose. */
export const END_OF_FLOW = '@end';

/** Identity function that lets TypeScript infer P from the zod schema and R from `compile`. */
export function defineBlock<S extends z.ZodType, R = z.output<S>>(
  definition: Omit<BlockDefinition<z.output<S>, R>, 'params'> & { readonly params: S },
): BlockDefinition<z.output<S>, R> {
  return definition as BlockDefinition<z.output<S>, R>;
}
