/** Why the interpreter aborted a step; used as AbortSignal reasons so blocks rethrow them untouched. */

export class BlockTimeoutError extends Error {
  readonly code = 'block-timeout';
  constructor(blockId: string, ms: number) {
    super(`block ${blockId} did not finish within ${ms} ms`);
    this.name = 'BlockTimeoutError';
  }
}

export class StoppedError extends Error {
  readonly code = 'stopped';
  constructor(reason: unknown) {
    super(`the run was stopped${reason === undefined ? '' : `: ${reason instanceof Error ? reason.message : String(reason)}`}`);
    this.name = 'StoppedError';
  }
}

/** Thrown out of a sub-project so that the shared step budget stops the whole call. */
export class StepLimitError extends Error {
  readonly code = 'step-limit';
  constructor(limit: number) {
    super(`step budget of ${limit} exhausted (a loop without an exit?)`);
    this.name = 'StepLimitError';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return 'unprintable error';
  }
}
