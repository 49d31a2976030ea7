// Helpers for the chat tests: a widget client as a page would open it (real socket.io-client with
// an Origin header), an agent's socket, and bounded waits (polling waits use test/support/eventually.ts).
import { io as ioClient, type Socket } from 'socket.io-client';

export const ORIGIN = 'https://shop.example.com';

/** A real 1×1 PNG (68 bytes): chat files are checked by their content, so a fake signature is refused. */
export const TINY_PNG = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));

export interface Widget {
  socket: Socket;
  events: { event: string; data: unknown }[];
  session: { visitorToken: string; chatId: number | null };
  call<T = Record<string, unknown>>(event: string, payload: unknown): Promise<{ ok: true } & T | { ok: false; error: { code: string; message: string } }>;
  next<T = unknown>(event: string, match?: (d: T) => boolean, ms?: number): Promise<T>;
  close(): void;
}

/** Resolves with the first recorded (or future) event matching; fails after `ms`. */
function waiter(events: { event: string; data: unknown }[], on: (l: () => void) => () => void) {
  return <T,>(event: string, match: (d: T) => boolean = () => true, ms = 8000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      let seen = 0;
      const check = () => {
        for (; seen < events.length; seen++) {
          const e = events[seen]!;
          if (e.event === event && match(e.data as T)) {
            events.splice(seen, 1);
            cleanup();
            resolve(e.data as T);
            return;
          }
        }
      };
      const off = on(check);
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${event} event within ${ms} ms; got ${JSON.stringify(events.map((e) => e.event))}`));
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        off();
      };
      check();
    });
}

export function recorder(socket: Socket) {
  const events: { event: string; data: unknown }[] = [];
  const listeners = new Set<() => void>();
  socket.onAny((event: string, data: unknown) => {
    events.push({ event, data });
    for (const l of [...listeners]) l();
  });
  const next = waiter(events, (l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  });
  return { events, next };
}

export interface WidgetOptions {
  origin?: string;
  visitorToken?: string;
  /** Connect from this loopback address (127.x.y.z): the server sees another client machine. */
  localAddress?: string;
}

export async function openWidget(baseUrl: string, key: string, opts: WidgetOptions = {}): Promise<Widget> {
  const socket = ioClient(`${baseUrl}/chat-widget`, {
    transports: ['websocket'],
    ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
    extraHeaders: { origin: opts.origin ?? ORIGIN },
    auth: { key, ...(opts.visitorToken ? { visitorToken: opts.visitorToken } : {}) },
    reconnection: false,
    forceNew: true,
  });
  const { events, next } = recorder(socket);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });
    const session = await next<{ visitorToken: string; chatId: number | null }>('session');
    return {
      socket,
      events,
      session,
      call: (event, payload) => socket.timeout(8000).emitWithAck(event, payload),
      next,
      close: () => socket.disconnect(),
    };
  } catch (err) {
    socket.disconnect();
    throw err;
  }
}

/** The connect_error message a refused widget connection gets. */
export async function refusal(baseUrl: string, key: string, opts: WidgetOptions = {}): Promise<string> {
  try {
    const w = await openWidget(baseUrl, key, opts);
    w.close();
    return 'connected';
  } catch (err) {
    return (err as Error).message;
  }
}

export async function openAgentSocket(baseUrl: string, token: string) {
  const socket = ioClient(baseUrl, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
  const r = recorder(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  await r.next('hello');
  return { socket, ...r };
}

/**
 * The chat flow most chat tests run: (an optional greeting) → "Sales or support?" quick replies →
 * Queue → End. Shared so that the flow the widget, desktop and cluster tests talk to is one thing.
 */
export function salesBotProject(queue: string, options: { name?: string; greeting?: string; timeoutSec?: number } = {}) {
  const timeoutSec = options.timeoutSec ?? 60;
  const greeting = options.greeting;
  return {
    schemaVersion: 2,
    id: 'x',
    name: options.name ?? 'Chat bot',
    channel: 'chat',
    entry: 'start',
    variables: {},
    blocks: {
      start: { type: 'Start', params: {}, exits: { next: greeting ? 'hello' : 'menu' } },
      ...(greeting ? { hello: { type: 'SendMessage', params: { text: greeting }, exits: { next: 'menu' } } } : {}),
      menu: {
        type: 'QuickReplyMenu',
        params: { text: 'Sales or support?', choices: [{ id: 'sales', label: 'Sales' }, { id: 'support', label: 'Support' }], timeoutSec },
        exits: { sales: 'queue', support: 'queue', invalid: 'end', timeout: 'end' },
      },
      queue: { type: 'Queue', params: { queue, timeoutSec }, exits: { answered: 'end', timeout: 'end', full: 'end', unavailable: 'end', failed: 'end' } },
      end: { type: 'End', params: {}, exits: {} },
    },
  };
}
