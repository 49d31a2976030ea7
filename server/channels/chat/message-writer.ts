// Group commit for chat messages. Every message used to be its own INSERT and so its own commit:
// under a burst (a thousand visitors writing at once) the commits' WAL flushes, not the CPU, set
// the pace and delivery waited seconds behind them. The writer keeps one INSERT in flight; what
// arrives meanwhile goes into the next one, so an idle system still writes each message at once
// and a busy one writes hundreds per commit. One statement at a time also keeps ids, and so the
// conversation's order, the order in which messages arrived.
import type { Db } from '../../db/database.ts';
import { addMessage, addMessages, MessageBatchMismatch, type MessageView, type NewMessage } from './store.ts';

interface Pending {
  input: NewMessage;
  resolve: (m: MessageView) => void;
  reject: (err: unknown) => void;
}

export class MessageWriter {
  #pending: Pending[] = [];
  #busy = false;

  constructor(
    private readonly db: Db,
    /** Bounds one statement's size (parameters: 7 per row, PostgreSQL allows 65,535). */
    private readonly maxBatch = 1000,
  ) {}

  /** Stores the message; resolves with it as the widget and the agents see it. */
  write(input: NewMessage): Promise<MessageView> {
    return new Promise<MessageView>((resolve, reject) => {
      this.#pending.push({ input, resolve, reject });
      if (!this.#busy) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#busy = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, this.maxBatch);
        await this.#flush(batch);
      }
    } finally {
      this.#busy = false;
    }
  }

  async #flush(batch: Pending[]): Promise<void> {
    try {
      const views = batch.length === 1 ? [await addMessage(this.db, batch[0]!.input)] : await addMessages(this.db, batch.map((p) => p.input));
      batch.forEach((p, i) => p.resolve(views[i]!));
    } catch (err) {
      // The rows are stored but could not be told apart: retrying would store them twice.
      if (err instanceof MessageBatchMismatch || batch.length === 1) {
        for (const p of batch) p.reject(err);
        return;
      }
      // The statement failed as a whole (nothing stored): one bad message (its chat deleted, say)
      // must not fail the others, so the halves are tried apart, in order, down to the bad one.
      const half = Math.ceil(batch.length / 2);
      await this.#flush(batch.slice(0, half));
      await this.#flush(batch.slice(half));
    }
  }
}
