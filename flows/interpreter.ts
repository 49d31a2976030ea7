// The interpreter's entry point: runs a project over a call. Its parts live in runtime/: the run
// loop (session.ts), options and limits (run-options.ts), results (run-result.ts), how a phase
// stops (stop.ts), failures of a block (failures.ts), the trace (trace.ts) and the per-call cache of
// sub-projects (sub-projects.ts). This file is the public face; importers use it, not the parts.
import type { CallPort } from './call-port.ts';
import { systemClock } from './clock.ts';
import type { CompiledProject } from './compile.ts';
import type { Project } from './project/schema.ts';
import { errorMessage } from './runtime/errors.ts';
import { DEFAULT_RUN_LIMITS, ensureCompiled, type RunLimits, type RunOptions } from './runtime/run-options.ts';
import type { RunResult } from './runtime/run-result.ts';
import { Session } from './runtime/session.ts';

export { BUILTIN_VARIABLE_NAMES } from './runtime/builtins.ts';
export { DEFAULT_RUN_LIMITS, type RunLimits, type RunOptions } from './runtime/run-options.ts';
export type { PhaseResult, RunOutcome, RunResult, StopCode } from './runtime/run-result.ts';
export type { BlockStartEvent, RunObserver, TraceEntry } from './runtime/trace.ts';

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
    const compiled = ensureCompiled(project, options, limits);
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
