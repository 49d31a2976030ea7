/**
 * The AbortSignal handed to I/O blocks, one per frame, reused from step to step and renewed only
 * after it aborted (a block timeout). Creating an AbortController and subscribing to the phase
 * signal on every step cost more than the rest of an I/O step together; this keeps one
 * subscription per frame and races pending blocks through a stored reject function instead of
 * per-step event listeners.
 */
export class StepGuard {
  private controller = new AbortController();
  private rejectPending: ((reason: unknown) => void) | null = null;
  private readonly onPhaseAbort: () => void;

  constructor(private readonly phaseSignal: AbortSignal) {
    this.onPhaseAbort = () => this.abort(phaseSignal.reason);
    if (phaseSignal.aborted) this.controller.abort(phaseSignal.reason);
    else phaseSignal.addEventListener('abort', this.onPhaseAbort, { once: true });
  }

  begin(): AbortSignal {
    if (this.controller.signal.aborted && !this.phaseSignal.aborted) this.controller = new AbortController();
    return this.controller.signal;
  }

  /** Settles with `promise`, or rejects with the abort reason as soon as the step is aborted. */
  race<T>(promise: Promise<T>): Promise<T> {
    const signal = this.controller.signal;
    if (signal.aborted) {
      promise.catch(() => undefined);
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      this.rejectPending = reject;
      promise.then(resolve, reject);
    });
  }

  abort(reason: unknown): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
    const reject = this.rejectPending;
    this.rejectPending = null;
    reject?.(reason);
  }

  end(): void {
    this.rejectPending = null;
  }

  dispose(): void {
    this.phaseSignal.removeEventListener('abort', this.onPhaseAbort);
  }
}


/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

