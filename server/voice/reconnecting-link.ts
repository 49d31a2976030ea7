/**
 * The connection life shared by the AMI and ARI clients: one session at a time, reconnect with
 * backoff + jitter after any loss, `failed` (no retry) after a terminal error such as a refused
 * login, `closed` for good after close(). connect() resolves once the session has delivered its
 * resync snapshot and rejects with the first failure while the link keeps retrying in the
 * background, so a down Asterisk is reported at start instead of hanging the caller.
 *
 * What a session is (a TCP socket and AMI login, a WebSocket and ARI snapshot) stays in the
 * client: it opens sessions, tells the link when one is established or has failed, and checks
 * `isCurrent` in its event handlers so that late events of a replaced session are ignored.
 */
import type { BackoffPolicy } from './backoff.ts';
import { backoffDelay } from './backoff.ts';
import { notifyAll, settleAll, type Waiter } from './listeners.ts';
import type { VoiceLogger } from './logger.ts';

export type LinkState = 'idle' | 'connecting' | 'up' | 'reconnecting' | 'failed' | 'closed';

export interface LinkStatus<E extends Error> {
  readonly state: LinkState;
  /** Retry number while connecting again / reconnecting (1 = first retry). */
  readonly attempt?: number;
  /** Wait before that retry. */
  readonly delayMs?: number;
  /** Why the connection went down / failed. */
  readonly error?: E;
}

export interface ReconnectingLinkOptions<S, E extends Error, St extends LinkStatus<E>> {
  /** `AMI` or `ARI`: the prefix of log lines. */
  readonly name: string;
  /** false: a lost connection goes to `failed` instead of retrying. */
  readonly reconnect: boolean;
  readonly backoff: BackoffPolicy;
  readonly random: () => number;
  readonly logger: VoiceLogger;
  /** Opens a new session (socket, timers, handlers); the link makes it the current one. */
  readonly open: () => S;
  /** Ends a session for good: timers, socket, work still waiting on it (`closing`: by close()). */
  readonly teardown: (session: S, closing: boolean) => void;
  /** The client's status type for one of the link's own statuses (the clients' types only add optional fields). */
  readonly status: (status: LinkStatus<E>) => St;
}

export class ReconnectingLink<S, E extends Error & { readonly code: string }, St extends LinkStatus<E>> {
  readonly #o: ReconnectingLinkOptions<S, E, St>;
  #state: LinkState = 'idle';
  #session: S | undefined;
  /** The current session has delivered its resync snapshot (connect() may resolve at once). */
  #ready = false;
  #attempt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #everUp = false;
  #waiters: Waiter[] = [];
  readonly #statusListeners = new Set<(status: St) => void>();

  constructor(options: ReconnectingLinkOptions<S, E, St>) {
    this.#o = options;
  }

  get state(): LinkState {
    return this.#state;
  }

  /** The open session, if any (also while it logs in / resyncs). */
  get session(): S | undefined {
    return this.#session;
  }

  /** Whether an earlier session was established: the next resync is a reconnect. */
  get reconnected(): boolean {
    return this.#everUp;
  }

  get statusListenerCount(): number {
    return this.#statusListeners.size;
  }

  /** False for a session the link has given up on or replaced: its late events are not ours. */
  isCurrent(session: S): boolean {
    return this.#session === session;
  }

  onStatus(listener: (status: St) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  setState(status: St): void {
    this.#state = status.state;
    notifyAll(this.#statusListeners, status, (err) => this.#o.logger.error({ err }, `${this.#o.name} status listener threw`));
  }

  connect(): Promise<void> {
    if (this.#state === 'up' && this.#ready) return Promise.resolve();
    const promise = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (this.#state === 'idle' || this.#state === 'failed' || this.#state === 'closed') this.#open();
    return promise;
  }

  /**
   * Stops for good: state `closed`, no more retries. `beforeTeardown` runs while the session is
   * still current (AMI's polite Logoff waits for its answer); then the session is torn down and
   * whoever still awaits connect() gets `error`.
   */
  async close(error: E, beforeTeardown?: (session: S) => Promise<void>): Promise<void> {
    const session = this.#session;
    this.setState(this.#o.status({ state: 'closed' }));
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    if (session !== undefined) {
      if (beforeTeardown) await beforeTeardown(session);
      if (this.#session === session) this.#session = undefined;
      this.#o.teardown(session, true);
    }
    this.#settleWaiters(error);
  }

  /** The connection is proven good (logged in): the next loss starts the backoff from its first step. */
  resetBackoff(): void {
    this.#attempt = 0;
  }

  /**
   * The current session is fully up: `deliver` emits the resync snapshot and the events held back
   * meanwhile, then connect() waiters resolve.
   */
  established(deliver: () => void): void {
    this.#attempt = 0;
    this.#everUp = true;
    this.#ready = true;
    deliver();
    this.#settleWaiters();
  }

  /** Ends `session` because of `error`, then reconnects with backoff unless closed, `terminal` or reconnect is off. */
  fail(session: S, error: E, terminal = false, details: Readonly<Record<string, unknown>> = {}): void {
    if (this.#session !== session) return;
    this.#session = undefined;
    this.#o.teardown(session, false);
    if (this.#state === 'closed') return;
    this.#o.logger.warn({ err: { code: error.code, message: error.message }, ...details }, `${this.#o.name} connection down`);
    // Report the failure to whoever awaits connect() now; keep trying in the background.
    this.#settleWaiters(error);
    if (terminal || !this.#o.reconnect) {
      this.setState(this.#o.status({ state: 'failed', error }));
      return;
    }
    this.#attempt += 1;
    const delayMs = backoffDelay(this.#attempt, this.#o.backoff, this.#o.random);
    this.setState(this.#o.status({ state: 'reconnecting', attempt: this.#attempt, delayMs, error }));
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (this.#state === 'reconnecting') this.#open();
    }, delayMs);
  }

  #open(): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#ready = false;
    this.setState(this.#o.status({ state: 'connecting', attempt: this.#attempt || undefined }));
    this.#session = this.#o.open();
  }

  #settleWaiters(error?: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    settleAll(waiters, error);
  }
}
