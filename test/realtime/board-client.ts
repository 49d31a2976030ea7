// A supervisor board client for tests and the benchmark: a real socket.io-client on /supervisor
// that applies snapshot and deltas the way the page does, and waits for conditions with a deadline.
import { io as ioClient, type Socket } from 'socket.io-client';
import { BOARD_EVENTS, BOARD_NAMESPACE, type BoardAgent, type BoardCall, type BoardDelta, type BoardQueue, type BoardSnapshot } from '../../contracts/realtime-board.ts';

export class BoardClient {
  snapshot: BoardSnapshot | undefined;
  readonly deltas: BoardDelta[] = [];
  readonly agents = new Map<number, BoardAgent>();
  readonly queues = new Map<number, BoardQueue>();
  readonly calls = new Map<number, BoardCall>();
  gaps = 0;
  #seq = 0;
  #waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on(BOARD_EVENTS.snapshot, (s: BoardSnapshot) => {
      this.snapshot = s;
      this.#seq = s.seq;
      this.agents.clear();
      this.queues.clear();
      this.calls.clear();
      for (const a of s.agents) this.agents.set(a.id, a);
      for (const q of s.queues) this.queues.set(q.id, q);
      for (const c of s.calls) this.calls.set(c.id, c);
      this.#wake();
    });
    socket.on(BOARD_EVENTS.delta, (d: BoardDelta) => {
      if (d.seq !== this.#seq + 1) this.gaps++;
      this.#seq = d.seq;
      this.deltas.push(d);
      for (const a of d.agents ?? []) this.agents.set(a.id, a);
      for (const q of d.queues ?? []) this.queues.set(q.id, q);
      for (const c of d.calls ?? []) this.calls.set(c.id, c);
      for (const id of d.removed?.agents ?? []) this.agents.delete(id);
      for (const id of d.removed?.queues ?? []) this.queues.delete(id);
      for (const id of d.removed?.calls ?? []) this.calls.delete(id);
      this.#wake();
    });
  }

  /** Connects and waits for the snapshot; rejects with the server's refusal (connect_error). */
  static connect(url: string, token: string): Promise<BoardClient> {
    return new Promise((resolve, reject) => {
      const socket = ioClient(url + BOARD_NAMESPACE, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      const client = new BoardClient(socket);
      socket.once('connect_error', (err: Error & { data?: unknown }) => {
        socket.close();
        reject(err);
      });
      socket.once(BOARD_EVENTS.snapshot, () => resolve(client));
    });
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Resolves when `ok()` holds after a message; fails after `ms` with `what`. */
  async until(ok: () => boolean, what: string, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!ok()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  channel(agentId: number, channel: string) {
    return this.agents.get(agentId)?.channels.find((c) => c.channel === channel);
  }

  close(): void {
    this.socket.close();
  }
}
