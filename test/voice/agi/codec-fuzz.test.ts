// Fuzzing the AGI codec with fast-check (bounded number of cases): random bytes and mutated
// transcripts (test/fixtures/asterisk/agi-*.txt) may only ever produce values or typed
// AgiErrors; and every encoded command reads back through Asterisk's parse_args (ported in the
// peer) as exactly the arguments given.
import { expect } from 'chai';
import fc from 'fast-check';
import { EnvironmentParser } from '../../../server/voice/agi/agi-environment.ts';
import { AgiCallEndedError, AgiEncodeError, AgiError } from '../../../server/voice/agi/agi-errors.ts';
import { encodeCommand, MAX_COMMAND_LINE_BYTES, quoted, text, word, type AgiArg } from '../../../server/voice/agi/agi-command.ts';
import * as commands from '../../../server/voice/agi/agi-commands.ts';
import { ReplyParser, type AgiResultReply } from '../../../server/voice/agi/agi-reply.ts';
import { LineReader } from '../../../server/voice/agi/line-reader.ts';
import { parseAgiArgs } from '../../peers/asterisk-agi-model.ts';
import { AsteriskAgiPeer } from '../../peers/asterisk-agi.ts';
import { parseTranscript } from '../../peers/asterisk-agi-transcript.ts';
import { fixture, startServer } from './helpers.ts';

const FIXTURES = ['agi-session.txt', 'agi-hangup.txt', 'agi-hangup-exitonhangup.txt', 'agi-commands.txt', 'agi-to-stasis.txt'];
const transcripts = FIXTURES.map((name) => parseTranscript(fixture(name)));
const replyLines = transcripts.flatMap((t) => t.exchanges.flatMap((e) => e.reply));
const environments = transcripts.map((t) => `${t.environment.join('\n')}\n`);

/** One of each typed command: their result parsers get every fuzzed "200 result=" reply. */
const PARSERS: commands.AgiCommand<unknown>[] = [
  commands.answer(),
  commands.hangup(),
  commands.streamFile('beep'),
  commands.controlStreamFile('beep'),
  commands.getData('beep', 1000, 4),
  commands.waitForDigit(1000),
  commands.sayNumber(1),
  commands.recordFile('f', 'wav'),
  commands.setVariable('A', 'b'),
  commands.getVariable('A'),
  commands.getFullVariable('${A}'),
  commands.channelStatus(),
  commands.exec('NoOp'),
  commands.databaseGet('a', 'b'),
  commands.databasePut('a', 'b', 'c'),
  commands.verbose('x'),
  commands.setMusic(true),
];

function hasLineBreakOrNul(value: string): boolean {
  return value.includes('\n') || value.includes('\r') || value.includes(String.fromCharCode(0));
}

/** Runs `fn`; anything thrown must be a typed AgiError. */
function onlyTypedErrors(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof AgiError)) throw new Error(`untyped error escaped: ${String(err)}`, { cause: err });
  }
}

/** Feeds bytes through the same pipeline a session uses: lines -> environment -> replies -> typed results. */
function pipeline(chunks: readonly Uint8Array[], textData: boolean): void {
  const reader = new LineReader(4096);
  const env = new EnvironmentParser();
  const replies = new ReplyParser();
  replies.textData = textData;
  let ready = false;
  for (const chunk of chunks) {
    for (const line of reader.push(Buffer.from(chunk))) {
      if (!ready) {
        const e = env.pushLine(line);
        if (e) {
          ready = true;
          expect(e.channel).to.be.a('string');
        }
        continue;
      }
      const event = replies.pushLine(line);
      if (event?.type === 'reply' && event.reply.kind === 'result') parseWithAll(event.reply);
    }
  }
}

function parseWithAll(reply: AgiResultReply): void {
  for (const cmd of PARSERS) {
    onlyTypedErrors(() => {
      cmd.isHangup(reply);
      cmd.parse(reply);
    });
  }
}

/** String mutations: replace, insert, delete, truncate, duplicate a slice. */
const mutation = fc.tuple(fc.constantFrom('replace', 'insert', 'delete', 'truncate', 'duplicate'), fc.nat(), fc.string({ unit: 'binary', maxLength: 4 }));

function mutate(input: string, [kind, at, what]: [string, number, string]): string {
  const i = input.length === 0 ? 0 : at % (input.length + 1);
  switch (kind) {
    case 'replace':
      return input.slice(0, i) + what + input.slice(i + what.length);
    case 'insert':
      return input.slice(0, i) + what + input.slice(i);
    case 'delete':
      return input.slice(0, i) + input.slice(i + 1 + (at % 7));
    case 'truncate':
      return input.slice(0, i);
    default:
      return input.slice(0, i) + input.slice(i, i + 1 + (at % 20)) + input.slice(i);
  }
}

/** Splits a string's bytes into random chunks, as TCP may deliver them. */
function chunked(bytes: Buffer, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

describe('AGI codec fuzzing (fast-check, bounded)', () => {
  it('random bytes: only typed errors come out of the reader, environment and reply parsers', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), fc.boolean(), (chunks, textData) => {
        onlyTypedErrors(() => pipeline(chunks, textData));
      }),
      { numRuns: 1500 },
    );
  });

  it('random bytes after a valid environment: only typed errors from the reply side', () => {
    fc.assert(
      fc.property(fc.constantFrom(...environments), fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 6 }), fc.boolean(), (env, chunks, textData) => {
        onlyTypedErrors(() => pipeline([Buffer.from(env), ...chunks], textData));
      }),
      { numRuns: 1500 },
    );
  });

  it('mutated transcripts (environment + recorded replies, re-chunked): only values or typed errors', () => {
    const streams = transcripts.map((t) => `${t.environment.join('\n')}\n${t.exchanges.flatMap((e) => e.reply).join('\n')}\n`);
    fc.assert(
      fc.property(fc.constantFrom(...streams), fc.array(mutation, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 10 }), fc.boolean(), (stream, mutations, cuts, textData) => {
        let mutated = stream;
        for (const m of mutations) mutated = mutate(mutated, m);
        onlyTypedErrors(() => pipeline(chunked(Buffer.from(mutated), cuts), textData));
      }),
      { numRuns: 1500 },
    );
  });

  it('mutated reply lines fed one by one: the parser never throws anything untyped', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...replyLines), fc.array(mutation, { maxLength: 3 })), { minLength: 1, maxLength: 12 }), fc.boolean(), (items, textData) => {
        const parser = new ReplyParser();
        parser.textData = textData;
        for (const [line, mutations] of items) {
          let mutated = line;
          for (const m of mutations) mutated = mutate(mutated, m);
          let stop = false;
          onlyTypedErrors(() => {
            try {
              const event = parser.pushLine(mutated);
              if (event?.type === 'reply' && event.reply.kind === 'result') parseWithAll(event.reply);
            } catch (err) {
              stop = true; // a session closes at the first protocol error
              throw err;
            }
          });
          if (stop) break;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('any argument either encodes to one well-formed line that Asterisk reads back exactly, or is refused with AgiEncodeError', () => {
    const kinds = [word, text, quoted] as const;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 2 }), fc.string({ unit: 'binary', maxLength: 60 })), { maxLength: 6 }), fc.boolean(), (specs, big) => {
        const args: AgiArg[] = specs.map(([k, v], i) => (kinds[k] as typeof word)(`a${i}`, big && i === 0 ? v.repeat(60) : v));
        let line: string;
        try {
          line = encodeCommand('SET VARIABLE', args);
        } catch (err) {
          expect(err).to.be.instanceOf(AgiEncodeError);
          const hasBreak = args.some((a) => hasLineBreakOrNul(a.value));
          if ((err as AgiEncodeError).code === 'AGI_BAD_ARGUMENT') {
            expect(hasBreak).to.equal(true);
          } else {
            // Refused as too long: even the most generous encoding (every byte escaped) would be over.
            const upperBound = 'SET VARIABLE\n'.length + args.reduce((n, a) => n + 3 + 2 * Buffer.byteLength(a.value), 0);
            expect(hasBreak).to.equal(false);
            expect(upperBound).to.be.greaterThan(MAX_COMMAND_LINE_BYTES);
          }
          return;
        }
        expect(line.endsWith('\n')).to.equal(true);
        const body = line.slice(0, -1);
        expect(hasLineBreakOrNul(body)).to.equal(false);
        expect(Buffer.byteLength(line)).to.be.at.most(MAX_COMMAND_LINE_BYTES);
        // Asterisk reads the arguments back exactly (lone surrogates are not valid UTF-8: compare bytes).
        const read = parseAgiArgs(Buffer.from(body).toString('utf8'));
        expect(read).to.deep.equal(['SET', 'VARIABLE', ...args.map((a) => Buffer.from(a.value).toString('utf8'))]);
      }),
      { numRuns: 3000 },
    );
  });

  it('a peer answering with random bytes ends only its call with a typed error; the server survives', async function () {
    this.timeout(30_000);
    const seen: unknown[] = [];
    const { server, port } = await startServer({ commandTimeoutMs: 50, mediaTimeoutMs: 50, closeGraceMs: 50 });
    server.route('demo', async (s) => {
      try {
        await s.answer();
        await s.getVariable('X');
        await s.streamFile('beep', '#');
      } catch (err) {
        seen.push(err);
        throw err;
      }
    });
    try {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 2 }), async (garbage, at) => {
          const peer = await AsteriskAgiPeer.connect({ port, record: false, respond: (cmd) => (cmd.index === at + 1 ? { raw: Buffer.from(garbage) } : undefined) });
          peer.done.then(() => undefined, () => undefined);
          // The call ends by itself: a reply, a protocol error, or the 50 ms command timeout.
          await Promise.race([peer.done, new Promise((resolve) => setTimeout(resolve, 2_000))]);
          peer.destroy();
        }),
        { numRuns: 40 },
      );
      for (const err of seen) expect(err).to.be.instanceOf(AgiCallEndedError);
      expect(server.stats().failed).to.equal(0);
      // Still serving.
      const peer = await AsteriskAgiPeer.connect({ port });
      await peer.done;
      expect(peer.commands).to.deep.equal(['ANSWER', 'GET VARIABLE X', 'STREAM FILE beep "#"']);
    } finally {
      await server.close(200);
    }
  });
});
