/**
 * The AMI wire format (pure, no I/O), as captured in ami-session.txt / ami-actions.txt:
 * - the server greets with ONE line, `Asterisk Call Manager/x.y.z`, and no blank line after it;
 * - every message is `Name: value` lines ended by CRLF, and an empty line ends the message;
 * - a header may have an empty value, written `AccountCode:` (no space after the colon);
 * - a header may repeat (`Variable:` in Originate and Status), so headers are a list, not a map;
 * - old `Command` replies are `Response: Follows`, raw output lines, then `--END COMMAND--`.
 */
import { AmiHeaderValueError, AmiProtocolError } from './errors.ts';
import type { AmiHeader, AmiMessage } from './message.ts';

export type AmiFrame =
  | { readonly kind: 'banner'; readonly line: string; readonly version: string }
  | { readonly kind: 'message'; readonly message: AmiMessage };

const BANNER_PREFIX = 'Asterisk Call Manager/';
const END_COMMAND = '--END COMMAND--';
const HEADER_LINE = /^([A-Za-z0-9_()-][A-Za-z0-9_().-]*):(.*)$/;

export interface AmiParserOptions {
  /** Largest message (bytes of its lines) accepted; beyond it the stream is garbage. Default 1 MiB. */
  readonly maxMessageBytes?: number;
}

/**
 * Incremental decoder: feed it socket chunks, get whole frames. Throws AmiProtocolError on input
 * that cannot be AMI; the caller then drops the connection (the stream cannot be resynchronised).
 */
export class AmiParser {
  readonly #maxMessageBytes: number;
  #buffer = '';
  #bannerSeen = false;
  #lines: string[] = [];
  #messageBytes = 0;
  #follows = false;
  #followsHeadersDone = false;
  #output: string[] = [];

  constructor(options: AmiParserOptions = {}) {
    this.#maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024;
  }

  push(chunk: string | Buffer): AmiFrame[] {
    this.#buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const frames: AmiFrame[] = [];
    let start = 0;
    for (;;) {
      const newline = this.#buffer.indexOf('\n', start);
      if (newline < 0) break;
      let line = this.#buffer.slice(start, newline);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      start = newline + 1;
      this.#line(line, frames);
    }
    this.#buffer = this.#buffer.slice(start);
    if (this.#messageBytes + this.#buffer.length > this.#maxMessageBytes) {
      throw new AmiProtocolError(`AMI message larger than ${this.#maxMessageBytes} bytes without an end`);
    }
    return frames;
  }

  #line(line: string, frames: AmiFrame[]): void {
    if (!this.#bannerSeen) {
      if (!line.startsWith(BANNER_PREFIX)) {
        throw new AmiProtocolError(`expected the AMI banner "${BANNER_PREFIX}x.y.z", got ${JSON.stringify(line.slice(0, 80))}`);
      }
      this.#bannerSeen = true;
      frames.push({ kind: 'banner', line, version: line.slice(BANNER_PREFIX.length).trim() });
      return;
    }
    this.#messageBytes += line.length + 2;
    if (this.#follows) {
      this.#followsLine(line, frames);
      return;
    }
    if (line === '') {
      if (this.#lines.length > 0) frames.push({ kind: 'message', message: decodeLines(this.#lines, []) });
      this.#reset();
      return;
    }
    if (this.#lines.length === 0 && /^response:\s*follows\s*$/i.test(line)) this.#follows = true;
    this.#lines.push(line);
  }

  /** `Response: Follows`: headers, then raw output until `--END COMMAND--`, then the blank line. */
  #followsLine(line: string, frames: AmiFrame[]): void {
    if (!this.#followsHeadersDone && HEADER_LINE.test(line) && !line.endsWith(END_COMMAND)) {
      this.#lines.push(line);
      return;
    }
    this.#followsHeadersDone = true;
    if (line.endsWith(END_COMMAND)) {
      const rest = line.slice(0, -END_COMMAND.length);
      if (rest !== '') this.#output.push(rest);
      frames.push({ kind: 'message', message: decodeLines(this.#lines, this.#output) });
      this.#reset();
      // The blank line that follows the marker ends nothing more: #line skips empty lines between messages.
      return;
    }
    this.#output.push(line);
  }

  #reset(): void {
    this.#lines = [];
    this.#output = [];
    this.#messageBytes = 0;
    this.#follows = false;
    this.#followsHeadersDone = false;
  }
}

function decodeLines(lines: readonly string[], output: string[]): AmiMessage {
  const headers: AmiHeader[] = [];
  const stray: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      stray.push(line);
      continue;
    }
    const name = line.slice(0, colon);
    let value = line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    headers.push([name, value]);
  }
  const allOutput = [...stray, ...output];
  return allOutput.length > 0 ? { headers, output: allOutput } : { headers };
}

const HEADER_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * Encodes one action. Refuses (AmiHeaderValueError) anything that would let a value end the
 * header or the message early: CR or LF would let a caller-controlled value (a caller id, a
 * variable) append headers or whole actions of its own. The error names the header, never the
 * value (it may be the secret).
 */
export function encodeAction(headers: readonly AmiHeader[]): string {
  let out = '';
  for (const [name, value] of headers) {
    if (!HEADER_NAME.test(name)) {
      throw new AmiHeaderValueError(`AMI header name ${JSON.stringify(name.slice(0, 40))} is not a plain token`);
    }
    if (typeof value !== 'string') {
      throw new AmiHeaderValueError(`AMI header ${name} has a non-string value`);
    }
    if (/[\r\n\0]/.test(value)) {
      throw new AmiHeaderValueError(`AMI header ${name} contains CR, LF or NUL; refusing to send it (header injection)`);
    }
    out += `${name}: ${value}\r\n`;
  }
  return `${out}\r\n`;
}

/** Encodes a message the way Asterisk writes it (`Name:` with no space for an empty value); used by the test peer. */
export function encodeServerMessage(headers: readonly AmiHeader[]): string {
  let out = '';
  for (const [name, value] of headers) out += value === '' ? `${name}:\r\n` : `${name}: ${value}\r\n`;
  return `${out}\r\n`;
}
