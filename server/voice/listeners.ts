// Fan-out shared by the AMI and ARI clients: one consumer's bug must not break the stream for the
// others, and waiters for a connection are all released together.

export function notifyAll<T>(listeners: Iterable<(value: T) => void>, value: T, onError: (err: unknown) => void): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch (err) {
      onError(err);
    }
  }
}

export interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

export function settleAll(waiters: readonly Waiter[], error?: Error): void {
  for (const w of waiters) {
    if (error) w.reject(error);
    else w.resolve();
  }
}
