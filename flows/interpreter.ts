import type { ExpressionLimits, Value } from './expression/index.ts';
import { END_OF_FLOW, type SubProjectOutcome } from './block.ts';
import { CallHungUpError, type CallPort } from './call-port.ts';
import { systemClock, type Clock } from './clock.ts';
import { compileProject, isCompiledProject, type CompiledBlock, type CompiledProject } from './compile.ts';
import type { BlockRegistry } from './blocks/index.ts';
import type { Project } from './project/schema.ts';
import type { Services } from './services.ts';
import { builtinVariables, fetchChannelVariables } from './runtime/builtins.ts';
import { BlockTimeoutError, StepLimitError, StoppedError, errorMessage } from './runtime/errors.ts';
import { Frame, notify, type Budget, type FrameHost } from './runtime/frame.ts';
import { raceAbort } from './runtime/step-guard.ts';
import type { VariableFetcher } from './runtime/templates.ts';
import { DEFAULT_VARIABLE_LIMITS, VariableStore, type VariableLimits } from './runtime/variables.ts';

export { BUILTIN_VARIABLE_NAMES } from './runtime/builtins.ts';

export interface RunLimits {
  /** Blocks executed in the main phase, sub-projects included. */
  readonly maxSteps: number;
  /** Blocks executed in the Finally phase (its own budget, so a runaway main flow cannot starve it). */
  readonly maxFinallySteps: number;
  /** Time limit of an I/O block that does not declare its own (Queue and dials are unlimited). */
  readonly blockTimeoutMs: number;
  readonly maxTraceEntries: number;
  readonly maxSubProjectDepth: number;
  /** Give other calls a turn after this many consecutive steps. */
  readonly yieldEvery: number;
  readonly expression: ExpressionLimits;
  readonly variables: VariableLimits;
}

export const DEFAULT_RUN_LIMITS: RunLimits = {
  maxSteps: 10_000,
  maxFinallySteps: 1_000,
  blockTimeoutMs: 120_000,
  maxTraceEntries: 10_000,
  maxSubProjectDepth: 8,
  yieldEvery: 500,
  expression: { maxSteps: 10_000, maxLength: 65_536, maxDepth: 64 },
  variables: DEFAULT_VARIABLE_LIMITS,
};

export interface RunOptions {
  readonly services?: Services;
  readonly clock?: Clock;
  /** Aborting stops the run (server shutdown, admin kill); the result says `stopped`. */
  readonly signal?: AbortSignal;
  readonly limits?: Partial<RunLimits>;
  /** Initial variable values; they override the project's declared defaults. */
  readonly variables?: Readonly<Record<string, Value>>;
  /** Loads the project a Sub-project block names (a published version, normally). */
  readonly resolveProject?: (ref: string, signal: AbortSignal) => Promise<Project | CompiledProject | undefined>;
  readonly observer?: RunObserver;
  /** Used when `project` is not compiled yet. */
  readonly registry?: BlockRegistry;
  /** false = no trace entries (benchmarks); the result still has counts and variables. */
  readonly trace?: boolean;
}

export interface RunObserver {
  onBlockStart?(event: BlockStartEvent): void;
  onBlockEnd?(entry: TraceEntry): void;
}
export interface BlockStartEvent {
  readonly blockId: string;
  readonly type: string;
  readonly projectId: string;
  readonly depth: number;
  readonly phase: 'main' | 'finally';
  /** 1-based step number within the phase. */
  readonly step: number;
}

export interface TraceEntry {
  readonly blockId: string;
  readonly type: string;
  readonly projectId: string;
  readonly depth: number;
  readonly phase: 'main' | 'finally';
  /** The exit taken; null when the block failed or the call stopped inside it. */
  readonly exit: string | null;
  /** Milliseconds since the run started. */
  readonly startedAt: number;
  readonly durationMs: number;
  readonly changed?: Readonly<Record<string, Value>>;
  readonly error?: string;
  /** Set when the block was not executed (audio in Finally). */
  readonly skipped?: string;
  readonly logs?: readonly string[];
}

export type RunOutcome = 'completed' | 'hangup' | 'step-limit' | 'error' | 'stopped';
export type StopCode =
  | 'end' // a terminal block (End, Hangup)
  | 'unwired-exit'
  | 'hangup'
  | 'step-limit'
  | 'stopped'
  | 'block-error'
  | 'block-timeout'
  | 'broken-block' // params or type invalid: the block cannot run
  | 'capability'
  | 'unknown-exit'
  | 'no-entry'
  | 'internal';

export interface PhaseResult {
  readonly outcome: RunOutcome;
  readonly code: StopCode;
  readonly reason: string;
  /** The block where the phase stopped, when there is one. */
  readonly blockId: string | null;
  readonly steps: number;
}

export interface RunResult extends PhaseResult {
  /** The Finally phase, when the project has one and it ran. */
  readonly finally: PhaseResult | null;
  readonly trace: readonly TraceEntry[];
  /** Entries not recorded because the trace was full. */
  readonly traceDropped: number;
  readonly variables: Readonly<Record<string, Value>>;
  readonly durationMs: number;
}

type Stop =
  | { readonly kind: 'end'; readonly block: CompiledBlock }
  | { readonly kind: 'unwired'; readonly block: CompiledBlock; readonly exit: string }
  | { readonly kind: 'hangup'; readonly block: CompiledBlock | null }
  | { readonly kind: 'step-limit'; readonly block: CompiledBlock | null }
  | { readonly kind: 'stopped'; readonly block: CompiledBlock | null }
  | { readonly kind: 'error'; readonly code: StopCode; readonly block: CompiledBlock | null; readonly reason: string };

/**
 * Runs a project over a call. Never throws: every failure — a bad project, a block error, a hung
 * service, a hangup, a runaway loop — comes back as a RunResult with the reason, and nothing in it
 * is shared with another call's run.
 */
export async function runProject(project: Project | CompiledProject, call: CallPort, options: RunOptions = {}): Promise<RunResult> {
  const clock = options.clock ?? systemClock;
  let startedAt = 0;
  try {
    startedAt = clock.now();
    const limits: RunLimits = { ...DEFAULT_RUN_LIMITS, ...options.limits };
    const compiled = isCompiledProject(project)
      ? project
      : compileProject(project, {
          ...(options.registry === undefined ? {} : { registry: options.registry }),
          expressionLimits: limits.expression,
        });
    return await new Session(compiled, call, options, clock, limits).run();
  } catch (error) {
    let now = startedAt;
    try {
      now = clock.now();
    } catch {
      // a broken clock must not turn a report into a crash
    }
    return {
      outcome: 'error',
      code: 'internal',
      reason: `interpreter failure: ${errorMessage(error)}`,
      blockId: null,
      steps: 0,
      finally: null,
      trace: [],
      traceDropped: 0,
      variables: {},
      durationMs: now - startedAt,
    };
  }
}

/**
 * Everything one call's run owns: its trace, its abort controllers, its sub-project cache. Nothing
 * here is shared between calls; a compiled project is the only thing calls have in common, and it
 * is never written to.
 */
class Session implements FrameHost {
  readonly trace: TraceEntry[] = [];
  traceDropped = 0;
  readonly t0: number;
  readonly builtins: ReadonlyMap<string, Value>;
  readonly fetch: VariableFetcher | undefined;
  readonly services: Services;
  readonly expressionLimits: ExpressionLimits;
  private readonly subProjects = new Map<string, CompiledProject>();

  constructor(
    readonly compiled: CompiledProject,
    readonly call: CallPort,
    readonly options: RunOptions,
    readonly clock: Clock,
    readonly limits: RunLimits,
  ) {
    this.t0 = clock.now();
    this.services = options.services ?? {};
    this.expressionLimits = limits.expression;
    this.builtins = builtinVariables(call, compiled);
    this.fetch = call.capabilities.has('channelVariables') ? (names, signal) => fetchChannelVariables(call, names, signal) : undefined;
  }

  async run(): Promise<RunResult> {
    const main = new AbortController();
    const final = new AbortController();
    const unsubscribe = this.call.onHangup(() => main.abort(new CallHungUpError('the caller hung up')));
    if (this.call.hungUp) main.abort(new CallHungUpError('the caller hung up'));
    const external = this.options.signal;
    const onStop = (): void => {
      const reason = new StoppedError(external?.reason);
      main.abort(reason);
      final.abort(reason);
    };
    if (external?.aborted) onStop();
    else external?.addEventListener('abort', onStop, { once: true });

    try {
      const store = new VariableStore(this.limits.variables);
      for (const [name, value] of this.compiled.defaults) store.set(name, value);
      for (const [name, value] of Object.entries(this.options.variables ?? {})) store.set(name, value);
      store.clearWrites();

      const mainBudget: Budget = { used: 0, max: this.limits.maxSteps };
      const frame = new Frame(this, this.compiled, store, 0, 'main', main.signal, mainBudget);
      const mainStop =
        this.compiled.entry === undefined
          ? ({ kind: 'error', code: 'no-entry', block: null, reason: `entry block "${this.compiled.project.entry}" does not exist` } as const)
          : await this.walk(frame, this.compiled.entry);
      const mainResult = this.classify(mainStop, mainBudget.used, 'main');

      let finallyResult: PhaseResult | null = null;
      if (this.compiled.finally !== undefined && !final.signal.aborted) {
        const finallyBudget: Budget = { used: 0, max: this.limits.maxFinallySteps };
        const finallyFrame = new Frame(this, this.compiled, store, 0, 'finally', final.signal, finallyBudget);
        finallyResult = this.classify(await this.walk(finallyFrame, this.compiled.finally), finallyBudget.used, 'finally');
      }
      return {
        ...mainResult,
        finally: finallyResult,
        trace: this.trace,
        traceDropped: this.traceDropped,
        variables: store.snapshot(),
        durationMs: this.clock.now() - this.t0,
      };
    } finally {
      // Anything still pending for this call (a block that ignored its signal) is cancelled now.
      main.abort(new StoppedError('the run is over'));
      final.abort(new StoppedError('the run is over'));
      unsubscribe();
      external?.removeEventListener('abort', onStop);
    }
  }

  /** Walks blocks from `start` until the flow ends, fails, or is stopped. The hot loop. */
  async walk(frame: Frame, start: CompiledBlock): Promise<Stop> {
    const { phase, phaseSignal, budget } = frame;
    const observer = this.options.observer;
    const tracing = this.options.trace !== false;
    const clock = this.clock;
    const call = this.call;
    let sinceYield = 0;
    let now = clock.now();
    let block = start;
    for (;;) {
      if (phaseSignal.aborted) return this.abortStop(phaseSignal.reason, block);
      if (phase === 'main' && call.hungUp) return { kind: 'hangup', block };
      if (budget.used >= budget.max) return { kind: 'step-limit', block };
      budget.used++;
      frame.enter(block);
      if (observer?.onBlockStart !== undefined) {
        notify(() =>
          observer.onBlockStart!({ blockId: block.id, type: block.type, projectId: frame.projectId, depth: frame.depth, phase, step: budget.used }),
        );
      }

      // Reading the clock costs more than a whole pure step; pure steps reuse the last reading.
      const startedAt = block.pure ? now : (now = clock.now());
      let exit: string | null = null;
      let failure: unknown;
      let failed = false;
      let skipped: string | undefined;
      if (block.error !== null) {
        failed = true;
        failure = new BrokenBlockError(block);
      } else if (phase === 'finally' && block.audio) {
        exit = block.finallyExit;
        skipped = 'audio has no effect in Finally';
      } else {
        try {
          if (block.pure) {
            const result = block.definition!.run(frame, block.params, phaseSignal);
            if (typeof result === 'string') exit = result;
            else {
              exit = await raceAbort(result, phaseSignal);
              now = clock.now();
            }
          } else {
            exit = await this.runIo(frame, block);
          }
        } catch (error) {
          failed = true;
          failure = error;
        }
        if (!block.pure || failed) now = clock.now();
      }

      if (failed && block.definition?.terminal === true && (failure instanceof CallHungUpError || call.hungUp)) {
        // A terminal block (Hangup) ending the call is the flow's own doing, not the caller's.
        failed = false;
        exit = END_OF_FLOW;
      }

      // Entries cost an allocation per step: build one only when someone will see it.
      const keep = tracing && this.trace.length < this.limits.maxTraceEntries;
      if (keep || observer?.onBlockEnd !== undefined) {
        const changed = frame.store.takeWrites();
        const entry = this.entry(frame, block, exit, startedAt, now, changed, failed ? describeFailure(failure) : undefined, skipped);
        if (keep) this.trace.push(entry);
        else if (tracing) this.traceDropped++;
        if (observer?.onBlockEnd !== undefined) notify(() => observer.onBlockEnd!(entry));
      } else {
        frame.store.clearWrites();
        if (tracing) this.traceDropped++;
      }

      if (failed) {
        if (failure instanceof StepLimitError) return { kind: 'step-limit', block };
        if (failure instanceof StoppedError || (this.options.signal?.aborted ?? false)) return { kind: 'stopped', block };
        if (phase === 'main' && (call.hungUp || failure instanceof CallHungUpError)) return { kind: 'hangup', block };
        // A block that has an `error` exit handles its own failures when that exit is wired.
        const onError = block.next['error'];
        if (onError !== undefined && onError !== null && !(failure instanceof BrokenBlockError)) {
          block = onError;
          continue;
        }
        return {
          kind: 'error',
          code:
            failure instanceof BrokenBlockError
              ? 'broken-block'
              : failure instanceof BlockTimeoutError
                ? 'block-timeout'
                : failure instanceof MissingCapabilityError
                  ? 'capability'
                  : 'block-error',
          block,
          reason: `${block.type} block ${block.id} failed: ${describeFailure(failure)}`,
        };
      }

      if (exit === END_OF_FLOW) return { kind: 'end', block };
      const target = exit === null ? undefined : block.next[exit];
      if (target === undefined) {
        return { kind: 'error', code: 'unknown-exit', block, reason: `${block.type} block ${block.id} returned unknown exit "${String(exit)}"` };
      }
      if (target === null) return { kind: 'unwired', block, exit: exit! };
      if (++sinceYield >= this.limits.yieldEvery) {
        sinceYield = 0;
        await clock.yield();
        now = clock.now();
      }
      block = target;
    }
  }

  /** An I/O block: its own signal, aborted by the phase (hangup, stop) or by its time limit. */
  private async runIo(frame: Frame, block: CompiledBlock): Promise<string> {
    for (const capability of block.requires) {
      if (!this.call.capabilities.has(capability)) throw new MissingCapabilityError(capability);
    }
    const guard = frame.guard;
    const signal = guard.begin();
    const limit = block.timeoutMs === undefined ? this.limits.blockTimeoutMs : block.timeoutMs;
    const cancel = limit === null ? undefined : this.clock.setTimer(limit, () => guard.abort(new BlockTimeoutError(block.id, limit)));
    try {
      const result = block.definition!.run(frame, block.params, signal);
      // guard.race: a block (or port) that ignores its signal still cannot hang the call.
      return typeof result === 'string' ? result : await guard.race(result);
    } finally {
      cancel?.();
      guard.end();
    }
  }

  private entry(
    frame: Frame,
    block: CompiledBlock,
    exit: string | null,
    startedAt: number,
    now: number,
    changed: Record<string, Value> | undefined,
    error: string | undefined,
    skipped: string | undefined,
  ): TraceEntry {
    const entry: {
      -readonly [K in keyof TraceEntry]: TraceEntry[K];
    } = {
      blockId: block.id,
      type: block.type,
      projectId: frame.projectId,
      depth: frame.depth,
      phase: frame.phase,
      exit,
      startedAt: startedAt - this.t0,
      durationMs: now - startedAt,
    };
    if (changed !== undefined) entry.changed = changed;
    if (error !== undefined) entry.error = error;
    if (skipped !== undefined) entry.skipped = skipped;
    if (frame.logs !== null) entry.logs = frame.logs;
    return entry;
  }

  private abortStop(reason: unknown, block: CompiledBlock | null): Stop {
    if (reason instanceof CallHungUpError) return { kind: 'hangup', block };
    return { kind: 'stopped', block };
  }

  private classify(stop: Stop, steps: number, phase: 'main' | 'finally'): PhaseResult {
    const at = stop.block === null ? null : stop.block.id;
    const where = stop.block === null ? '' : ` at ${stop.block.type} block ${stop.block.id}`;
    switch (stop.kind) {
      case 'end':
        return { outcome: 'completed', code: 'end', reason: `ended${where}`, blockId: at, steps };
      case 'unwired':
        if (phase === 'main' && this.call.hungUp) {
          return { outcome: 'hangup', code: 'hangup', reason: `the caller hung up${where}`, blockId: at, steps };
        }
        return {
          outcome: 'completed',
          code: 'unwired-exit',
          reason: `exit "${stop.exit}" of ${stop.block.type} block ${stop.block.id} is not connected; the flow ends there`,
          blockId: at,
          steps,
        };
      case 'hangup':
        return { outcome: 'hangup', code: 'hangup', reason: `the caller hung up${where}`, blockId: at, steps };
      case 'step-limit':
        return {
          outcome: 'step-limit',
          code: 'step-limit',
          reason: `step budget of ${phase === 'main' ? this.limits.maxSteps : this.limits.maxFinallySteps} exhausted${where} (a loop without an exit?)`,
          blockId: at,
          steps,
        };
      case 'stopped':
        return { outcome: 'stopped', code: 'stopped', reason: `the run was stopped${where}`, blockId: at, steps };
      case 'error':
        return { outcome: 'error', code: stop.code, reason: stop.reason, blockId: at, steps };
    }
  }

  async subProject(parent: Frame, ref: string, inputs: ReadonlyMap<string, Value>): Promise<SubProjectOutcome> {
    const depth = parent.depth + 1;
    if (depth > this.limits.maxSubProjectDepth) {
      return { ok: false, reason: `sub-project nesting deeper than ${this.limits.maxSubProjectDepth} (recursive sub-projects?)` };
    }
    let compiled = this.subProjects.get(ref);
    if (compiled === undefined) {
      const resolve = this.options.resolveProject;
      if (resolve === undefined) return { ok: false, reason: 'no sub-project resolver is configured' };
      let found: Project | CompiledProject | undefined;
      try {
        found = await raceAbort(resolve(ref, parent.phaseSignal), parent.phaseSignal);
      } catch (error) {
        if (parent.phaseSignal.aborted) throw error;
        return { ok: false, reason: `project "${ref}" could not be loaded: ${errorMessage(error)}` };
      }
      if (found === undefined) return { ok: false, reason: `project "${ref}" not found` };
      compiled = isCompiledProject(found)
        ? found
        : compileProject(found, {
            ...(this.options.registry === undefined ? {} : { registry: this.options.registry }),
            expressionLimits: this.limits.expression,
          });
      this.subProjects.set(ref, compiled);
    }
    if (compiled.entry === undefined) return { ok: false, reason: `project "${ref}" has no entry block` };

    const store = new VariableStore(this.limits.variables);
    for (const [name, value] of compiled.defaults) store.set(name, value);
    for (const [name, value] of inputs) store.set(name, value);
    store.clearWrites();
    const child = new Frame(this, compiled, store, depth, parent.phase, parent.phaseSignal, parent.budget);
    let stop: Stop;
    try {
      stop = await this.walk(child, compiled.entry);
    } finally {
      child.guard.dispose();
    }
    switch (stop.kind) {
      case 'end':
      case 'unwired':
        if (parent.phase === 'main' && this.call.hungUp) throw new CallHungUpError('the caller hung up');
        return { ok: true, variables: new Map(Object.entries(store.snapshot())) };
      case 'hangup':
        throw new CallHungUpError('the caller hung up');
      case 'step-limit':
        throw new StepLimitError(parent.budget.max);
      case 'stopped':
        throw new StoppedError('stopped inside a sub-project');
      case 'error':
        return { ok: false, reason: `${stop.reason} (in project "${ref}")` };
    }
  }
}

class BrokenBlockError extends Error {
  constructor(block: CompiledBlock) {
    super(block.error ?? 'cannot run');
    this.name = 'BrokenBlockError';
  }
}

class MissingCapabilityError extends Error {
  constructor(capability: string) {
    super(`this channel cannot do "${capability}"`);
    this.name = 'MissingCapabilityError';
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof CallHungUpError) return 'caller hung up';
  return errorMessage(error);
}

