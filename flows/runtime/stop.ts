import type { CompiledBlock } from '../compile.ts';
import { CallHungUpError } from '../call-port.ts';
import type { Budget } from './frame.ts';
import type { PhaseResult, StopCode } from './run-result.ts';

/** Why a walk over the blocks ended, before it is worded as a PhaseResult. */
export type Stop =
  | { readonly kind: 'end'; readonly block: CompiledBlock }
  | { readonly kind: 'unwired'; readonly block: CompiledBlock; readonly exit: string }
  | { readonly kind: 'hangup'; readonly block: CompiledBlock | null }
  | { readonly kind: 'step-limit'; readonly block: CompiledBlock | null }
  | { readonly kind: 'stopped'; readonly block: CompiledBlock | null }
  | { readonly kind: 'error'; readonly code: StopCode; readonly block: CompiledBlock | null; readonly reason: string };

/** The stop for a phase signal that fired: the caller hanging up, or the run being stopped. */
export function abortStop(reason: unknown, block: CompiledBlock | null): Stop {
  if (reason instanceof CallHungUpError) return { kind: 'hangup', block };
  return { kind: 'stopped', block };
}

/**
 * A phase's result. `hungUp` is whether the caller is gone now: an unwired exit reached after a
 * hangup in the main phase counts as the hangup, not as the flow's own end.
 */
export function classify(stop: Stop, budget: Budget, phase: 'main' | 'finally', hungUp: boolean): PhaseResult {
  const steps = budget.used;
  const at = stop.block === null ? null : stop.block.id;
  const where = stop.block === null ? '' : ` at ${stop.block.type} block ${stop.block.id}`;
  switch (stop.kind) {
    case 'end':
      return { outcome: 'completed', code: 'end', reason: `ended${where}`, blockId: at, steps };
    case 'unwired':
      if (phase === 'main' && hungUp) {
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
        reason: `step budget of ${budget.max} exhausted${where} (a loop without an exit?)`,
        blockId: at,
        steps,
      };
    case 'stopped':
      return { outcome: 'stopped', code: 'stopped', reason: `the run was stopped${where}`, blockId: at, steps };
    case 'error':
      return { outcome: 'error', code: stop.code, reason: stop.reason, blockId: at, steps };
  }
}
