import type { ExpressionLimits, Value } from '../expression/index.ts';
import type { Clock } from '../clock.ts';
import { compileProject, isCompiledProject, type CompiledProject } from '../compile.ts';
import type { BlockRegistry } from '../blocks/index.ts';
import type { Project } from '../project/schema.ts';
import type { Services } from '../services.ts';
import type { RunObserver } from './trace.ts';
import { DEFAULT_VARIABLE_LIMITS, type VariableLimits } from './variables.ts';

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

/** The project as it runs: compiled with the run's registry and expression limits unless it already is. */
export function ensureCompiled(project: Project | CompiledProject, options: RunOptions, limits: RunLimits): CompiledProject {
  if (isCompiledProject(project)) return project;
  return compileProject(project, {
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    expressionLimits: limits.expression,
  });
}
