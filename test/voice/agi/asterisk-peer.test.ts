// The test peer must BE Asterisk for our purposes: driven by a raw TCP server that writes the
// recorded S> bytes of test/fixtures/asterisk/agi-*.txt, it must answer with the recorded A>
// bytes. This keeps the peer honest, so tests that pass against it mean something.
import net from 'node:net';
import { expect } from 'chai';
import { AsteriskAgiPeer, buildEnvironment, type AgiPeerOptions } from '../../peers/asterisk-agi.ts';
import { AsteriskChannelModel, parseAgiArgs } from '../../peers/asterisk-agi-model.ts';
import { parseTranscript } from '../../peers/asterisk-agi-transcript.ts';
import { fixture } from './helpers.ts';

/** A raw FastAGI "server" that sends lines and reads replies, byte-exact. */
class RawServer {
  private buffer = '';
  private waiters: (() => void)[] = [];
  private constructor(
    readonly socket: net.Socket,
    private readonly server: net.Server,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buffer += d;
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('end', () => {
      this.ended = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }
  ended = false;

  static async start(peerOptions: Omit<AgiPeerOptions, 'port'>): Promise<{ raw: RawServer; peer: AsteriskAgiPeer }> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const peer = await AsteriskAgiPeer.connect({ port, ...peerOptions });
    return { raw: new RawServer(await accepted, server), peer };
  }

  /** Waits until `n` complete lines are buffered (or the peer closed) and takes them. */
  async lines(n: number, ms = 2000): Promise<string[]> {
    const deadline = Date.now() + ms;
    while (this.buffer.split('\n').length - 1 < n && !this.ended) {
      if (Date.now() > deadline) throw new Error(`expected ${n} lines, have ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    const parts = this.buffer.split('\n');
    const taken = parts.slice(0, n);
    this.buffer = parts.slice(n).join('\n');
    return taken;
  }

  /** True when nothing more arrives within `ms`. */
  async silentFor(ms: number): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.buffer === '';
  }

  close(): void {
    this.socket.end();
    this.server.close();
  }
}

const SESSION_MODEL = { channel: 'Local/100@ivr-test-00000000;2', uniqueId: '1795294530.1', callerIdNumber: '1001', callerIdName: 'AGI Probe' };

describe('the Asterisk peer reproduces the recorded Asterisk bytes', () => {
  it('builds the environment byte for byte (agi-session.txt)', () => {
    const t = parseTranscript(fixture('agi-session.txt'));
    const built = buildEnvironment({ script: 'demo?x=1', port: 4573, model: new AsteriskChannelModel(SESSION_MODEL) });
    expect(built).to.equal(`${t.environment.join('\n')}\n`);
  });

  it('ports parse_args: quotes group, \\" and \\\\ escape, \\n is n, single quotes do not quote (agi-commands.txt)', () => {
    expect(parseAgiArgs('SET VARIABLE QUOTED "he said \\"hi\\" and left"')).to.deep.equal(['SET', 'VARIABLE', 'QUOTED', 'he said "hi" and left']);
    expect(parseAgiArgs('SET VARIABLE BS "a\\\\b\\nc"')).to.deep.equal(['SET', 'VARIABLE', 'BS', 'a\\bnc']);
    expect(parseAgiArgs("SET VARIABLE SQ 'single quoted'")).to.deep.equal(['SET', 'VARIABLE', 'SQ', "'single", "quoted'"]);
    expect(parseAgiArgs('STREAM FILE beep ""')).to.deep.equal(['STREAM', 'FILE', 'beep', '']);
    expect(parseAgiArgs(`EXEC NoOp ${Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ')}`)).to.have.length(127);
  });

  for (const [name, options] of [
    ['agi-session.txt', { model: { ...SESSION_MODEL, dtmf: '12#' } }],
    ['agi-hangup.txt', { hangupAtCommand: 3, model: { channel: 'Local/101@ivr-test-00000001;2' } }],
    ['agi-hangup-exitonhangup.txt', { hangupAtCommand: 3, exitOnHangup: true, model: { channel: 'Local/102@ivr-test-00000002;2' } }],
  ] as const) {
    it(`answers the recorded commands with the recorded replies (${name})`, async () => {
      const t = parseTranscript(fixture(name));
      const { raw, peer } = await RawServer.start({ ...options, environment: `${t.environment.join('\n')}\n` });
      try {
        expect(await raw.lines(t.environment.length)).to.deep.equal(t.environment);
        for (const exchange of t.exchanges) {
          if (raw.ended) break;
          raw.socket.write(`${exchange.command}\n`);
          expect(await raw.lines(exchange.reply.length), exchange.command).to.deep.equal(exchange.reply);
        }
        if (t.asteriskCloses) {
          await peer.done;
          expect(raw.ended).to.equal(true);
        } else {
          expect(await raw.silentFor(50)).to.equal(true);
          raw.socket.end();
          expect(await raw.lines(t.afterServerClose.length)).to.deep.equal(t.afterServerClose);
          expect((await peer.done).closedBy).to.equal('server');
        }
      } finally {
        raw.close();
      }
    });
  }

  it('leaves a second line of the same segment unread until more data arrives (agi-commands.txt NL)', async () => {
    const { raw, peer } = await RawServer.start({});
    try {
      await raw.lines(23);
      raw.socket.write('SET VARIABLE NL "first\nsecond"\n');
      expect(await raw.lines(1)).to.deep.equal(['200 result=1']);
      expect(await raw.silentFor(100)).to.equal(true);
      raw.socket.write('GET VARIABLE NL\n');
      expect(await raw.lines(2)).to.deep.equal(['510 Invalid or unknown command', '200 result=1 (first)']);
      expect(peer.violations).to.have.length(1);
    } finally {
      raw.close();
    }
  });

  it('answers malformed commands like Asterisk: 520 usage, quoting, one EXEC argument (agi-commands.txt)', async () => {
    const t = parseTranscript(fixture('agi-commands.txt'));
    const pick = (prefix: string): { command: string; reply: readonly string[] } => {
      const found = t.exchanges.find((e) => e.command.startsWith(prefix));
      if (!found) throw new Error(prefix);
      return found;
    };
    const { raw } = await RawServer.start({});
    try {
      await raw.lines(23);
      for (const prefix of ['SET VARIABLE SPACES', 'GET VARIABLE SPACES', 'SET VARIABLE SQ', 'SET VARIABLE QUOTED', 'GET VARIABLE QUOTED', 'SET VARIABLE BS', 'GET VARIABLE BS', 'EXEC NoOp w0', 'DATABASE PUT', 'DATABASE GET cc agent200', 'DATABASE GET cc no-such-key', 'DATABASE DEL', 'SET CALLERID "', 'GET FULL VARIABLE "${CALLERID']) {
        const exchange = pick(prefix);
        raw.socket.write(`${exchange.command}\n`);
        expect(await raw.lines(exchange.reply.length), exchange.command).to.deep.equal(exchange.reply);
      }
    } finally {
      raw.close();
    }
  });
});
