// The simulator's CallPort: a person at the dial pad (or chat box) instead of Asterisk. It follows
// the CallPort conventions (flows/call-port.ts) so the real interpreter runs unchanged: operations
// honour their AbortSignal, media operations fail with CallHungUpError after hangup, and keys
// arrive while a prompt plays or a collect waits, with GET DATA semantics for collectDigits.
// It simulates every channel, so it implements every operation and lets CallPortBase refuse the
// ones the simulated channel lacks, with the same CapabilityError a real call gives.
import {
  CHANNEL_CAPABILITIES,
  CallHungUpError,
  CallPortBase,
  systemClock,
  type AgiResult,
  type CallInfo,
  type Capability,
  type CapabilityOperation,
  type ChannelKind,
  type Clock,
  type CollectOptions,
  type CollectResult,
  type DialOptions,
  type DialResult,
  type EnqueueOptions,
  type EnqueueResult,
  type ExecResult,
  type InboundMessage,
  type OutboundMessage,
  type PlayOptions,
  type PlayResult,
  type RecordOptions,
  type RecordResult,
  type SayKind,
  type SayOptions,
} from '../../../../flows/index.ts';

/** What the caller sees and hears, for the phone screen, chat transcript and call log. */
export type CallEvent =
  | { readonly kind: 'answer' }
  | { readonly kind: 'play'; readonly prompts: readonly string[]; readonly skippable: boolean }
  | { readonly kind: 'say'; readonly sayKind: SayKind; readonly value: string }
  | { readonly kind: 'collect'; readonly prompts: readonly string[]; readonly maxDigits: number; readonly timeoutMs: number }
  | { readonly kind: 'collected'; readonly digits: string; readonly reason: CollectResult['reason'] }
  | { readonly kind: 'key'; readonly digit: string; readonly accepted: boolean }
  | { readonly kind: 'record'; readonly file: string; readonly maxDurationMs: number }
  | { readonly kind: 'music'; readonly musicClass: string | null }
  | { readonly kind: 'dial'; readonly destination: string; readonly status: DialResult['status'] }
  | { readonly kind: 'exec'; readonly application: string; readonly args: readonly string[] }
  | { readonly kind: 'agi'; readonly url: string }
  | { readonly kind: 'enqueue'; readonly queue: string; readonly outcome: EnqueueResult['outcome'] }
  | { readonly kind: 'message-out'; readonly message: OutboundMessage }
  | { readonly kind: 'message-in'; readonly message: InboundMessage }
  | { readonly kind: 'variable'; readonly name: string; readonly value: string }
  | { readonly kind: 'hangup'; readonly by: 'caller' | 'flow' };

/** What the call is doing right now: drives the phone screen ("Playing…", "Waiting for keys…"). */
export type Activity =
  | { readonly kind: 'idle' }
  | { readonly kind: 'playing'; readonly prompts: readonly string[]; readonly skippable: boolean }
  | { readonly kind: 'collecting'; readonly digits: string; readonly maxDigits: number; readonly timeoutMs: number }
  | { readonly kind: 'waiting-message'; readonly timeoutMs: number }
  | { readonly kind: 'recording'; readonly file: string }
  | { readonly kind: 'ringing'; readonly destination: string }
  | { readonly kind: 'queued'; readonly queue: string }
  | { readonly kind: 'ended' };

export interface BrowserCallOptions {
  readonly channel: ChannelKind;
  readonly callerNumber?: string;
  readonly callerName?: string;
  readonly dialed?: string;
  readonly clock?: Clock;
  /** How long one prompt "plays" (there is no audio in the browser). */
  readonly promptMs?: number;
  /** Simulated ringing / queue wait before the outcome. */
  readonly connectMs?: number;
  readonly recordMs?: number;
  readonly dialOutcome?: () => DialResult['status'];
  readonly queueOutcome?: () => EnqueueResult['outcome'];
}

interface KeyWaiter {
  readonly accept: (digit: string) => boolean;
  readonly resolve: (digit: string | null) => void;
  readonly reject: (error: unknown) => void;
}

interface MessageWaiter {
  readonly resolve: (message: InboundMessage | null) => void;
  readonly reject: (error: unknown) => void;
}

const DTMF = /^[0-9*#]$/;

export class BrowserCall extends CallPortBase {
  readonly info: CallInfo;
  readonly capabilities: ReadonlySet<Capability>;
  hungUp = false;
  hungUpBy: 'caller' | 'flow' | null = null;
  activity: Activity = { kind: 'idle' };
  readonly channelVariables = new Map<string, string>();

  private readonly clock: Clock;
  private readonly options: BrowserCallOptions;
  private readonly hangupListeners = new Set<() => void>();
  private readonly eventListeners = new Set<(event: CallEvent) => void>();
  private readonly activityListeners = new Set<(activity: Activity) => void>();
  private keyWaiter: KeyWaiter | null = null;
  private messageWaiter: MessageWaiter | null = null;
  /** Chat messages typed before the flow asked: a chat keeps them, unlike DTMF during a prompt. */
  private readonly inbox: InboundMessage[] = [];

  constructor(options: BrowserCallOptions) {
    super();
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.info = {
      callId: `sim-${Math.random().toString(36).slice(2, 10)}`,
      channel: options.channel,
      callerNumber: options.callerNumber ?? '+390212345678',
      callerName: options.callerName ?? 'Test Caller',
      dialed: options.dialed ?? '100',
      variables: {},
    };
    this.capabilities = new Set(CHANNEL_CAPABILITIES[options.channel]);
  }

  // --- the person's side ------------------------------------------------------------------------

  onEvent(listener: (event: CallEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onActivity(listener: (activity: Activity) => void): () => void {
    this.activityListeners.add(listener);
    return () => this.activityListeners.delete(listener);
  }

  /** A key on the dial pad. Returns whether the flow was listening for it. */
  pressKey(digit: string): boolean {
    if (!DTMF.test(digit)) throw new Error(`"${digit}" is not a DTMF key`);
    if (this.hungUp) return false;
    const waiter = this.keyWaiter;
    const accepted = waiter !== null && waiter.accept(digit);
    this.emit({ kind: 'key', digit, accepted });
    if (accepted) {
      this.keyWaiter = null;
      waiter.resolve(digit);
    }
    return accepted;
  }

  /** A chat message (or a quick reply picked). */
  sendText(text: string, quickReplyId?: string): void {
    if (this.hungUp) return;
    const message: InboundMessage = quickReplyId === undefined ? { text } : { text, quickReplyId };
    this.emit({ kind: 'message-in', message });
    const waiter = this.messageWaiter;
    if (waiter !== null) {
      this.messageWaiter = null;
      waiter.resolve(message);
    } else {
      this.inbox.push(message);
    }
  }

  /** The caller hangs up (or closes the chat). */
  hangUpNow(by: 'caller' | 'flow' = 'caller'): void {
    if (this.hungUp) return;
    this.hungUp = true;
    this.hungUpBy = by;
    this.setActivity({ kind: 'ended' });
    this.emit({ kind: 'hangup', by });
    const gone = new CallHungUpError(by === 'caller' ? 'the caller hung up' : 'the flow hung up');
    this.keyWaiter?.reject(gone);
    this.keyWaiter = null;
    this.messageWaiter?.reject(gone);
    this.messageWaiter = null;
    for (const listener of [...this.hangupListeners]) {
      try {
        listener();
      } catch {
        // a listener's failure is its own problem
      }
    }
  }

  // --- CallPort ---------------------------------------------------------------------------------

  onHangup(listener: () => void): () => void {
    this.hangupListeners.add(listener);
    return () => this.hangupListeners.delete(listener);
  }

  override async answer(signal: AbortSignal): Promise<void> {
    this.begin(signal, 'answer');
    this.emit({ kind: 'answer' });
  }

  async hangup(_cause: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw signal.reason;
    this.hangUpNow('flow');
  }

  override async play(prompts: readonly string[], options: PlayOptions, signal: AbortSignal): Promise<PlayResult> {
    this.begin(signal, 'play');
    const skippable = options.escapeDigits !== '';
    this.emit({ kind: 'play', prompts: [...prompts], skippable });
    this.setActivity({ kind: 'playing', prompts: [...prompts], skippable });
    try {
      const ms = this.promptMs(prompts.length);
      if (!skippable) {
        await this.clock.sleep(ms, signal);
        return { digit: null };
      }
      return { digit: await this.waitKey(ms, signal, (d) => options.escapeDigits.includes(d)) };
    } finally {
      this.idle();
    }
  }

  override async say(kind: SayKind, value: string, options: SayOptions, signal: AbortSignal): Promise<PlayResult> {
    this.begin(signal, 'say');
    this.emit({ kind: 'say', sayKind: kind, value });
    const skippable = options.escapeDigits !== '';
    this.setActivity({ kind: 'playing', prompts: [`${kind}: ${value}`], skippable });
    try {
      if (!skippable) {
        await this.clock.sleep(this.promptMs(1), signal);
        return { digit: null };
      }
      return { digit: await this.waitKey(this.promptMs(1), signal, (d) => options.escapeDigits.includes(d)) };
    } finally {
      this.idle();
    }
  }

  override async collectDigits(options: CollectOptions, signal: AbortSignal): Promise<CollectResult> {
    this.begin(signal, 'collectDigits');
    this.emit({ kind: 'collect', prompts: [...options.prompts], maxDigits: options.maxDigits, timeoutMs: options.timeoutMs });
    let digits = '';
    const show = (): void => this.setActivity({ kind: 'collecting', digits, maxDigits: options.maxDigits, timeoutMs: options.timeoutMs });
    try {
      // The prompts play first; any key interrupts them and counts as the first digit.
      if (options.prompts.length > 0) {
        this.setActivity({ kind: 'playing', prompts: [...options.prompts], skippable: true });
        const first = await this.waitKey(this.promptMs(options.prompts.length), signal, () => true);
        if (first !== null) {
          if (options.terminator !== '' && first === options.terminator) return this.collected('', 'terminator');
          digits = first;
        }
      }
      while (digits.length < options.maxDigits) {
        show();
        const digit = await this.waitKey(options.timeoutMs, signal, () => true);
        if (digit === null) return this.collected(digits, 'timeout');
        if (options.terminator !== '' && digit === options.terminator) return this.collected(digits, 'terminator');
        digits += digit;
      }
      return this.collected(digits, 'max');
    } finally {
      this.idle();
    }
  }

  override async waitForDigit(timeoutMs: number, signal: AbortSignal): Promise<string | null> {
    this.begin(signal, 'waitForDigit');
    this.setActivity({ kind: 'collecting', digits: '', maxDigits: 1, timeoutMs });
    try {
      return await this.waitKey(timeoutMs, signal, () => true);
    } finally {
      this.idle();
    }
  }

  override async record(options: RecordOptions, signal: AbortSignal): Promise<RecordResult> {
    this.begin(signal, 'record');
    this.emit({ kind: 'record', file: options.file, maxDurationMs: options.maxDurationMs });
    this.setActivity({ kind: 'recording', file: options.file });
    try {
      const durationMs = Math.min(options.maxDurationMs, this.options.recordMs ?? 3000);
      const started = this.clock.now();
      const digit = options.escapeDigits === '' ? null : await this.waitKey(durationMs, signal, (d) => options.escapeDigits.includes(d));
      if (digit !== null) return { file: options.file, durationMs: this.clock.now() - started, reason: 'dtmf', digit };
      if (options.escapeDigits === '') await this.clock.sleep(durationMs, signal);
      return { file: options.file, durationMs, reason: durationMs >= options.maxDurationMs ? 'maxDuration' : 'silence', digit: null };
    } finally {
      this.idle();
    }
  }

  async getVariable(name: string, signal: AbortSignal): Promise<string | undefined> {
    if (signal.aborted) throw signal.reason;
    return this.channelVariables.get(name);
  }

  async setVariable(name: string, value: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw signal.reason;
    this.channelVariables.set(name, value);
    this.emit({ kind: 'variable', name, value });
  }

  override async setMusicOnHold(musicClass: string | null, signal: AbortSignal): Promise<void> {
    this.begin(signal, 'setMusicOnHold');
    this.emit({ kind: 'music', musicClass });
  }

  override async dial(options: DialOptions, signal: AbortSignal): Promise<DialResult> {
    this.begin(signal, 'dial');
    this.setActivity({ kind: 'ringing', destination: options.destination });
    try {
      await this.clock.sleep(this.options.connectMs ?? 1500, signal);
      const status = this.options.dialOutcome?.() ?? 'answered';
      this.emit({ kind: 'dial', destination: options.destination, status });
      return { status, durationMs: status === 'answered' ? 60_000 : 0 };
    } finally {
      this.idle();
    }
  }

  override async exec(application: string, args: readonly string[], signal: AbortSignal): Promise<ExecResult> {
    this.begin(signal, 'exec');
    this.emit({ kind: 'exec', application, args: [...args] });
    if (application === 'VoiceMail') this.channelVariables.set('VMSTATUS', 'SUCCESS');
    return { result: 0 };
  }

  override async runAgi(url: string, _args: readonly string[], signal: AbortSignal): Promise<AgiResult> {
    this.begin(signal, 'runAgi');
    this.emit({ kind: 'agi', url });
    return { status: 'success' };
  }

  override async enqueue(options: EnqueueOptions, signal: AbortSignal): Promise<EnqueueResult> {
    this.begin(signal, 'enqueue');
    this.setActivity({ kind: 'queued', queue: options.queue });
    try {
      await this.clock.sleep(this.options.connectMs ?? 1500, signal);
      const outcome = this.options.queueOutcome?.() ?? 'answered';
      this.emit({ kind: 'enqueue', queue: options.queue, outcome });
      return outcome === 'answered' ? { outcome, agentId: 'simulated-agent' } : { outcome };
    } finally {
      this.idle();
    }
  }

  override async sendMessage(message: OutboundMessage, signal: AbortSignal): Promise<void> {
    this.begin(signal, 'sendMessage');
    this.emit({ kind: 'message-out', message });
  }

  override async waitForMessage(timeoutMs: number, signal: AbortSignal): Promise<InboundMessage | null> {
    this.begin(signal, 'waitForMessage');
    const queued = this.inbox.shift();
    if (queued !== undefined) return queued;
    this.setActivity({ kind: 'waiting-message', timeoutMs });
    try {
      return await new Promise<InboundMessage | null>((resolve, reject) => {
        const cancelTimer = this.clock.setTimer(timeoutMs, () => settle(() => resolve(null)));
        const onAbort = (): void => settle(() => reject(signal.reason));
        const settle = (fn: () => void): void => {
          cancelTimer();
          signal.removeEventListener('abort', onAbort);
          if (this.messageWaiter === waiter) this.messageWaiter = null;
          fn();
        };
        const waiter: MessageWaiter = {
          resolve: (m) => settle(() => resolve(m)),
          reject: (e) => settle(() => reject(e)),
        };
        this.messageWaiter = waiter;
        signal.addEventListener('abort', onAbort, { once: true });
      });
    } finally {
      this.idle();
    }
  }

  // --- internals --------------------------------------------------------------------------------

  private begin(signal: AbortSignal, operation: CapabilityOperation): void {
    if (signal.aborted) throw signal.reason;
    this.requireCapability(operation);
    if (this.hungUp) throw new CallHungUpError('the call has ended');
  }

  private promptMs(count: number): number {
    return (this.options.promptMs ?? 1200) * Math.max(1, count);
  }

  /** The next accepted key within `timeoutMs`, or null. Rejects on abort and hangup. */
  private waitKey(timeoutMs: number, signal: AbortSignal, accept: (digit: string) => boolean): Promise<string | null> {
    return new Promise<string | null>((resolve, reject) => {
      const cancelTimer = this.clock.setTimer(timeoutMs, () => settle(() => resolve(null)));
      const onAbort = (): void => settle(() => reject(signal.reason));
      const settle = (fn: () => void): void => {
        cancelTimer();
        signal.removeEventListener('abort', onAbort);
        if (this.keyWaiter === waiter) this.keyWaiter = null;
        fn();
      };
      const waiter: KeyWaiter = {
        accept,
        resolve: (d) => settle(() => resolve(d)),
        reject: (e) => settle(() => reject(e)),
      };
      this.keyWaiter = waiter;
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private collected(digits: string, reason: CollectResult['reason']): CollectResult {
    this.emit({ kind: 'collected', digits, reason });
    return { digits, reason };
  }

  private idle(): void {
    if (!this.hungUp) this.setActivity({ kind: 'idle' });
  }

  private setActivity(activity: Activity): void {
    this.activity = activity;
    for (const listener of [...this.activityListeners]) {
      try {
        listener(activity);
      } catch {
        // the screen's failure must not change the call
      }
    }
  }

  private emit(event: CallEvent): void {
    for (const listener of [...this.eventListeners]) {
      try {
        listener(event);
      } catch {
        // the screen's failure must not change the call
      }
    }
  }
}
