// Work a request starts but does not wait for (a password-reset mail: answering only after the mail
// server would tell, by the delay, whether the address is known). Failures are logged, never thrown;
// stopping the node waits for what is still running, so nothing writes to a closed database.
import type { Logger } from './logger.ts';

export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();
  constructor(private readonly logger: Logger) {}

  run(what: string, task: () => Promise<void>): void {
    const p = task()
      .catch((err: unknown) => this.logger.warn({ task: what, err: err instanceof Error ? err.message : String(err) }, 'background task failed'))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves when every task started so far has ended. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
