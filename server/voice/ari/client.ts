/**
 * AriClient: our own thin ARI client (see README.md for why not ari-client): `ws` for
 * `/ari/events?app=…` with HTTP Basic auth in the upgrade request (not `api_key` in the URL, which
 * ends up in access logs), Node's fetch for REST.
 *
 * Connection life: connecting → up (WebSocket open; resync snapshot emitted) → reconnecting (with
 * exponential backoff + jitter) → up … ; `failed` after an authentication refusal (no retry);
 * `closed` after close(). While not up, every REST call fails at once with AriNotConnectedError.
 */
import WebSocket from 'ws';
import type { ZodType } from 'zod';
import type { BackoffPolicy } from '../backoff.ts';
import { resolveBackoff } from '../backoff.ts';
import { notifyAll } from '../listeners.ts';
import type { VoiceLogger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { ReconnectingLink } from '../reconnecting-link.ts';
import { ChannelHandlers } from './channel-handlers.ts';
import {
  AriArgumentError,
  AriAuthError,
  AriError,
  AriNotConnectedError,
  AriProtocolError,
  AriTimeoutError,
  AriUnreachableError,
} from './errors.ts';
import type { AriEvent, AriResyncEvent, AriStreamEvent } from './events.ts';
import { parseAriEvent } from './events.ts';
import type { AriApplication, AriAsteriskInfo, AriBridge, AriChannel, AriDeviceState, AriPlayback } from './models.ts';
import {
  ApplicationSchema,
  AsteriskInfoSchema,
  BridgeSchema,
  ChannelSchema,
  DeviceStateSchema,
  PlaybackSchema,
  VariableSchema,
} from './models.ts';
import type {
  AriChannelHandler,
  AriConnectionState,
  AriHangupReason,
  AriOriginateParams,
  AriPort,
  AriSnoopParams,
  AriStatus,
} from './port.ts';
import type { QueryValue } from './rest.ts';
import { AriRest, basicAuth } from './rest.ts';

export interface AriClientOptions {
  /** Asterisk's HTTP server, e.g. `http://127.0.0.1:8088`. */
  readonly url: string;
  readonly username: string;
  /** Never logged. */
  readonly password: string;
  /** Stasis application name (Stasis(<app>,…) in the dialplan). */
  readonly app: string;
  readonly requestTimeoutMs?: number;
  /** WebSocket open + resync must finish within this. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** WebSocket ping interval; a missing pong by the next ping drops the connection. 0 disables. Default 20 s. */
  readonly pingIntervalMs?: number;
  readonly reconnect?: Partial<BackoffPolicy> & { readonly enabled?: boolean };
  readonly logger?: VoiceLogger;
  readonly random?: () => number;
}

interface Session {
  readonly ws: WebSocket;
  open: boolean;
  /** Events received while the resync snapshot is fetched; delivered right after it. */
  held?: AriEvent[];
  connectTimer?: NodeJS.Timeout;
  pingTimer?: NodeJS.Timeout;
  awaitingPong: boolean;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

function requireId(what: string, id: string): string {
  if (typeof id !== 'string' || id === '') throw new AriArgumentError(`${what} is required`);
  return encodeURIComponent(id);
}

function idList(what: string, ids: string | readonly string[]): string {
  const list = typeof ids === 'string' ? [ids] : [...ids];
  if (list.length === 0 || list.some((id) => id === '' || id.includes(','))) throw new AriArgumentError(`${what}: need one or more ids without commas`);
  return list.join(',');
}

/** A channel in Stasis for `app` according to its dialplan location (`Stasis` with app data `app[,args]`). */
export function isInStasisOf(channel: AriChannel, app: string): boolean {
  if (channel.dialplan.app_name !== 'Stasis') return false;
  const data = channel.dialplan.app_data ?? '';
  return data === app || data.startsWith(`${app},`);
}

export class AriClient implements AriPort {
  readonly app: string;
  readonly #url: URL;
  readonly #auth: string;
  readonly #rest: AriRest;
  readonly #log: VoiceLogger;
  readonly #connectTimeoutMs: number;
  readonly #pingIntervalMs: number;
  readonly #link: ReconnectingLink<Session, AriError, AriStatus>;
  readonly #eventListeners = new Set<(event: AriStreamEvent) => void>();
  readonly #channels: ChannelHandlers;

  constructor(options: AriClientOptions) {
    if (!options.app || /[,\s]/.test(options.app)) throw new RangeError('ARI app name is required and may not contain commas or spaces');
    if (!options.username) throw new RangeError('ARI username is required');
    this.#url = new URL(options.url);
    if (this.#url.protocol !== 'http:' && this.#url.protocol !== 'https:') throw new RangeError('ARI url must be http(s)://host:port');
    this.app = options.app;
    this.#auth = basicAuth(options.username, options.password);
    this.#log = options.logger ?? silentLogger;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.#pingIntervalMs = options.pingIntervalMs ?? 20_000;
    this.#link = new ReconnectingLink({
      name: 'ARI',
      reconnect: options.reconnect?.enabled ?? true,
      backoff: resolveBackoff(options.reconnect),
      random: options.random ?? Math.random,
      logger: this.#log,
      open: () => this.#open(),
      teardown: (session) => this.#teardown(session),
      status: (status) => status,
    });
    this.#rest = new AriRest({
      baseUrl: this.#url.origin,
      username: options.username,
      password: options.password,
      timeoutMs: options.requestTimeoutMs ?? 10_000,
      logger: this.#log,
    });
    this.#channels = new ChannelHandlers((err, channelId) => this.#log.error({ err, channelId }, 'ARI channel handler threw'));
  }

  get state(): AriConnectionState {
    return this.#link.state;
  }

  /** Counts that must return to their baseline (checked by the leak tests). */
  diagnostics(): { channels: number; handlers: number; marked: number; eventListeners: number; wsListeners: number } {
    const ws = this.#link.session?.ws;
    const wsListeners = ws ? ws.eventNames().reduce((n, name) => n + ws.listenerCount(name), 0) : 0;
    return { ...this.#channels.size, eventListeners: this.#eventListeners.size, wsListeners };
  }

  onEvent(listener: (event: AriStreamEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  onStatus(listener: (status: AriStatus) => void): () => void {
    return this.#link.onStatus(listener);
  }

  onChannel(channelId: string, handler: AriChannelHandler): () => void {
    requireId('channel id', channelId);
    return this.#channels.on(channelId, handler);
  }

  connect(): Promise<void> {
    return this.#link.connect();
  }

  async close(): Promise<void> {
    await this.#link.close(new AriNotConnectedError('connect', 'closed'));
  }

  // ---- REST ------------------------------------------------------------------------------------

  async #call<T>(
    method: Method,
    path: string,
    options: { query?: Record<string, QueryValue>; body?: unknown; schema?: ZodType<T> } = {},
  ): Promise<T | undefined> {
    if (this.#link.state !== 'up') throw new AriNotConnectedError(`${method} ${path.split('?')[0]}`, this.#link.state);
    return this.#rest.call(method, path, options) as Promise<T | undefined>;
  }

  async #callRequired<T>(method: Method, path: string, schema: ZodType<T>, query?: Record<string, QueryValue>, body?: unknown): Promise<T> {
    const result = await this.#call(method, path, { query, body, schema });
    if (result === undefined) throw new AriProtocolError(`ARI ${method} ${path}: empty reply`);
    return result;
  }

  async answer(channelId: string): Promise<void> {
    await this.#call('POST', `/channels/${requireId('channel id', channelId)}/answer`);
  }

  async hangup(channelId: string, reason?: AriHangupReason | number): Promise<void> {
    const query = typeof reason === 'number' ? { reason_code: reason } : { reason };
    await this.#call('DELETE', `/channels/${requireId('channel id', channelId)}`, { query });
  }

  async continueInDialplan(channelId: string, target: { context?: string; extension?: string; priority?: number; label?: string } = {}): Promise<void> {
    await this.#call('POST', `/channels/${requireId('channel id', channelId)}/continue`, { query: { ...target } });
  }

  async originate(p: AriOriginateParams): Promise<AriChannel> {
    requireId('originate endpoint', p.endpoint);
    const query: Record<string, QueryValue> = {
      endpoint: p.endpoint,
      context: p.context,
      extension: p.extension,
      priority: p.priority,
      label: p.label,
      app: p.app,
      appArgs: p.appArgs,
      callerId: p.callerId,
      timeout: p.timeoutSec,
      channelId: p.channelId,
      otherChannelId: p.otherChannelId,
      originator: p.originator,
      formats: p.formats,
    };
    const body = p.variables && Object.keys(p.variables).length > 0 ? { variables: p.variables } : undefined;
    const channel = await this.#callRequired('POST', '/channels', ChannelSchema, query, body);
    // Channels the app originates keep sending events after StasisEnd, up to ChannelDestroyed.
    this.#channels.keepUntilDestroyed(channel.id);
    return channel;
  }

  async getChannel(channelId: string): Promise<AriChannel> {
    return this.#callRequired('GET', `/channels/${requireId('channel id', channelId)}`, ChannelSchema);
  }

  async listChannels(): Promise<AriChannel[]> {
    return this.#callRequired('GET', '/channels', ChannelSchema.array());
  }

  async setVariable(channelId: string, variable: string, value: string): Promise<void> {
    requireId('variable name', variable);
    await this.#call('POST', `/channels/${requireId('channel id', channelId)}/variable`, { query: { variable, value } });
  }

  async getVariable(channelId: string, variable: string): Promise<string> {
    requireId('variable name', variable);
    return (await this.#callRequired('GET', `/channels/${requireId('channel id', channelId)}/variable`, VariableSchema, { variable })).value;
  }

  async startMoh(channelId: string, mohClass?: string): Promise<void> {
    await this.#call('POST', `/channels/${requireId('channel id', channelId)}/moh`, { query: { mohClass } });
  }

  async stopMoh(channelId: string): Promise<void> {
    await this.#call('DELETE', `/channels/${requireId('channel id', channelId)}/moh`);
  }

  async ring(channelId: string): Promise<void> {
    await this.#call('POST', `/channels/${requireId('channel id', channelId)}/ring`);
  }

  async stopRing(channelId: string): Promise<void> {
    await this.#call('DELETE', `/channels/${requireId('channel id', channelId)}/ring`);
  }

  async play(channelId: string, media: string | readonly string[], options: { lang?: string; playbackId?: string } = {}): Promise<AriPlayback> {
    const list = typeof media === 'string' ? [media] : [...media];
    if (list.length === 0 || list.some((m) => m === '')) throw new AriArgumentError('play: media is required');
    return this.#callRequired('POST', `/channels/${requireId('channel id', channelId)}/play`, PlaybackSchema, {
      media: list.join(','),
      lang: options.lang,
      playbackId: options.playbackId,
    });
  }

  async snoop(channelId: string, p: AriSnoopParams): Promise<AriChannel> {
    return this.#callRequired('POST', `/channels/${requireId('channel id', channelId)}/snoop`, ChannelSchema, {
      spy: p.spy,
      whisper: p.whisper,
      app: p.app ?? this.app,
      appArgs: p.appArgs,
      snoopId: p.snoopId,
    });
  }

  async subscribeChannel(channelIds: string | readonly string[]): Promise<AriApplication> {
    const ids = idList('subscribe', channelIds).split(',');
    const app = await this.#callRequired('POST', `/applications/${encodeURIComponent(this.app)}/subscription`, ApplicationSchema, {
      eventSource: ids.map((id) => `channel:${id}`).join(','),
    });
    for (const id of ids) this.#channels.keepUntilDestroyed(id);
    return app;
  }

  async createBridge(p: { type?: string; name?: string; bridgeId?: string } = {}): Promise<AriBridge> {
    return this.#callRequired('POST', '/bridges', BridgeSchema, { type: p.type ?? 'mixing', name: p.name, bridgeId: p.bridgeId });
  }

  async getBridge(bridgeId: string): Promise<AriBridge> {
    return this.#callRequired('GET', `/bridges/${requireId('bridge id', bridgeId)}`, BridgeSchema);
  }

  async listBridges(): Promise<AriBridge[]> {
    return this.#callRequired('GET', '/bridges', BridgeSchema.array());
  }

  async destroyBridge(bridgeId: string): Promise<void> {
    await this.#call('DELETE', `/bridges/${requireId('bridge id', bridgeId)}`);
  }

  async addChannel(bridgeId: string, channelIds: string | readonly string[], options: { role?: string } = {}): Promise<void> {
    await this.#call('POST', `/bridges/${requireId('bridge id', bridgeId)}/addChannel`, {
      query: { channel: idList('addChannel', channelIds), role: options.role },
    });
  }

  async removeChannel(bridgeId: string, channelIds: string | readonly string[]): Promise<void> {
    await this.#call('POST', `/bridges/${requireId('bridge id', bridgeId)}/removeChannel`, { query: { channel: idList('removeChannel', channelIds) } });
  }

  async startBridgeMoh(bridgeId: string, mohClass?: string): Promise<void> {
    await this.#call('POST', `/bridges/${requireId('bridge id', bridgeId)}/moh`, { query: { mohClass } });
  }

  async stopBridgeMoh(bridgeId: string): Promise<void> {
    await this.#call('DELETE', `/bridges/${requireId('bridge id', bridgeId)}/moh`);
  }

  async asteriskInfo(only?: readonly string[]): Promise<AriAsteriskInfo> {
    return this.#callRequired('GET', '/asterisk/info', AsteriskInfoSchema, { only: only && only.length > 0 ? only.join(',') : undefined });
  }

  async getApplication(): Promise<AriApplication> {
    return this.#callRequired('GET', `/applications/${encodeURIComponent(this.app)}`, ApplicationSchema);
  }

  async deviceStates(): Promise<AriDeviceState[]> {
    return this.#callRequired('GET', '/deviceStates', DeviceStateSchema.array());
  }

  // ---- WebSocket and resync -------------------------------------------------------------------

  /** A new session for the link: the WebSocket, then the resync snapshot once it opens. */
  #open(): Session {
    const wsUrl = new URL(`/ari/events`, this.#url);
    wsUrl.protocol = this.#url.protocol === 'https:' ? 'wss:' : 'ws:';
    wsUrl.searchParams.set('app', this.app);
    const ws = new WebSocket(wsUrl, { headers: { Authorization: this.#auth }, handshakeTimeout: this.#connectTimeoutMs });
    const session: Session = { ws, open: false, awaitingPong: false };
    session.connectTimer = setTimeout(() => this.#fail(session, new AriTimeoutError('WebSocket connect and resync', this.#connectTimeoutMs)), this.#connectTimeoutMs);

    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      const error =
        status === 401 || status === 403
          ? new AriAuthError('ARI_AUTH', status, 'GET', '/events', 'WebSocket upgrade refused')
          : new AriUnreachableError(`WebSocket upgrade (HTTP ${status})`, undefined);
      this.#fail(session, error, status === 401 || status === 403);
    });
    ws.on('error', (err: Error & { code?: string }) => {
      this.#fail(session, new AriUnreachableError('WebSocket', err.code ?? err.message, { cause: err }));
    });
    ws.on('close', () => this.#fail(session, new AriUnreachableError('WebSocket closed', undefined)));
    ws.on('pong', () => {
      session.awaitingPong = false;
    });
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => this.#onMessage(session, data, isBinary));
    ws.on('open', () => {
      session.open = true;
      session.held = [];
      void this.#resync(session);
    });
    return session;
  }

  #onMessage(session: Session, data: WebSocket.RawData, isBinary: boolean): void {
    if (!this.#link.isCurrent(session) || isBinary) return;
    let event: AriEvent;
    try {
      event = parseAriEvent(data.toString());
    } catch (err) {
      // ari-client crashed here (unguarded JSON.parse); we log and go on.
      this.#log.warn({ err: err instanceof Error ? err.message : String(err) }, 'ARI event ignored');
      return;
    }
    if (event.type === 'Other' && event.problem) this.#log.warn({ eventType: event.eventType, problem: event.problem }, 'ARI event with unexpected shape');
    if (session.held) session.held.push(event);
    else this.#deliver(event);
  }

  #deliver(event: AriEvent): void {
    this.#emit(event);
    this.#channels.dispatch(event);
  }

  async #resync(session: Session): Promise<void> {
    // REST must work inside resync listeners (recovering channels), so the state is up from here.
    this.#link.setState({ state: 'up' });
    let resync: AriResyncEvent;
    try {
      const [application, channels, bridges] = await Promise.all([
        this.#rest.call('GET', `/applications/${encodeURIComponent(this.app)}`, { schema: ApplicationSchema }),
        this.#rest.call('GET', '/channels', { schema: ChannelSchema.array() }),
        this.#rest.call('GET', '/bridges', { schema: BridgeSchema.array() }),
      ]);
      const appChannels = new Set(application?.channel_ids ?? []);
      const appBridges = new Set(application?.bridge_ids ?? []);
      const all = channels ?? [];
      resync = {
        type: 'connection.resync',
        reconnected: this.#link.reconnected,
        channels: all.filter((c) => appChannels.has(c.id) || isInStasisOf(c, this.app)),
        bridges: (bridges ?? []).filter((b) => appBridges.has(b.id)),
      };
      if (!this.#link.isCurrent(session)) return;
      const lost = this.#channels.prune(new Set(all.map((c) => c.id)));
      if (lost.length > 0) this.#log.info({ lost: lost.length }, 'ARI channels ended while disconnected');
    } catch (err) {
      // Without a snapshot the consumers' view cannot be trusted: drop and retry with backoff.
      this.#fail(session, err instanceof AriError ? err : new AriProtocolError(String(err)));
      return;
    }
    if (!this.#link.isCurrent(session)) return;
    clearTimeout(session.connectTimer);
    const held = session.held ?? [];
    session.held = undefined;
    this.#log.info({ app: this.app, channels: resync.channels.length, bridges: resync.bridges.length, reconnected: resync.reconnected }, 'ARI connected');
    this.#link.established(() => {
      this.#emit(resync);
      for (const event of held) this.#deliver(event);
      this.#startPing(session);
    });
  }

  #startPing(session: Session): void {
    if (this.#pingIntervalMs <= 0) return;
    session.pingTimer = setInterval(() => {
      if (!this.#link.isCurrent(session)) return;
      if (session.awaitingPong) {
        this.#fail(session, new AriTimeoutError('WebSocket ping', this.#pingIntervalMs));
        return;
      }
      session.awaitingPong = true;
      session.ws.ping();
    }, this.#pingIntervalMs);
  }

  /** Ends a session because of `error`; the link reconnects unless closed or `terminal`. */
  #fail(session: Session, error: AriError, terminal = false): void {
    this.#link.fail(session, error, terminal);
  }

  #teardown(session: Session): void {
    clearTimeout(session.connectTimer);
    clearInterval(session.pingTimer);
    session.held = undefined;
    session.ws.removeAllListeners();
    session.ws.on('error', () => undefined); // late errors of a dead socket are not ours to report
    session.ws.terminate();
  }

  #emit(event: AriStreamEvent): void {
    notifyAll(this.#eventListeners, event, (err) => this.#log.error({ err, event: event.type }, 'ARI event listener threw'));
  }

}
