import type { Clock } from '../clock.ts';

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * A clock whose time only moves when someone sleeps on it (or calls advance). Since a scripted call
 * is the only other source of events, "sleeping" can jump straight to the wake-up time, firing any
 * timers due before it in order — so a per-block timeout shorter than a sleep still wins, exactly as
 * it would in real time, but without waiting.
 */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start: number | Date = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.time = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer: Timer = { due: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const aborted = this.advanceUntil(this.time + Math.max(0, ms), signal);
    if (aborted) return Promise.reject(signal?.reason);
    return Promise.resolve();
  }

  /** Moves time forward, firing due timers. */
  advance(ms: number): void {
    this.advanceUntil(this.time + Math.max(0, ms), undefined);
  }

  yield(): Promise<void> {
    return Promise.resolve();
  }

  /** Returns true if `signal` aborted on the way (time then stops at the abort). */
  private advanceUntil(target: number, signal: AbortSignal | undefined): boolean {
    for (;;) {
      let next: Timer | undefined;
      for (const t of this.timers) {
        if (t.due <= target && (next === undefined || t.due < next.due || (t.due === next.due && t.seq < next.seq))) {
          next = t;
        }
      }
      if (next === undefined) break;
      const fired = next;
      this.timers = this.timers.filter((t) => t !== fired);
      this.time = Math.max(this.time, fired.due);
      fired.fn();
      if (signal?.aborted) return true;
    }
    this.time = Math.max(this.time, target);
    return false;
  }
}
