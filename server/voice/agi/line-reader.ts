// Splits the bytes of an AGI socket into lines. AGI lines end with LF (Asterisk never sends CR, but
// a stray CR before the LF is dropped so that a hand-typed test client works too).
//
// The reader refuses to buffer more than `maxLineBytes` of one line: a peer that streams a 1 MB line
// (or never sends LF) gets an AgiProtocolError after the limit instead of growing our memory.
import { AgiProtocolError } from './agi-errors.ts';

const LF = 0x0a;
const CR = 0x0d;

export class LineReader {
  private parts: Buffer[] = [];
  private partBytes = 0;

  constructor(readonly maxLineBytes: number) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new RangeError('maxLineBytes must be a positive integer');
  }

  /** Bytes of an unfinished line held back until its LF arrives. */
  get pendingBytes(): number {
    return this.partBytes;
  }

  /**
   * Feeds one chunk; returns the lines it completed (without LF), oldest first.
   * Throws AgiProtocolError('line-too-long') as soon as an unfinished line passes the limit.
   */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    let lf = chunk.indexOf(LF, start);
    while (lf !== -1) {
      const length = this.partBytes + (lf - start);
      if (length > this.maxLineBytes) throw tooLong(length, this.maxLineBytes);
      if (this.partBytes === 0) {
        lines.push(decode(chunk, start, lf));
      } else {
        this.parts.push(chunk.subarray(start, lf));
        const whole = Buffer.concat(this.parts, length);
        this.parts = [];
        this.partBytes = 0;
        lines.push(decode(whole, 0, whole.length));
      }
      start = lf + 1;
      lf = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) {
      const rest = chunk.length - start;
      if (this.partBytes + rest > this.maxLineBytes) throw tooLong(this.partBytes + rest, this.maxLineBytes);
      // Copy: the socket may reuse its buffer, and a subarray would pin the whole chunk.
      this.parts.push(Buffer.from(chunk.subarray(start)));
      this.partBytes += rest;
    }
    return lines;
  }
}

function decode(buf: Buffer, start: number, end: number): string {
  const stop = end > start && buf[end - 1] === CR ? end - 1 : end;
  return buf.toString('utf8', start, stop);
}

function tooLong(length: number, max: number): AgiProtocolError {
  return new AgiProtocolError(`a line from the peer is longer than ${max} bytes (at least ${length} bytes without a line end)`, 'line-too-long');
}
