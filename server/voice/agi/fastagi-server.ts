// The FastAGI TCP server: Asterisk connects once per AGI(agi://host:port/path?query,args) and the
// call is routed by its request path (agi_network_script) to a handler `(session) => Promise<void>`.
//
// Isolation: each connection is its own AgiSession; a handler that throws, a peer that sends
// garbage, a 1 MB line or goes silent ends only that call (logged with its reason). The server
// itself never crashes on input: every socket has an error listener, accept errors are logged,
// and the number of connections (including ones still sending their environment) is capped.
// When the handler returns, the session is closed and Asterisk continues its dialplan.
import net from 'node:net';
import type { Clock } from '../../../flows/clock.ts';
import { AgiCallEndedError } from './agi-errors.ts';
import { AgiSession, DEFAULT_SESSION_LIMITS, type AgiLogger, type AgiSessionLimits, type AgiSessionOptions } from './agi-session.ts';

export type AgiHandler = (session: AgiSession) => Promise<void> | void;

export interface FastAgiServerOptions extends Partial<AgiSessionLimits> {
  /** Bind address (default 127.0.0.1: Asterisk and Tandem usually share the host or a private network). */
  readonly host?: string;
  /** TCP port (default 4573, Asterisk's FastAGI default; 0 for an ephemeral port). */
  readonly port?: number;
  /** Connections beyond this are closed at once (Asterisk then runs the dialplan's fallback). */
  readonly maxConnections?: number;
  /** Connections one remote address may hold; beyond, closed at once. Default: maxConnections (no
   *  separate cap, nothing counted per address: one Asterisk usually carries every call). */
  readonly maxConnectionsPerAddress?: number;
  /** Kernel accept queue (default 2048, capped by net.core.somaxconn): a burst of calls must not
   *  be left waiting for SYN retransmits while the queue is full. */
  readonly backlog?: number;
  readonly logger?: AgiLogger;
  /** Runs when no route matches the request path; default: log and close the call. */
  readonly fallback?: AgiHandler;
  /** Time for every session's deadlines (a virtual clock in tests); the system clock by default. */
  readonly clock?: Clock;
}

export interface FastAgiStats {
  /** Connections currently open (environment phase included). */
  readonly open: number;
  /** Calls whose handler is running. */
  readonly active: number;
  readonly accepted: number;
  /** Refused because maxConnections (or maxConnectionsPerAddress) was reached. */
  readonly refused: number;
  /** Handlers that returned normally (or ended by a hang-up). */
  readonly completed: number;
  /** Handlers that threw something other than a hang-up / closed connection. */
  readonly failed: number;
  /** Connections closed without a valid environment. */
  readonly badEnvironment: number;
  readonly unrouted: number;
}

export const DEFAULT_FASTAGI_PORT = 4573;
const DEFAULT_MAX_CONNECTIONS = 4096;

/** Normalises a route path the same way AgiScript.path is: no leading/trailing slashes. */
export function normaliseRoute(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

export class FastAgiServer {
  private readonly server: net.Server;
  private readonly routes = new Map<string, AgiHandler>();
  private readonly sessions = new Set<AgiSession>();
  private readonly sessionOptions: AgiSessionOptions;
  private readonly log: AgiLogger | undefined;
  private readonly maxConnections: number;
  /** Set only when it is below maxConnections: otherwise no per-address bookkeeping at all. */
  private readonly maxPerAddress: number | undefined;
  private readonly perAddress = new Map<string, number>();
  private readonly addressOf = new WeakMap<AgiSession, string>();
  private readonly fallback: AgiHandler | undefined;
  private readonly handlers = new Set<Promise<void>>();
  private counters = { accepted: 0, refused: 0, completed: 0, failed: 0, badEnvironment: 0, unrouted: 0 };
  private listening = false;
  private closing = false;

  constructor(private readonly options: FastAgiServerOptions = {}) {
    this.log = options.logger;
    this.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    const perAddress = options.maxConnectionsPerAddress;
    if (perAddress !== undefined && !(Number.isInteger(perAddress) && perAddress > 0)) throw new RangeError(`FastAGI option maxConnectionsPerAddress must be a positive whole number, got ${String(perAddress)}`);
    this.maxPerAddress = perAddress !== undefined && perAddress < this.maxConnections ? perAddress : undefined;
    this.fallback = options.fallback;
    // The same options object for every session: nothing per connection to build.
    this.sessionOptions = {
      limits: { ...DEFAULT_SESSION_LIMITS, ...pickLimits(options) },
      logger: this.log,
      ...(options.clock ? { clock: options.clock } : {}),
      hooks: {
        onReady: (s) => this.start(s),
        onClosed: (s) => {
          this.sessions.delete(s);
          if (this.maxPerAddress !== undefined) this.releaseAddress(s);
          if (!this.running.has(s) && !s.hasEnvironment) this.counters.badEnvironment += 1;
        },
      },
    };
    this.server = net.createServer((socket) => this.onConnection(socket));
    // Accept errors (EMFILE…) must never become an unhandled 'error' event.
    this.server.on('error', (err) => {
      if (this.listening) this.log?.error({ reason: err.message }, 'FastAGI server error');
    });
  }

  /** Registers the handler for a request path: route('ivr') serves agi://host/ivr?did=… */
  route(path: string, handler: AgiHandler): this {
    this.routes.set(normaliseRoute(path), handler);
    return this;
  }

  listen(): Promise<{ host: string; port: number }> {
    const host = this.options.host ?? '127.0.0.1';
    const port = this.options.port ?? DEFAULT_FASTAGI_PORT;
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen({ host, port, backlog: this.options.backlog ?? 2048 }, () => {
        this.server.off('error', onError);
        this.listening = true;
        const address = this.address();
        this.log?.info(address, 'FastAGI server listening');
        resolve(address);
      });
    });
  }

  address(): { host: string; port: number } {
    const addr = this.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('the FastAGI server is not listening');
    return { host: addr.address, port: addr.port };
  }

  /** Whether the listener accepts connections (false before listen() and after close()). */
  get isListening(): boolean {
    return this.listening && this.server.listening;
  }

  stats(): FastAgiStats {
    return { open: this.sessions.size, active: this.handlers.size, ...this.counters };
  }

  /**
   * Stops accepting, lets running handlers finish for up to `graceMs`, then closes the remaining
   * calls (Asterisk continues their dialplan) and resolves when every socket is closed.
   */
  async close(graceMs = 5_000): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const session of this.sessions) if (!this.isRunning(session)) void session.close();
    if (this.handlers.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.handlers]), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    await Promise.all([...this.sessions].map((session) => session.close()));
    await stopped;
    this.listening = false;
  }

  private readonly running = new WeakSet<AgiSession>();

  private isRunning(session: AgiSession): boolean {
    return this.running.has(session);
  }

  private onConnection(socket: net.Socket): void {
    const address = this.maxPerAddress === undefined ? undefined : (socket.remoteAddress ?? '?');
    const fromAddress = address === undefined ? 0 : (this.perAddress.get(address) ?? 0);
    if (this.closing || this.sessions.size >= this.maxConnections || (address !== undefined && fromAddress >= this.maxPerAddress!)) {
      this.counters.refused += 1;
      socket.on('error', () => {});
      const perAddressCap = !this.closing && this.sessions.size < this.maxConnections;
      this.log?.warn(
        { remote: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`, open: this.sessions.size, max: this.maxConnections, ...(perAddressCap ? { fromAddress, maxPerAddress: this.maxPerAddress } : {}) },
        this.closing
          ? 'FastAGI server is shutting down; refusing connection'
          : perAddressCap
            ? 'FastAGI connection limit per address reached; refusing connection'
            : 'FastAGI connection limit reached; refusing connection',
      );
      socket.destroy();
      return;
    }
    this.counters.accepted += 1;
    const session = new AgiSession(socket, this.sessionOptions);
    this.sessions.add(session);
    if (address !== undefined) {
      this.perAddress.set(address, fromAddress + 1);
      this.addressOf.set(session, address);
    }
  }

  private releaseAddress(session: AgiSession): void {
    const address = this.addressOf.get(session);
    if (address === undefined) return;
    this.addressOf.delete(session);
    const left = (this.perAddress.get(address) ?? 1) - 1;
    if (left <= 0) this.perAddress.delete(address);
    else this.perAddress.set(address, left);
  }

  private start(session: AgiSession): void {
    const path = session.env.script.path;
    let handler = this.routes.get(path);
    if (!handler) {
      this.counters.unrouted += 1;
      handler = this.fallback;
      if (!handler) {
        this.log?.warn({ agiCall: session.id, script: session.env.script.raw, channel: session.env.channel }, 'no FastAGI route for this request path; closing the call');
        void session.close();
        return;
      }
    }
    this.running.add(session);
    const run = this.runHandler(handler, session);
    this.handlers.add(run);
    void run.finally(() => this.handlers.delete(run));
  }

  private async runHandler(handler: AgiHandler, session: AgiSession): Promise<void> {
    try {
      await handler(session);
      this.counters.completed += 1;
    } catch (err) {
      if (err instanceof AgiCallEndedError) {
        // The caller hung up or the connection died mid-script: a normal end for a call.
        this.counters.completed += 1;
        this.log?.debug({ agiCall: session.id, reason: err.message }, 'AGI handler ended by the end of the call');
      } else {
        this.counters.failed += 1;
        this.log?.error(
          { agiCall: session.id, channel: session.env.channel, script: session.env.script.path, err: err instanceof Error ? err.message : String(err) },
          'AGI handler failed; closing the call',
        );
      }
    } finally {
      void session.close();
    }
  }
}

function pickLimits(options: FastAgiServerOptions): Partial<AgiSessionLimits> {
  const limits: Partial<Record<keyof AgiSessionLimits, number>> = {};
  for (const key of Object.keys(DEFAULT_SESSION_LIMITS) as (keyof AgiSessionLimits)[]) {
    const value = options[key];
    if (value !== undefined) {
      if (typeof value !== 'number' || !(value > 0) || (key === 'maxLineBytes' && !Number.isInteger(value))) {
        throw new RangeError(`FastAGI option ${key} must be a positive number of ${key === 'maxLineBytes' ? 'bytes' : 'ms (Infinity for none)'}, got ${String(value)}`);
      }
      limits[key] = value;
    }
  }
  return limits;
}
