// A sliding-window counter per key: at most `max` events in any `windowMs`. Pure apart from the clock.
export class RateLimiter {
  readonly #hits = new Map<string, number[]>();
  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one event for `key`; false when it is over the limit (the event is not counted). */
  take(key: string): boolean {
    const t = this.now();
    const recent = (this.#hits.get(key) ?? []).filter((at) => t - at < this.windowMs);
    if (recent.length >= this.max) {
      this.#hits.set(key, recent);
      return false;
    }
    recent.push(t);
    this.#hits.set(key, recent);
    return true;
  }

  forget(key: string): void {
    this.#hits.delete(key);
  }
}
