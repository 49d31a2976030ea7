/**
 * AmiClient: our own thin AMI client over `net` (see README.md for why not asterisk-manager).
 *
 * One socket at a time. Every action gets a unique ActionID (per-client random prefix + counter)
 * and one entry in a Map that is deleted when the answer, the timeout or the disconnect comes:
 * no per-action EventEmitter listeners, so nothing grows with the number of actions.
 * Actions asked for while not logged in fail at once (AmiNotConnectedError); nothing is queued
 * and replayed after a reconnect, because replaying an Originate could ring a customer twice.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { BackoffPolicy } from '../backoff.ts';
import { resolveBackoff } from '../backoff.ts';
import { notifyAll } from '../listeners.ts';
import { ReconnectingLink } from '../reconnecting-link.ts';
import { AmiParser, encodeAction } from './codec.ts';
import type { AmiHeader, AmiMessage } from './message.ts';
import { header } from './message.ts';
import {
  AmiActionError,
  AmiAuthError,
  AmiConnectError,
  AmiDisconnectedError,
  AmiError,
  AmiHeaderValueError,
  AmiNotConnectedError,
  AmiProtocolError,
  AmiTimeoutError,
  errorFromResponse,
} from './errors.ts';
import {
  channelListFrom,
  deviceStatesFrom,
  hangupHeaders,
  originateHeaders,
  queueStatusFrom,
  redirectHeaders,
  varHeaders,
} from './actions.ts';
import type { AmiChannelListItem, AmiDeviceState, AmiResyncEvent, AmiStreamEvent } from './events.ts';
import { normaliseAmiEvent } from './events.ts';
import type { VoiceLogger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import type {
  AmiActionOptions,
  AmiConnectionState,
  AmiPort,
  AmiQueueStatus,
  AmiResponse,
  AmiStatus,
  OriginateParams,
  OriginateResult,
  RedirectParams,
} from './port.ts';

export interface AmiClientOptions {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** Never logged, never put in an error message. */
  readonly secret: string;
  /** `Events:` at login: true = on, false = off, or an event-class mask such as `call,agent,system`. Default on. */
  readonly events?: boolean | string;
  /** Answer timeout per action. Default 10 s. */
  readonly actionTimeoutMs?: number;
  /** TCP connect + banner + login must finish within this. Default 5 s. */
  readonly connectTimeoutMs?: number;
  /** Ping interval to detect a half-dead connection (asterisk-manager #18); 0 disables. Default 20 s. */
  readonly keepAliveMs?: number;
  readonly reconnect?: Partial<BackoffPolicy> & { readonly enabled?: boolean };
  /** What the resync snapshot after each login fetches. Default both. */
  readonly resync?: { readonly channels?: boolean; readonly deviceStates?: boolean };
  readonly logger?: VoiceLogger;
  /** Random source for jitter; tests pin it. */
  readonly random?: () => number;
  /** Largest AMI message accepted. Default 1 MiB. */
  readonly maxMessageBytes?: number;
}

interface Pending {
  readonly action: string;
  readonly actionId: string;
  readonly resolve: (r: AmiResponse) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
  response?: AmiMessage;
  readonly items: AmiMessage[];
}

interface Session {
  readonly socket: net.Socket;
  readonly parser: AmiParser;
  readonly pending: Map<string, Pending>;
  loggedIn: boolean;
  amiVersion?: string;
  /** Events held back while the resync snapshot is fetched, so the snapshot comes first. */
  held?: AmiStreamEvent[];
  failure?: AmiError;
  connectTimer?: NodeJS.Timeout;
  keepAliveTimer?: NodeJS.Timeout;
}

export class AmiClient implements AmiPort {
  readonly #opts: Required<Pick<AmiClientOptions, 'host' | 'port' | 'username' | 'secret'>> & {
    events: string;
    actionTimeoutMs: number;
    connectTimeoutMs: number;
    keepAliveMs: number;
    reconnectEnabled: boolean;
    backoff: BackoffPolicy;
    resyncChannels: boolean;
    resyncDeviceStates: boolean;
    maxMessageBytes: number;
  };
  readonly #log: VoiceLogger;
  readonly #random: () => number;
  readonly #idPrefix = randomUUID().slice(0, 8);
  #counter = 0;
  readonly #link: ReconnectingLink<Session, AmiError, AmiStatus>;
  readonly #eventListeners = new Set<(event: AmiStreamEvent) => void>();

  constructor(options: AmiClientOptions) {
    if (!options.host) throw new RangeError('AMI host is required');
    if (!Number.isInteger(options.port) || options.port <= 0 || options.port > 65535) throw new RangeError('AMI port must be 1..65535');
    if (!options.username) throw new RangeError('AMI username is required');
    const events = options.events === undefined || options.events === true ? 'on' : options.events === false ? 'off' : options.events;
    // Validate the login headers once, at construction: a bad secret must fail at boot, not at 3 a.m.
    encodeAction([
      ['Username', options.username],
      ['Secret', options.secret],
      ['Events', events],
    ]);
    this.#opts = {
      host: options.host,
      port: options.port,
      username: options.username,
      secret: options.secret,
      events,
      actionTimeoutMs: options.actionTimeoutMs ?? 10_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      keepAliveMs: options.keepAliveMs ?? 20_000,
      reconnectEnabled: options.reconnect?.enabled ?? true,
      backoff: resolveBackoff(options.reconnect),
      resyncChannels: options.resync?.channels ?? true,
      resyncDeviceStates: options.resync?.deviceStates ?? true,
      maxMessageBytes: options.maxMessageBytes ?? 1024 * 1024,
    };
    this.#log = options.logger ?? silentLogger;
    this.#random = options.random ?? Math.random;
    this.#link = new ReconnectingLink({
      name: 'AMI',
      reconnect: this.#opts.reconnectEnabled,
      backoff: this.#opts.backoff,
      random: this.#random,
      logger: this.#log,
      open: () => this.#open(),
      teardown: (session, closing) => this.#teardown(session, closing ? new AmiNotConnectedError('(pending)', 'closed') : undefined),
      status: (status) => status,
    });
  }

  get state(): AmiConnectionState {
    return this.#link.state;
  }

  /** Actions waiting for an answer (for tests and health checks: must return to 0). */
  get pendingActions(): number {
    return this.#link.session?.pending.size ?? 0;
  }

  /** Counts that must stay flat however many actions run (checked by the leak test). */
  diagnostics(): { pendingActions: number; socketListeners: number; eventListeners: number; statusListeners: number } {
    const socket = this.#link.session?.socket;
    const socketListeners = socket ? socket.eventNames().reduce((n, name) => n + socket.listenerCount(name), 0) : 0;
    return {
      pendingActions: this.pendingActions,
      socketListeners,
      eventListeners: this.#eventListeners.size,
      statusListeners: this.#link.statusListenerCount,
    };
  }

  onEvent(listener: (event: AmiStreamEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  onStatus(listener: (status: AmiStatus) => void): () => void {
    return this.#link.onStatus(listener);
  }

  connect(): Promise<void> {
    return this.#link.connect();
  }

  async close(): Promise<void> {
    await this.#link.close(new AmiNotConnectedError('connect', 'closed'), async (session) => {
      // Polite Logoff so Asterisk logs a clean session end; do not wait long for it.
      if (session.loggedIn) await this.#send(session, 'Logoff', [], 1_000).catch(() => undefined);
    });
  }

  // ---- actions -------------------------------------------------------------------------------

  action(name: string, headers: readonly AmiHeader[] = [], options: AmiActionOptions = {}): Promise<AmiResponse> {
    const session = this.#link.session;
    if (!session || !session.loggedIn || this.#link.state !== 'up') {
      return Promise.reject(new AmiNotConnectedError(name, this.#link.state));
    }
    if (name.toLowerCase() === 'login') return Promise.reject(new AmiHeaderValueError('Login is done by connect(), not as an action'));
    return this.#send(session, name, headers, options.timeoutMs ?? this.#opts.actionTimeoutMs);
  }

  async originate(params: OriginateParams, options?: AmiActionOptions): Promise<OriginateResult> {
    const r = await this.action('Originate', originateHeaders(params), options);
    return { actionId: r.actionId, message: header(r.response, 'Message') ?? '' };
  }

  async hangup(channel: string, cause?: number, options?: AmiActionOptions): Promise<void> {
    await this.action('Hangup', hangupHeaders(channel, cause), options);
  }

  async redirect(params: RedirectParams, options?: AmiActionOptions): Promise<void> {
    await this.action('Redirect', redirectHeaders(params), options);
  }

  async getVar(variable: string, channel?: string, options?: AmiActionOptions): Promise<string> {
    const r = await this.action('Getvar', varHeaders(variable, channel), options);
    return header(r.response, 'Value') ?? '';
  }

  async setVar(variable: string, value: string, channel?: string, options?: AmiActionOptions): Promise<void> {
    await this.action('Setvar', varHeaders(variable, channel, value), options);
  }

  async coreShowChannels(options?: AmiActionOptions): Promise<AmiChannelListItem[]> {
    return channelListFrom((await this.action('CoreShowChannels', [], options)).items);
  }

  async deviceStateList(options?: AmiActionOptions): Promise<AmiDeviceState[]> {
    return deviceStatesFrom((await this.action('DeviceStateList', [], options)).items);
  }

  async queueStatus(queue?: string, member?: string, options?: AmiActionOptions): Promise<AmiQueueStatus[]> {
    const headers: AmiHeader[] = [];
    if (queue !== undefined) headers.push(['Queue', queue]);
    if (member !== undefined) headers.push(['Member', member]);
    return queueStatusFrom((await this.action('QueueStatus', headers, options)).items);
  }

  async queuePause(
    params: { queue?: string; interface: string; paused: boolean; reason?: string },
    options?: AmiActionOptions,
  ): Promise<void> {
    const headers: AmiHeader[] = [];
    if (params.queue !== undefined) headers.push(['Queue', params.queue]);
    headers.push(['Interface', params.interface], ['Paused', params.paused ? 'true' : 'false']);
    if (params.reason !== undefined) headers.push(['Reason', params.reason]);
    await this.action('QueuePause', headers, options);
  }

  async ping(options?: AmiActionOptions): Promise<{ timestamp?: string }> {
    const r = await this.action('Ping', [], options);
    return { timestamp: header(r.response, 'Timestamp') };
  }

  // ---- connection ------------------------------------------------------------------------------

  /** A new session for the link: TCP connect, then banner and login in #onData. */
  #open(): Session {
    const socket = net.createConnection({ host: this.#opts.host, port: this.#opts.port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    const session: Session = {
      socket,
      parser: new AmiParser({ maxMessageBytes: this.#opts.maxMessageBytes }),
      pending: new Map(),
      loggedIn: false,
    };
    session.connectTimer = setTimeout(() => {
      this.#fail(session, new AmiTimeoutError('AMI connect and login', this.#opts.connectTimeoutMs));
    }, this.#opts.connectTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.#onData(session, chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.#fail(session, new AmiConnectError(`AMI socket ${this.#opts.host}:${this.#opts.port}: ${err.code ?? err.message}`, { cause: err }));
    });
    socket.on('close', () => {
      this.#fail(session, new AmiConnectError(`AMI connection to ${this.#opts.host}:${this.#opts.port} closed`));
    });
    return session;
  }

  #onData(session: Session, chunk: Buffer): void {
    if (!this.#link.isCurrent(session)) return;
    let frames;
    try {
      frames = session.parser.push(chunk);
    } catch (err) {
      this.#fail(session, err instanceof AmiError ? err : new AmiProtocolError(String(err)));
      return;
    }
    for (const frame of frames) {
      if (!this.#link.isCurrent(session)) return;
      if (frame.kind === 'banner') {
        session.amiVersion = frame.version;
        this.#login(session);
      } else {
        this.#onMessage(session, frame.message);
      }
    }
  }

  #login(session: Session): void {
    // Same header order as the capture (Action, ActionID, Username, Secret, Events).
    const headers: AmiHeader[] = [
      ['Username', this.#opts.username],
      ['Secret', this.#opts.secret],
      ['Events', this.#opts.events],
    ];
    this.#send(session, 'Login', headers, this.#opts.connectTimeoutMs).then(
      () => this.#onLoggedIn(session),
      (err: unknown) => {
        if (!this.#link.isCurrent(session)) return;
        if (err instanceof AmiActionError) {
          // Wrong secret (or a login Asterisk refuses): retrying cannot help and would hammer
          // Asterisk's security log; state `failed` until someone calls connect() again.
          const authError = new AmiAuthError(this.#opts.username, err.asteriskMessage || 'refused');
          this.#fail(session, authError, true);
        } else {
          this.#fail(session, err instanceof AmiError ? err : new AmiConnectError(String(err)));
        }
      },
    );
  }

  async #onLoggedIn(session: Session): Promise<void> {
    if (!this.#link.isCurrent(session)) return;
    clearTimeout(session.connectTimer);
    session.loggedIn = true;
    session.held = [];
    const reconnected = this.#link.reconnected;
    this.#link.resetBackoff();
    this.#log.info({ host: this.#opts.host, port: this.#opts.port, user: this.#opts.username, amiVersion: session.amiVersion }, 'AMI logged in');
    this.#link.setState({ state: 'up', amiVersion: session.amiVersion });
    this.#startKeepAlive(session);

    const errors: AmiError[] = [];
    let channels: AmiChannelListItem[] | undefined;
    let deviceStates: AmiDeviceState[] | undefined;
    if (this.#opts.resyncChannels) {
      channels = await this.coreShowChannels().catch((err: unknown) => {
        errors.push(err instanceof AmiError ? err : new AmiConnectError(String(err)));
        return undefined;
      });
    }
    if (this.#opts.resyncDeviceStates && this.#link.isCurrent(session)) {
      deviceStates = await this.deviceStateList().catch((err: unknown) => {
        errors.push(err instanceof AmiError ? err : new AmiConnectError(String(err)));
        return undefined;
      });
    }
    if (!this.#link.isCurrent(session) || !session.loggedIn) return; // dropped during the snapshot: the next login resyncs
    const held = session.held ?? [];
    session.held = undefined;
    const resync: AmiResyncEvent = { kind: 'connection.resync', reconnected, channels, deviceStates, errors };
    this.#link.established(() => {
      this.#emit(resync);
      for (const event of held) this.#emit(event);
    });
  }

  #send(session: Session, action: string, headers: readonly AmiHeader[], timeoutMs: number): Promise<AmiResponse> {
    const actionId = `${this.#idPrefix}-${++this.#counter}`;
    let wire: string;
    try {
      wire = encodeAction([['Action', action], ['ActionID', actionId], ...headers]);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<AmiResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (session.pending.delete(actionId)) reject(new AmiTimeoutError(`AMI action ${action} (${actionId})`, timeoutMs));
      }, timeoutMs);
      session.pending.set(actionId, { action, actionId, resolve, reject, timer, items: [] });
      // Only the action name and id are logged: headers may hold the secret or customer data.
      this.#log.debug({ action, actionId }, 'AMI action sent');
      session.socket.write(wire);
    });
  }

  #onMessage(session: Session, message: AmiMessage): void {
    const actionId = header(message, 'ActionID');
    const pending = actionId === undefined ? undefined : session.pending.get(actionId);
    const isEvent = header(message, 'Event') !== undefined;

    if (pending && isEvent && pending.response) {
      // An item of a list action this client is collecting (it carries our ActionID).
      if ((header(message, 'EventList') ?? '').toLowerCase() === 'complete') {
        this.#finish(session, pending);
        pending.resolve({ actionId: pending.actionId, response: pending.response, items: pending.items, complete: message });
      } else {
        pending.items.push(message);
      }
      return;
    }
    if (pending && !isEvent) {
      const response = header(message, 'Response') ?? '';
      if (response.toLowerCase() === 'error') {
        this.#finish(session, pending);
        pending.reject(errorFromResponse(pending.action, message));
        return;
      }
      if ((header(message, 'EventList') ?? '').toLowerCase() === 'start') {
        pending.response = message; // keep collecting until EventList: Complete
        return;
      }
      this.#finish(session, pending);
      pending.resolve({ actionId: pending.actionId, response: message, items: [] });
      return;
    }
    if (isEvent) {
      const event = normaliseAmiEvent(message);
      if (!event) return;
      if (session.held) session.held.push(event);
      else this.#emit(event);
      return;
    }
    // A response nobody waits for any more (its action timed out): drop it, but say so.
    this.#log.debug({ actionId }, 'AMI response for no pending action dropped');
  }

  #finish(session: Session, pending: Pending): void {
    clearTimeout(pending.timer);
    session.pending.delete(pending.actionId);
  }

  #startKeepAlive(session: Session): void {
    if (this.#opts.keepAliveMs <= 0) return;
    const tick = (): void => {
      if (!this.#link.isCurrent(session) || !session.loggedIn) return;
      this.#send(session, 'Ping', [], Math.min(this.#opts.actionTimeoutMs, this.#opts.keepAliveMs)).then(
        () => {
          if (this.#link.isCurrent(session)) session.keepAliveTimer = setTimeout(tick, this.#opts.keepAliveMs);
        },
        (err: unknown) => {
          // A connection that no longer answers Ping is dead even if TCP has not noticed yet.
          this.#fail(session, err instanceof AmiError ? err : new AmiConnectError(String(err)));
        },
      );
    };
    session.keepAliveTimer = setTimeout(tick, this.#opts.keepAliveMs);
  }

  /** Ends a session because of `error`; the link reconnects unless closed or `terminal`. */
  #fail(session: Session, error: AmiError, terminal = false): void {
    this.#link.fail(session, error, terminal, { wasUp: session.loggedIn });
  }

  #teardown(session: Session, reason: AmiError | undefined): void {
    clearTimeout(session.connectTimer);
    clearTimeout(session.keepAliveTimer);
    session.loggedIn = false;
    session.held = undefined;
    for (const pending of session.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(reason ?? new AmiDisconnectedError(pending.action));
    }
    session.pending.clear();
    session.socket.removeAllListeners('data');
    session.socket.on('error', () => undefined); // late errors of a dead socket are not ours to report
    session.socket.destroy();
  }

  #emit(event: AmiStreamEvent): void {
    notifyAll(this.#eventListeners, event, (err) => this.#log.error({ err, event: event.kind }, 'AMI event listener threw'));
  }

}
