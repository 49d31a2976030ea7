/**
 * A test peer that plays Asterisk's ARI (HTTP + WebSocket under /ari), in process, like wazo's
 * mock_ari but with a small model of channels, bridges and applications so that REST replies and
 * events stay consistent. Shapes, statuses and texts come from ari-rest.txt, ari-queue-bridge.txt,
 * ari-spy-whisper-barge.txt and the .jsonl event captures:
 * - originate into an app: HTTP 200 with the `;1` half `Down` at once, then Dial / Ringing / Up /
 *   StasisStart (answering destination), or ChannelDestroyed cause 19 after the timeout (ringing
 *   destination), or ChannelDestroyed cause 0 at once (no such extension/context);
 *   unknown technology -> 500 `{"error":"Allocation failed"}`; no app and no extension -> 400;
 * - snoop -> channel `Snoop/<id>-0000000N`, state Up, StasisStart with `[appArgs]`;
 * - DELETE channel -> ChannelHangupRequest (cause 32, soft), ChannelLeftBridge, StasisEnd, and
 *   ChannelDestroyed only for channels the app originated or subscribed to; snoops on it end too;
 * - bridges: no BridgeCreated event (none was captured); DELETE -> BridgeDestroyed; GET of a gone one -> 404.
 * Control methods: push events, replay .jsonl captures verbatim, drop WebSockets, go down / up,
 * simulate a caller entering Stasis, DTMF, far-end hangup; every request is logged.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { PeerBridge, PeerChannel } from './asterisk-ari-model.ts';
import {
  applicationJson,
  ariEvent,
  asteriskTime,
  bridgeJson,
  channelJson,
  jsonlLines,
  recordedRestCalls,
} from './asterisk-ari-model.ts';

/**
 * answer: answers at once; ring: rings until the originate timeout (ChannelDestroyed cause 19);
 * manual: rings like `ring` until the test calls `answerOriginated(id)`; missing: no such extension.
 */
export type DestinationBehaviour = 'answer' | 'ring' | 'manual' | 'missing' | { readonly stasis: { readonly app: string; readonly args: readonly string[] } };

export interface AriPeerOptions {
  readonly username?: string;
  readonly password?: string;
  /** Milliseconds the peer waits per second of an ARI `timeout` (tests shrink it). Default 1000. */
  readonly secondMs?: number;
}

export interface LoggedRequest {
  readonly method: string;
  /** Path and query exactly as received, e.g. `/ari/channels?endpoint=Local%2F700%40ari-test&…`. */
  readonly target: string;
  readonly status: number;
  readonly body: string;
  readonly requestBody: string;
}

interface PeerApp {
  readonly name: string;
  readonly sockets: Set<WebSocket>;
  readonly subscribed: Set<string>;
}

class HttpReply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
  ) {}
}

const notFound = (what: string): HttpReply => new HttpReply(404, { message: `${what} not found` });

export class AriPeer {
  readonly #server: http.Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #username: string;
  readonly #password: string;
  readonly #secondMs: number;
  readonly #infoBody: string;
  readonly channels = new Map<string, PeerChannel>();
  readonly bridges = new Map<string, PeerBridge>();
  readonly apps = new Map<string, PeerApp>();
  readonly #destinations = new Map<string, DestinationBehaviour>();
  readonly #overrides: Array<{ method: string; path: RegExp; status: number; body?: unknown }> = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Originated channels ringing at a `manual` destination, by the `;1` id: how to answer them. */
  readonly #ringing = new Map<string, () => void>();
  readonly requests: LoggedRequest[] = [];
  #port = 0;
  #idBase = Math.floor(Date.now() / 1000);
  #idCounter = 1;
  #localCounter = 1;
  #snoopCounter = 0;
  #outbox: Array<{ app: string; text: string }> = [];
  #flushScheduled = false;
  /** WebSocket upgrades accepted so far. */
  wsConnections = 0;
  /** Media played on channels (POST /channels/{id}/play), in order. */
  readonly playbacks: { channelId: string; media: string[] }[] = [];
  /** How long a playback lasts before PlaybackFinished. */
  playbackMs = 20;

  constructor(options: AriPeerOptions = {}) {
    this.#username = options.username ?? 'probe';
    this.#password = options.password ?? 'probe-secret';
    this.#secondMs = options.secondMs ?? 1000;
    this.#infoBody = recordedRestCalls('ari-rest.txt').find((c) => c.target.startsWith('/ari/asterisk/info'))?.body ?? '{}';
    this.#server = http.createServer((req, res) => this.#onRequest(req, res));
    this.#server.on('upgrade', (req, socket, head) => this.#onUpgrade(req, socket, head));
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async start(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const address = this.#server.address();
    if (address && typeof address === 'object') this.#port = address.port;
    return this.#port;
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await this.goDown();
    this.#wss.close();
  }

  /** Asterisk down: WebSockets cut, HTTP listener closed (connects are refused). The model stays. */
  async goDown(): Promise<void> {
    this.dropWebSockets();
    if (this.#server.listening) {
      const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
      this.#server.closeAllConnections();
      await closed;
    }
  }

  async goUp(): Promise<void> {
    if (!this.#server.listening) await this.start(this.#port);
  }

  /** Cuts every event WebSocket (network blip); Asterisk keeps the channels in Stasis. */
  dropWebSockets(): void {
    for (const app of this.apps.values()) for (const ws of app.sockets) ws.terminate();
  }

  /** How a Local destination (`exten@context`) behaves when originated. Default: answers at once. */
  setDestination(destination: string, behaviour: DestinationBehaviour): void {
    this.#destinations.set(destination, behaviour);
  }

  /** Forces a reply for matching requests (wazo mock_ari style). */
  setReply(method: string, path: RegExp, status: number, body?: unknown): void {
    this.#overrides.push({ method, path, status, body });
  }

  /** Sends an event object to the app's WebSockets. */
  pushEvent(app: string, event: Record<string, unknown>): void {
    this.#queue(app, JSON.stringify(event));
  }

  /** Sends raw text (e.g. garbage) to the app's WebSockets. */
  pushRaw(app: string, text: string): void {
    this.#queue(app, text);
  }

  /** Replays a captured .jsonl verbatim (each line exactly as Asterisk sent it) to `app`'s sockets. */
  replayJsonl(file: string, app: string): number {
    const lines = jsonlLines(file);
    for (const line of lines) this.#queue(app, line);
    return lines.length;
  }

  /** A call arriving from the dialplan into Stasis(app,args…) (like `Local/710@ari2` of the captures). Returns the Stasis channel. */
  enterStasis(
    app: string,
    args: readonly string[],
    opts: { exten?: string; context?: string; callerName?: string; callerNumber?: string; channelId?: string; channelName?: string } = {},
  ): PeerChannel {
    const exten = opts.exten ?? '710';
    const context = opts.context ?? 'ari2';
    const caller = { name: opts.callerName ?? 'Caller One', number: opts.callerNumber ?? '5550100' };
    // channelId / channelName: the channel an AGI session hands over keeps its uniqueid and name
    // (agi-to-stasis.txt: agi_uniqueid 1795294846.9 is the id ARI then uses).
    const [one, two] = this.#localPair(`${exten}@${context}`, caller, undefined, opts.channelId);
    if (opts.channelName) two.name = opts.channelName;
    one.state = 'Up';
    two.state = 'Ring';
    two.dialplan = { context, exten, priority: 2, app_name: 'Stasis', app_data: [app, ...args].join(',') };
    two.stasisApp = app;
    this.#queueEvent(app, ariEvent.stasisStart(app, [...args], two));
    return two;
  }

  /** DTMF from the caller on a channel (ChannelDtmfReceived, duration 100 ms as captured). */
  dtmf(channelId: string, digit: string): void {
    const ch = this.channels.get(channelId);
    if (ch) for (const app of this.#appsOf(ch)) this.#queueEvent(app, ariEvent.dtmf(app, ch, digit, 100));
  }

  /** The phone of a `manual` destination answers (the originated `;1` channel id). False if it is not ringing. */
  answerOriginated(channelId: string): boolean {
    const answer = this.#ringing.get(channelId);
    this.#ringing.delete(channelId);
    // Hung up while ringing (DELETE by the app): nothing left to answer.
    if (!answer || !this.channels.has(channelId)) return false;
    answer();
    this.#scheduleFlush();
    return true;
  }

  /** The far end hangs up (caller phone): the Stasis half gets a hard hangup request cause 16. */
  farEndHangup(channelId: string): void {
    const ch = this.channels.get(channelId);
    if (ch) this.#endChannel(ch, 16, false, 16);
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  #authorised(req: http.IncomingMessage, url: URL): boolean {
    const header = req.headers.authorization ?? '';
    const expected = `Basic ${Buffer.from(`${this.#username}:${this.#password}`).toString('base64')}`;
    return header === expected || url.searchParams.get('api_key') === `${this.#username}:${this.#password}`;
  }

  #onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const requestBody = Buffer.concat(chunks).toString('utf8');
      const target = req.url ?? '/';
      const method = req.method ?? 'GET';
      const url = new URL(target, 'http://peer');
      let reply: HttpReply;
      if (!this.#authorised(req, url)) {
        // Not captured; Asterisk's res_ari answers 401 with this body.
        reply = new HttpReply(401, { error: 'Authentication required' });
      } else {
        const override = this.#overrides.find((o) => o.method === method && o.path.test(url.pathname));
        reply = override ? new HttpReply(override.status, override.body) : this.#route(method, url, requestBody);
      }
      const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
      this.requests.push({ method, target, status: reply.status, body, requestBody });
      res.writeHead(reply.status, body === '' ? {} : { 'Content-Type': 'application/json' });
      res.end(body);
      this.#scheduleFlush();
    });
  }

  #route(method: string, url: URL, requestBody: string): HttpReply {
    const parts = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
    if (parts[0] !== 'ari') return notFound('Resource');
    const [, resource, id, sub] = parts;
    const q = url.searchParams;
    if (resource === 'asterisk' && id === 'info' && method === 'GET') return new HttpReply(200, JSON.parse(this.#infoBody));
    if (resource === 'deviceStates' && !id && method === 'GET') return new HttpReply(200, []);
    if (resource === 'applications' && id) return this.#applications(method, id, sub, q);
    if (resource === 'channels') return this.#channelsRoute(method, id, sub, q, requestBody);
    if (resource === 'bridges') return this.#bridgesRoute(method, id, sub, q);
    return notFound('Resource');
  }

  #applications(method: string, name: string, sub: string | undefined, q: URLSearchParams): HttpReply {
    const app = this.apps.get(name);
    if (!app) return notFound('Application');
    if (sub === 'subscription' && method === 'POST') {
      for (const source of (q.get('eventSource') ?? '').split(',')) {
        const [kind, id] = source.split(':');
        if (kind === 'channel' && id && this.channels.has(id)) {
          app.subscribed.add(id);
          this.channels.get(id)?.trackedBy.add(name);
        }
      }
    }
    return new HttpReply(200, this.#applicationBody(name));
  }

  #applicationBody(name: string): Record<string, unknown> {
    const app = this.apps.get(name);
    const channelIds = [...this.channels.values()].filter((c) => c.stasisApp === name || c.trackedBy.has(name) || app?.subscribed.has(c.id)).map((c) => c.id);
    const bridgeIds = [...this.bridges.values()].filter((b) => b.app === name).map((b) => b.id);
    return applicationJson(name, channelIds, bridgeIds);
  }

  #channelsRoute(method: string, id: string | undefined, sub: string | undefined, q: URLSearchParams, requestBody: string): HttpReply {
    if (!id) {
      if (method === 'GET') return new HttpReply(200, [...this.channels.values()].map(channelJson));
      if (method === 'POST') return this.#originate(q, requestBody);
      return notFound('Resource');
    }
    const ch = this.channels.get(id);
    if (!ch) return notFound('Channel');
    const apps = this.#appsOf(ch);
    switch (`${method} ${sub ?? ''}`) {
      case 'GET ':
        return new HttpReply(200, channelJson(ch));
      case 'DELETE ': {
        const code = q.get('reason_code');
        this.#endChannel(ch, 32, true, code === null ? 16 : Number(code));
        return new HttpReply(204);
      }
      case 'POST answer':
        if (ch.state !== 'Up') {
          ch.state = 'Up';
          for (const app of apps) this.#queueEvent(app, ariEvent.stateChange(app, ch));
        }
        return new HttpReply(204);
      case 'POST continue':
        if (ch.stasisApp) {
          const app = ch.stasisApp;
          ch.stasisApp = undefined;
          this.#queueEvent(app, ariEvent.stasisEnd(app, ch));
        }
        return new HttpReply(204);
      case 'GET variable': {
        const variable = q.get('variable') ?? '';
        return new HttpReply(200, { value: variable === 'CHANNEL(name)' ? ch.name : (ch.vars.get(variable) ?? '') });
      }
      case 'POST variable': {
        const variable = q.get('variable') ?? '';
        const value = q.get('value') ?? '';
        ch.vars.set(variable, value);
        for (const app of apps) this.#queueEvent(app, ariEvent.varset(app, ch, variable, value));
        return new HttpReply(204);
      }
      case 'POST moh':
      case 'DELETE moh':
      case 'POST ring':
      case 'DELETE ring':
        return new HttpReply(204); // captured: MOH produces no ARI events
      case 'POST play': {
        // Not captured; shape of ARI's Playback model, 201 Created, then PlaybackStarted and
        // PlaybackFinished (ARI's documented events) after `playbackMs`.
        const playback = {
          id: q.get('playbackId') ?? randomUUID(),
          media_uri: (q.get('media') ?? '').split(',')[0] ?? '',
          target_uri: `channel:${ch.id}`,
          language: q.get('lang') ?? 'en',
          state: 'queued',
        };
        this.playbacks.push({ channelId: ch.id, media: (q.get('media') ?? '').split(',') });
        for (const app of apps) this.#queueEvent(app, { type: 'PlaybackStarted', timestamp: new Date().toISOString(), application: app, playback: { ...playback, state: 'playing' } });
        this.#later(this.playbackMs, () => {
          for (const app of this.#appsOf(ch)) this.#queueEvent(app, { type: 'PlaybackFinished', timestamp: new Date().toISOString(), application: app, playback: { ...playback, state: 'done' } });
        });
        return new HttpReply(201, playback);
      }
      case 'POST snoop':
        return this.#snoop(ch, q);
      default:
        return notFound('Resource');
    }
  }

  #originate(q: URLSearchParams, requestBody: string): HttpReply {
    const endpoint = q.get('endpoint') ?? '';
    const app = q.get('app') ?? undefined;
    const extension = q.get('extension') ?? undefined;
    if (!app && !extension) return new HttpReply(400, { message: 'Application or extension must be specified' });
    const local = /^Local\/([^@]+)@(.+)$/.exec(endpoint);
    if (!local) return new HttpReply(500, { error: 'Allocation failed' });
    const destination = `${local[1] ?? ''}@${local[2] ?? ''}`;
    const caller = parseCallerId(q.get('callerId') ?? '');
    const [one, two] = this.#localPair(destination, caller, q.get('channelId') ?? undefined, q.get('otherChannelId') ?? undefined);
    let variables: Record<string, unknown> = {};
    if (requestBody) {
      try {
        const parsed: unknown = JSON.parse(requestBody);
        if (parsed && typeof parsed === 'object' && 'variables' in parsed) variables = (parsed as { variables: Record<string, unknown> }).variables;
      } catch {
        return new HttpReply(400, { message: 'Invalid JSON body' });
      }
    }
    for (const [k, v] of Object.entries(variables)) one.vars.set(k, String(v));
    const reply = new HttpReply(200, channelJson(one));
    const behaviour = this.#destinations.get(destination) ?? 'answer';
    const timeoutSec = Number(q.get('timeout') ?? '30');

    if (app) {
      one.trackedBy.add(app);
      this.#ensureApp(app);
      const appArgs = q.get('appArgs');
      const args = appArgs === null || appArgs === '' ? [] : appArgs.split(',');
      this.#later(0, () => this.#dialOut(app, one, two, destination, behaviour, args, timeoutSec));
    } else if (typeof behaviour === 'object') {
      // Dialplan originate whose destination runs Stasis(app,args) on the `;2` half (the caller case).
      const { app: stasisApp, args } = behaviour.stasis;
      this.#later(0, () => {
        one.state = 'Up';
        one.dialplan = { context: q.get('context') ?? 'default', exten: extension ?? 's', priority: Number(q.get('priority') ?? 1), app_name: '', app_data: '' };
        two.state = 'Ring';
        two.dialplan = { context: local[2] ?? '', exten: local[1] ?? '', priority: 2, app_name: 'Stasis', app_data: [stasisApp, ...args].join(',') };
        two.stasisApp = stasisApp;
        this.#queueEvent(stasisApp, ariEvent.stasisStart(stasisApp, [...args], two));
      });
    }
    return reply;
  }

  #dialOut(app: string, one: PeerChannel, two: PeerChannel, dialstring: string, behaviour: DestinationBehaviour, args: string[], timeoutSec: number): void {
    if (!this.channels.has(one.id)) return;
    if (behaviour === 'missing') {
      // Captured: ChannelDestroyed cause 0 for both halves at once.
      this.#destroy(two, 0, 'Unknown');
      this.#destroy(one, 0, 'Unknown');
      return;
    }
    this.#queueEvent(app, ariEvent.dial(app, one, '', dialstring));
    one.state = 'Ringing';
    this.#queueEvent(app, ariEvent.stateChange(app, one));
    this.#queueEvent(app, ariEvent.dial(app, one, 'RINGING', dialstring));
    if (behaviour === 'ring' || behaviour === 'manual') {
      this.#later(timeoutSec * this.#secondMs, () => {
        this.#ringing.delete(one.id);
        if (!this.channels.has(one.id) || one.state === 'Up') return;
        this.#queueEvent(app, ariEvent.hangupRequest(app, two, 19, false));
        this.#destroy(one, 19, 'User alerting, no answer');
        this.#destroy(two, 19, 'User alerting, no answer');
      });
      if (behaviour === 'manual') this.#ringing.set(one.id, () => this.#answerOut(app, one, two, dialstring, args));
      return;
    }
    this.#answerOut(app, one, two, dialstring, args);
  }

  #answerOut(app: string, one: PeerChannel, two: PeerChannel, dialstring: string, args: string[]): void {
    if (!this.channels.has(one.id)) return;
    one.state = 'Up';
    two.state = 'Up';
    this.#queueEvent(app, ariEvent.stateChange(app, one));
    this.#queueEvent(app, ariEvent.dial(app, one, 'ANSWER', dialstring));
    this.#queueEvent(app, ariEvent.varset(app, one, 'STASISSTATUS', ''));
    one.stasisApp = app;
    one.dialplan = { ...one.dialplan, app_name: 'Stasis', app_data: [app, ...args].join(',') };
    this.#queueEvent(app, ariEvent.stasisStart(app, args, one));
  }

  #snoop(target: PeerChannel, q: URLSearchParams): HttpReply {
    const app = q.get('app') ?? '';
    if (!app) return new HttpReply(400, { message: 'Application must be specified' });
    const appArgs = q.get('appArgs');
    const args = appArgs === null || appArgs === '' ? [] : [appArgs];
    const snoop = this.#newChannel(`Snoop/${target.id}-${hex8(this.#snoopCounter++)}`, { name: '', number: '' });
    snoop.state = 'Up';
    snoop.dialplan = { context: 'default', exten: 's', priority: 1, app_name: 'Stasis', app_data: [app, ...args].join(',') };
    snoop.stasisApp = app;
    snoop.snoopOf = target.id;
    this.#ensureApp(app);
    this.#queueEvent(app, ariEvent.stasisStart(app, args, snoop));
    return new HttpReply(200, channelJson(snoop));
  }

  #bridgesRoute(method: string, id: string | undefined, sub: string | undefined, q: URLSearchParams): HttpReply {
    if (!id) {
      if (method === 'GET') return new HttpReply(200, [...this.bridges.values()].map(bridgeJson));
      if (method === 'POST') {
        const app = this.#appForBridgeCreate();
        const bridge: PeerBridge = {
          id: q.get('bridgeId') ?? randomUUID(),
          bridge_type: q.get('type') ?? 'mixing',
          name: q.get('name') ?? '',
          channels: [],
          creationtime: asteriskTime(),
          app,
          technology: 'simple_bridge',
        };
        this.bridges.set(bridge.id, bridge);
        return new HttpReply(200, bridgeJson(bridge));
      }
      return notFound('Resource');
    }
    const bridge = this.bridges.get(id);
    if (!bridge) return notFound('Bridge');
    switch (`${method} ${sub ?? ''}`) {
      case 'GET ':
        return new HttpReply(200, bridgeJson(bridge));
      case 'DELETE ':
        for (const chId of [...bridge.channels]) {
          const ch = this.channels.get(chId);
          if (ch) this.#leaveBridge(ch);
        }
        this.bridges.delete(bridge.id);
        this.#queueEvent(bridge.app, ariEvent.bridgeDestroyed(bridge.app, bridge));
        return new HttpReply(204);
      case 'POST addChannel': {
        const ids = (q.get('channel') ?? '').split(',').filter((x) => x !== '');
        const chans = ids.map((x) => this.channels.get(x));
        // Not captured: Asterisk's text for a channel that does not exist.
        if (ids.length === 0 || chans.some((c) => c === undefined)) return new HttpReply(400, { message: 'Channel not found' });
        for (const ch of chans) {
          if (!ch) continue;
          if (ch.bridgeId && ch.bridgeId !== bridge.id) this.#leaveBridge(ch);
          if (!bridge.channels.includes(ch.id)) bridge.channels.push(ch.id);
          ch.bridgeId = bridge.id;
          for (const app of this.#appsOf(ch)) this.#queueEvent(app, ariEvent.enteredBridge(app, bridge, ch));
          bridge.technology = technologyFor(bridge);
        }
        return new HttpReply(204);
      }
      case 'POST removeChannel': {
        for (const x of (q.get('channel') ?? '').split(',')) {
          const ch = this.channels.get(x);
          if (ch && ch.bridgeId === bridge.id) this.#leaveBridge(ch);
        }
        return new HttpReply(204);
      }
      case 'POST moh':
      case 'DELETE moh':
        return new HttpReply(204);
      default:
        return notFound('Resource');
    }
  }

  // ---- model -----------------------------------------------------------------------------------

  #newChannel(name: string, caller: { name: string; number: string }, id?: string): PeerChannel {
    const ch: PeerChannel = {
      id: id ?? `${this.#idBase}.${this.#idCounter++}`,
      name,
      state: 'Down',
      caller: { ...caller },
      connected: { ...caller },
      dialplan: { context: 'default', exten: 's', priority: 1, app_name: '', app_data: '' },
      creationtime: asteriskTime(),
      trackedBy: new Set(),
      vars: new Map(),
    };
    this.channels.set(ch.id, ch);
    return ch;
  }

  /** A Local channel pair `Local/<dest>-0000000N;1` / `;2`; `;1` as ARI's originate returns it. */
  #localPair(destination: string, caller: { name: string; number: string }, oneId?: string, twoId?: string): [PeerChannel, PeerChannel] {
    const n = hex8(this.#localCounter++);
    const [exten, context] = destination.split('@');
    const one = this.#newChannel(`Local/${destination}-${n};1`, caller, oneId);
    one.dialplan = { context: context ?? '', exten: exten ?? '', priority: 1, app_name: 'AppDial2', app_data: '(Outgoing Line)' };
    const two = this.#newChannel(`Local/${destination}-${n};2`, caller, twoId);
    two.dialplan = { context: context ?? '', exten: exten ?? '', priority: 1, app_name: '', app_data: '' };
    one.otherHalf = two.id;
    two.otherHalf = one.id;
    return [one, two];
  }

  #appsOf(ch: PeerChannel): Set<string> {
    const apps = new Set(ch.trackedBy);
    if (ch.stasisApp) apps.add(ch.stasisApp);
    return apps;
  }

  #leaveBridge(ch: PeerChannel): void {
    const bridge = ch.bridgeId ? this.bridges.get(ch.bridgeId) : undefined;
    ch.bridgeId = undefined;
    if (!bridge) return;
    bridge.channels = bridge.channels.filter((x) => x !== ch.id);
    for (const app of this.#appsOf(ch)) this.#queueEvent(app, ariEvent.leftBridge(app, bridge, ch));
    bridge.technology = technologyFor(bridge);
  }

  /**
   * Hangs a channel up the way the captures show: hangup request, bridge leave, StasisEnd,
   * ChannelDestroyed for tracked channels; then the other Local half and the snoops on it.
   */
  #endChannel(ch: PeerChannel, requestCause: number, soft: boolean, destroyCause: number): void {
    if (!this.channels.has(ch.id)) return;
    const apps = this.#appsOf(ch);
    for (const app of apps) this.#queueEvent(app, ariEvent.hangupRequest(app, ch, requestCause, soft));
    this.#leaveBridge(ch);
    if (ch.stasisApp) this.#queueEvent(ch.stasisApp, ariEvent.stasisEnd(ch.stasisApp, ch));
    ch.stasisApp = undefined;
    this.#destroy(ch, destroyCause, destroyCause === 16 ? 'Normal Clearing' : 'Unknown');
    const other = ch.otherHalf ? this.channels.get(ch.otherHalf) : undefined;
    if (other) this.#endChannel(other, 16, false, 16);
    for (const snoop of [...this.channels.values()].filter((c) => c.snoopOf === ch.id)) {
      // Captured: the snoop ends by itself (ChannelLeftBridge + StasisEnd, no hangup request).
      this.#leaveBridge(snoop);
      if (snoop.stasisApp) this.#queueEvent(snoop.stasisApp, ariEvent.stasisEnd(snoop.stasisApp, snoop));
      snoop.stasisApp = undefined;
      this.#destroy(snoop, 16, 'Normal Clearing');
    }
  }

  #destroy(ch: PeerChannel, cause: number, causeTxt: string): void {
    if (!this.channels.delete(ch.id)) return;
    const final = { ...ch, dialplan: { ...ch.dialplan, app_name: '', app_data: '' }, trackedBy: ch.trackedBy, vars: ch.vars };
    for (const app of ch.trackedBy) this.#queueEvent(app, ariEvent.destroyed(app, final, cause, causeTxt));
    for (const app of this.apps.values()) app.subscribed.delete(ch.id);
    this.#maybeForgetApps();
  }

  #ensureApp(name: string): PeerApp {
    let app = this.apps.get(name);
    if (!app) {
      app = { name, sockets: new Set(), subscribed: new Set() };
      this.apps.set(name, app);
    }
    return app;
  }

  /** Bridges belong to the app of the caller; with one app connected (the tests' case) that is it. */
  #appForBridgeCreate(): string {
    const connected = [...this.apps.values()].find((a) => a.sockets.size > 0);
    return connected?.name ?? [...this.apps.keys()][0] ?? '';
  }

  /** Asterisk destroys an app whose WebSocket is gone once nothing of it remains (ari-handoff: "at once"). */
  #maybeForgetApps(): void {
    for (const app of [...this.apps.values()]) {
      if (app.sockets.size > 0) continue;
      const body = this.#applicationBody(app.name) as { channel_ids: string[]; bridge_ids: string[] };
      if (body.channel_ids.length === 0 && body.bridge_ids.length === 0) this.apps.delete(app.name);
    }
  }

  // ---- WebSocket ---------------------------------------------------------------------------------

  #onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://peer');
    const reject = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    };
    if (url.pathname !== '/ari/events') return reject(404, 'Not Found');
    if (!this.#authorised(req, url)) return reject(401, 'Unauthorized');
    const name = url.searchParams.get('app');
    if (!name) return reject(400, 'Bad Request');
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.wsConnections += 1;
      const app = this.#ensureApp(name);
      app.sockets.add(ws);
      ws.on('error', () => undefined);
      ws.on('close', () => {
        app.sockets.delete(ws);
        this.#maybeForgetApps();
      });
    });
  }

  #queueEvent(app: string, event: Record<string, unknown>): void {
    this.#queue(app, JSON.stringify(event));
  }

  /** Events go out after the HTTP reply that caused them, in order (as with Asterisk on loopback). */
  #queue(app: string, text: string): void {
    this.#outbox.push({ app, text });
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      const out = this.#outbox;
      this.#outbox = [];
      for (const { app, text } of out) {
        for (const ws of this.apps.get(app)?.sockets ?? []) if (ws.readyState === WebSocket.OPEN) ws.send(text);
      }
    });
  }

  #later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
      this.#scheduleFlush();
    }, ms);
    this.#timers.add(t);
  }
}

function technologyFor(bridge: PeerBridge): string {
  return bridge.channels.length > 2 ? 'softmix' : 'simple_bridge';
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** `"Caller One" <5550100>` → name and number (ARI fills caller and connected with it). */
function parseCallerId(text: string): { name: string; number: string } {
  const m = /^\s*"?([^"<]*)"?\s*<([^>]*)>\s*$/.exec(text);
  if (m) return { name: (m[1] ?? '').trim(), number: m[2] ?? '' };
  return { name: '', number: text.trim() };
}
