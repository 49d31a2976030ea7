import type { CompiledBlock } from '../compile.ts';
import { CallHungUpError } from '../call-port.ts';
import { BlockTimeoutError, errorMessage } from './errors.ts';
import type { StopCode } from './run-result.ts';

/** A block whose params or type did not compile: it is never executed, and its error exit does not catch this. */
export class BrokenBlockError extends Error {
  constructor(block: CompiledBlock) {
    super(block.error ?? 'cannot run');
    this.name = 'BrokenBlockError';
  }
}

/** The block needs something this channel lacks (audio on a chat, say). */
export class MissingCapabilityError extends Error {
  constructor(capability: string) {
    super(`this channel cannot do "${capability}"`);
    this.name = 'MissingCapabilityError';
  }
}

/** How a failed step is worded in the trace and in the result's reason. */
export function describeFailure(error: unknown): string {
  if (error instanceof CallHungUpError) return 'caller hung up';
  return errorMessage(error);
}

/** The stop code of a block failure that ends the phase. */
export function failureCode(failure: unknown): StopCode {
  if (failure instanceof BrokenBlockError) return 'broken-block';
  if (failure instanceof BlockTimeoutError) return 'block-timeout';
  if (failure instanceof MissingCapabilityError) return 'capability';
  return 'block-error';
}
