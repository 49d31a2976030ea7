import type { ChannelKind } from './project/schema.ts';

/**
 * The transport-agnostic call the interpreter drives. FastAGI (voice), the chat widget, SMS,
 * e-mail and open channels each implement it; blocks never see a transport, only this.
 *
 * Conventions every implementation follows:
 * - Every operation takes an AbortSignal. When it aborts (hangup, per-block timeout, server stop)
 *   the operation rejects promptly with `signal.reason`.
 * - Once the caller is gone, media and input operations (play, say, collect, waitForDigit, record,
 *   dial, exec, runAgi, enqueue, answer, sendMessage, waitForMessage) reject with CallHungUpError.
 *   Variable access keeps working after hangup, as Asterisk allows GET/SET VARIABLE on a dead
 *   channel (fixture agi-hangup.txt), so Finally blocks can still read and write them.
 * - An operation outside `capabilities` rejects with CapabilityError; the validator and the
 *   interpreter consult `capabilities` first so this is a programming error, not a flow path.
 */
export interface CallPort {
  readonly info: CallInfo;
  readonly capabilities: ReadonlySet<Capability>;
  /** True from the moment the caller (or the flow) hung up. */
  readonly hungUp: boolean;
  /** Called once when the call ends, whoever ended it. Returns an unsubscribe function. */
  onHangup(listener: () => void): () => void;

  answer(signal: AbortSignal): Promise<void>;
  hangup(cause: number, signal: AbortSignal): Promise<void>;

  /** Plays prompts in order; a digit in `escapeDigits` stops playback and is returned. */
  play(prompts: readonly string[], options: PlayOptions, signal: AbortSignal): Promise<PlayResult>;
  say(kind: SayKind, value: string, options: SayOptions, signal: AbortSignal): Promise<PlayResult>;
  /**
   * GET DATA semantics: plays `prompts` (any digit interrupts and counts as the first digit), then
   * waits up to `timeoutMs` for each further digit (the timer restarts after every digit) until
   * `maxDigits` digits or the terminator (not included in the result) arrive.
   */
  collectDigits(options: CollectOptions, signal: AbortSignal): Promise<CollectResult>;
  /** One digit or null when `timeoutMs` passes without one. */
  waitForDigit(timeoutMs: number, signal: AbortSignal): Promise<string | null>;
  record(options: RecordOptions, signal: AbortSignal): Promise<RecordResult>;

  getVariable(name: string, signal: AbortSignal): Promise<string | undefined>;
  setVariable(name: string, value: string, signal: AbortSignal): Promise<void>;
  /** Starts music on hold of `musicClass`, or stops it when null. */
  setMusicOnHold(musicClass: string | null, signal: AbortSignal): Promise<void>;

  dial(options: DialOptions, signal: AbortSignal): Promise<DialResult>;
  /** Runs a PBX application (Asterisk: EXEC). `result` is the application's return code. */
  exec(application: string, args: readonly string[], signal: AbortSignal): Promise<ExecResult>;
  runAgi(url: string, args: readonly string[], signal: AbortSignal): Promise<AgiResult>;
  /** Hands the interaction to a Tandem queue and resolves when it leaves the queue. */
  enqueue(options: EnqueueOptions, signal: AbortSignal): Promise<EnqueueResult>;

  sendMessage(message: OutboundMessage, signal: AbortSignal): Promise<void>;
  /** The next inbound message, or null after `timeoutMs` without one. */
  waitForMessage(timeoutMs: number, signal: AbortSignal): Promise<InboundMessage | null>;
}

/** What a transport can do; blocks declare the capabilities they need. */
export const CAPABILITIES = [
  'answer', // the call has an answer step (voice)
  'audio', // play prompts, say, music on hold
  'dtmf', // collect digits
  'record',
  'dial', // internal / external dial
  'apps', // arbitrary PBX applications (Custom app, Voicemail)
  'agi', // external AGI scripts
  'channelVariables', // PBX channel variables beyond CallInfo
  'queue', // hand the interaction to a Tandem queue
  'messaging', // send / wait for text messages
  'hangup', // the flow can end the interaction
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** The capabilities a transport of each channel kind is expected to declare. */
export const CHANNEL_CAPABILITIES: Readonly<Record<ChannelKind, readonly Capability[]>> = {
  voice: ['answer', 'audio', 'dtmf', 'record', 'dial', 'apps', 'agi', 'channelVariables', 'queue', 'hangup'],
  chat: ['messaging', 'queue', 'hangup'],
  sms: ['messaging', 'queue', 'hangup'],
  email: ['messaging', 'queue', 'hangup'],
  openchannel: ['messaging', 'queue', 'hangup'],
  fax: ['queue', 'hangup'],
};

export interface CallInfo {
  /** Unique id of the interaction (Asterisk: agi_uniqueid). */
  readonly callId: string;
  readonly channel: ChannelKind;
  /** Caller's number / address; '' when unknown. */
  readonly callerNumber: string;
  readonly callerName: string;
  /** The number or address the contact reached (DNIS, chat website, mailbox). */
  readonly dialed: string;
  /**
   * Variables the transport knows when the call starts (agi_* environment, chat form fields),
   * readable without a round trip. Others come from getVariable when `channelVariables` is set.
   */
  readonly variables: Readonly<Record<string, string>>;
}

export interface PlayOptions {
  /** Digits that stop playback; '' = not skippable. */
  readonly escapeDigits: string;
}
export interface PlayResult {
  /** The escape digit that stopped playback, or null if it played to the end. */
  readonly digit: string | null;
}

export const SAY_KINDS = ['digits', 'number', 'alpha', 'datetime'] as const;
export type SayKind = (typeof SAY_KINDS)[number];
export interface SayOptions {
  readonly escapeDigits: string;
  /** For datetime: Asterisk SAY DATETIME format, e.g. "ABdY 'digits/at' IMp". */
  readonly format?: string;
  /** For datetime: IANA time zone. */
  readonly timezone?: string;
}

export interface CollectOptions {
  readonly prompts: readonly string[];
  readonly timeoutMs: number;
  readonly maxDigits: number;
  /** One character ending the entry early ('' = none). */
  readonly terminator: string;
}
export interface CollectResult {
  readonly digits: string;
  readonly reason: 'max' | 'terminator' | 'timeout';
}

export interface RecordOptions {
  /** File name without extension. */
  readonly file: string;
  readonly format: string;
  readonly beep: boolean;
  readonly maxDurationMs: number;
  /** Stop after this much silence; 0 = never. */
  readonly silenceMs: number;
  readonly escapeDigits: string;
}
export interface RecordResult {
  readonly file: string;
  readonly durationMs: number;
  readonly reason: 'dtmf' | 'silence' | 'maxDuration' | 'hangup';
  readonly digit: string | null;
}

export interface DialOptions {
  readonly kind: 'extension' | 'agent' | 'external';
  readonly destination: string;
  /** For external dials: the trunk to use. */
  readonly trunk?: string;
  readonly callerId?: string;
  readonly timeoutMs: number;
  /** PBX dial options (Asterisk Dial() option letters). */
  readonly options: string;
  readonly musicOnHold?: string;
}
export interface DialResult {
  readonly status: 'answered' | 'busy' | 'noanswer' | 'congestion' | 'unavailable' | 'failed';
  /** Talk time when answered. */
  readonly durationMs: number;
}

export interface ExecResult {
  readonly result: number;
}
export interface AgiResult {
  readonly status: 'success' | 'failure' | 'notfound';
}

export interface EnqueueOptions {
  readonly queue: string;
  /** Longest wait before giving up; 0 = the queue's own limit. */
  readonly timeoutMs: number;
  readonly priority: number;
  readonly announcement?: string;
  readonly musicOnHold?: string;
}
export interface EnqueueResult {
  /**
   * answered: an agent took it (and, for voice, the conversation has ended); timeout: nobody took
   * it in time; full: the queue refused it; unavailable: no agent could ever take it; failed: the
   * queue does not exist or the transport could not enqueue.
   */
  readonly outcome: 'answered' | 'timeout' | 'full' | 'unavailable' | 'failed';
  readonly agentId?: string;
}

export interface QuickReply {
  readonly id: string;
  readonly label: string;
}
export interface OutboundMessage {
  readonly text: string;
  readonly quickReplies?: readonly QuickReply[];
}
export interface InboundMessage {
  readonly text: string;
  /** Set when the contact picked a quick reply rather than typing. */
  readonly quickReplyId?: string;
}

/** The caller (or the flow) ended the call; the operation cannot happen any more. */
export class CallHungUpError extends Error {
  readonly code = 'hangup';
  constructor(message = 'the call has ended') {
    super(message);
    this.name = 'CallHungUpError';
  }
}

/** The transport cannot do this (e.g. play audio on a chat). */
export class CapabilityError extends Error {
  readonly code = 'capability';
  readonly capability: Capability;
  /** The channel that refused, when the transport said (CallPortBase always does). */
  readonly channel: ChannelKind | undefined;
  constructor(capability: Capability, refused?: { readonly channel: ChannelKind; readonly operation?: string }) {
    super(
      refused === undefined
        ? `this channel cannot do "${capability}"`
        : `${refused.operation ?? 'this operation'} needs the "${capability}" capability, which a ${refused.channel} call does not have`,
    );
    this.name = 'CapabilityError';
    this.capability = capability;
    this.channel = refused?.channel;
  }
}
