// AgiCall: the flow language's CallPort over one FastAGI session. Each CallPort operation becomes
// real AGI commands (STREAM FILE, GET DATA, WAIT FOR DIGIT, SAY *, RECORD FILE, GET/SET VARIABLE,
// SET MUSIC, EXEC Dial/Playback/AGI…). The session already turns HANGUP lines, 511 and closed
// sockets into AgiCallEndedError; here they become the flow's CallHungUpError. Messaging is
// refused by CallPortBase (a voice call has no text channel).
import { CallPortBase } from '../../../flows/call-port-base.ts';
import {
  CallHungUpError,
  CHANNEL_CAPABILITIES,
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
  type PlayOptions,
  type PlayResult,
  type RecordOptions,
  type RecordResult,
  type SayKind,
  type SayOptions,
} from '../../../flows/call-port.ts';
import type { AgiSession } from './agi-session.ts';
import type { PlaybackResult } from './agi-commands.ts';
import { AgiCallEndedError } from './agi-errors.ts';
import { applyInCallCodes, PREDIAL_IN_CALL_CODES, type InCallCodes } from '../feature-codes/in-call.ts';

const ALL_DIGITS = '0123456789*#';

/** How Tandem's dial targets become Asterisk Dial() strings. Trunks and agents' phones come from configuration. */
export interface DialTargets {
  /** `PJSIP/1001` for an extension, the agent's device for an agent (hot-desk phone, external number…). */
  resolve(kind: DialOptions['kind'], destination: string, trunk: string | undefined): Promise<string | undefined>;
}

export const defaultDialTargets: DialTargets = {
  async resolve(kind, destination, trunk) {
    if (!/^[0-9A-Za-z*#+._-]{1,64}$/.test(destination)) return undefined;
    if (kind === 'external') return trunk ? `PJSIP/${destination}@${trunk}` : undefined;
    return `PJSIP/${destination}`;
  },
};

export interface AgiCallDeps {
  dialTargets?: DialTargets;
  /** The queue engine's entry for voice; without it, enqueue fails (outcome `failed`). */
  enqueue?: (call: AgiCall, options: EnqueueOptions, signal: AbortSignal) => Promise<EnqueueResult>;
  /** Prompt names → what STREAM FILE plays; Tandem sounds may become http:// URLs for the media cache. */
  resolvePrompt?: (name: string, language: string) => string;
  /** Wall clock for measuring dial durations. */
  now?: () => number;
  /**
   * Asterisk could not play a prompt (no such sound, or the media URL did not answer): the caller
   * heard silence where the flow meant words. Told so that it reaches the log, not only Asterisk's.
   */
  onPromptFailed?: (prompt: string, played: string) => void;
  /** The in-call codes of the settings, set on both sides of each Dial (server/voice/feature-codes/in-call.ts). */
  inCallCodes?: () => Promise<InCallCodes>;
}

export class AgiCall extends CallPortBase {
  readonly info: CallInfo;
  readonly capabilities: ReadonlySet<Capability> = new Set(CHANNEL_CAPABILITIES.voice);
  #hangupListeners = new Set<() => void>();
  #hungUp = false;
  readonly #deps: Required<Omit<AgiCallDeps, 'enqueue' | 'onPromptFailed' | 'inCallCodes'>> & Pick<AgiCallDeps, 'enqueue' | 'onPromptFailed' | 'inCallCodes'>;

  constructor(
    readonly session: AgiSession,
    deps: AgiCallDeps = {},
    info?: Partial<CallInfo>,
  ) {
    super();
    const env = session.env;
    this.#deps = {
      dialTargets: deps.dialTargets ?? defaultDialTargets,
      resolvePrompt: deps.resolvePrompt ?? ((name) => name),
      now: deps.now ?? Date.now,
      enqueue: deps.enqueue,
      onPromptFailed: deps.onPromptFailed,
      inCallCodes: deps.inCallCodes,
    };
    const callerNumber = env.callerId === 'unknown' ? '' : env.callerId;
    const callerName = env.callerIdName === 'unknown' ? '' : env.callerIdName;
    this.info = {
      callId: env.uniqueId,
      channel: 'voice',
      callerNumber,
      callerName,
      dialed: env.dnid && env.dnid !== 'unknown' ? env.dnid : env.extension,
      variables: { ...env.variables },
      ...info,
    };
    const onEnd = () => this.#markHungUp();
    session.once('hangup', onEnd);
    session.once('close', onEnd);
    if (session.hungUp || session.closed) this.#markHungUp();
  }

  get hungUp(): boolean {
    return this.#hungUp;
  }

  onHangup(listener: () => void): () => void {
    if (this.#hungUp) {
      queueMicrotask(listener);
      return () => undefined;
    }
    this.#hangupListeners.add(listener);
    return () => this.#hangupListeners.delete(listener);
  }

  #markHungUp(): void {
    if (this.#hungUp) return;
    this.#hungUp = true;
    const listeners = [...this.#hangupListeners];
    this.#hangupListeners.clear();
    for (const l of listeners) l();
  }

  /** Runs one AGI step under the flow's signal; a dead channel is the flow's hang-up. */
  async #step<T>(signal: AbortSignal, run: () => Promise<T>, media = true): Promise<T> {
    signal.throwIfAborted();
    if (media && this.#hungUp) throw new CallHungUpError();
    try {
      return await raceSignal(run(), signal);
    } catch (err) {
      if (err instanceof AgiCallEndedError) {
        this.#markHungUp();
        throw new CallHungUpError(err.message);
      }
      throw err;
    }
  }

  #prompt(name: string): string {
    return this.#deps.resolvePrompt(name, this.session.env.language || 'en');
  }

  /** STREAM FILE of one prompt; a failure that is not the caller hanging up is reported. */
  async #stream(prompt: string, escapeDigits: string, signal: AbortSignal): Promise<PlaybackResult> {
    const played = this.#prompt(prompt);
    const r = await this.#step(signal, () => this.session.streamFile(played, escapeDigits));
    if (r.outcome === 'failed') {
      // result=-1 is also what a hang-up during the prompt gives; Asterisk's HANGUP line, when that
      // is the cause, comes in the same read as the reply: let it land before judging.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!this.#hungUp && !this.session.hungUp) this.#deps.onPromptFailed?.(prompt, played);
    }
    return r;
  }

  /** When the flow answered the call (epoch ms), for the call record. */
  answeredAt: number | undefined;

  override async answer(signal: AbortSignal): Promise<void> {
    await this.#step(signal, () => this.session.answer());
    this.answeredAt ??= this.#deps.now();
  }

  async hangup(cause: number, signal: AbortSignal): Promise<void> {
    if (this.#hungUp) return;
    await this.#step(signal, async () => {
      await this.session.setVariable('HANGUPCAUSE', String(cause)).catch(() => undefined);
      await this.session.hangup();
    });
    this.#markHungUp();
  }

  override async play(prompts: readonly string[], options: PlayOptions, signal: AbortSignal): Promise<PlayResult> {
    for (const prompt of prompts) {
      const r = await this.#stream(prompt, options.escapeDigits, signal);
      if (r.digit) return { digit: r.digit };
    }
    return { digit: null };
  }

  override async say(kind: SayKind, value: string, options: SayOptions, signal: AbortSignal): Promise<PlayResult> {
    const escape = options.escapeDigits;
    const r = await this.#step(signal, () => {
      switch (kind) {
        case 'digits':
          return this.session.sayDigits(value.replace(/[^0-9]/g, ''), escape);
        case 'number':
          return this.session.sayNumber(Math.trunc(Number(value) || 0), escape);
        case 'alpha':
          return this.session.sayAlpha(value.replace(/[^0-9A-Za-z]/g, ''), escape);
        case 'datetime':
          return this.session.sayDatetime(toEpochSeconds(value), escape, options.format, options.timezone);
      }
    });
    return { digit: r.digit ?? null };
  }

  override async collectDigits(options: CollectOptions, signal: AbortSignal): Promise<CollectResult> {
    // One GET DATA when Asterisk's own semantics match: one prompt, and '#' ends input — or a single
    // key is asked for. One command matters beyond the round trip: between two AGI commands res_agi
    // reads and drops the channel's frames, so a key pressed as a prompt ends (prompt, then WAIT FOR
    // DIGIT) would be lost; inside GET DATA it is kept.
    const singleKey = options.terminator === '' && options.maxDigits === 1;
    if (options.prompts.length === 1 && (options.terminator === '#' || singleKey)) {
      const r = await this.#step(signal, () => this.session.getData(this.#prompt(options.prompts[0]!), options.timeoutMs, options.maxDigits));
      // GET DATA always ends on '#', returning nothing before it: for a single key that is the key.
      if (singleKey && !r.timedOut && r.digits === '') return { digits: '#', reason: 'max' };
      const reason = r.timedOut ? 'timeout' : r.digits.length >= options.maxDigits ? 'max' : 'terminator';
      return { digits: r.digits, reason };
    }
    // Otherwise: prompts interruptible by any key (which counts as the first digit), then one digit
    // at a time, the timer restarting after each.
    let digits = '';
    for (const prompt of options.prompts) {
      const r = await this.#stream(prompt, ALL_DIGITS, signal);
      if (r.digit) {
        digits = r.digit;
        break;
      }
    }
    for (;;) {
      if (options.terminator && digits.endsWith(options.terminator)) return { digits: digits.slice(0, -1), reason: 'terminator' };
      if (digits.length >= options.maxDigits) return { digits, reason: 'max' };
      const d = await this.#step(signal, () => this.session.waitForDigit(options.timeoutMs));
      if (d === undefined) return { digits, reason: 'timeout' };
      digits += d;
    }
  }

  override async waitForDigit(timeoutMs: number, signal: AbortSignal): Promise<string | null> {
    return (await this.#step(signal, () => this.session.waitForDigit(timeoutMs))) ?? null;
  }

  override async record(options: RecordOptions, signal: AbortSignal): Promise<RecordResult> {
    const r = await this.#step(signal, () =>
      this.session.recordFile(options.file, options.format, {
        escapeDigits: options.escapeDigits,
        timeoutMs: options.maxDurationMs > 0 ? options.maxDurationMs : -1,
        beep: options.beep,
        ...(options.silenceMs > 0 ? { silenceSeconds: Math.max(1, Math.round(options.silenceMs / 1000)) } : {}),
      }),
    );
    if (r.endedBy === 'hangup') this.#markHungUp();
    const reason: RecordResult['reason'] = r.endedBy === 'dtmf' ? 'dtmf' : r.endedBy === 'silence' ? 'silence' : r.endedBy === 'hangup' ? 'hangup' : 'maxDuration';
    // endpos counts 8 kHz samples.
    return { file: options.file, durationMs: Math.round(r.endpos / 8), reason, digit: r.digit ?? null };
  }

  getVariable(name: string, signal: AbortSignal): Promise<string | undefined> {
    // Dialplan functions (CALLERID(num)) need GET FULL VARIABLE; plain names use GET VARIABLE.
    return this.#step(signal, () => (name.includes('(') ? this.session.getFullVariable('${' + name + '}') : this.session.getVariable(name)), false);
  }

  setVariable(name: string, value: string, signal: AbortSignal): Promise<void> {
    return this.#step(signal, () => this.session.setVariable(name, value), false);
  }

  override setMusicOnHold(musicClass: string | null, signal: AbortSignal): Promise<void> {
    return this.#step(signal, () => (musicClass === null ? this.session.setMusic(false) : this.session.setMusic(true, musicClass)));
  }

  override async dial(options: DialOptions, signal: AbortSignal): Promise<DialResult> {
    const target = await this.#deps.dialTargets.resolve(options.kind, options.destination, options.trunk);
    if (!target) return { status: 'failed', durationMs: 0 };
    if (options.callerId) await this.#step(signal, () => this.session.setCallerId(options.callerId!));
    const seconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
    const codes = this.#deps.inCallCodes ? await this.#deps.inCallCodes() : undefined;
    if (codes) await this.#step(signal, () => applyInCallCodes(this.session, codes));
    const dialOptions = options.options + (codes ? PREDIAL_IN_CALL_CODES : '') + (options.musicOnHold ? `m(${options.musicOnHold})` : '');
    const started = this.#deps.now();
    await this.#step(signal, () => this.session.exec('Dial', `${target},${seconds},${dialOptions}`));
    const status = (await this.#step(signal, () => this.session.getVariable('DIALSTATUS'), false)) ?? '';
    const mapped = DIAL_STATUS[status] ?? 'failed';
    if (mapped !== 'answered') return { status: mapped, durationMs: 0 };
    const ended = this.#deps.now();
    // ANSWEREDTIME_MS counts from the answer of the CALLER's channel (agi-commands.txt). On a line
    // nobody answered before the Dial (a phone dialling out), Dial answers it when the callee does,
    // so it is the talk time and dates the answer; on a line the flow answered, it is not, and the
    // elapsed time of the Dial is the honest bound we have.
    if (this.answeredAt === undefined) {
      const talk = Number((await this.#step(signal, () => this.session.getVariable('ANSWEREDTIME_MS'), false).catch(() => undefined)) ?? NaN);
      if (Number.isFinite(talk) && talk >= 0 && talk <= ended - started) {
        this.answeredAt = ended - talk;
        return { status: mapped, durationMs: talk };
      }
    }
    return { status: mapped, durationMs: ended - started };
  }

  override async exec(application: string, args: readonly string[], signal: AbortSignal): Promise<ExecResult> {
    const r = await this.#step(signal, () => this.session.exec(application, args.join(',')));
    return { result: r.result };
  }

  override async runAgi(url: string, args: readonly string[], signal: AbortSignal): Promise<AgiResult> {
    await this.#step(signal, () => this.session.exec('AGI', [url, ...args].join(',')));
    const status = (await this.#step(signal, () => this.session.getVariable('AGISTATUS'), false)) ?? '';
    return { status: status === 'SUCCESS' ? 'success' : status === 'NOTFOUND' ? 'notfound' : 'failure' };
  }

  override async enqueue(options: EnqueueOptions, signal: AbortSignal): Promise<EnqueueResult> {
    if (!this.#deps.enqueue) return { outcome: 'failed' };
    if (this.#hungUp) throw new CallHungUpError();
    return this.#deps.enqueue(this, options, signal);
  }
}

const DIAL_STATUS: Record<string, DialResult['status']> = {
  ANSWER: 'answered',
  BUSY: 'busy',
  NOANSWER: 'noanswer',
  CONGESTION: 'congestion',
  CHANUNAVAIL: 'unavailable',
  CANCEL: 'failed',
  DONTCALL: 'failed',
  TORTURE: 'failed',
  INVALIDARGS: 'failed',
};

function toEpochSeconds(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}

/** The flow's signal (block timeout, stop) wins the race; the AGI command itself completes in order. */
function raceSignal<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
