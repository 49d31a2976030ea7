// File descriptors: every connection, file and database socket holds one, and when the process
// runs out it can accept nothing, not even the health check. The monitor reads how many are open
// (/proc/self/fd) against the soft limit (/proc/self/limits), raises an alarm in the log when the
// share crosses a threshold (repeated while it lasts, and a line when it is over), and hands the
// figures to GET /api/health. Where /proc is missing (not Linux) it reports nothing.
import { readdirSync, readFileSync } from 'node:fs';
import type { Logger } from './logger.ts';

export interface FdUsage {
  open: number;
  /** The soft limit (RLIMIT_NOFILE); null when unlimited. */
  limit: number | null;
}

export type FdStatus =
  | { supported: false }
  | { supported: true; open: number; limit: number | null; usedPercent: number | null; alarmPercent: number; alarm: boolean };

/** Open descriptors and the soft limit of this process, or undefined where /proc cannot tell. */
export function readFdUsage(): FdUsage | undefined {
  try {
    // Listing the folder opens one descriptor of its own, which is in the list.
    const open = Math.max(0, readdirSync('/proc/self/fd').length - 1);
    return { open, limit: parseOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8')) };
  } catch {
    return undefined;
  }
}

/** The soft limit from /proc/<pid>/limits ("Max open files  1024  4096  files"); null when unlimited or absent. */
export function parseOpenFilesLimit(limits: string): number | null {
  const m = /^Max open files\s+(\S+)/m.exec(limits);
  if (!m || m[1] === 'unlimited') return null;
  const n = Number(m[1]);
  return Number.isFinite(n) && n > 0 ? n : null;
}

export interface FdMonitorOptions {
  /** Percentage of the limit in use that raises the alarm. */
  alarmPercent: number;
  logger: Logger;
  /** How often the figures are read in the background (ms). */
  intervalMs?: number;
  /** How often the log repeats a lasting alarm (ms). */
  repeatMs?: number;
  /** Where the figures come from (tests). */
  read?: () => FdUsage | undefined;
}

/** Below alarmPercent minus this, an alarm is over (no flapping around the threshold). */
const HYSTERESIS_PERCENT = 5;

export class FdMonitor {
  readonly #opts: Required<Omit<FdMonitorOptions, 'logger'>> & { logger: Logger };
  #timer: NodeJS.Timeout | undefined;
  #alarm = false;
  #lastAlarmLog = 0;
  #last: { at: number; status: FdStatus } | undefined;

  constructor(options: FdMonitorOptions) {
    this.#opts = { intervalMs: 5_000, repeatMs: 60_000, read: readFdUsage, ...options };
  }

  start(): void {
    if (this.#timer) return;
    this.check();
    this.#timer = setInterval(() => this.check(), this.#opts.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The figures at most `maxAgeMs` old (read again when older). */
  status(maxAgeMs = 1_000): FdStatus {
    if (this.#last && Date.now() - this.#last.at <= maxAgeMs) return this.#last.status;
    return this.check();
  }

  /** Reads the figures now, logs an alarm raised, lasting or over, and returns them. */
  check(): FdStatus {
    const usage = this.#opts.read();
    let status: FdStatus;
    if (!usage) {
      status = { supported: false };
    } else {
      const usedPercent = usage.limit === null ? null : Math.round((usage.open / usage.limit) * 1000) / 10;
      const threshold = this.#opts.alarmPercent;
      const alarm = usedPercent !== null && (usedPercent >= threshold || (this.#alarm && usedPercent >= threshold - HYSTERESIS_PERCENT));
      const now = Date.now();
      const fields = { open: usage.open, limit: usage.limit, usedPercent, alarmPercent: threshold };
      if (alarm && (!this.#alarm || now - this.#lastAlarmLog >= this.#opts.repeatMs)) {
        this.#opts.logger.error(fields, 'file descriptors running low: new connections and files will soon fail');
        this.#lastAlarmLog = now;
      } else if (!alarm && this.#alarm) {
        this.#opts.logger.info(fields, 'file descriptors back below the alarm threshold');
      }
      this.#alarm = alarm;
      status = { supported: true, ...fields, alarm };
    }
    this.#last = { at: Date.now(), status };
    return status;
  }
}
