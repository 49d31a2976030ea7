// The pure AGI codec: environment parser, reply parser, command encoder, line reader and the typed
// result parsers, checked against the bytes of test/fixtures/asterisk/agi-*.txt.
import { expect } from 'chai';
import { EnvironmentParser, parseEnvironment, parseScript } from '../../../server/voice/agi/agi-environment.ts';
import { AgiEncodeError, AgiEnvironmentError, AgiHangupError, AgiProtocolError } from '../../../server/voice/agi/agi-errors.ts';
import { encodeCommand, MAX_COMMAND_LINE_BYTES, quoted, text, word } from '../../../server/voice/agi/agi-command.ts';
import * as commands from '../../../server/voice/agi/agi-commands.ts';
import { ReplyParser, parseReplyLines, splitResultLine, type AgiResultReply } from '../../../server/voice/agi/agi-reply.ts';
import { LineReader } from '../../../server/voice/agi/line-reader.ts';
import { parseAgiArgs } from '../../peers/asterisk-agi-model.ts';
import { parseTranscript } from '../../peers/asterisk-agi-transcript.ts';
import { fixture } from './helpers.ts';

const AGI_FIXTURES = ['agi-session.txt', 'agi-hangup.txt', 'agi-hangup-exitonhangup.txt', 'agi-commands.txt', 'agi-to-stasis.txt'];

function result(line: string): AgiResultReply {
  const reply = splitResultLine(line);
  if (!reply) throw new Error(`unterminated: ${line}`);
  return reply;
}

describe('AGI codec', () => {
  describe('environment (agi-session.txt)', () => {
    const envText = `${parseTranscript(fixture('agi-session.txt')).environment.join('\n')}\n`;

    it('parses every field of the recorded block', () => {
      const env = parseEnvironment(envText);
      expect(env).to.deep.include({
        network: true,
        request: 'agi://127.0.0.1:4573/demo?x=1',
        channel: 'Local/100@ivr-test-00000000;2',
        language: 'en',
        type: 'Local',
        uniqueId: '1795294530.1',
        version: '22.10.1',
        callerId: '1001',
        callerIdName: 'AGI Probe',
        dnid: 'unknown',
        context: 'ivr-test',
        extension: '100',
        priority: '2',
        accountCode: '',
        threadId: '139673487320768',
      });
      expect(env.script).to.deep.equal({ raw: 'demo?x=1', path: 'demo', query: Object.assign(Object.create(null) as object, { x: '1' }) });
      expect(env.args).to.deep.equal([]);
    });

    it('is incremental: undefined until the empty line, whatever the line boundaries', () => {
      const parser = new EnvironmentParser();
      const lines = envText.split('\n');
      for (const line of lines.slice(0, -2)) expect(parser.pushLine(line)).to.equal(undefined);
      expect(parser.pushLine('')?.uniqueId).to.equal('1795294530.1');
    });

    it('collects agi_arg_N in order and keeps empty ones', () => {
      const env = parseEnvironment(`agi_request: agi://h/ivr\nagi_channel: c\nagi_uniqueid: 1\nagi_arg_2: b\nagi_arg_1: a\nagi_arg_3: \n\n`);
      expect(env.args).to.deep.equal(['a', 'b', '']);
      expect(env.script.path).to.equal('');
    });

    it('parses the script path and query safely', () => {
      expect(parseScript('ivr/main/?did=%2B3312&x=1&x=2')).to.deep.include({ path: 'ivr/main' });
      expect({ ...parseScript('ivr/main/?did=%2B3312&x=1&x=2').query }).to.deep.equal({ did: '+3312', x: '1' });
      const polluted = parseScript('a?__proto__=x&constructor=y');
      expect(polluted.query['__proto__']).to.equal('x');
      expect(({} as Record<string, unknown>)['x']).to.equal(undefined);
    });

    const bad: [string, string, RegExp][] = [
      ['an HTTP request', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', /did not start with an AGI environment \(first line "GET \/ HTTP\/1\.1\\r"\)/],
      ['a command instead of an environment', 'ANSWER\n\n', /did not start with an AGI environment/],
      ['an empty block', '\n', /empty/],
      ['a block without agi_channel', 'agi_request: agi://x/y\nagi_uniqueid: 1\n\n', /lacks agi_channel/],
      ['a garbled line', 'agi_request: a\nagi_channel b\n\n', /line 2 .* not an "agi_name: value" pair/],
      ['a repeated name', 'agi_request: a\nagi_request: b\n\n', /repeats agi_request/],
      ['an argument beyond Asterisk\'s limit', 'agi_request: a\nagi_channel: c\nagi_uniqueid: 1\nagi_arg_200: x\n\n', /at most 127 arguments/],
      ['a block that never ends', 'agi_request: a\n', /without the empty line/],
    ];
    for (const [what, input, message] of bad) {
      it(`refuses ${what} with a clear AgiEnvironmentError`, () => {
        expect(() => parseEnvironment(input)).to.throw(AgiEnvironmentError, message);
      });
    }

    it('refuses an environment of thousands of lines', () => {
      const parser = new EnvironmentParser();
      expect(() => {
        for (let i = 0; i < 10_000; i++) parser.pushLine(`agi_x${i}: y`);
      }).to.throw(AgiEnvironmentError, /too large/);
    });
  });

  describe('replies', () => {
    it('parses every reply line recorded in the AGI fixtures', () => {
      let count = 0;
      for (const name of AGI_FIXTURES) {
        for (const exchange of parseTranscript(fixture(name)).exchanges) {
          // The NL exchange's reply is shifted by the newline demo; parse per line with text data on.
          const events = parseReplyLines(exchange.reply, true);
          count += events.length;
        }
      }
      expect(count).to.be.greaterThan(100);
    });

    it('reads result, data and endpos exactly (agi-commands.txt, agi-session.txt)', () => {
      expect(result('200 result= (timeout)')).to.deep.include({ result: '', data: 'timeout' });
      expect(result('200 result=1001 (timeout) endpos=8160')).to.deep.include({ result: '1001', data: 'timeout' });
      expect(result('200 result=1001 (timeout) endpos=8160').extras['endpos']).to.equal('8160');
      expect(result('200 result=35 (dtmf) endpos=0')).to.deep.include({ result: '35', data: 'dtmf' });
      expect(result('200 result=0 endpos=3520').extras['endpos']).to.equal('3520');
      expect(result('200 result=1 ("AGI Probe" <1001>)').data).to.equal('"AGI Probe" <1001>');
      expect(result('200 result=1 (a\\bnc)').data).to.equal('a\\bnc');
      expect(result('200 result=1 ()').data).to.equal('');
      // A value that itself looks like a trailer stays data: the LAST ')' wins.
      expect(result('200 result=1 ((x) endpos=5)').data).to.equal('(x) endpos=5');
    });

    it('reads 510, 511, the multi-line 520, the single-line 520 and HANGUP', () => {
      const events = parseReplyLines([
        '510 Invalid or unknown command',
        '511 Command Not Permitted on a dead channel or intercept routine',
        '520-Invalid command syntax.  Proper usage follows:',
        'Sets a variable to the current channel.',
        '520 End of proper usage.',
        '520 Invalid command syntax.  Proper usage not available.',
        'HANGUP',
      ]);
      expect(events.map((e) => (e.type === 'hangup' ? 'HANGUP' : e.reply.kind))).to.deep.equal(['invalid-command', 'dead-channel', 'usage', 'usage', 'HANGUP']);
      const usage = events[2];
      expect(usage?.type === 'reply' && usage.reply.kind === 'usage' ? usage.reply.usage : undefined).to.equal('Sets a variable to the current channel.');
    });

    it('joins a value that spans lines only for commands that return free text', () => {
      const parser = new ReplyParser();
      parser.textData = true;
      expect(parser.pushLine('200 result=1 (first')).to.equal(undefined);
      expect(parser.midReply).to.equal(true);
      const event = parser.pushLine('second)');
      expect(event?.type === 'reply' && event.reply.kind === 'result' ? event.reply.data : undefined).to.equal('first\nsecond');
      expect(() => new ReplyParser().pushLine('200 result=1 (first')).to.throw(AgiProtocolError, /without a closing/);
    });

    const garbage: [string, RegExp, string][] = [
      ['300 result=0', /unknown AGI result code 300/, 'unknown-code'],
      ['210 KeepAlive', /unknown AGI result code 210/, 'unknown-code'],
      ['hello', /not an AGI reply/, 'garbage'],
      ['200 result', /malformed 200 reply/, 'garbage'],
      ['HANGUP now', /not an AGI reply/, 'garbage'],
      ['200 result=0 trailing words', /unexpected text after the result/, 'bad-result'],
      ['', /not an AGI reply/, 'garbage'],
    ];
    for (const [line, message, problem] of garbage) {
      it(`refuses ${JSON.stringify(line)} as ${problem}`, () => {
        const parser = new ReplyParser();
        expect(() => parser.pushLine(line)).to.throw(AgiProtocolError, message).with.property('problem', problem);
      });
    }

    it('refuses a 520 block that never ends', () => {
      const parser = new ReplyParser();
      parser.pushLine('520-Invalid command syntax.  Proper usage follows:');
      expect(() => {
        for (let i = 0; i < 1000; i++) parser.pushLine('usage line');
      }).to.throw(AgiProtocolError, /520 usage reply runs past/);
    });
  });

  describe('command encoding', () => {
    it('produces the fixture bytes', () => {
      expect(commands.answer().line).to.equal('ANSWER\n');
      expect(commands.getFullVariable('${CALLERID(all)}').line).to.equal('GET FULL VARIABLE "${CALLERID(all)}"\n');
      expect(commands.verbose('probe demo script running', 1).line).to.equal('VERBOSE "probe demo script running" 1\n');
      expect(commands.streamFile('beep').line).to.equal('STREAM FILE beep ""\n');
      expect(commands.waitForDigit(3000).line).to.equal('WAIT FOR DIGIT 3000\n');
      expect(commands.setVariable('LAB_RESULT', '12#').line).to.equal('SET VARIABLE LAB_RESULT "12#"\n');
      expect(commands.setVariable('LAB_DONE', 'yes').line).to.equal('SET VARIABLE LAB_DONE yes\n');
      expect(commands.exec('Playback', 'beep').line).to.equal('EXEC Playback beep\n');
      expect(commands.exec('NoOp', 'exec from fastagi').line).to.equal('EXEC NoOp "exec from fastagi"\n');
      expect(commands.exec('Stasis', 'acd,queue,42').line).to.equal('EXEC Stasis acd,queue,42\n');
      expect(commands.exec('Set', 'DIALOPTS=a,b').line).to.equal('EXEC Set "DIALOPTS=a,b"\n');
      expect(commands.exec('NoOp', 'a,b,"c"').line).to.equal('EXEC NoOp "a,b,\\"c\\""\n');
      expect(commands.setCallerId('"New Name" <5551234>').line).to.equal('SET CALLERID "\\"New Name\\" <5551234>"\n');
      expect(commands.setVariable('QUOTED', 'he said "hi" and left').line).to.equal('SET VARIABLE QUOTED "he said \\"hi\\" and left"\n');
      expect(commands.recordFile('agi-rec-test', 'wav', { escapeDigits: '#', timeoutMs: 3000, beep: true, silenceSeconds: 2 }).line).to.equal('RECORD FILE agi-rec-test wav "#" 3000 0 beep s=2\n');
      expect(commands.sayDatetime(1795294530, '', 'HM', 'UTC').line).to.equal('SAY DATETIME 1795294530 "" "HM" UTC\n');
    });

    it('round-trips any argument through Asterisk\'s parse_args (ported in the peer)', () => {
      const values = ['', ' ', 'a b', '"', '\\', '\\"', 'x\\ny', '\t', "it's", '${X}', 'ünï ✓', 'a,b|c', '""', 'end\\'];
      for (const kind of [word, text, quoted]) {
        for (const v of values) {
          const line = encodeCommand('SET VARIABLE', [word('name', 'N'), kind('value', v)]);
          expect(parseAgiArgs(line.slice(0, -1)), `${kind.name} ${JSON.stringify(v)}`).to.deep.equal(['SET', 'VARIABLE', 'N', v]);
        }
      }
    });

    it('refuses CR, LF and NUL inside an argument, naming it (agi-commands.txt: a newline cuts the command)', () => {
      for (const bad of ['first\nsecond', 'a\rb', 'nul\u0000byte']) {
        expect(() => commands.setVariable('NL', bad)).to.throw(AgiEncodeError, /argument "value" contains (a line feed|a carriage return|a NUL byte) at position/);
      }
      expect(() => commands.exec('Playback', 'x\n')).to.throw(AgiEncodeError, /argument "data"/);
    });

    it('accepts a line of exactly 2,047 bytes with its LF and refuses 2,048', () => {
      // 'SET VARIABLE V ' is 15 bytes, + value + LF.
      expect(Buffer.byteLength(commands.setVariable('V', 'x'.repeat(2031)).line)).to.equal(MAX_COMMAND_LINE_BYTES);
      expect(() => commands.setVariable('V', 'x'.repeat(2032))).to.throw(AgiEncodeError, /2048 bytes .* at most 2047/);
      // Quoted: 'SET VARIABLE V "' is 16 bytes, + value + '"' + LF.
      expect(Buffer.byteLength(commands.setVariable('V', ` ${'x'.repeat(2028)}`).line)).to.equal(2047);
      expect(() => commands.setVariable('V', ` ${'x'.repeat(2029)}`)).to.throw(AgiEncodeError).with.property('code', 'AGI_LINE_TOO_LONG');
      // Multi-byte characters count in bytes, not characters: 1,100 × 'é' is 2,200 bytes.
      expect(() => commands.setVariable('V', 'é'.repeat(1100))).to.throw(AgiEncodeError).with.property('code', 'AGI_LINE_TOO_LONG');
    });

    it('refuses more words than parse_args keeps, bad verbs, bad digits and bad numbers', () => {
      expect(() => encodeCommand('NOOP', Array.from({ length: 127 }, (_, i) => word(`a${i}`, 'x')))).to.throw(AgiEncodeError, /at most 127/);
      expect(() => encodeCommand('noop')).to.throw(AgiEncodeError, /not an AGI command name/);
      expect(() => encodeCommand('NOOP\nANSWER')).to.throw(AgiEncodeError);
      expect(() => commands.streamFile('beep', '12x')).to.throw(AgiEncodeError, /escape digits/);
      expect(() => commands.waitForDigit(1.5)).to.throw(AgiEncodeError, /whole number/);
      expect(() => commands.waitForDigit(-2)).to.throw(AgiEncodeError, /≥ -1/);
      expect(() => commands.streamFile('')).to.throw(AgiEncodeError, /"file" must not be empty/);
      expect(() => commands.exec('Dial;Hangup')).to.throw(AgiEncodeError, /application name/);
    });
  });

  describe('typed results', () => {
    it('WAIT FOR DIGIT: code, timeout, hang-up (agi-session.txt, agi-hangup.txt)', () => {
      const cmd = commands.waitForDigit(3000);
      expect(cmd.parse(result('200 result=49'))).to.equal('1');
      expect(cmd.parse(result('200 result=35'))).to.equal('#');
      expect(cmd.parse(result('200 result=0'))).to.equal(undefined);
      expect(cmd.isHangup(result('200 result=-1'))).to.equal(true);
      expect(() => cmd.parse(result('200 result=-1'))).to.throw(AgiHangupError);
      expect(() => cmd.parse(result('200 result=abc'))).to.throw(AgiProtocolError, /not a number/);
      expect(() => cmd.parse(result('200 result=99999'))).to.throw(AgiProtocolError, /not a character code/);
    });

    it('GET DATA, RECORD FILE, EXEC, CHANNEL STATUS, GET VARIABLE, DATABASE', () => {
      expect(commands.getData('beep').parse(result('200 result=123'))).to.deep.equal({ digits: '123', timedOut: false });
      expect(() => commands.getData('beep').parse(result('200 result=-1'))).to.throw(AgiHangupError);
      expect(() => commands.getData('beep').parse(result('200 result=12x'))).to.throw(AgiProtocolError);
      const rec = commands.recordFile('f', 'wav');
      expect(rec.parse(result('200 result=-1 (hangup) endpos=1600'))).to.deep.equal({ endedBy: 'hangup', digit: undefined, endpos: 1600, detail: undefined });
      expect(rec.isHangup(result('200 result=-1 (hangup) endpos=1600'))).to.equal(true);
      expect(rec.parse(result('200 result=-1 (writefile)'))).to.deep.include({ endedBy: 'error', detail: 'writefile' });
      expect(rec.parse(result('200 result=-1'))).to.deep.include({ endedBy: 'error', detail: 'result=-1' });
      expect(commands.exec('Dial').parse(result('200 result=-1'))).to.deep.equal({ result: -1, status: 'failed' });
      expect(commands.exec('Dial').isHangup(result('200 result=-1'))).to.equal(false);
      expect(commands.channelStatus().parse(result('200 result=6'))).to.deep.equal({ state: 6, name: 'up' });
      expect(commands.channelStatus().parse(result('200 result=42'))).to.deep.equal({ state: 42, name: 'unknown' });
      expect(commands.getVariable('X').parse(result('200 result=1 ()'))).to.equal('');
      expect(commands.getVariable('X').parse(result('200 result=0'))).to.equal(undefined);
      expect(() => commands.getVariable('X').parse(result('200 result=1'))).to.throw(AgiProtocolError, /without a \(value\)/);
      expect(() => commands.getVariable('X').parse(result('200 result=7 (x)'))).to.throw(AgiProtocolError, /unexpected result 7/);
      expect(commands.databasePut('a', 'b', 'c').parse(result('200 result=0'))).to.equal(false);
      expect(() => commands.answer().parse(result('200 result=-1'))).to.throw(AgiHangupError);
    });

    it('STREAM FILE -1 is a failed playback, not a hang-up (a missing file gives the same reply)', () => {
      const cmd = commands.streamFile('no-such-file');
      expect(cmd.parse(result('200 result=-1 endpos=0'))).to.deep.equal({ outcome: 'failed', digit: undefined, endpos: 0 });
      expect(cmd.isHangup(result('200 result=-1 endpos=0'))).to.equal(false);
      expect(() => cmd.parse(result('200 result=0 endpos=x'))).to.throw(AgiProtocolError, /endpos/);
    });
  });

  describe('line reader', () => {
    it('splits lines across chunks and drops a CR before LF', () => {
      const reader = new LineReader(100);
      expect(reader.push(Buffer.from('200 res'))).to.deep.equal([]);
      expect(reader.pendingBytes).to.equal(7);
      expect(reader.push(Buffer.from('ult=0\nHANG'))).to.deep.equal(['200 result=0']);
      expect(reader.push(Buffer.from('UP\r\n\n510 x\n'))).to.deep.equal(['HANGUP', '', '510 x']);
      expect(reader.pendingBytes).to.equal(0);
    });

    it('decodes UTF-8 split between chunks', () => {
      const reader = new LineReader(100);
      const bytes = Buffer.from('200 result=1 (é✓)\n');
      const lines = [...reader.push(bytes.subarray(0, 16)), ...reader.push(bytes.subarray(16))];
      expect(lines).to.deep.equal(['200 result=1 (é✓)']);
    });

    it('accepts a line of exactly the limit and refuses one byte more, before buffering a 1 MB line', () => {
      const reader = new LineReader(10);
      expect(reader.push(Buffer.from('0123456789\n'))).to.deep.equal(['0123456789']);
      expect(() => new LineReader(10).push(Buffer.from('01234567890\n'))).to.throw(AgiProtocolError, /longer than 10 bytes/);
      const big = new LineReader(64 * 1024);
      const chunk = Buffer.alloc(16 * 1024, 0x78);
      let thrown: unknown;
      let fed = 0;
      try {
        for (; fed < 64; fed++) big.push(chunk);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).to.be.instanceOf(AgiProtocolError).with.property('problem', 'line-too-long');
      expect(fed).to.equal(4); // refused at the 5th 16 KB chunk, never holding 1 MB
    });
  });
});
