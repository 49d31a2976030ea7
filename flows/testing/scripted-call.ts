import { CallPortBase, type CapabilityOperation } from '../call-port-base.ts';
import {
  CHANNEL_CAPABILITIES,
  CallHungUpError,
  type AgiResult,
  type CallInfo,
  type Capability,
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
} from '../call-port.ts';
import type { BlockStartEvent, RunObserver } from '../interpreter.ts';
import type { ChannelKind } from '../project/schema.ts';
import { VirtualClock } from './virtual-clock.ts';

/**
 * What the virtual caller does, in order. Keys are pressed when the flow is ready for them; a wait
 * is silence that makes input operations time out when it is longer than their timeout; a hangup
 * happens at the next operation the flow performs on the call.
 */
export type ScriptStep =
  | string // DTMF keys, one press per character: '12#'
  | { readonly wait: number } // silence, in ms
  | { readonly message: string; readonly quickReplyId?: string } // an inbound chat/SMS message
  | { readonly hangup: true };

type QueueItem =
  | { readonly kind: 'digit'; readonly digit: string }
  | { kind: 'wait'; ms: number }
  | { readonly kind: 'message'; readonly message: InboundMessage }
  | { readonly kind: 'hangup' };

export interface ScriptedHangup {
  /** Hang up when the interpreter starts main-phase step N (1-based). */
  readonly atStep?: number;
  /** Hang up when this block starts… */
  readonly atBlock?: string;
  /** …after it has performed this many call operations (0 = before the first). */
  readonly afterOps?: number;
  /** Hang up after this much (virtual) time. */
  readonly afterMs?: number;
}

export interface ScriptedCallOptions {
  readonly channel?: ChannelKind;
  readonly capabilities?: readonly Capability[];
  readonly info?: Partial<Omit<CallInfo, 'channel'>>;
  readonly script?: readonly ScriptStep[];
  readonly clock?: VirtualClock;
  readonly hangup?: ScriptedHangup;
  /** Asterisk channel variables readable with getVariable. */
  readonly channelVariables?: Readonly<Record<string, string>>;
  readonly dial?: (options: DialOptions) => DialResult['status'];
  readonly enqueue?: (options: EnqueueOptions) => EnqueueResult;
  readonly exec?: (application: string, args: readonly string[]) => number;
  readonly agi?: (url: string, args: readonly string[]) => AgiResult['status'];
  /** How long a recording lasts (ms) when no key stops it. */
  readonly recordingMs?: number;
}

/** One operation the flow performed on the call, for assertions and the CLI's printout. */
export interface ScriptedOp {
  readonly op: string;
  readonly blockId: string | null;
  /** Virtual time offset (ms) since the call started. */
  readonly at: number;
  readonly detail: Readonly<Record<string, unknown>>;
}

const MEDIA_OPS = new Set(['answer', 'play', 'say', 'collectDigits', 'waitForDigit', 'record', 'setMusicOnHold', 'dial', 'exec', 'runAgi', 'enqueue', 'sendMessage', 'waitForMessage']);

/**
 * A CallPort driven by a script instead of a person: for tests, the CLI and the designer's
 * simulator. Time is virtual, so a 30-second timeout costs nothing, and behaviour is deterministic.
 */
export class ScriptedCall extends CallPortBase {
  readonly info: CallInfo;
  readonly capabilities: ReadonlySet<Capability>;
  readonly clock: VirtualClock;
  readonly ops: ScriptedOp[] = [];
  readonly sent: OutboundMessage[] = [];
  readonly channelVariables = new Map<string, string>();
  hungUp = false;
  /** Who ended the call: the scripted caller or the flow (Hangup block). */
  hungUpBy: 'caller' | 'flow' | null = null;
  answered = false;

  private readonly queue: QueueItem[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly startedAt: number;
  private currentBlock: string | null = null;
  private opsInBlock = 0;
  private armed: number | null = null;
  private readonly options: ScriptedCallOptions;

  constructor(options: ScriptedCallOptions = {}) {
    super();
    this.options = options;
    const channel = options.channel ?? 'voice';
    this.clock = options.clock ?? new VirtualClock();
    this.startedAt = this.clock.now();
    this.info = {
      callId: options.info?.callId ?? 'scripted-1',
      channel,
      callerNumber: options.info?.callerNumber ?? '+390212345678',
      callerName: options.info?.callerName ?? 'Scripted Caller',
      dialed: options.info?.dialed ?? '100',
      variables: options.info?.variables ?? {},
    };
    this.capabilities = new Set(options.capabilities ?? CHANNEL_CAPABILITIES[channel]);
    for (const [k, v] of Object.entries(options.channelVariables ?? {})) this.channelVariables.set(k, v);
    for (const step of options.script ?? []) this.push(step);
    const afterMs = options.hangup?.afterMs;
    if (afterMs !== undefined) this.clock.setTimer(afterMs, () => this.hangUpNow('caller'));
  }

  /** Adds caller actions at the end of the script. */
  push(step: ScriptStep): void {
    if (typeof step === 'string') {
      for (const ch of step) {
        if (!/[0-9*#]/.test(ch)) throw new Error(`"${ch}" is not a DTMF key`);
        this.queue.push({ kind: 'digit', digit: ch });
      }
    } else if ('wait' in step) {
      this.queue.push({ kind: 'wait', ms: Math.max(0, step.wait) });
    } else if ('message' in step) {
      this.queue.push({
        kind: 'message',
        message: step.quickReplyId === undefined ? { text: step.message } : { text: step.message, quickReplyId: step.quickReplyId },
      });
    } else {
      this.queue.push({ kind: 'hangup' });
    }
  }

  /** Script steps not consumed by the flow. */
  get remaining(): number {
    return this.queue.length;
  }

  /** Pass to runProject so step/block hangups fire and operations know their block. */
  readonly observer: RunObserver = {
    onBlockStart: (event: BlockStartEvent) => {
      this.currentBlock = event.blockId;
      this.opsInBlock = 0;
      this.armed = null;
      const h = this.options.hangup;
      if (h === undefined || event.phase !== 'main') return;
      if (h.atStep !== undefined && event.step === h.atStep) this.hangUpNow('caller');
      if (h.atBlock !== undefined && event.blockId === h.atBlock && this.hungUpBy === null) {
        if ((h.afterOps ?? 0) === 0) this.hangUpNow('caller');
        else this.armed = h.afterOps ?? 0;
      }
    },
  };

  onHangup(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the call from the caller's side, now. */
  hangUpNow(by: 'caller' | 'flow' = 'caller'): void {
    if (this.hungUp) return;
    this.hungUp = true;
    this.hungUpBy = by;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // a listener's failure is its own problem
      }
    }
  }

  // --- CallPort ------------------------------------------------------------------------------

  override async answer(signal: AbortSignal): Promise<void> {
    this.begin('answer', {}, signal);
    this.answered = true;
  }

  async hangup(cause: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw signal.reason;
    this.note('hangup', { cause });
    this.hangUpNow('flow');
  }

  override async play(prompts: readonly string[], options: PlayOptions, signal: AbortSignal): Promise<PlayResult> {
    this.begin('play', { prompts: [...prompts], escapeDigits: options.escapeDigits }, signal);
    return { digit: this.takeEscapeDigit(options.escapeDigits) };
  }

  override async say(kind: SayKind, value: string, options: SayOptions, signal: AbortSignal): Promise<PlayResult> {
    this.begin('say', { kind, value, ...options }, signal);
    return { digit: this.takeEscapeDigit(options.escapeDigits) };
  }

  override async collectDigits(options: CollectOptions, signal: AbortSignal): Promise<CollectResult> {
    this.begin('collectDigits', { ...options, prompts: [...options.prompts] }, signal);
    let digits = '';
    while (digits.length < options.maxDigits) {
      const digit = await this.nextDigit(options.timeoutMs, signal);
      if (digit === null) return this.collected(digits, 'timeout');
      if (options.terminator !== '' && digit === options.terminator) return this.collected(digits, 'terminator');
      digits += digit;
    }
    return this.collected(digits, 'max');
  }

  override async waitForDigit(timeoutMs: number, signal: AbortSignal): Promise<string | null> {
    this.begin('waitForDigit', { timeoutMs }, signal);
    return this.nextDigit(timeoutMs, signal);
  }

  override async record(options: RecordOptions, signal: AbortSignal): Promise<RecordResult> {
    this.begin('record', { ...options }, signal);
    const head = this.queue[0];
    if (head?.kind === 'digit' && options.escapeDigits.includes(head.digit)) {
      this.queue.shift();
      return { file: options.file, durationMs: 0, reason: 'dtmf', digit: head.digit };
    }
    const durationMs = Math.min(options.maxDurationMs, this.options.recordingMs ?? 3000);
    await this.clock.sleep(durationMs, signal);
    const reason = durationMs >= options.maxDurationMs ? 'maxDuration' : options.silenceMs > 0 ? 'silence' : 'maxDuration';
    return { file: options.file, durationMs, reason, digit: null };
  }

  async getVariable(name: string, signal: AbortSignal): Promise<string | undefined> {
    if (signal.aborted) throw signal.reason;
    const value = this.channelVariables.get(name);
    this.note('getVariable', { name, value: value ?? null });
    return value;
  }

  async setVariable(name: string, value: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw signal.reason;
    this.note('setVariable', { name, value });
    this.channelVariables.set(name, value);
  }

  override async setMusicOnHold(musicClass: string | null, signal: AbortSignal): Promise<void> {
    this.begin('setMusicOnHold', { musicClass }, signal);
  }

  override async dial(options: DialOptions, signal: AbortSignal): Promise<DialResult> {
    this.begin('dial', { ...options }, signal);
    return { status: this.options.dial?.(options) ?? 'answered', durationMs: 0 };
  }

  override async exec(application: string, args: readonly string[], signal: AbortSignal): Promise<ExecResult> {
    this.begin('exec', { application, args: [...args] }, signal);
    const result = this.options.exec?.(application, args) ?? 0;
    if (application === 'VoiceMail' && this.options.exec === undefined) this.channelVariables.set('VMSTATUS', 'SUCCESS');
    return { result };
  }

  override async runAgi(url: string, args: readonly string[], signal: AbortSignal): Promise<AgiResult> {
    this.begin('runAgi', { url, args: [...args] }, signal);
    return { status: this.options.agi?.(url, args) ?? 'success' };
  }

  override async enqueue(options: EnqueueOptions, signal: AbortSignal): Promise<EnqueueResult> {
    this.begin('enqueue', { ...options }, signal);
    return this.options.enqueue?.(options) ?? { outcome: 'answered', agentId: 'agent-1' };
  }

  override async sendMessage(message: OutboundMessage, signal: AbortSignal): Promise<void> {
    this.begin('sendMessage', { text: message.text, quickReplies: message.quickReplies?.map((q) => q.id) ?? [] }, signal);
    this.sent.push(message);
  }

  override async waitForMessage(timeoutMs: number, signal: AbortSignal): Promise<InboundMessage | null> {
    this.begin('waitForMessage', { timeoutMs }, signal);
    const remaining = { ms: timeoutMs };
    for (;;) {
      const head = this.queue[0];
      if (head === undefined || head.kind === 'digit') {
        await this.clock.sleep(remaining.ms, signal);
        return null;
      }
      if (head.kind === 'message') {
        this.queue.shift();
        return head.message;
      }
      if (head.kind === 'hangup') {
        this.queue.shift();
        this.hangUpNow('caller');
        throw new CallHungUpError('the caller hung up');
      }
      if (!(await this.consumeWait(head, remaining, signal))) return null;
    }
  }

  // --- internals -------------------------------------------------------------------------------

  private begin(op: CapabilityOperation, detail: Record<string, unknown>, signal: AbortSignal): void {
    if (signal.aborted) throw signal.reason;
    this.requireCapability(op);
    if (this.armed !== null && MEDIA_OPS.has(op)) {
      if (this.opsInBlock >= this.armed) {
        this.armed = null;
        this.hangUpNow('caller');
      }
    }
    this.opsInBlock++;
    this.note(op, detail);
    if (this.hungUp && MEDIA_OPS.has(op)) throw new CallHungUpError(`cannot ${op}: the call has ended`);
  }

  private note(op: string, detail: Record<string, unknown>): void {
    this.ops.push({ op, blockId: this.currentBlock, at: this.clock.now() - this.startedAt, detail });
  }

  private collected(digits: string, reason: CollectResult['reason']): CollectResult {
    return { digits, reason };
  }

  /** Escape digit pressed during playback: only when it is the caller's very next action. */
  private takeEscapeDigit(escapeDigits: string): string | null {
    const head = this.queue[0];
    if (head?.kind === 'hangup') {
      this.queue.shift();
      this.hangUpNow('caller');
      throw new CallHungUpError('the caller hung up');
    }
    if (head?.kind === 'digit' && escapeDigits !== '' && escapeDigits.includes(head.digit)) {
      this.queue.shift();
      return head.digit;
    }
    return null;
  }

  /** Next key within `timeoutMs`, or null (time then has moved on by the timeout). */
  private async nextDigit(timeoutMs: number, signal: AbortSignal): Promise<string | null> {
    const remaining = { ms: timeoutMs };
    for (;;) {
      const head = this.queue[0];
      if (head === undefined || head.kind === 'message') {
        await this.clock.sleep(remaining.ms, signal);
        return null;
      }
      if (head.kind === 'digit') {
        this.queue.shift();
        return head.digit;
      }
      if (head.kind === 'hangup') {
        this.queue.shift();
        this.hangUpNow('caller');
        throw new CallHungUpError('the caller hung up');
      }
      if (!(await this.consumeWait(head, remaining, signal))) return null;
    }
  }

  /**
   * Silence at the head of the script, against what is left of the current timeout: true if the
   * silence ended first (the caller acts next), false if the timeout expired during it.
   */
  private async consumeWait(head: { kind: 'wait'; ms: number }, remaining: { ms: number }, signal: AbortSignal): Promise<boolean> {
    if (head.ms < remaining.ms) {
      this.queue.shift();
      remaining.ms -= head.ms;
      await this.clock.sleep(head.ms, signal);
      return true;
    }
    head.ms -= remaining.ms;
    if (head.ms === 0) this.queue.shift();
    await this.clock.sleep(remaining.ms, signal);
    return false;
  }
}
