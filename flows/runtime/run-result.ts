import type { Value } from '../expression/index.ts';
import type { TraceEntry } from './trace.ts';

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
