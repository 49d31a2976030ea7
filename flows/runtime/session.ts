import type { ExpressionLimits, Value } from '../expression/index.ts';
import { END_OF_FLOW, type SubProjectOutcome } from '../block.ts';
import { CallHungUpError, type CallPort } from '../call-port.ts';
import type { Clock } from '../clock.ts';
import type { CompiledBlock, CompiledProject } from '../compile.ts';
import type { Services } from '../services.ts';
import { builtinVariables, fetchChannelVariables } from './builtins.ts';
import { BlockTimeoutError, StepLimitError, StoppedError } from './errors.ts';
import { BrokenBlockError, MissingCapabilityError, describeFailure, failureCode } from './failures.ts';
import { Frame, notify, type Budget, type FrameHost } from './frame.ts';
import type { RunLimits, RunOptions } from './run-options.ts';
import type { PhaseResult, RunResult } from './run-result.ts';
import { raceAbort } from './step-guard.ts';
import { abortStop, classify, type Stop } from './stop.ts';
import { SubProjectCache } from './sub-projects.ts';
import type { VariableFetcher } from './templates.ts';
import { Trace, traceEntry } from './trace.ts';
import { VariableStore } from './variables.ts';

/**
 * Everything one call's run owns: its trace, its abort controllers, its sub-project cache. Nothing
 * here is shared between calls; a compiled project is the only thing calls have in common, and it
 * is never written to.
 */
export class Session implements FrameHost {
  readonly trace: Trace;
  readonly t0: number;
  readonly builtins: ReadonlyMap<string, Value>;
  readonly fetch: VariableFetcher | undefined;
  readonly services: Services;
  readonly expressionLimits: ExpressionLimits;
  private readonly subProjects: SubProjectCache;

  constructor(
    readonly compiled: CompiledProject,
    readonly call: CallPort,
    readonly options: RunOptions,
    readonly clock: Clock,
    readonly limits: RunLimits,
  ) {
    this.t0 = clock.now();
    this.trace = new Trace(options.trace !== false, limits.maxTraceEntries);
    this.subProjects = new SubProjectCache(options, limits);
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
      const mainResult = classify(mainStop, mainBudget, 'main', this.call.hungUp);

      let finallyResult: PhaseResult | null = null;
      if (this.compiled.finally !== undefined && !final.signal.aborted) {
        const finallyBudget: Budget = { used: 0, max: this.limits.maxFinallySteps };
        const finallyFrame = new Frame(this, this.compiled, store, 0, 'finally', final.signal, finallyBudget);
        finallyResult = classify(await this.walk(finallyFrame, this.compiled.finally), finallyBudget, 'finally', this.call.hungUp);
      }
      return {
        ...mainResult,
        finally: finallyResult,
        trace: this.trace.entries,
        traceDropped: this.trace.dropped,
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
    const trace = this.trace;
    const clock = this.clock;
    const call = this.call;
    let sinceYield = 0;
    let now = clock.now();
    let block = start;
    for (;;) {
      if (phaseSignal.aborted) return abortStop(phaseSignal.reason, block);
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
      const keep = trace.hasRoom();
      if (keep || observer?.onBlockEnd !== undefined) {
        const changed = frame.store.takeWrites();
        const entry = traceEntry(frame, block, exit, this.t0, startedAt, now, changed, failed ? describeFailure(failure) : undefined, skipped);
        if (keep) trace.add(entry);
        else trace.skip();
        if (observer?.onBlockEnd !== undefined) notify(() => observer.onBlockEnd!(entry));
      } else {
        frame.store.clearWrites();
        trace.skip();
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
        return { kind: 'error', code: failureCode(failure), block, reason: `${block.type} block ${block.id} failed: ${describeFailure(failure)}` };
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

  async subProject(parent: Frame, ref: string, inputs: ReadonlyMap<string, Value>): Promise<SubProjectOutcome> {
    const depth = parent.depth + 1;
    if (depth > this.limits.maxSubProjectDepth) {
      return { ok: false, reason: `sub-project nesting deeper than ${this.limits.maxSubProjectDepth} (recursive sub-projects?)` };
    }
    const loaded = await this.subProjects.load(ref, parent.phaseSignal);
    if (!loaded.ok) return loaded;
    const compiled = loaded.compiled;
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
