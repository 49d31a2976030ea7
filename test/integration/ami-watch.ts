// Asterisk's side of the story: a plain AMI connection of the lab's own user that records every
// event, so that tests judge calls by what Asterisk says (channels, bridges, DTMF, user events)
// and not only by Tandem's records. Written apart from server/voice/ami on purpose: the judge
// must not share code with what it judges. Just enough AMI for that: login, events, actions.
import net from 'node:net';

export type AmiFields = Record<string, string>;

export interface AmiEvent extends AmiFields {
  Event: string;
}

export class AmiWatch {
  readonly events: AmiEvent[] = [];
  #socket: net.Socket | undefined;
  #buffer = '';
  #pending = new Map<string, { resolve: (m: AmiFields[]) => void; reject: (e: Error) => void; items: AmiFields[] }>();
  #waiters = new Set<() => void>();
  #seq = 0;

  private constructor() {}

  static async connect(port: number, username: string, secret: string): Promise<AmiWatch> {
    const w = new AmiWatch();
    await w.#open(port);
    const login = await w.action('Login', { Username: username, Secret: secret, Events: 'on' });
    if (login[0]?.Response !== 'Success') throw new Error(`AMI login of ${username} refused: ${login[0]?.Message ?? '?'}`);
    return w;
  }

  #open(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ host: '127.0.0.1', port });
      this.#socket = socket;
      socket.setEncoding('utf8');
      let banner = false;
      socket.once('error', reject);
      socket.on('data', (chunk: string) => {
        this.#buffer += chunk;
        if (!banner) {
          const eol = this.#buffer.indexOf('\r\n');
          if (eol < 0) return;
          this.#buffer = this.#buffer.slice(eol + 2);
          banner = true;
          socket.off('error', reject);
          socket.on('error', () => undefined);
          resolve();
        }
        this.#drain();
      });
    });
  }

  #drain(): void {
    for (;;) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 4);
      const message: AmiFields = {};
      for (const line of block.split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const key = line.slice(0, colon);
        const value = line.slice(colon + 1).trim();
        // The Command action answers with one Output line per line of CLI text.
        message[key] = key === 'Output' && message[key] !== undefined ? `${message[key]}\n${value}` : value;
      }
      this.#dispatch(message);
    }
  }

  #dispatch(message: AmiFields): void {
    const pending = message.ActionID ? this.#pending.get(message.ActionID) : undefined;
    if (pending) {
      pending.items.push(message);
      // A list action answers `EventList: start`, then its items, then an event with `EventList: Complete`.
      if ((message.Response !== undefined && message.EventList !== 'start') || (message.Response === undefined && message.EventList === 'Complete')) {
        this.#pending.delete(message.ActionID!);
        pending.resolve(pending.items);
      }
      if (message.Event === undefined) return;
    }
    if (message.Event) {
      this.events.push(message as AmiEvent);
      for (const wake of [...this.#waiters]) wake();
    }
  }

  /** Sends an action; resolves with its response (and the items of a list action). */
  action(name: string, fields: Record<string, string> = {}, timeoutMs = 15_000): Promise<AmiFields[]> {
    const id = `lab-${++this.#seq}`;
    const lines = [`Action: ${name}`, `ActionID: ${id}`, ...Object.entries(fields).map(([k, v]) => `${k}: ${v}`)];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`AMI action ${name} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject,
        items: [],
      });
      this.#socket!.write(lines.join('\r\n') + '\r\n\r\n');
    });
  }

  /** Events so far that match. */
  find(match: (e: AmiEvent) => boolean): AmiEvent[] {
    return this.events.filter(match);
  }

  /** Waits until `count` events match (counting those already seen), then returns them. */
  async waitFor(match: (e: AmiEvent) => boolean, what: string, { count = 1, timeoutMs = 30_000 } = {}): Promise<AmiEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.find(match);
      if (found.length >= count) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} (${found.length} of ${count} seen) on Asterisk's AMI`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 1_000));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#waiters.add(done);
      }).finally(() => this.#waiters.clear());
    }
  }

  close(): void {
    this.#socket?.destroy();
    for (const p of this.#pending.values()) p.reject(new Error('AMI watch closed'));
    this.#pending.clear();
  }
}
