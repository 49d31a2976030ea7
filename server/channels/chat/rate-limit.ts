// A sliding-window counter per key: at most `max` events in any `windowMs`. Pure apart from the clock.
// A call may pass its own limit (a website's setting) instead of the constructor's.
export interface WindowLimit {
  max: number;
  windowMs: number;
}

/** Keys kept before a sweep drops those with no recent event (one client per address must not grow it for ever). */
const PRUNE_AT = 10_000;

export class RateLimiter {
  readonly #hits = new Map<string, number[]>();
  /** The longest window any call asked for: what a sweep may forget. */
  #longestWindowMs: number;
  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#longestWindowMs = windowMs;
  }

  #recent(key: string, t: number, windowMs: number): number[] {
    return (this.#hits.get(key) ?? []).filter((at) => t - at < windowMs);
  }

  /** Whether one more event for `key` is within the limit (nothing is counted). */
  allows(key: string, limit: WindowLimit = this): boolean {
    return this.#recent(key, this.now(), limit.windowMs).length < limit.max;
  }

  /** Counts one event for `key`; false when it is over the limit (the event is not counted). */
  take(key: string, limit: WindowLimit = this): boolean {
    const t = this.now();
    this.#longestWindowMs = Math.max(this.#longestWindowMs, limit.windowMs);
    const recent = this.#recent(key, t, limit.windowMs);
    if (recent.length >= limit.max) {
      this.#hits.set(key, recent);
      return false;
    }
    recent.push(t);
    if (!this.#hits.has(key) && this.#hits.size >= PRUNE_AT) this.#prune(t);
    this.#hits.set(key, recent);
    return true;
  }

  forget(key: string): void {
    this.#hits.delete(key);
  }

  #prune(t: number): void {
    for (const [key, hits] of this.#hits) if (hits.every((at) => t - at >= this.#longestWindowMs)) this.#hits.delete(key);
  }
}
