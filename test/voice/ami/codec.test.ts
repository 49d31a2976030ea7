// Fixtures: ami-session.txt, ami-actions.txt (test/fixtures/asterisk).
import { expect } from 'chai';
import fc from 'fast-check';
import { AmiParser, encodeAction } from '../../../server/voice/ami/codec.ts';
import { header, headerAll } from '../../../server/voice/ami/message.ts';
import type { AmiFrame } from '../../../server/voice/ami/codec.ts';
import { AmiHeaderValueError, AmiProtocolError } from '../../../server/voice/ami/errors.ts';
import { loadAmiTranscript, recordedExchanges, toWire } from '../../peers/asterisk-ami-transcript.ts';

/** Asterisk's side of a transcript as the bytes it put on the wire. */
function asteriskWire(file: string): { wire: string; messages: number } {
  let wire = '';
  let messages = 0;
  for (const e of loadAmiTranscript(file)) {
    if (e.kind === 'banner') {
      if (wire === '') wire += `${e.line}\r\n`;
    } else if (e.kind === 'message' && e.dir === 'A') {
      wire += toWire(e.lines);
      messages += 1;
    }
    if (e.kind === 'note' && /second connection/.test(e.text)) break; // one TCP stream only
  }
  return { wire, messages };
}

describe('AMI codec', () => {
  it('decodes the whole recorded session, whatever the chunking', () => {
    const { wire, messages } = asteriskWire('ami-session.txt');
    const whole = new AmiParser().push(wire);
    expect(whole[0]).to.deep.equal({ kind: 'banner', line: 'Asterisk Call Manager/11.0.0', version: '11.0.0' });
    expect(whole.filter((f) => f.kind === 'message')).to.have.length(messages);

    // Same frames when fed in random small pieces (TCP may split anywhere, even inside CRLF).
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 40 }), (sizes) => {
        const parser = new AmiParser();
        const frames: AmiFrame[] = [];
        let at = 0;
        let i = 0;
        while (at < wire.length) {
          const size = sizes[i++ % sizes.length] ?? 1;
          frames.push(...parser.push(wire.slice(at, at + size)));
          at += size;
        }
        expect(frames).to.deep.equal(whole);
      }),
      { numRuns: 25 },
    );
  });

  it('keeps empty values (`AccountCode:` without a space) and repeated headers', () => {
    const parser = new AmiParser();
    const frames = parser.push(
      'Asterisk Call Manager/11.0.0\r\nEvent: Status\r\nAccountCode:\r\nVariable: CC_TAG=(null)\r\nVariable: CHANNEL(state)=Up\r\nCID-CallingPres: 0 (Presentation Allowed, Not Screened)\r\n\r\n',
    );
    const msg = frames[1];
    expect(msg?.kind).to.equal('message');
    if (msg?.kind !== 'message') return;
    expect(header(msg.message, 'accountcode')).to.equal('');
    expect(headerAll(msg.message, 'Variable')).to.deep.equal(['CC_TAG=(null)', 'CHANNEL(state)=Up']);
    expect(header(msg.message, 'CID-CallingPres')).to.equal('0 (Presentation Allowed, Not Screened)');
  });

  it('reads a `Response: Follows` reply up to --END COMMAND--, blank lines included', () => {
    const frames = new AmiParser().push(
      'Asterisk Call Manager/11.0.0\r\nResponse: Follows\r\nPrivilege: Command\r\nActionID: c1\r\nline one\r\n\r\nUptime: 3\r\n--END COMMAND--\r\n\r\nResponse: Success\r\nActionID: c2\r\n\r\n',
    );
    expect(frames).to.have.length(3);
    const follows = frames[1];
    if (follows?.kind !== 'message') throw new Error('expected message');
    expect(header(follows.message, 'ActionID')).to.equal('c1');
    expect(follows.message.output).to.deep.equal(['line one', '', 'Uptime: 3']);
    const next = frames[2];
    if (next?.kind !== 'message') throw new Error('expected message');
    expect(header(next.message, 'ActionID')).to.equal('c2');
  });

  it('refuses a stream that does not start with the banner', () => {
    expect(() => new AmiParser().push('HTTP/1.1 400 Bad Request\r\n')).to.throw(AmiProtocolError, /banner/);
  });

  it('refuses an endless message instead of buffering it', () => {
    const parser = new AmiParser({ maxMessageBytes: 64 * 1024 });
    parser.push('Asterisk Call Manager/11.0.0\r\n');
    expect(() => {
      for (let i = 0; i < 100; i += 1) parser.push(`Header${i}: ${'x'.repeat(1000)}\r\n`);
    }).to.throw(AmiProtocolError, /larger than/);
    const noNewline = new AmiParser({ maxMessageBytes: 1024 });
    noNewline.push('Asterisk Call Manager/11.0.0\r\n');
    expect(() => noNewline.push('y'.repeat(2048))).to.throw(AmiProtocolError);
  });

  it('encodes every recorded client action byte for byte', () => {
    for (const file of ['ami-session.txt', 'ami-actions.txt']) {
      for (const x of recordedExchanges(file)) {
        const headers = x.action.map((l) => {
          const colon = l.indexOf(':');
          return [l.slice(0, colon), l.slice(colon + 2)] as const;
        });
        expect(encodeAction(headers), `${file}: ${x.action[0]}`).to.equal(toWire(x.action));
      }
    }
  });

  it('rejects CR, LF and NUL in any value, and odd header names, naming the header but never the value', () => {
    for (const bad of ['x\r\nAction: Originate', 'x\nAction: Hangup', 'x\r', 'a\0b']) {
      let error: unknown;
      try {
        encodeAction([['Action', 'Setvar'], ['Value', bad]]);
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(AmiHeaderValueError);
      expect((error as Error).message).to.contain('Value').and.not.contain(bad);
    }
    expect(() => encodeAction([['Bad Name', 'x']])).to.throw(AmiHeaderValueError);
    expect(() => encodeAction([['X:Y', 'x']])).to.throw(AmiHeaderValueError);
    // Property: whatever the value, either it is refused or the encoded action is exactly one message.
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        let wire: string;
        try {
          wire = encodeAction([['Action', 'Setvar'], ['Value', value]]);
        } catch (err) {
          expect(err).to.be.instanceOf(AmiHeaderValueError);
          return;
        }
        const frames = new AmiParser().push(`Asterisk Call Manager/11.0.0\r\n${wire}`);
        expect(frames.filter((f) => f.kind === 'message')).to.have.length(1);
      }),
      { numRuns: 300 },
    );
  });
});
