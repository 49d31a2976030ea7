// One FastAGI connection = one call. The session reads the agi_* environment, then runs a strictly
// sequential command/reply loop: a command is written only after the previous reply has fully
// arrived. Never pipeline: agi-commands.txt shows Asterisk does not notice a second line that
// arrives in the same TCP segment (its reply came only after the NEXT command was written), so a
// pipelined command would stall and every later reply would shift by one.
//
// Hang-up is detected from the HANGUP line, a 511 reply, result=-1 where it can only mean hang-up,
// and the socket closing; it aborts `signal` and emits 'hangup'. Commands still work after a
// hang-up when Asterisk allows them (GET VARIABLE, SET VARIABLE, VERBOSE… agi-hangup.txt); the others
// reject with AgiHangupError. With AGIEXITONHANGUP=yes Asterisk closes at once
// (agi-hangup-exitonhangup.txt) and commands reject with AgiConnectionClosedError.
//
// Every fault (timeout, garbage, over-long line, closed socket) ends THIS session only: pending
// commands reject with a typed AgiCallEndedError, the reason is logged, the socket is destroyed.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { systemClock, type Clock } from '../../../flows/clock.ts';
import * as commands from './agi-commands.ts';
import type {
  AgiCommand,
  AgiTiming,
  CallerIdInput,
  ChannelStatus,
  ControlStreamOptions,
  ExecResult,
  GetDataResult,
  PlaybackResult,
  RecordOptions,
  RecordResult,
} from './agi-commands.ts';
import type { AgiArg } from './agi-command.ts';
import { EnvironmentParser, type AgiEnvironment } from './agi-environment.ts';
import {
  AgiCallEndedError,
  AgiCommandError,
  AgiConnectionClosedError,
  AgiEnvironmentError,
  AgiError,
  AgiHangupError,
  AgiProtocolError,
  AgiTimeoutError,
  lifecycleError,
} from './agi-errors.ts';
import { LineReader } from './line-reader.ts';
import { HANGUP_LINE, ReplyParser, type AgiReply, type AgiResultReply } from './agi-reply.ts';

/** The subset of a pino logger the AGI layer uses. */
export interface AgiLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface AgiSessionLimits {
  /** Commands Asterisk answers at once (variables, database, ANSWER…). */
  readonly commandTimeoutMs: number;
  /** Playback of unknown length: STREAM FILE, CONTROL STREAM FILE, SAY…, GET DATA. */
  readonly mediaTimeoutMs: number;
  /** EXEC of a dialplan application (Dial, Queue, Stasis… legitimately silent for hours). */
  readonly execTimeoutMs: number;
  /** The agi_* block must be complete within this time after connect (slow or half-open peers). */
  readonly environmentTimeoutMs: number;
  /** The handler holds the call without sending any command for this long: closed. */
  readonly idleTimeoutMs: number;
  /** After a hang-up, the handler has this long to finish (Asterisk keeps the socket and its channel
   *  thread until we close, agi-hangup.txt). */
  readonly hangupGraceMs: number;
  /** After we close our side, Asterisk normally answers HANGUP and closes; destroy after this. */
  readonly closeGraceMs: number;
  /** Longest line accepted from Asterisk. */
  readonly maxLineBytes: number;
}

export const DEFAULT_SESSION_LIMITS: AgiSessionLimits = Object.freeze({
  commandTimeoutMs: 10_000,
  mediaTimeoutMs: 10 * 60_000,
  execTimeoutMs: 6 * 3600_000,
  environmentTimeoutMs: 5_000,
  idleTimeoutMs: 30 * 60_000,
  hangupGraceMs: 30_000,
  closeGraceMs: 2_000,
  maxLineBytes: 64 * 1024,
});

export interface CommandOptions {
  /** Overrides the timeout derived from the command kind (ms; Infinity for none). */
  readonly timeoutMs?: number;
}

/** A command written or waiting to be written, and the promise its caller awaits. */
class Pending {
  readonly promise: Promise<unknown>;
  resolve: (value: unknown) => void = noop;
  private rejectPromise: (error: unknown) => void = noop;

  constructor(
    readonly cmd: AgiCommand<unknown>,
    readonly timeoutMs: number,
  ) {
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.rejectPromise = reject;
    });
  }

  /**
   * A handler that fires a command without awaiting it must not turn a hang-up into an unhandled
   * rejection that takes the whole process (and every other call) down: a no-op handler is
   * attached right before rejecting. Attaching it at creation cost one more promise and one more
   * microtask on every successful command.
   */
  reject(error: unknown): void {
    this.promise.catch(noop);
    this.rejectPromise(error);
  }
}

type Phase = 'environment' | 'ready' | 'closing' | 'closed';
type DeadlineKind = 'environment' | 'command' | 'idle' | 'close';

export interface AgiSessionHooks {
  /** The environment is complete; the session can take commands. */
  onReady?(session: AgiSession): void;
  /** The socket is closed and every pending command settled. */
  onClosed?(session: AgiSession): void;
}

export interface AgiSessionOptions {
  readonly limits?: Partial<AgiSessionLimits>;
  readonly logger?: AgiLogger | undefined;
  readonly hooks?: AgiSessionHooks;
  /**
   * Time for the session's deadlines and grace periods (a virtual clock in tests); the system clock
   * by default. Its timers need not be unref'd: every one is cancelled when the socket closes, and
   * until then the socket keeps the process alive anyway.
   */
  readonly clock?: Clock;
}

export interface AgiSessionEvents {
  /** The call ended outside our control: hang-up, Asterisk closed, timeout, protocol fault. */
  hangup: [reason: AgiCallEndedError];
  close: [];
}

const noop = (): void => {};

/** A rejected promise that never counts as unhandled (see Pending.reject). */
function handledRejection(error: unknown): Promise<never> {
  const rejected = Promise.reject(error);
  rejected.catch(noop);
  return rejected;
}
/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2_147_483_647;

let nextId = 0;

export class AgiSession extends EventEmitter<AgiSessionEvents> {
  readonly id: string;
  #remote: string | undefined;
  private readonly limits: AgiSessionLimits;
  private readonly log: AgiLogger | undefined;
  private readonly hooks: AgiSessionHooks;
  private readonly clock: Clock;
  private phase: Phase = 'environment';
  private environment: AgiEnvironment | undefined;
  private envParser: EnvironmentParser | undefined = new EnvironmentParser();
  private readonly lines: LineReader;
  private readonly replies = new ReplyParser();
  private inFlight: Pending | undefined;
  private queue: Pending[] | undefined;
  /** Cancels the one deadline timer; undefined when none is armed. */
  private timer: (() => void) | undefined;
  /** When `timer` fires (the clock's ms); Infinity when none is armed. */
  private timerAt = Infinity;
  private deadline = Infinity;
  private deadlineKind: DeadlineKind | undefined;
  private deadlineMs = 0;
  private readonly onTimer = (): void => this.tick();
  private graceTimer: (() => void) | undefined;
  private controller: AbortController | undefined;
  private ended: AgiCallEndedError | undefined;
  private hungUpFlag = false;
  /** HANGUP lines received (the second one means Asterisk is closing). */
  private hangupLines = 0;
  /** A post-hang-up dispatch is waiting for pending socket events (see next()). */
  private deferred = false;
  /** Set when the session stopped reading input (fault or socket closed): later lines are dropped. */
  private faulted = false;
  private commandsSent = 0;
  private closedResolve: (() => void) | undefined;
  private readonly closedPromise: Promise<void>;

  constructor(
    private readonly socket: Socket,
    options: AgiSessionOptions = {},
  ) {
    super();
    nextId += 1;
    this.id = `agi-${nextId}`;
    this.limits = { ...DEFAULT_SESSION_LIMITS, ...options.limits };
    this.log = options.logger;
    this.hooks = options.hooks ?? {};
    this.clock = options.clock ?? systemClock;
    this.lines = new LineReader(this.limits.maxLineBytes);
    this.closedPromise = new Promise((resolve) => {
      this.closedResolve = resolve;
    });
    socket.setNoDelay(true);
    // A vanished Asterisk host (no FIN) is found by TCP keepalive even while an EXEC is legitimately silent.
    socket.setKeepAlive(true, 60_000);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onPeerEnd());
    socket.on('error', (err) => this.onSocketError(err));
    socket.on('close', () => this.onSocketClose());
    this.arm('environment', this.limits.environmentTimeoutMs);
  }

  // -------------------------------------------------------------------------------------------
  // State

  /** The agi_* environment (available once the handler runs). */
  get env(): AgiEnvironment {
    if (!this.environment) throw new AgiEnvironmentError('the AGI environment has not been received yet');
    return this.environment;
  }

  /**
   * "address:port" of Asterisk. Read on first use (logs), not per connection: it costs a
   * getpeername() system call, and most calls never log. Node keeps the answer once read, so a
   * fault logged while the socket is open still names the peer after it closes.
   */
  get remoteAddress(): string {
    if (this.#remote !== undefined) return this.#remote;
    const address = this.socket.remoteAddress;
    const remote = `${address ?? '?'}:${this.socket.remotePort ?? '?'}`;
    if (address !== undefined) this.#remote = remote;
    return remote;
  }

  /** True once the agi_* environment has been received. */
  get hasEnvironment(): boolean {
    return this.environment !== undefined;
  }

  /** Aborted when the call ends for any reason (hang-up, close, timeout, fault); reason is an AgiCallEndedError. */
  get signal(): AbortSignal {
    if (!this.controller) {
      // Created on first use: most calls never ask, and an AbortController per idle call costs memory.
      this.controller = new AbortController();
      if (this.ended) this.controller.abort(this.ended);
    }
    return this.controller.signal;
  }

  /** True once the channel is known to have hung up (or the connection is gone). */
  get hungUp(): boolean {
    return this.hungUpFlag;
  }

  get closed(): boolean {
    return this.phase === 'closing' || this.phase === 'closed';
  }

  /** Resolves when the socket is fully closed. */
  get whenClosed(): Promise<void> {
    return this.closedPromise;
  }

  /** Commands written to the socket so far. */
  get commandCount(): number {
    return this.commandsSent;
  }

  // -------------------------------------------------------------------------------------------
  // Typed command API (each returns the parsed result; see agi-commands.ts for meanings)

  answer(opts?: CommandOptions): Promise<void> {
    return this.call(() => commands.answer(), opts);
  }
  /** Hangs up this channel (no argument) or a named one; false when the named channel does not exist. */
  hangup(channel?: string, opts?: CommandOptions): Promise<boolean> {
    return this.call(() => commands.hangup(channel), opts);
  }
  streamFile(file: string, escapeDigits = '', offsetSamples?: number, opts?: CommandOptions): Promise<PlaybackResult> {
    return this.call(() => commands.streamFile(file, escapeDigits, offsetSamples), opts);
  }
  controlStreamFile(file: string, escapeDigits = '', control?: ControlStreamOptions, opts?: CommandOptions): Promise<PlaybackResult> {
    return this.call(() => commands.controlStreamFile(file, escapeDigits, control), opts);
  }
  getData(file: string, timeoutMs?: number, maxDigits?: number, opts?: CommandOptions): Promise<GetDataResult> {
    return this.call(() => commands.getData(file, timeoutMs, maxDigits), opts);
  }
  /** The digit pressed, or undefined on timeout; rejects with AgiHangupError if the caller hangs up. */
  waitForDigit(timeoutMs: number, opts?: CommandOptions): Promise<string | undefined> {
    return this.call(() => commands.waitForDigit(timeoutMs), opts);
  }
  sayDigits(digits: string, escapeDigits = '', opts?: CommandOptions): Promise<PlaybackResult> {
    return this.call(() => commands.sayDigits(digits, escapeDigits), opts);
  }
  sayNumber(value: number, escapeDigits = '', gender?: string, opts?: CommandOptions): Promise<PlaybackResult> {
    return this.call(() => commands.sayNumber(value, escapeDigits, gender), opts);
  }
  sayAlpha(characters: string, escapeDigits = '', opts?: CommandOptions): Promise<PlaybackResult> {
    return this.call(() => commands.sayAlpha(characters, escapeDigits), opts);
  }
  sayPhonetic(characters: string, escapeDigits = '', opts?: CommandOptions): Promise<PlaybackResult> {
    return this.call(() => commands.sayPhonetic(characters, escapeDigits), opts);
  }
  sayDate(epochSeconds: number, escapeDigits = '', opts?: CommandOptions): Promise<PlaybackResult> {
    return this.call(() => commands.sayDate(epochSeconds, escapeDigits), opts);
  }
  sayTime(epochSeconds: number, escapeDigits = '', opts?: CommandOptions): Promise<PlaybackResult> {
    return this.call(() => commands.sayTime(epochSeconds, escapeDigits), opts);
  }
  sayDatetime(epochSeconds: number, escapeDigits = '', format?: string, timezone?: string, opts?: CommandOptions): Promise<PlaybackResult> {
    return this.call(() => commands.sayDatetime(epochSeconds, escapeDigits, format, timezone), opts);
  }
  recordFile(file: string, format: string, record?: RecordOptions, opts?: CommandOptions): Promise<RecordResult> {
    return this.call(() => commands.recordFile(file, format, record), opts);
  }
  setVariable(name: string, value: string, opts?: CommandOptions): Promise<void> {
    return this.call(() => commands.setVariable(name, value), opts);
  }
  getVariable(name: string, opts?: CommandOptions): Promise<string | undefined> {
    return this.call(() => commands.getVariable(name), opts);
  }
  getFullVariable(expression: string, channel?: string, opts?: CommandOptions): Promise<string | undefined> {
    return this.call(() => commands.getFullVariable(expression, channel), opts);
  }
  channelStatus(channel?: string, opts?: CommandOptions): Promise<ChannelStatus | undefined> {
    return this.call(() => commands.channelStatus(channel), opts);
  }
  /** Runs a dialplan application with its data as ONE argument (Asterisk passes only one). */
  exec(application: string, data?: string, opts?: CommandOptions): Promise<ExecResult> {
    return this.call(() => commands.exec(application, data), opts);
  }
  setMusic(on: boolean, mohClass?: string, opts?: CommandOptions): Promise<void> {
    return this.call(() => commands.setMusic(on, mohClass), opts);
  }
  setContext(context: string, opts?: CommandOptions): Promise<void> {
    return this.call(() => commands.setContext(context), opts);
  }
  setExtension(extension: string, opts?: CommandOptions): Promise<void> {
    return this.call(() => commands.setExtension(extension), opts);
  }
  setPriority(priority: number | string, opts?: CommandOptions): Promise<void> {
    return this.call(() => commands.setPriority(priority), opts);
  }
  setCallerId(callerId: CallerIdInput, opts?: CommandOptions): Promise<void> {
    return this.call(() => commands.setCallerId(callerId), opts);
  }
  setAutoHangup(seconds: number, opts?: CommandOptions): Promise<void> {
    return this.call(() => commands.setAutoHangup(seconds), opts);
  }
  databaseGet(family: string, key: string, opts?: CommandOptions): Promise<string | undefined> {
    return this.call(() => commands.databaseGet(family, key), opts);
  }
  databasePut(family: string, key: string, value: string, opts?: CommandOptions): Promise<boolean> {
    return this.call(() => commands.databasePut(family, key, value), opts);
  }
  databaseDel(family: string, key: string, opts?: CommandOptions): Promise<boolean> {
    return this.call(() => commands.databaseDel(family, key), opts);
  }
  verbose(message: string, level = 1, opts?: CommandOptions): Promise<void> {
    return this.call(() => commands.verbose(message, level), opts);
  }
  noop(opts?: CommandOptions): Promise<void> {
    return this.call(() => commands.noop(), opts);
  }
  /** Any other AGI command; returns the raw "200 result=" reply. */
  command(verb: string, args: readonly (string | number | AgiArg)[] = [], timing?: AgiTiming, opts?: CommandOptions): Promise<AgiResultReply> {
    return this.call(() => commands.raw(verb, args, timing), opts);
  }

  /** Sends a prepared command (one at a time; queued behind the one in flight). */
  run<T>(cmd: AgiCommand<T>, opts?: CommandOptions): Promise<T> {
    if (this.phase !== 'ready') {
      return handledRejection(this.phase === 'environment' ? new AgiEnvironmentError('the AGI environment has not been received yet') : this.endError());
    }
    let pending: Pending | undefined;
    try {
      pending = new Pending(cmd, opts?.timeoutMs ?? this.timeoutFor(cmd.timing));
      if (this.inFlight || this.deferred || this.hungUpFlag) {
        (this.queue ??= []).push(pending);
        if (!this.inFlight) this.next();
      } else {
        this.dispatch(pending);
      }
    } catch (err) {
      // As a promise executor would: a malformed command (no timing…) rejects, it never throws.
      if (!pending) return handledRejection(err);
      pending.reject(err);
    }
    return pending.promise as Promise<T>;
  }

  /**
   * Ends the call from our side: pending commands reject, the socket is half-closed so Asterisk
   * continues its dialplan (it answers with HANGUP and closes), destroyed after closeGraceMs.
   */
  close(): Promise<void> {
    if (this.phase === 'closing' || this.phase === 'closed') return this.closedPromise;
    this.phase = 'closing';
    const reason = lifecycleError(() => new AgiConnectionClosedError('the AGI session was closed by Tandem'));
    this.settleAll(reason);
    this.endWith(reason, false);
    this.clearGrace();
    this.arm('close', this.limits.closeGraceMs);
    this.socket.end();
    return this.closedPromise;
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  private call<T>(build: () => AgiCommand<T>, opts: CommandOptions | undefined): Promise<T> {
    let cmd: AgiCommand<T>;
    try {
      cmd = build();
    } catch (err) {
      return handledRejection(err instanceof AgiError ? err : new AgiProtocolError(String(err), 'garbage'));
    }
    return this.run(cmd, opts);
  }

  private timeoutFor(timing: AgiTiming): number {
    switch (timing.kind) {
      case 'control':
        return this.limits.commandTimeoutMs;
      case 'media':
        return this.limits.mediaTimeoutMs;
      case 'exec':
        return this.limits.execTimeoutMs;
      case 'wait':
        return timing.ms + this.limits.commandTimeoutMs;
    }
  }

  private dispatch(pending: Pending): void {
    this.inFlight = pending;
    this.replies.textData = pending.cmd.textData;
    this.commandsSent += 1;
    this.arm('command', pending.timeoutMs);
    this.socket.write(pending.cmd.line);
  }

  private onData(chunk: Buffer): void {
    if (this.faulted) return;
    try {
      this.lines.feed(chunk, this.lineSink);
    } catch (err) {
      // An over-long line (thrown before any line of its chunk is handled) or a bad line.
      this.faultFromInput(err);
    }
  }

  /** Handles one line; false stops reading once the session has given up on its input. */
  private readonly lineSink = (line: string): boolean => {
    this.onLine(line);
    return !this.faulted;
  };

  private onLine(line: string): void {
    if (this.phase === 'environment') {
      const env = (this.envParser as EnvironmentParser).pushLine(line);
      if (env) {
        this.environment = env;
        this.envParser = undefined;
        this.phase = 'ready';
        this.armIdle();
        this.hooks.onReady?.(this);
      }
      return;
    }
    const reply = this.replies.read(line);
    if (reply === undefined) return;
    if (reply === HANGUP_LINE) {
      this.hangupLines += 1;
      if (this.hangupLines === 1) this.markHangup('HANGUP line from Asterisk');
      else this.onAsteriskLeaving();
      return;
    }
    this.onReply(reply);
  }

  private onReply(reply: AgiReply): void {
    const pending = this.inFlight;
    if (!pending) {
      // After we closed, a late reply is harmless; before, it means the stream is out of step.
      if (this.phase === 'closing') return;
      throw new AgiProtocolError(`Asterisk sent a reply while no command was in flight: ${reply.line.slice(0, 80)}`, 'unsolicited');
    }
    this.inFlight = undefined;
    this.disarm();
    const verb = pending.cmd.verb;
    switch (reply.kind) {
      case 'result': {
        if (pending.cmd.isHangup(reply)) this.markHangup(`${verb} returned ${reply.line}`);
        let value: unknown;
        try {
          value = pending.cmd.parse(reply);
        } catch (err) {
          pending.reject(err);
          if (err instanceof AgiProtocolError) throw err;
          break;
        }
        pending.resolve(value);
        break;
      }
      case 'dead-channel':
        this.markHangup(`511 to ${verb}`);
        pending.reject(lifecycleError(() => new AgiHangupError(`${verb} is not permitted: the channel has hung up (511)`)));
        break;
      case 'invalid-command':
        pending.reject(new AgiCommandError(`Asterisk does not know the command ${verb} (510)`, 510, verb, undefined));
        break;
      case 'usage':
        pending.reject(new AgiCommandError(`Asterisk rejected the arguments of ${verb} (520)${reply.usage ? `: ${reply.usage}` : ''}`, 520, verb, reply.usage || undefined));
        break;
    }
    this.next();
  }

  private next(): void {
    if (this.phase !== 'ready' || this.deferred) return;
    if (this.hungUpFlag && this.queue?.length) {
      // After a hang-up Asterisk may be about to close (AGIEXITONHANGUP writes HANGUP twice and
      // closes, agi-hangup-exitonhangup.txt). Let pending socket events (a FIN) run first so that
      // no command is written into a connection Asterisk already left.
      this.deferred = true;
      setImmediate(() => {
        this.deferred = false;
        if (this.phase !== 'ready') return;
        const queued = this.queue?.shift();
        if (queued) this.dispatch(queued);
        else this.armIdle();
      });
      return;
    }
    const queued = this.queue?.shift();
    if (queued) this.dispatch(queued);
    else this.armIdle();
  }

  private armIdle(): void {
    this.arm('idle', this.limits.idleTimeoutMs);
  }

  private markHangup(source: string): void {
    if (this.hungUpFlag) return;
    this.hungUpFlag = true;
    this.log?.debug(this.bindings({ source }), 'AGI channel hung up');
    // After our own close (Asterisk answers it with HANGUP on every call) the end is already known.
    if (!this.ended) this.endWith(lifecycleError(() => new AgiHangupError(`the channel hung up (${source})`)), true);
    if (this.phase === 'ready' && this.limits.hangupGraceMs <= MAX_TIMER_MS) {
      this.graceTimer = this.clock.setTimer(this.limits.hangupGraceMs, () => {
        this.log?.warn(this.bindings({ graceMs: this.limits.hangupGraceMs }), 'AGI handler still running after the hang-up grace period; closing the call');
        void this.close();
      });
    }
  }

  /** Aborts the signal once; emits 'hangup' when the end did not come from our own close(). */
  private endWith(reason: AgiCallEndedError, external: boolean): void {
    if (this.ended) return;
    this.ended = reason;
    this.controller?.abort(reason);
    if (external) this.emit('hangup', reason);
  }

  private endError(): AgiCallEndedError {
    return lifecycleError(() => new AgiConnectionClosedError(this.ended ? `the AGI connection is closed (${this.ended.message})` : undefined));
  }

  private faultFromInput(err: unknown): void {
    if (this.phase === 'environment') {
      this.failEnvironment(err instanceof AgiError ? err : new AgiEnvironmentError(String(err)));
      return;
    }
    this.fail(err instanceof AgiCallEndedError ? err : new AgiProtocolError(err instanceof Error ? err.message : String(err), 'garbage'));
  }

  /** Ends the call because of a fault: logs the reason, rejects everything, destroys the socket. */
  private fail(error: AgiCallEndedError): void {
    if (this.faulted) return;
    this.faulted = true;
    const wasClosing = this.phase === 'closing';
    this.phase = 'closing';
    if (!wasClosing) this.log?.warn(this.bindings({ reason: error.message, code: error.code }), 'closing AGI call');
    this.settleAll(error);
    this.endWith(error, true);
    this.socket.destroy();
  }

  private failEnvironment(error: AgiError): void {
    if (this.phase !== 'environment') return;
    this.phase = 'closing';
    this.faulted = true;
    this.log?.warn(this.bindings({ reason: error.message, code: error.code }), 'refusing AGI connection');
    this.endWith(error instanceof AgiCallEndedError ? error : lifecycleError(() => new AgiConnectionClosedError(error.message)), false);
    this.socket.destroy();
  }

  private settleAll(error: AgiCallEndedError): void {
    const pending = this.inFlight;
    this.inFlight = undefined;
    const queued = this.queue ?? [];
    this.queue = undefined;
    pending?.reject(error);
    for (const q of queued) q.reject(error);
  }

  private onPeerEnd(): void {
    if (this.phase === 'environment') {
      this.failEnvironment(new AgiEnvironmentError(`the connection closed before the end of the AGI environment (${this.envParser?.lines ?? 0} lines received)`));
      return;
    }
    if (this.phase === 'ready') {
      // Asterisk closed first: AGIEXITONHANGUP, a dialplan hang-up, or Asterisk stopping.
      this.hungUpFlag = true;
      const reason = lifecycleError(() => new AgiConnectionClosedError('Asterisk closed the AGI connection'));
      this.settleAll(reason);
      this.endWith(reason, true);
      this.phase = 'closing';
    }
  }

  /**
   * res_agi.c writes HANGUP once when the channel hangs up and once more when its AGI loop ends
   * (the script closed, AGIEXITONHANGUP, an error), right before closing the socket. A second
   * HANGUP therefore means Asterisk is leaving: no further command must be written
   * (agi-hangup-exitonhangup.txt: "200 result=-1", "HANGUP", "HANGUP", socket closed).
   */
  private onAsteriskLeaving(): void {
    if (this.phase !== 'ready') return;
    const reason = lifecycleError(() => new AgiConnectionClosedError('Asterisk ended the AGI session (second HANGUP)'));
    this.settleAll(reason);
    this.endWith(reason, true);
    this.phase = 'closing';
    this.clearGrace();
    this.arm('close', this.limits.closeGraceMs);
  }

  private onSocketError(err: Error): void {
    if (this.phase === 'closed') return;
    this.log?.debug(this.bindings({ reason: err.message }), 'AGI socket error');
    if (this.phase === 'ready') {
      this.hungUpFlag = true;
      const reason = lifecycleError(() => new AgiConnectionClosedError(`AGI connection error: ${err.message}`));
      this.settleAll(reason);
      this.endWith(reason, true);
      this.phase = 'closing';
    }
  }

  private onSocketClose(): void {
    if (this.phase === 'closed') return;
    if (this.phase === 'environment') this.log?.warn(this.bindings({ reason: 'closed during the environment' }), 'refusing AGI connection');
    this.phase = 'closed';
    this.faulted = true;
    this.hungUpFlag = true;
    const reason = this.ended ?? lifecycleError(() => new AgiConnectionClosedError('the AGI connection closed'));
    this.settleAll(reason instanceof AgiConnectionClosedError ? reason : lifecycleError(() => new AgiConnectionClosedError(`the AGI connection closed (${reason.message})`)));
    this.endWith(reason, true);
    this.disarm();
    this.timer?.();
    this.timer = undefined;
    this.clearGrace();
    this.emit('close');
    this.hooks.onClosed?.(this);
    this.closedResolve?.();
  }

  /**
   * One deadline at a time (environment, command, idle or close), kept as a number: a command only
   * moves the deadline, and the single timer re-arms itself for the remainder when it fires early.
   * Re-creating a timer twice per command (command timeout, then idle) cost more than the rest of
   * the round trip's bookkeeping.
   */
  private arm(kind: DeadlineKind, ms: number): void {
    this.deadlineKind = kind;
    this.deadlineMs = ms;
    // Node fires a timer of Infinity (or more than 2^31-1 ms) after 1 ms: treat those as "never".
    if (!(ms <= MAX_TIMER_MS)) {
      this.deadline = Infinity;
      return;
    }
    this.deadline = this.clock.now() + ms;
    if (this.deadline < this.timerAt) this.schedule();
  }

  private disarm(): void {
    this.deadline = Infinity;
    this.deadlineKind = undefined;
  }

  private schedule(): void {
    this.timer?.();
    this.timerAt = this.deadline;
    this.timer = this.clock.setTimer(this.deadline - this.clock.now(), this.onTimer);
  }

  private tick(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.deadline === Infinity) return;
    if (this.deadline - this.clock.now() > 1) {
      this.schedule();
      return;
    }
    const kind = this.deadlineKind;
    const ms = this.deadlineMs;
    this.disarm();
    switch (kind) {
      case 'environment':
        this.failEnvironment(new AgiEnvironmentError(`no complete AGI environment within ${ms} ms`));
        break;
      case 'command':
        this.fail(new AgiTimeoutError(`Asterisk sent no reply to ${this.inFlight?.cmd.verb ?? 'a command'} within ${ms} ms`));
        break;
      case 'idle':
        this.log?.warn(this.bindings({ idleMs: ms }), 'AGI call idle too long (no command sent); closing it');
        void this.close();
        break;
      case 'close':
        this.socket.destroy();
        break;
    }
  }

  private clearGrace(): void {
    this.graceTimer?.();
    this.graceTimer = undefined;
  }

  private bindings(extra: object): object {
    return { agiCall: this.id, remote: this.remoteAddress, channel: this.environment?.channel, script: this.environment?.script.path, ...extra };
  }
}
