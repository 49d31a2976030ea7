import {
  CapabilityError,
  type AgiResult,
  type CallInfo,
  type CallPort,
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
} from './call-port.ts';

/** The CallPort operations that need a capability, and which one each needs. */
export const OPERATION_CAPABILITY = {
  answer: 'answer',
  play: 'audio',
  say: 'audio',
  setMusicOnHold: 'audio',
  collectDigits: 'dtmf',
  waitForDigit: 'dtmf',
  record: 'record',
  dial: 'dial',
  exec: 'apps',
  runAgi: 'agi',
  enqueue: 'queue',
  sendMessage: 'messaging',
  waitForMessage: 'messaging',
} as const satisfies Partial<Record<keyof CallPort, Capability>>;
export type CapabilityOperation = keyof typeof OPERATION_CAPABILITY;

/**
 * The one base of every CallPort: each capability-bound operation refuses by default with a
 * CapabilityError naming the operation, the capability and the channel, so a transport implements
 * only what its channel can do (a chat call has no `play`, a voice call no `sendMessage`) instead
 * of repeating a stub per operation. What every transport must decide for itself (the call's
 * identity, hang-up, variables) stays abstract.
 */
export abstract class CallPortBase implements CallPort {
  abstract readonly info: CallInfo;
  abstract readonly capabilities: ReadonlySet<Capability>;
  abstract readonly hungUp: boolean;
  abstract onHangup(listener: () => void): () => void;
  abstract hangup(cause: number, signal: AbortSignal): Promise<void>;
  abstract getVariable(name: string, signal: AbortSignal): Promise<string | undefined>;
  abstract setVariable(name: string, value: string, signal: AbortSignal): Promise<void>;

  answer(_signal: AbortSignal): Promise<void> {
    return this.refuse('answer');
  }
  play(_prompts: readonly string[], _options: PlayOptions, _signal: AbortSignal): Promise<PlayResult> {
    return this.refuse('play');
  }
  say(_kind: SayKind, _value: string, _options: SayOptions, _signal: AbortSignal): Promise<PlayResult> {
    return this.refuse('say');
  }
  collectDigits(_options: CollectOptions, _signal: AbortSignal): Promise<CollectResult> {
    return this.refuse('collectDigits');
  }
  waitForDigit(_timeoutMs: number, _signal: AbortSignal): Promise<string | null> {
    return this.refuse('waitForDigit');
  }
  record(_options: RecordOptions, _signal: AbortSignal): Promise<RecordResult> {
    return this.refuse('record');
  }
  setMusicOnHold(_musicClass: string | null, _signal: AbortSignal): Promise<void> {
    return this.refuse('setMusicOnHold');
  }
  dial(_options: DialOptions, _signal: AbortSignal): Promise<DialResult> {
    return this.refuse('dial');
  }
  exec(_application: string, _args: readonly string[], _signal: AbortSignal): Promise<ExecResult> {
    return this.refuse('exec');
  }
  runAgi(_url: string, _args: readonly string[], _signal: AbortSignal): Promise<AgiResult> {
    return this.refuse('runAgi');
  }
  enqueue(_options: EnqueueOptions, _signal: AbortSignal): Promise<EnqueueResult> {
    return this.refuse('enqueue');
  }
  sendMessage(_message: OutboundMessage, _signal: AbortSignal): Promise<void> {
    return this.refuse('sendMessage');
  }
  waitForMessage(_timeoutMs: number, _signal: AbortSignal): Promise<InboundMessage | null> {
    return this.refuse('waitForMessage');
  }

  /** Throws the CapabilityError for `operation` unless this call declares the capability it needs. */
  protected requireCapability(operation: CapabilityOperation): void {
    const capability = OPERATION_CAPABILITY[operation];
    if (!this.capabilities.has(capability)) throw new CapabilityError(capability, { channel: this.info.channel, operation });
  }

  /** The refusal of an operation this transport does not implement. */
  protected refuse(operation: CapabilityOperation): Promise<never> {
    return Promise.reject(new CapabilityError(OPERATION_CAPABILITY[operation], { channel: this.info.channel, operation }));
  }
}
