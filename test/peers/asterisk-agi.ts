// A test peer that PLAYS ASTERISK on the FastAGI side: it connects to our server like
// AGI(agi://host:port/script,args) does, sends the agi_* environment in the exact byte format of
// test/fixtures/asterisk/agi-session.txt, answers each command with Asterisk's reply bytes
// (asterisk-agi-model.ts), and records every byte our server sends.
//
// Behaviours reproduced from the fixtures:
// - agi-session.txt: when the server closes its side, Asterisk writes "HANGUP" and closes.
// - agi-hangup.txt: a hang-up during a blocking command gives its -1 form then "HANGUP"; later
//   commands answer 200 if they run on dead channels, else 511; the socket stays open until the
//   server closes it, then a second "HANGUP".
// - agi-hangup-exitonhangup.txt (exitOnHangup): "200 result=-1", "HANGUP", "HANGUP", then close.
// - agi-commands.txt: Asterisk's buffered reader does not notice a second command line that arrived
//   in the same read; it is only processed when MORE data arrives. The peer models that exactly
//   (stdio buffer vs kernel buffer below) and records any pipelining as a violation.
import net from 'node:net';
import { AsteriskChannelModel, parseAgiArgs, type ModelOptions, type ModelReply } from './asterisk-agi-model.ts';

export interface PeerCommand {
  /** 1-based position of the command in the session. */
  readonly index: number;
  readonly line: string;
  readonly argv: readonly string[];
}

export type PeerAction =
  /** Answer with these lines (optionally later, optionally closing right after, as AGIEXITONHANGUP does). */
  | { readonly reply: readonly string[]; readonly delayMs?: number; readonly thenClose?: boolean }
  /** Write these exact bytes (garbage, truncated lines, a 1 MB line…). */
  | { readonly raw: string | Buffer; readonly thenClose?: boolean }
  /** Never answer (Asterisk gone silent mid-command); hangup() still completes it. */
  | { readonly silent: true }
  /** Close the socket instead of answering. */
  | { readonly close: true }
  /** The caller hangs up while this command runs. */
  | { readonly hangup: true };

export interface AgiPeerOptions {
  readonly port: number;
  readonly host?: string;
  /** agi_network_script, e.g. 'demo?x=1'; '' omits the line as Asterisk does for agi://host. */
  readonly script?: string;
  /** AGI() arguments after the URL: agi_arg_1 … */
  readonly args?: readonly string[];
  /** Overrides of environment values by full name (agi_callerid …). */
  readonly env?: Readonly<Record<string, string>>;
  /** Exact bytes to send instead of the environment (fault tests); '' sends nothing. */
  readonly environment?: string | Buffer;
  readonly model?: Partial<ModelOptions>;
  /** AGISIGHUP (default true): write HANGUP when the channel hangs up / the script ends. */
  readonly agiSigHup?: boolean;
  /** AGIEXITONHANGUP (default false): close right after the hang-up. */
  readonly exitOnHangup?: boolean;
  /** The caller hangs up while the N-th command (1-based) runs. */
  readonly hangupAtCommand?: number;
  /** Scripted answers; return undefined to let the Asterisk model answer. */
  readonly respond?: (cmd: PeerCommand, peer: AsteriskAgiPeer) => PeerAction | undefined;
  /** Lines Asterisk writes when the server closes its side (default: HANGUP if agiSigHup). */
  readonly afterServerClose?: readonly string[];
  /** Keep a transcript (A>/S> lines) and the received bytes; off in benchmarks. */
  readonly record?: boolean;
}

export interface PeerEnd {
  /** Who closed first: the server (FIN/RST seen first) or this peer (Asterisk). */
  readonly closedBy: 'server' | 'asterisk';
}

const LF = 0x0a;
const EMPTY = Buffer.alloc(0);

/** The agi_* block in the exact format and order of agi-session.txt (res_agi.c setup_env). */
export function buildEnvironment(options: {
  script?: string;
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
  model?: AsteriskChannelModel;
  port?: number;
}): string {
  const m = (options.model ?? new AsteriskChannelModel()).options;
  const script = options.script ?? 'demo?x=1';
  const entries: [string, string][] = [['agi_network', 'yes']];
  if (script !== '') entries.push(['agi_network_script', script]);
  entries.push(
    ['agi_request', `agi://127.0.0.1:${options.port ?? 4573}${script === '' ? '' : `/${script}`}`],
    ['agi_channel', m.channel],
    ['agi_language', 'en'],
    ['agi_type', 'Local'],
    ['agi_uniqueid', m.uniqueId],
    ['agi_version', '22.10.1'],
    ['agi_callerid', m.callerIdNumber],
    ['agi_calleridname', m.callerIdName],
    ['agi_callingpres', '0'],
    ['agi_callingani2', '0'],
    ['agi_callington', '0'],
    ['agi_callingtns', '0'],
    ['agi_dnid', 'unknown'],
    ['agi_rdnis', 'unknown'],
    ['agi_context', m.context],
    ['agi_extension', m.extension],
    ['agi_priority', String(m.priority)],
    ['agi_enhanced', '0.0'],
    ['agi_accountcode', ''],
    ['agi_threadid', '139673487320768'],
  );
  (options.args ?? []).forEach((arg, i) => entries.push([`agi_arg_${i + 1}`, arg]));
  const overrides = options.env ?? {};
  const seen = new Set<string>();
  let text = '';
  for (const [name, value] of entries) {
    seen.add(name);
    text += `${name}: ${overrides[name] ?? value}\n`;
  }
  for (const [name, value] of Object.entries(overrides)) if (!seen.has(name)) text += `${name}: ${value}\n`;
  return `${text}\n`;
}

export class AsteriskAgiPeer {
  readonly model: AsteriskChannelModel;
  /** Command lines processed, in order (without LF). */
  readonly commands: string[] = [];
  /** "A> …" / "S> …" lines like the fixtures (when record is on). */
  readonly transcript: string[] = [];
  /** Protocol rules the server broke (pipelining). Must stay empty. */
  readonly violations: string[] = [];
  readonly done: Promise<PeerEnd>;

  private readonly socket: net.Socket;
  private readonly options: AgiPeerOptions;
  private readonly record: boolean;
  private readonly received: Buffer[] = [];
  /** Bytes the server sent that Asterisk has not read() yet (the kernel socket buffer). */
  private kernel: Buffer[] = [];
  /** Bytes read() into stdio's buffer but not consumed by fgets yet. */
  private file: Buffer = EMPTY;
  private eof = false;
  private busy: PeerCommand | undefined;
  private busyTimer: NodeJS.Timeout | undefined;
  private closedBy: 'server' | 'asterisk' | undefined;
  private ended = false;
  private resolveDone: ((end: PeerEnd) => void) | undefined;

  private constructor(options: AgiPeerOptions, socket: net.Socket) {
    this.options = options;
    this.record = options.record ?? true;
    this.model = new AsteriskChannelModel(options.model);
    this.socket = socket;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', () => {
      this.closedBy ??= 'server';
    });
    socket.on('close', () => {
      this.ended = true;
      if (this.busyTimer) clearTimeout(this.busyTimer);
      this.resolveDone?.({ closedBy: this.closedBy ?? 'server' });
    });
  }

  /** Connects and sends the environment. */
  static connect(options: AgiPeerOptions): Promise<AsteriskAgiPeer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port: options.port, host: options.host ?? '127.0.0.1' });
      const peer = new AsteriskAgiPeer(options, socket);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        const env = options.environment ?? buildEnvironment({ ...options, model: peer.model });
        if (env.length > 0) {
          if (peer.record && typeof env === 'string') for (const line of env.slice(0, -1).split('\n')) peer.transcript.push(`A> ${line}`);
          socket.write(env);
        }
        resolve(peer);
      });
    });
  }

  /** Every byte our server wrote, concatenated. */
  receivedBytes(): Buffer {
    return Buffer.concat(this.received);
  }

  /** The caller hangs up now: a running blocking command returns its -1 form, then HANGUP. */
  hangup(): void {
    if (this.model.dead || this.ended) return;
    const running = this.busy;
    if (running) {
      if (this.busyTimer) clearTimeout(this.busyTimer);
      this.busyTimer = undefined;
      this.finish(this.model.executeDuringHangup(running.line).lines);
    } else {
      this.model.dead = true;
    }
    this.afterHangup();
  }

  /** Completes the running command that a `respond` hook left silent (e.g. EXEC Stasis until ARI continues). */
  reply(lines: readonly string[]): void {
    if (!this.busy || this.ended) return;
    if (this.busyTimer) clearTimeout(this.busyTimer);
    this.busyTimer = undefined;
    this.finish(lines);
  }

  /** Writes bytes outside any command (unsolicited garbage). */
  writeRaw(data: string | Buffer): void {
    if (!this.ended && this.socket.writable) this.socket.write(data);
  }

  /** Asterisk closes the connection (FIN). */
  end(): void {
    this.closedBy ??= 'asterisk';
    this.socket.end();
  }

  /** The connection is torn down at once (RST-like, as when the Asterisk host dies). */
  destroy(): void {
    this.closedBy ??= 'asterisk';
    this.socket.destroy();
  }

  // -------------------------------------------------------------------------------------------

  private onData(chunk: Buffer): void {
    if (this.record) this.received.push(chunk);
    // A line while a command runs, or two lines at once, means the server did not wait for a reply.
    const lines = countLf(chunk);
    if ((this.busy !== undefined && lines > 0) || lines > 1) {
      this.violations.push(`pipelined: a command line arrived before the reply to the previous one (after command #${this.commands.length})`);
    }
    this.kernel.push(chunk);
    this.pump();
  }

  private onEnd(): void {
    this.closedBy ??= 'server';
    this.eof = true;
    this.pump();
  }

  /**
   * res_agi.c run_agi loop: poll() wakes only when the socket has unread data (or EOF); each wake
   * runs ONE fgets(). fgets first serves lines already in the stdio buffer; only when that holds no
   * complete line does it read() everything the kernel has. A second line that arrived in the same
   * read() therefore waits for the next wake-up.
   */
  private pump(): void {
    while (!this.busy && !this.ended) {
      if (this.kernel.length === 0 && !this.eof) return;
      let line = this.takeLine();
      if (line === undefined) {
        if (this.kernel.length > 0) {
          this.file = Buffer.concat([this.file, ...this.kernel]);
          this.kernel = [];
          line = this.takeLine();
        }
        if (line === undefined) {
          if (this.eof) this.onServerClosed();
          return;
        }
      }
      this.process(line);
    }
  }

  /** One fgets() from the stdio buffer: a complete line, or undefined. */
  private takeLine(): string | undefined {
    const lf = this.file.indexOf(LF);
    if (lf === -1) return undefined;
    const line = this.file.toString('utf8', 0, lf);
    this.file = this.file.subarray(lf + 1);
    return line;
  }

  private process(line: string): void {
    const cmd: PeerCommand = { index: this.commands.length + 1, line, argv: parseAgiArgs(line) };
    this.commands.push(line);
    if (this.record) this.transcript.push(`S> ${line}`);
    this.busy = cmd;
    let action = this.options.respond?.(cmd, this);
    if (!action && this.options.hangupAtCommand === cmd.index) action = { hangup: true };
    if (!action) {
      this.complete(this.model.execute(line));
      return;
    }
    if ('silent' in action) return;
    if ('close' in action) {
      this.busy = undefined;
      this.end();
      return;
    }
    if ('hangup' in action) {
      this.finish(this.model.executeDuringHangup(line).lines);
      this.afterHangup();
      return;
    }
    if ('raw' in action) {
      this.busy = undefined;
      this.writeRaw(action.raw);
      if (action.thenClose) this.end();
      return;
    }
    const reply = action.reply;
    const thenClose = action.thenClose === true;
    const send = (): void => {
      this.busyTimer = undefined;
      this.finish(reply);
      if (thenClose) this.end();
    };
    if (action.delayMs !== undefined && action.delayMs > 0) this.busyTimer = setTimeout(send, action.delayMs);
    else send();
  }

  private complete(reply: ModelReply): void {
    this.finish(reply.lines);
    if (reply.hangsUp) this.afterHangup();
  }

  /** Writes the reply of the running command and lets the loop read the next one. */
  private finish(lines: readonly string[]): void {
    this.busy = undefined;
    this.send(lines);
    queueMicrotask(() => this.pump());
  }

  private send(lines: readonly string[]): void {
    if (this.ended || !this.socket.writable || lines.length === 0) return;
    if (this.record) for (const line of lines) this.transcript.push(`A> ${line}`);
    this.socket.write(lines.length === 1 ? `${lines[0] as string}\n` : `${lines.join('\n')}\n`);
  }

  /** run_agi after a hang-up: HANGUP (AGISIGHUP), and with AGIEXITONHANGUP a second HANGUP and close. */
  private afterHangup(): void {
    this.model.dead = true;
    const sighup = this.options.agiSigHup ?? true;
    if (this.options.exitOnHangup) {
      this.send(sighup ? ['HANGUP', 'HANGUP'] : []);
      this.end();
      return;
    }
    if (sighup) this.send(['HANGUP']);
  }

  /** fgets() hit EOF: the script ended; Asterisk writes HANGUP (AGISIGHUP) and closes. */
  private onServerClosed(): void {
    if (this.ended) return;
    const lines = this.options.afterServerClose ?? ((this.options.agiSigHup ?? true) ? ['HANGUP'] : []);
    this.send(lines);
    this.socket.end();
    this.ended = true;
  }
}

function countLf(chunk: Buffer): number {
  let n = 0;
  let i = chunk.indexOf(LF);
  while (i !== -1) {
    n += 1;
    i = chunk.indexOf(LF, i + 1);
  }
  return n;
}

