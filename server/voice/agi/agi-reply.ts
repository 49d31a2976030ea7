// Replies Asterisk writes on an AGI socket (res_agi.c, checked against the fixtures):
//
//   200 result=0                              agi-session.txt (ANSWER)
//   200 result=1 (Local/100@ivr-test-…;2)     GET VARIABLE: the value in parentheses, verbatim
//   200 result=0 endpos=3520                  STREAM FILE
//   200 result= (timeout)                     GET DATA without input (empty result)
//   200 result=1001 (timeout) endpos=8160     RECORD FILE ended by silence (agi-commands.txt)
//   200 result=35 (dtmf) endpos=0             RECORD FILE ended by '#'
//   510 Invalid or unknown command
//   511 Command Not Permitted on a dead channel or intercept routine      (agi-hangup.txt)
//   520-Invalid command syntax.  Proper usage follows:                   (multi-line, agi-commands.txt)
//   Sets a variable to the current channel.
//   520 End of proper usage.
//   520 Invalid command syntax.  Proper usage not available.             (single line, no usage text)
//   HANGUP                                    unsolicited: the channel hung up / the script ended
//
// The parser is fed one line at a time and is pure; anything else is an AgiProtocolError.
import { AgiProtocolError, preview } from './agi-errors.ts';

export interface AgiResultReply {
  readonly kind: 'result';
  readonly code: 200;
  /** Text after "result=" up to the first space; may be empty (GET DATA timeout). */
  readonly result: string;
  /** Text inside the parentheses after the result, verbatim; undefined when there are none. */
  readonly data: string | undefined;
  /** key=value pairs after the data (endpos=…); an object without inherited keys. */
  readonly extras: Readonly<Record<string, string>>;
  readonly line: string;
}

export interface AgiInvalidCommandReply {
  readonly kind: 'invalid-command';
  readonly code: 510;
  readonly line: string;
}

export interface AgiDeadChannelReply {
  readonly kind: 'dead-channel';
  readonly code: 511;
  readonly line: string;
}

export interface AgiUsageReply {
  readonly kind: 'usage';
  readonly code: 520;
  /** The usage text between the 520- and 520 lines ('' for the single-line form). */
  readonly usage: string;
  readonly line: string;
}

export type AgiReply = AgiResultReply | AgiInvalidCommandReply | AgiDeadChannelReply | AgiUsageReply;

export type AgiInbound = { readonly type: 'reply'; readonly reply: AgiReply } | { readonly type: 'hangup' };

const RESULT_PREFIX = '200 result=';
const OPEN_PAREN = 0x28;
const SPACE = 0x20;
const EQUALS = 0x3d;
/** Trailers Asterisk writes are short (" endpos=123456"); only look this far back for the closing ')'. */
const MAX_TRAILER = 256;
const MAX_USAGE_LINES = 500;
const MAX_REPLY_BYTES = 256 * 1024;

export const HANGUP_EVENT: AgiInbound = Object.freeze({ type: 'hangup' });

/**
 * What `ReplyParser.read` returns for the unsolicited HANGUP line. The session's hot path uses
 * `read` (the reply itself, no event wrapper per reply); `pushLine` wraps it for everyone else.
 */
export const HANGUP_LINE = 'hangup';

/**
 * The `extras` of a reply: an object with no inherited keys (its prototype is an empty, frozen,
 * null-prototype object, so `'constructor' in extras` is false as with Object.create(null)). Why
 * not Object.create(null) itself: V8 makes such objects dictionaries, and building one costs about
 * 400 ns against 30 ns for this constructor, on every reply that carries endpos=.
 */
const Extras = function Extras(): void {} as unknown as { new (): Record<string, string>; prototype: object };
Extras.prototype = Object.freeze(Object.create(null) as object);
const NO_EXTRAS: Readonly<Record<string, string>> = Object.freeze(new Extras());

/**
 * Incremental reply parser. `textData` must be set while a command whose reply carries free text in
 * parentheses (GET VARIABLE, GET FULL VARIABLE, DATABASE GET) is in flight: Asterisk prints such a
 * value raw, so a value containing a newline arrives on several lines and only the last one ends
 * with ')'. For every other command a '(' without ')' is garbage.
 */
export class ReplyParser {
  textData = false;
  private usage: string[] | undefined;
  private usageBytes = 0;
  private openResult: string | undefined;

  /** True while a multi-line reply (520 usage, multi-line value) is incomplete. */
  get midReply(): boolean {
    return this.usage !== undefined || this.openResult !== undefined;
  }

  /** Consumes one line (without LF). Returns a completed reply or a HANGUP, undefined mid-reply. */
  pushLine(line: string): AgiInbound | undefined {
    const event = this.read(line);
    if (event === undefined) return undefined;
    return event === HANGUP_LINE ? HANGUP_EVENT : { type: 'reply', reply: event };
  }

  /** Same as pushLine, without the event wrapper: the reply, HANGUP_LINE, or undefined mid-reply. */
  read(line: string): AgiReply | typeof HANGUP_LINE | undefined {
    if (this.openResult !== undefined) return this.continueResult(line);
    if (this.usage !== undefined) return this.continueUsage(line);

    if (line.startsWith(RESULT_PREFIX)) {
      const reply = splitResultLine(line);
      if (reply) return reply;
      if (!this.textData) throw new AgiProtocolError(`reply has "(" without a closing ")": ${preview(line)}`, 'bad-result');
      this.openResult = line;
      return undefined;
    }
    if (line === 'HANGUP') return HANGUP_LINE;
    if (line.startsWith('510 ')) return { kind: 'invalid-command', code: 510, line };
    if (line.startsWith('511 ')) return { kind: 'dead-channel', code: 511, line };
    if (line.startsWith('520-')) {
      this.usage = [];
      this.usageBytes = line.length;
      return undefined;
    }
    if (line.startsWith('520 ')) return { kind: 'usage', code: 520, usage: '', line };
    if (line.startsWith('200')) throw new AgiProtocolError(`malformed 200 reply (no "result="): ${preview(line)}`, 'garbage');
    if (/^[0-9]{3}(?:[ -]|$)/.test(line)) {
      throw new AgiProtocolError(`unknown AGI result code ${line.slice(0, 3)}: ${preview(line)}`, 'unknown-code');
    }
    throw new AgiProtocolError(`not an AGI reply: ${preview(line)}`, 'garbage');
  }

  private continueUsage(line: string): AgiReply | undefined {
    const usage = this.usage as string[];
    if (line.startsWith('520 ')) {
      this.usage = undefined;
      return { kind: 'usage', code: 520, usage: usage.join('\n'), line };
    }
    this.usageBytes += line.length + 1;
    if (usage.length >= MAX_USAGE_LINES || this.usageBytes > MAX_REPLY_BYTES) {
      throw new AgiProtocolError(`a 520 usage reply runs past ${MAX_USAGE_LINES} lines or ${MAX_REPLY_BYTES} bytes without "520 End of proper usage."`, 'oversized-reply');
    }
    usage.push(line);
    return undefined;
  }

  private continueResult(line: string): AgiReply | undefined {
    const joined = `${this.openResult as string}\n${line}`;
    if (joined.length > MAX_REPLY_BYTES) throw new AgiProtocolError(`a multi-line value runs past ${MAX_REPLY_BYTES} bytes without a closing ")"`, 'oversized-reply');
    const reply = splitResultLine(joined);
    if (!reply) {
      this.openResult = joined;
      return undefined;
    }
    this.openResult = undefined;
    return reply;
  }
}

/**
 * Parses one complete "200 result=…" reply. Returns undefined when a '(' opens data that the text
 * does not close (the caller decides whether more lines may follow). Throws on other malformations.
 */
export function splitResultLine(line: string): AgiResultReply | undefined {
  if (!line.startsWith(RESULT_PREFIX)) throw new AgiProtocolError(`not a "200 result=" reply: ${preview(line)}`, 'garbage');
  const afterPrefix = RESULT_PREFIX.length;
  const space = line.indexOf(' ', afterPrefix);
  // Most replies are just "200 result=N": no data, no pairs.
  if (space === -1) return { kind: 'result', code: 200, result: line.slice(afterPrefix), data: undefined, extras: NO_EXTRAS, line };
  const result = line.slice(afterPrefix, space);
  let data: string | undefined;
  let trailer = space;

  if (line.charCodeAt(space + 1) === OPEN_PAREN) {
    // The data is printed raw and may itself contain ")" or " x=y": take the LAST ")" that is
    // followed only by key=value pairs, which is what Asterisk's "(%s) endpos=%ld" produces.
    const minClose = Math.max(space + 2, line.length - MAX_TRAILER);
    let close = line.lastIndexOf(')');
    while (close >= minClose && !isTrailer(line, close + 1)) close = line.lastIndexOf(')', close - 1);
    if (close < minClose) return undefined;
    data = line.slice(space + 2, close);
    trailer = close + 1;
  } else if (!isTrailer(line, space)) {
    throw new AgiProtocolError(`unexpected text after the result: ${preview(line)}`, 'bad-result');
  }
  return { kind: 'result', code: 200, result, data, extras: trailer === line.length ? NO_EXTRAS : readPairs(line, trailer), line };
}

function isKeyStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f; // A-Z a-z _
}

function isKeyPart(c: number): boolean {
  return isKeyStart(c) || (c >= 0x30 && c <= 0x39); // … 0-9
}

/**
 * True when line[from…] is a run of " key=value" pairs (key [A-Za-z_][A-Za-z0-9_]*, value without
 * spaces; possibly none), i.e. /^(?: [A-Za-z_][A-Za-z0-9_]*=[^ ]*)*$/ checked without slicing.
 */
function isTrailer(line: string, from: number): boolean {
  const n = line.length;
  let i = from;
  while (i < n) {
    if (line.charCodeAt(i) !== SPACE || !isKeyStart(line.charCodeAt(i + 1))) return false;
    i += 2;
    while (i < n && isKeyPart(line.charCodeAt(i))) i++;
    if (line.charCodeAt(i) !== EQUALS) return false;
    i++;
    while (i < n && line.charCodeAt(i) !== SPACE) i++;
  }
  return true;
}

/** The pairs of a trailer that isTrailer accepted; the first occurrence of a key wins. */
function readPairs(line: string, from: number): Record<string, string> {
  const extras = new Extras();
  let i = from;
  while (i < line.length) {
    const eq = line.indexOf('=', i + 1);
    let end = line.indexOf(' ', eq + 1);
    if (end === -1) end = line.length;
    const key = line.slice(i + 1, eq);
    if (!(key in extras)) extras[key] = line.slice(eq + 1, end);
    i = end;
  }
  return extras;
}

/** Parses a whole reply given as lines (convenience for tests and the fuzz suite). */
export function parseReplyLines(lines: readonly string[], textData = false): AgiInbound[] {
  const parser = new ReplyParser();
  parser.textData = textData;
  const out: AgiInbound[] = [];
  for (const line of lines) {
    const event = parser.pushLine(line);
    if (event) out.push(event);
  }
  return out;
}
