// The AGI command catalogue: for each command, how its line is built and how its "200 result=…"
// reply becomes a typed value. Pure functions only; AgiSession sends them one at a time.
//
// Result meanings follow res_agi.c and the fixtures (test/fixtures/asterisk/agi-*.txt).
// About result=-1: it means "error or hang-up". It is treated as a hang-up only where nothing else
// can produce it (WAIT FOR DIGIT, GET DATA, RECORD FILE "(hangup)"); for playback commands it is
// reported as outcome 'failed' because a missing sound file gives the same -1 (STREAM FILE of an
// unknown file -> "200 result=-1 endpos=0"). A real hang-up is followed by the HANGUP line anyway
// (agi-hangup.txt), and with AGISIGHUP=no by 511 on the next channel command.
import { AgiEncodeError, AgiHangupError, AgiProtocolError, preview } from './agi-errors.ts';
import { encodeCommand, quoted, text, word, type AgiArg } from './agi-command.ts';
import type { AgiResultReply } from './agi-reply.ts';

/** How long Asterisk may legitimately take to answer; the session turns it into a timeout. */
export type AgiTiming =
  | { readonly kind: 'control' } // answers at once (variables, database, verbose…; ANSWER took ~500 ms)
  | { readonly kind: 'media' } // plays audio of unknown length (STREAM FILE, SAY…, GET DATA)
  | { readonly kind: 'exec' } // runs a dialplan application (Dial, Stasis, Queue… can last hours)
  | { readonly kind: 'wait'; readonly ms: number }; // bounded by its own argument (WAIT FOR DIGIT, RECORD FILE)

export interface AgiCommand<T> {
  /** 'STREAM FILE', 'EXEC'… for logs and errors. */
  readonly verb: string;
  /** The encoded line, LF included. */
  readonly line: string;
  readonly timing: AgiTiming;
  /** The reply may carry free text in parentheses that can span lines (see ReplyParser.textData). */
  readonly textData: boolean;
  /** True when this reply proves the channel hung up; the session then fires its hang-up signal. */
  isHangup(reply: AgiResultReply): boolean;
  /** Turns the reply into the typed result; throws AgiProtocolError on a malformed result. */
  parse(reply: AgiResultReply): T;
}

export type PlaybackOutcome = 'completed' | 'interrupted' | 'failed';

/** STREAM FILE / CONTROL STREAM FILE / SAY …: how playback ended. */
export interface PlaybackResult {
  readonly outcome: PlaybackOutcome;
  /** The escape digit pressed when outcome is 'interrupted'. */
  readonly digit: string | undefined;
  /** Sample offset where playback stopped (8 kHz samples; beep ends at 3520). Absent for SAY. */
  readonly endpos: number | undefined;
}

export interface GetDataResult {
  /** Digits entered, without the terminating '#'. */
  readonly digits: string;
  /** True when input ended by timeout (possibly after some digits) rather than by '#' or max digits. */
  readonly timedOut: boolean;
}

export type RecordEnd = 'dtmf' | 'timeout' | 'silence' | 'hangup' | 'error';

export interface RecordResult {
  readonly endedBy: RecordEnd;
  readonly digit: string | undefined;
  /** Length of the recording in samples, after silence trimming. */
  readonly endpos: number;
  /** Asterisk's marker for errors: randomerror, writefile, waitfor. */
  readonly detail: string | undefined;
}

export interface ExecResult {
  /** 'failed' is result -1: the application failed or the channel hung up during it; Dial also
   *  returns -1 when the CALLED side hangs up first (agi-commands.txt) while the caller stays up. */
  readonly status: 'ok' | 'failed' | 'app-not-found';
  readonly result: number;
}

const CHANNEL_STATES = ['down', 'reserved', 'offhook', 'dialing', 'ring', 'ringing', 'up', 'busy', 'dialing-offhook', 'prering'] as const;
export type ChannelStateName = (typeof CHANNEL_STATES)[number] | 'unknown';

export interface ChannelStatus {
  /** Asterisk's ast_channel_state value (6 = up). */
  readonly state: number;
  readonly name: ChannelStateName;
}

// ---------------------------------------------------------------------------------------------
// Argument validation (caller mistakes become AgiEncodeError before anything is written)

const DTMF_SET = /^[0-9A-Da-d*#]*$/;
const APP_NAME = /^[A-Za-z0-9_-]+$/;

function escapeDigits(value: string): AgiArg {
  if (!DTMF_SET.test(value)) throw new AgiEncodeError(`escape digits must be DTMF characters 0-9 * # A-D, got ${preview(value)}`);
  return quoted('escapeDigits', value);
}

function integer(name: string, value: number, min = Number.MIN_SAFE_INTEGER): AgiArg {
  if (!Number.isSafeInteger(value) || value < min) throw new AgiEncodeError(`argument "${name}" must be a whole number${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ''}, got ${String(value)}`);
  return word(name, value);
}

function required(name: string, value: string): AgiArg {
  if (value === '') throw new AgiEncodeError(`argument "${name}" must not be empty`);
  return word(name, value);
}

// ---------------------------------------------------------------------------------------------
// Result helpers

function intResult(reply: AgiResultReply, verb: string): number {
  if (!/^-?[0-9]{1,10}$/.test(reply.result)) throw new AgiProtocolError(`${verb}: result is not a number: ${preview(reply.line)}`, 'bad-result');
  return Number(reply.result);
}

function digitFromCode(code: number, verb: string, reply: AgiResultReply): string {
  if (code < 1 || code > 255) throw new AgiProtocolError(`${verb}: result ${code} is not a character code: ${preview(reply.line)}`, 'bad-result');
  return String.fromCharCode(code);
}

function endpos(reply: AgiResultReply, verb: string): number | undefined {
  const raw = reply.extras['endpos'];
  if (raw === undefined) return undefined;
  if (!/^-?[0-9]{1,15}$/.test(raw)) throw new AgiProtocolError(`${verb}: endpos is not a number: ${preview(reply.line)}`, 'bad-result');
  return Number(raw);
}

function playback(reply: AgiResultReply, verb: string): PlaybackResult {
  const code = intResult(reply, verb);
  const pos = endpos(reply, verb);
  if (code === 0) return { outcome: 'completed', digit: undefined, endpos: pos };
  if (code < 0) return { outcome: 'failed', digit: undefined, endpos: pos };
  return { outcome: 'interrupted', digit: digitFromCode(code, verb, reply), endpos: pos };
}

/** "200 result=1 (value)" -> value, "200 result=0" -> undefined. */
function optionalValue(reply: AgiResultReply, verb: string): string | undefined {
  const code = intResult(reply, verb);
  if (code === 1) {
    if (reply.data === undefined) throw new AgiProtocolError(`${verb}: result=1 without a (value): ${preview(reply.line)}`, 'bad-result');
    return reply.data;
  }
  if (code === 0 || code === -1) return undefined;
  throw new AgiProtocolError(`${verb}: unexpected result ${code}: ${preview(reply.line)}`, 'bad-result');
}

const never = (): boolean => false;
const minusOne = (reply: AgiResultReply): boolean => reply.result === '-1';
const HANGUP_ON_MINUS_ONE = { isHangup: minusOne };

function command<T>(verb: string, args: readonly AgiArg[], timing: AgiTiming, parse: (reply: AgiResultReply) => T, extra?: Partial<Pick<AgiCommand<T>, 'textData' | 'isHangup'>>): AgiCommand<T> {
  return { verb, line: encodeCommand(verb, args), timing, textData: extra?.textData ?? false, isHangup: extra?.isHangup ?? never, parse };
}

// Result parsers are module constants, not closures written inside each builder: a builder runs
// for every command of every call, and a fresh closure per command is garbage for nothing.

/** "Just check that the result is a number" parser of a command whose result means nothing. */
const voidResult =
  (verb: string) =>
  (reply: AgiResultReply): void => {
    intResult(reply, verb);
  };

const CONTROL: AgiTiming = { kind: 'control' };
const MEDIA: AgiTiming = { kind: 'media' };
const EXEC: AgiTiming = { kind: 'exec' };

// ---------------------------------------------------------------------------------------------
// The commands

// Commands without arguments are immutable: built once.
let answerCommand: AgiCommand<void> | undefined;
let noopCommand: AgiCommand<void> | undefined;
let statusCommand: AgiCommand<ChannelStatus | undefined> | undefined;

export function answer(): AgiCommand<void> {
  return (answerCommand ??= command('ANSWER', [], CONTROL, (reply) => {
    if (intResult(reply, 'ANSWER') < 0) throw new AgiHangupError('ANSWER failed (result=-1): the channel could not be answered');
  }));
}

/** HANGUP [channel]: true when hung up, false when the named channel does not exist. */
const parseHangup = (reply: AgiResultReply): boolean => intResult(reply, 'HANGUP') === 1;

export function hangup(channel?: string): AgiCommand<boolean> {
  return command('HANGUP', channel === undefined ? [] : [required('channel', channel)], CONTROL, parseHangup);
}

const parseStreamFile = (reply: AgiResultReply): PlaybackResult => playback(reply, 'STREAM FILE');

export function streamFile(file: string, digits = '', offsetSamples?: number): AgiCommand<PlaybackResult> {
  const args = [required('file', file), escapeDigits(digits)];
  if (offsetSamples !== undefined) args.push(integer('offsetSamples', offsetSamples, 0));
  return command('STREAM FILE', args, MEDIA, parseStreamFile);
}

export interface ControlStreamOptions {
  /** Milliseconds skipped by the forward/rewind digits (Asterisk default 3000). */
  readonly skipMs?: number;
  readonly forwardDigit?: string;
  readonly rewindDigit?: string;
  readonly pauseDigit?: string;
  /** Start offset in milliseconds (Asterisk 13+). */
  readonly offsetMs?: number;
}

export function controlStreamFile(file: string, digits = '', options: ControlStreamOptions = {}): AgiCommand<PlaybackResult> {
  const args = [required('file', file), escapeDigits(digits)];
  // Positional: a later option needs the earlier ones; '' means "Asterisk's default" for the digits.
  const tail: AgiArg[] = [
    integer('skipMs', options.skipMs ?? 3000, 0),
    oneDigit('forwardDigit', options.forwardDigit),
    oneDigit('rewindDigit', options.rewindDigit),
    oneDigit('pauseDigit', options.pauseDigit),
  ];
  if (options.offsetMs !== undefined) tail.push(integer('offsetMs', options.offsetMs, 0));
  const given = [options.skipMs, options.forwardDigit, options.rewindDigit, options.pauseDigit, options.offsetMs];
  let last = -1;
  for (let i = 0; i < given.length; i++) if (given[i] !== undefined) last = i;
  for (let i = 0; i <= last; i++) args.push(tail[i] as AgiArg);
  return command('CONTROL STREAM FILE', args, MEDIA, parseControlStreamFile);
}

const parseControlStreamFile = (reply: AgiResultReply): PlaybackResult => playback(reply, 'CONTROL STREAM FILE');

function oneDigit(name: string, value: string | undefined): AgiArg {
  if (value !== undefined && !/^[0-9A-Da-d*#]$/.test(value)) throw new AgiEncodeError(`argument "${name}" must be one DTMF character, got ${preview(value)}`);
  return quoted(name, value ?? '');
}

/** GET DATA: plays `file` and collects up to maxDigits; '#' ends input. -1 means the caller hung up. */
export function getData(file: string, timeoutMs?: number, maxDigits?: number): AgiCommand<GetDataResult> {
  const args = [required('file', file)];
  if (timeoutMs !== undefined || maxDigits !== undefined) args.push(integer('timeoutMs', timeoutMs ?? 0, 0));
  if (maxDigits !== undefined) args.push(integer('maxDigits', maxDigits, 1));
  return command('GET DATA', args, MEDIA, parseGetData, HANGUP_ON_MINUS_ONE);
}

function parseGetData(reply: AgiResultReply): GetDataResult {
  if (reply.result === '-1') throw new AgiHangupError('the caller hung up during GET DATA');
  if (!DTMF_SET.test(reply.result)) throw new AgiProtocolError(`GET DATA: result is not a digit string: ${preview(reply.line)}`, 'bad-result');
  return { digits: reply.result, timedOut: reply.data === 'timeout' };
}

/** WAIT FOR DIGIT: the digit pressed, or undefined on timeout. -1 means the caller hung up. */
export function waitForDigit(timeoutMs: number): AgiCommand<string | undefined> {
  const arg = integer('timeoutMs', timeoutMs, -1);
  return command('WAIT FOR DIGIT', [arg], timeoutMs < 0 ? MEDIA : { kind: 'wait', ms: timeoutMs }, parseWaitForDigit, HANGUP_ON_MINUS_ONE);
}

function parseWaitForDigit(reply: AgiResultReply): string | undefined {
  const code = intResult(reply, 'WAIT FOR DIGIT');
  if (code < 0) throw new AgiHangupError('the caller hung up during WAIT FOR DIGIT');
  return code === 0 ? undefined : digitFromCode(code, 'WAIT FOR DIGIT', reply);
}

/** SAY … replies carry no meaningful endpos. */
const sayResult =
  (verb: string) =>
  (reply: AgiResultReply): PlaybackResult => {
    const result = playback(reply, verb);
    return { ...result, endpos: undefined };
  };
const SAY_PARSERS: Readonly<Record<string, (reply: AgiResultReply) => PlaybackResult>> = Object.freeze({
  'SAY DIGITS': sayResult('SAY DIGITS'),
  'SAY ALPHA': sayResult('SAY ALPHA'),
  'SAY PHONETIC': sayResult('SAY PHONETIC'),
  'SAY DATE': sayResult('SAY DATE'),
  'SAY TIME': sayResult('SAY TIME'),
  'SAY NUMBER': sayResult('SAY NUMBER'),
  'SAY DATETIME': sayResult('SAY DATETIME'),
});

function say(verb: keyof typeof SAY_PARSERS, args: AgiArg[]): AgiCommand<PlaybackResult> {
  return command(verb, args, MEDIA, SAY_PARSERS[verb] as (reply: AgiResultReply) => PlaybackResult);
}

export const sayDigits = (digits: string, escape = ''): AgiCommand<PlaybackResult> => say('SAY DIGITS', [required('digits', digits), escapeDigits(escape)]);
export const sayAlpha = (characters: string, escape = ''): AgiCommand<PlaybackResult> => say('SAY ALPHA', [required('characters', characters), escapeDigits(escape)]);
export const sayPhonetic = (characters: string, escape = ''): AgiCommand<PlaybackResult> => say('SAY PHONETIC', [required('characters', characters), escapeDigits(escape)]);
export const sayDate = (epochSeconds: number, escape = ''): AgiCommand<PlaybackResult> => say('SAY DATE', [integer('epochSeconds', epochSeconds), escapeDigits(escape)]);
export const sayTime = (epochSeconds: number, escape = ''): AgiCommand<PlaybackResult> => say('SAY TIME', [integer('epochSeconds', epochSeconds), escapeDigits(escape)]);

export function sayNumber(value: number, escape = '', gender?: string): AgiCommand<PlaybackResult> {
  const args = [integer('number', value), escapeDigits(escape)];
  if (gender !== undefined) args.push(required('gender', gender));
  return say('SAY NUMBER', args);
}

/** Asterisk's own default format for SAY DATETIME (non-German languages), used when only a zone is given. */
const DEFAULT_DATETIME_FORMAT = "ABdY 'digits/at' IMp";

export function sayDatetime(epochSeconds: number, escape = '', format?: string, timezone?: string): AgiCommand<PlaybackResult> {
  const args = [integer('epochSeconds', epochSeconds), escapeDigits(escape)];
  if (format !== undefined || timezone !== undefined) args.push(quoted('format', format ?? DEFAULT_DATETIME_FORMAT));
  if (timezone !== undefined) args.push(required('timezone', timezone));
  return say('SAY DATETIME', args);
}

export interface RecordOptions {
  readonly escapeDigits?: string;
  /** Maximum length in ms; -1 (default) for no limit. */
  readonly timeoutMs?: number;
  readonly offsetSamples?: number;
  readonly beep?: boolean;
  /** Stop after this many seconds of silence. */
  readonly silenceSeconds?: number;
}

export function recordFile(file: string, format: string, options: RecordOptions = {}): AgiCommand<RecordResult> {
  const timeoutMs = options.timeoutMs ?? -1;
  const args = [required('file', file), required('format', format), escapeDigits(options.escapeDigits ?? ''), integer('timeoutMs', timeoutMs, -1)];
  const later = options.beep === true || options.silenceSeconds !== undefined || options.offsetSamples !== undefined;
  // Asterisk reads argv[6] as the offset when it is a number (else as "beep"); always send it when
  // anything follows, like agi-commands.txt does: RECORD FILE agi-rec-test wav "#" 3000 0 beep s=2
  if (later) args.push(integer('offsetSamples', options.offsetSamples ?? 0, 0));
  if (options.beep === true) args.push(word('beep', 'beep'));
  if (options.silenceSeconds !== undefined) args.push(word('silence', `s=${integer('silenceSeconds', options.silenceSeconds, 1).value}`));
  return command('RECORD FILE', args, timeoutMs < 0 ? MEDIA : { kind: 'wait', ms: timeoutMs }, parseRecord, RECORD_HANGUP);
}

const RECORD_HANGUP = { isHangup: (reply: AgiResultReply): boolean => reply.data === 'hangup' };

function parseRecord(reply: AgiResultReply): RecordResult {
  const code = intResult(reply, 'RECORD FILE');
  const pos = endpos(reply, 'RECORD FILE') ?? 0;
  switch (reply.data) {
    case 'dtmf':
      return { endedBy: 'dtmf', digit: digitFromCode(code, 'RECORD FILE', reply), endpos: pos, detail: undefined };
    case 'timeout':
      // agi-commands.txt: silence end is ALSO "(timeout)"; its result is the ms left (non-zero).
      return { endedBy: code > 0 ? 'silence' : 'timeout', digit: undefined, endpos: pos, detail: undefined };
    case 'hangup':
      return { endedBy: 'hangup', digit: undefined, endpos: pos, detail: undefined };
    default:
      return { endedBy: 'error', digit: undefined, endpos: pos, detail: reply.data ?? `result=${code}` };
  }
}

const parseSetVariable = voidResult('SET VARIABLE');

export function setVariable(name: string, value: string): AgiCommand<void> {
  return command('SET VARIABLE', [required('name', name), text('value', value)], CONTROL, parseSetVariable);
}

const TEXT_DATA = { textData: true };
const parseGetVariable = (reply: AgiResultReply): string | undefined => optionalValue(reply, 'GET VARIABLE');
const parseGetFullVariable = (reply: AgiResultReply): string | undefined => optionalValue(reply, 'GET FULL VARIABLE');

/** GET VARIABLE: the value, or undefined when the variable is not set. */
export function getVariable(name: string): AgiCommand<string | undefined> {
  return command('GET VARIABLE', [required('name', name)], CONTROL, parseGetVariable, TEXT_DATA);
}

/** GET FULL VARIABLE: evaluates an expression such as ${CALLERID(all)}, optionally on another channel. */
export function getFullVariable(expression: string, channel?: string): AgiCommand<string | undefined> {
  if (expression === '') throw new AgiEncodeError('argument "expression" must not be empty');
  const args = [text('expression', expression)];
  if (channel !== undefined) args.push(required('channel', channel));
  return command('GET FULL VARIABLE', args, CONTROL, parseGetFullVariable, TEXT_DATA);
}

/** CHANNEL STATUS: the state, or undefined when the named channel does not exist. */
export function channelStatus(channel?: string): AgiCommand<ChannelStatus | undefined> {
  const build = (): AgiCommand<ChannelStatus | undefined> =>
    command('CHANNEL STATUS', channel === undefined ? [] : [required('channel', channel)], CONTROL, (reply) => {
      const state = intResult(reply, 'CHANNEL STATUS');
      if (state < 0) return undefined;
      return { state, name: CHANNEL_STATES[state] ?? 'unknown' };
    });
  return channel === undefined ? (statusCommand ??= build()) : build();
}

/**
 * EXEC app data: Asterisk passes only ONE argument to the application (agi-commands.txt:
 * "EXEC NoOp w0 w1 …" runs NoOp(w0)), so the whole application data is one argument, quoted
 * whenever it contains anything beyond plain characters: EXEC NoOp "a,b,\"c\"" -> a,b,"c".
 */
export function exec(application: string, data?: string): AgiCommand<ExecResult> {
  if (!APP_NAME.test(application)) throw new AgiEncodeError(`application name must be letters, digits, _ or -, got ${preview(application)}`);
  const args = [word('application', application)];
  if (data !== undefined) args.push(text('data', data));
  return command('EXEC', args, EXEC, parseExec);
}

function parseExec(reply: AgiResultReply): ExecResult {
  const result = intResult(reply, 'EXEC');
  return { result, status: result === -2 ? 'app-not-found' : result < 0 ? 'failed' : 'ok' };
}

const parseSetMusic = voidResult('SET MUSIC');

export function setMusic(on: boolean, mohClass?: string): AgiCommand<void> {
  const args = [word('mode', on ? 'on' : 'off')];
  if (on && mohClass !== undefined) args.push(required('class', mohClass));
  return command('SET MUSIC', args, CONTROL, parseSetMusic);
}

const setter = (verb: string, name: string): ((value: string | number) => AgiCommand<void>) => {
  const parse = voidResult(verb);
  return (value) => command(verb, [typeof value === 'number' ? integer(name, value, 1) : required(name, value)], CONTROL, parse);
};

export const setContext: (context: string) => AgiCommand<void> = setter('SET CONTEXT', 'context');
export const setExtension: (extension: string) => AgiCommand<void> = setter('SET EXTENSION', 'extension');
/** SET PRIORITY: a number, or a priority label. */
export const setPriority: (priority: number | string) => AgiCommand<void> = setter('SET PRIORITY', 'priority');

export type CallerIdInput = string | { readonly name?: string; readonly number: string };

/** SET CALLERID "\"New Name\" <5551234>" (agi-commands.txt); a bare number leaves the name empty. */
export function setCallerId(callerId: CallerIdInput): AgiCommand<void> {
  const value = typeof callerId === 'string' ? callerId : callerId.name === undefined ? callerId.number : `"${callerId.name.replace(/"/g, '')}" <${callerId.number}>`;
  return command('SET CALLERID', [text('callerId', value)], CONTROL, parseSetCallerId);
}

const parseSetCallerId = voidResult('SET CALLERID');
const parseSetAutoHangup = voidResult('SET AUTOHANGUP');

export function setAutoHangup(seconds: number): AgiCommand<void> {
  return command('SET AUTOHANGUP', [integer('seconds', seconds, 0)], CONTROL, parseSetAutoHangup);
}

const parseDatabaseGet = (reply: AgiResultReply): string | undefined => optionalValue(reply, 'DATABASE GET');
const parseDatabasePut = (reply: AgiResultReply): boolean => intResult(reply, 'DATABASE PUT') === 1;
const parseDatabaseDel = (reply: AgiResultReply): boolean => intResult(reply, 'DATABASE DEL') === 1;

export function databaseGet(family: string, key: string): AgiCommand<string | undefined> {
  return command('DATABASE GET', [required('family', family), required('key', key)], CONTROL, parseDatabaseGet, TEXT_DATA);
}

/** DATABASE PUT: true when stored. */
export function databasePut(family: string, key: string, value: string): AgiCommand<boolean> {
  return command('DATABASE PUT', [required('family', family), required('key', key), text('value', value)], CONTROL, parseDatabasePut);
}

/** DATABASE DEL: true when Asterisk reports success (22.x also says 1 for a key that did not exist). */
export function databaseDel(family: string, key: string): AgiCommand<boolean> {
  return command('DATABASE DEL', [required('family', family), required('key', key)], CONTROL, parseDatabaseDel);
}

const parseVerbose = voidResult('VERBOSE');

export function verbose(message: string, level = 1): AgiCommand<void> {
  return command('VERBOSE', [text('message', message), integer('level', level, 0)], CONTROL, parseVerbose);
}

export function noop(): AgiCommand<void> {
  return (noopCommand ??= command('NOOP', [], CONTROL, voidResult('NOOP')));
}

const rawReply = (reply: AgiResultReply): AgiResultReply => reply;

/** Any other command (SPEECH …, GOSUB, …): words are encoded as 'word' arguments; the raw reply is returned. */
export function raw(verb: string, args: readonly (string | number | AgiArg)[] = [], timing: AgiTiming = CONTROL): AgiCommand<AgiResultReply> {
  const encoded = args.map((arg, i) => (typeof arg === 'object' ? arg : word(`arg${i + 1}`, arg)));
  return command(verb, encoded, timing, rawReply);
}
