/**
 * A test peer that plays Asterisk's AMI (TCP), built from ami-session.txt and ami-actions.txt.
 *
 * - Greets with the recorded banner, then handles Login like Asterisk 22.10.1 did: good secret ->
 *   `Authentication accepted` (+ FullyBooted/SuccessfulAuth when `Events: on`), wrong secret ->
 *   `Authentication failed` and the TCP connection is closed.
 * - A user without write permission (the recorded `readonly`) gets `Permission denied` for every
 *   action but Ping and Logoff.
 * - Any action whose headers (ActionID aside) equal a recorded one is answered with the recorded
 *   replies byte for byte, only the ActionID replaced; identical actions recorded several times
 *   are answered in recorded order (the last recording repeats).
 * - Unrecorded actions get rule-based answers in the recorded shapes (Ping/Pong, unknown action
 *   text, `No such channel`, empty lists, global Setvar/Getvar).
 * - Control methods push scripted events, drop connections, refuse connections, go silent.
 */
import net from 'node:net';
import type { RecordedExchange } from './asterisk-ami-transcript.ts';
import {
  actionSignature,
  lineValue,
  loadAmiTranscript,
  recordedExchanges,
  toWire,
  unsolicitedEvents,
  withActionId,
} from './asterisk-ami-transcript.ts';

export interface AmiPeerUser {
  readonly secret: string;
  /** false = the recorded `readonly` user (read = all, empty write =). */
  readonly write: boolean;
}

export interface AmiPeerOptions {
  /** Transcripts whose exchanges are replayed. Default both AMI files. */
  readonly scripts?: readonly string[];
  readonly users?: Readonly<Record<string, AmiPeerUser>>;
}

export interface AmiPeerConnection {
  readonly socket: net.Socket;
  user?: string;
  events: boolean;
  /** Every action received, as header lists, in order. */
  readonly actions: Array<Array<[string, string]>>;
  /** Raw bytes received (to compare with the recorded client bytes). */
  raw: string;
}

const DEFAULT_USERS: Record<string, AmiPeerUser> = {
  probe: { secret: 'probe-secret', write: true },
  readonly: { secret: 'readonly-secret', write: false },
};

const ALWAYS_ALLOWED = new Set(['ping', 'logoff']);
const CHANNEL_ACTIONS = new Set(['hangup', 'getvar', 'setvar', 'status', 'redirect']);

export class AmiPeer {
  readonly #server: net.Server;
  readonly #users: Readonly<Record<string, AmiPeerUser>>;
  readonly #banner: string;
  readonly #loginEvents: ReadonlyArray<readonly string[]>;
  readonly #replays = new Map<string, { exchanges: RecordedExchange[]; next: number }>();
  readonly #globals = new Map<string, string>();
  readonly connections: AmiPeerConnection[] = [];
  #port = 0;
  #silent = false;
  /** Number of TCP connections accepted so far. */
  accepted = 0;
  /** Successful logins so far. */
  logins = 0;

  constructor(options: AmiPeerOptions = {}) {
    this.#users = options.users ?? DEFAULT_USERS;
    const session = loadAmiTranscript('ami-session.txt');
    const banner = session.find((e) => e.kind === 'banner');
    this.#banner = banner && banner.kind === 'banner' ? banner.line : 'Asterisk Call Manager/11.0.0';
    // The two events Asterisk sent right after the Events: on login (ami-session.txt).
    const afterLogin = recordedExchanges('ami-session.txt')[0];
    this.#loginEvents = afterLogin ? afterLogin.replies.filter((r) => lineValue(r, 'Event') !== undefined) : [];
    for (const file of options.scripts ?? ['ami-session.txt', 'ami-actions.txt']) {
      for (const exchange of recordedExchanges(file)) {
        const action = (lineValue(exchange.action, 'Action') ?? '').toLowerCase();
        if (action === 'login' || action === 'logoff') continue; // handled by rules
        const first = exchange.replies[0];
        if (!first || lineValue(first, 'Message') === 'Permission denied') continue; // rule-based
        const sig = actionSignature(exchange.action.map(splitHeader));
        const slot = this.#replays.get(sig) ?? { exchanges: [], next: 0 };
        slot.exchanges.push(exchange);
        this.#replays.set(sig, slot);
      }
    }
    this.#server = net.createServer((socket) => this.#onConnection(socket));
  }

  get port(): number {
    return this.#port;
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

  /** Closes the listener and every connection. */
  async stop(): Promise<void> {
    this.dropConnections();
    if (this.#server.listening) await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Stops listening (new connects get ECONNREFUSED) and drops existing connections. */
  async refuseConnections(): Promise<void> {
    await this.stop();
  }

  /** Listens again on the same port. */
  async acceptConnections(): Promise<void> {
    if (!this.#server.listening) await this.start(this.#port);
  }

  /** Destroys every open connection (Asterisk restart / network cut). */
  dropConnections(): void {
    for (const c of this.connections) c.socket.destroy();
  }

  /** While silent, actions are read but never answered (a hung Asterisk). */
  setSilent(silent: boolean): void {
    this.#silent = silent;
  }

  /** Sends events (recorded line arrays) to every logged-in connection that asked for events. */
  pushEvents(events: ReadonlyArray<readonly string[]>): void {
    const wire = events.map(toWire).join('');
    for (const c of this.connections) if (c.user !== undefined && c.events && !c.socket.destroyed) c.socket.write(wire);
  }

  /** The unsolicited events of a recorded session, in order (default ami-session.txt). */
  static recordedEvents(file = 'ami-session.txt'): Array<readonly string[]> {
    return unsolicitedEvents(file);
  }

  /** Every action received on all connections, newest last. */
  allActions(): Array<Array<[string, string]>> {
    return this.connections.flatMap((c) => c.actions);
  }

  #onConnection(socket: net.Socket): void {
    this.accepted += 1;
    const conn: AmiPeerConnection = { socket, events: false, actions: [], raw: '' };
    this.connections.push(conn);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const i = this.connections.indexOf(conn);
      if (i >= 0) this.connections.splice(i, 1);
    });
    socket.write(`${this.#banner}\r\n`);
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      conn.raw += text;
      buffer += text;
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) break;
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 4);
        const headers = block.split('\r\n').filter((l) => l !== '').map(splitHeader);
        conn.actions.push(headers);
        this.#onAction(conn, headers);
      }
    });
  }

  #onAction(conn: AmiPeerConnection, headers: Array<[string, string]>): void {
    if (this.#silent || conn.socket.destroyed) return;
    const get = (name: string): string | undefined => headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    const action = (get('Action') ?? '').toLowerCase();
    const actionId = get('ActionID');
    const idLine = actionId === undefined ? [] : [`ActionID: ${actionId}`];
    const send = (...messages: ReadonlyArray<readonly string[]>): void => {
      conn.socket.write(messages.map(toWire).join(''));
    };

    if (action === 'login') {
      const user = this.#users[get('Username') ?? ''];
      if (!user || user.secret !== get('Secret')) {
        // ami-actions.txt, third connection: Error, then Asterisk closes the TCP connection.
        send(['Response: Error', ...idLine, 'Message: Authentication failed']);
        conn.socket.end();
        return;
      }
      conn.user = get('Username');
      conn.events = (get('Events') ?? 'on').toLowerCase() !== 'off';
      this.logins += 1;
      send(['Response: Success', ...idLine, 'Message: Authentication accepted']);
      if (conn.events) send(...this.#loginEvents);
      return;
    }
    if (conn.user === undefined) {
      // Asterisk answers unauthenticated actions this way (not in the captures; see README gaps).
      send(['Response: Error', ...idLine, 'Message: Authentication Required']);
      return;
    }
    if (action === 'logoff') {
      send(['Response: Goodbye', ...idLine, 'Message: Thanks for all the fish.']);
      conn.socket.end();
      return;
    }
    const user = this.#users[conn.user];
    if (user && !user.write && !ALWAYS_ALLOWED.has(action)) {
      send(['Response: Error', ...idLine, 'Message: Permission denied']);
      return;
    }
    const replay = this.#replays.get(actionSignature(headers));
    if (replay) {
      const exchange = replay.exchanges[Math.min(replay.next, replay.exchanges.length - 1)];
      replay.next += 1;
      if (exchange) {
        const recordedId = lineValue(exchange.action, 'ActionID');
        send(...exchange.replies.map((r) => withActionId(r, recordedId, actionId ?? '')));
        return;
      }
    }
    send(...this.#ruleReply(action, get, idLine));
  }

  /** Answers in the recorded shapes for actions that were not recorded with these exact headers. */
  #ruleReply(action: string, get: (name: string) => string | undefined, idLine: string[]): string[][] {
    const channel = get('Channel');
    switch (action) {
      case 'ping': {
        const now = Date.now() / 1000;
        return [['Response: Success', ...idLine, 'Ping: Pong', `Timestamp: ${now.toFixed(6)}`]];
      }
      case 'setvar':
        if (channel === undefined) {
          this.#globals.set(get('Variable') ?? '', get('Value') ?? '');
          return [['Response: Success', ...idLine, 'Message: Variable Set']];
        }
        break;
      case 'getvar':
        if (channel === undefined) {
          const variable = get('Variable') ?? '';
          return [['Response: Success', ...idLine, `Variable: ${variable}`, valueLine(this.#globals.get(variable) ?? '')]];
        }
        break;
      case 'originate':
        return [['Response: Success', ...idLine, 'Message: Originate successfully queued']];
      case 'coreshowchannels':
        return emptyList(idLine, 'Channels will follow', 'CoreShowChannelsComplete');
      case 'devicestatelist':
        return emptyList(idLine, 'Device State Changes will follow', 'DeviceStateListComplete');
      case 'queuestatus':
        return emptyList(idLine, 'Queue status will follow', 'QueueStatusComplete');
      default:
        break;
    }
    if (CHANNEL_ACTIONS.has(action) && channel !== undefined) {
      // No live channels in the peer: every named channel is unknown (texts from ami-actions.txt).
      const message = action === 'redirect' ? `Channel does not exist: ${channel}` : 'No such channel';
      return [['Response: Error', ...idLine, `Message: ${message}`]];
    }
    const name = get('Action') ?? '';
    return [['Response: Error', ...idLine, `Message: Invalid/unknown command: ${name}. Use Action: ListCommands to show available commands.`]];
  }
}

function splitHeader(line: string): [string, string] {
  const colon = line.indexOf(':');
  if (colon < 0) return [line, ''];
  return [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')];
}

function valueLine(value: string): string {
  return value === '' ? 'Value:' : `Value: ${value}`;
}

function emptyList(idLine: string[], message: string, completeEvent: string): string[][] {
  return [
    ['Response: Success', ...idLine, 'EventList: start', `Message: ${message}`],
    [`Event: ${completeEvent}`, ...idLine, 'EventList: Complete', 'ListItems: 0'],
  ];
}
