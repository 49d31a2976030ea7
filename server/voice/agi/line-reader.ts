// Splits the bytes of an AGI socket into lines. AGI lines end with LF (Asterisk never sends CR, but
// a stray CR before the LF is dropped so that a hand-typed test client works too).
//
// The reader refuses to buffer more than `maxLineBytes` of one line: a peer that streams a 1 MB line
// (or never sends LF) gets an AgiProtocolError after the limit instead of growing our memory.
import { AgiProtocolError } from './agi-errors.ts';

const LF = 0x0a;
const CR = 0x0d;

/** Takes one line (without LF); returns false to stop reading the chunk. */
export type LineSink = (line: string) => boolean;

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
    this.scan(chunk, (line) => lines.push(line) > 0);
    return lines;
  }

  /**
   * Same as push, without the array: hands each completed line to `sink` as it is found (the
   * session's path, one call per reply, nothing allocated but the line). `sink` returns false to
   * stop: the rest of the chunk is then dropped (the caller has given up on this stream).
   * Throws AgiProtocolError('line-too-long') before handing over ANY line of a chunk that carries
   * an over-long line, exactly as push does, so a fault never follows the lines before it.
   */
  feed(chunk: Buffer, sink: LineSink): void {
    if (this.partBytes + chunk.length > this.maxLineBytes) {
      for (const line of this.push(chunk)) if (!sink(line)) return;
      return;
    }
    // No line of this chunk can pass the limit: hand the lines over as they are found.
    if (this.partBytes === 0) this.scanWhole(chunk, sink);
    else this.scan(chunk, sink);
  }

  /**
   * The common case (nothing pending): decode every complete line of the chunk with ONE
   * toString and split the text, instead of one decode per line (the ~23 lines of an environment
   * block arrive in one segment). Splitting after decoding is exact: LF is ASCII and never part
   * of a multi-byte UTF-8 sequence, so each line decodes to the same text either way.
   */
  private scanWhole(chunk: Buffer, sink: LineSink): void {
    const last = chunk.lastIndexOf(LF);
    if (last !== -1) {
      const text = chunk.toString('utf8', 0, last);
      let start = 0;
      for (;;) {
        const lf = text.indexOf('\n', start);
        const end = lf === -1 ? text.length : lf;
        const stop = end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end;
        if (!sink(start === 0 && stop === text.length ? text : text.slice(start, stop))) return;
        if (lf === -1) break;
        start = lf + 1;
      }
    }
    if (last + 1 < chunk.length) {
      // Copy: the socket may reuse its buffer, and a subarray would pin the whole chunk.
      this.parts.push(Buffer.from(chunk.subarray(last + 1)));
      this.partBytes = chunk.length - (last + 1);
    }
  }

  private scan(chunk: Buffer, sink: LineSink): void {
    let start = 0;
    let lf = chunk.indexOf(LF, start);
    while (lf !== -1) {
      const length = this.partBytes + (lf - start);
      if (length > this.maxLineBytes) throw tooLong(length, this.maxLineBytes);
      let line: string;
      if (this.partBytes === 0) {
        line = decode(chunk, start, lf);
      } else {
        this.parts.push(chunk.subarray(start, lf));
        const whole = Buffer.concat(this.parts, length);
        this.parts = [];
        this.partBytes = 0;
        line = decode(whole, 0, whole.length);
      }
      start = lf + 1;
      if (!sink(line)) return;
      lf = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) {
      const rest = chunk.length - start;
      if (this.partBytes + rest > this.maxLineBytes) throw tooLong(this.partBytes + rest, this.maxLineBytes);
      // Copy: the socket may reuse its buffer, and a subarray would pin the whole chunk.
      this.parts.push(Buffer.from(chunk.subarray(start)));
      this.partBytes += rest;
    }
  }
}

function decode(buf: Buffer, start: number, end: number): string {
  const stop = end > start && buf[end - 1] === CR ? end - 1 : end;
  return buf.toString('utf8', start, stop);
}

function tooLong(length: number, max: number): AgiProtocolError {
  return new AgiProtocolError(`a line from the peer is longer than ${max} bytes (at least ${length} bytes without a line end)`, 'line-too-long');
}
