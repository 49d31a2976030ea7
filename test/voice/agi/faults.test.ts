// Bad input and faults: each closes THAT call with a logged reason, never the server, and never
// another call. The peer plays Asterisk (test/peers/asterisk-agi.ts); where a behaviour comes from
// a transcript the fixture file is named.
import net from 'node:net';
import { expect } from 'chai';
import {
  AgiCallEndedError,
  AgiConnectionClosedError,
  AgiHangupError,
  AgiProtocolError,
  AgiTimeoutError,
} from '../../../server/voice/agi/agi-errors.ts';
import { DEFAULT_SESSION_LIMITS, type AgiSession } from '../../../server/voice/agi/agi-session.ts';
import { FastAgiServer } from '../../../server/voice/agi/fastagi-server.ts';
import { AsteriskAgiPeer, type PeerAction } from '../../peers/asterisk-agi.ts';
import { runCall, startServer, type LogEntry } from './helpers.ts';
import { eventually } from '../../support/eventually.ts';
import { VirtualClock } from '../../../flows/testing/virtual-clock.ts';

const WARN = 40;

function warnings(logs: LogEntry[], msg: string): LogEntry[] {
  return logs.filter((l) => l.level >= WARN && l.msg === msg);
}

/** A peer that answers command `n` with `action` and behaves like Asterisk otherwise. */
function at(n: number, action: PeerAction): (cmd: { index: number }) => PeerAction | undefined {
  return (cmd) => (cmd.index === n ? action : undefined);
}

/** A short IVR used as the "other call" that must not be affected. */
async function healthyCall(port: number): Promise<AsteriskAgiPeer> {
  const peer = await AsteriskAgiPeer.connect({ port, script: 'healthy', model: { dtmf: '1' } });
  await peer.done;
  return peer;
}

const healthyRoute = async (s: AgiSession): Promise<void> => {
  await s.answer();
  await s.streamFile('beep');
  await s.waitForDigit(1000);
  await s.setVariable('DONE', 'yes');
};

describe('FastAGI faults and bad input', () => {
  describe('replies from Asterisk', () => {
    type ErrorClass = abstract new (...args: never[]) => AgiCallEndedError;
    const cases: [string, PeerAction, ErrorClass, RegExp][] = [
      ['a garbage line', { raw: 'hello there\n' }, AgiProtocolError, /not an AGI reply/],
      ['an unknown result code', { raw: '300 result=0\n' }, AgiProtocolError, /unknown AGI result code 300/],
      ['a malformed result', { raw: '200 result=abc\n' }, AgiProtocolError, /not a number/],
      ['binary noise', { raw: Buffer.from([0xff, 0x00, 0xfe, 0x0a]) }, AgiProtocolError, /not an AGI reply/],
      ['a 1 MB line', { raw: Buffer.alloc(1024 * 1024, 0x78) }, AgiProtocolError, /longer than 65536 bytes/],
      ['a truncated line, then the socket closes', { raw: '200 resu', thenClose: true }, AgiConnectionClosedError, /closed/],
      ['a close instead of a reply (Asterisk died)', { close: true }, AgiConnectionClosedError, /closed/],
    ];
    for (const [what, action, errorClass, message] of cases) {
      it(`${what}: that call ends with ${errorClass.name}, logged; the server and other calls go on`, async () => {
        const { server, port, logs } = await startServer({}, {
          demo: async (s) => {
            await s.answer();
            await s.getVariable('CHANNEL');
          },
          healthy: healthyRoute,
        });
        try {
          let failure: unknown;
          server.route('demo', async (s) => {
            await s.answer();
            failure = await s.getVariable('CHANNEL').catch((e: unknown) => e);
            throw failure;
          });
          const bad = await AsteriskAgiPeer.connect({ port, respond: at(2, action) });
          const good = await healthyCall(port);
          await bad.done;
          await eventually(() => server.stats().open === 0, 'all calls closed');
          expect(failure).to.be.instanceOf(errorClass);
          expect((failure as Error).message).to.match(message);
          expect(good.commands).to.deep.equal(['ANSWER', 'STREAM FILE beep ""', 'WAIT FOR DIGIT 1000', 'SET VARIABLE DONE yes']);
          expect(good.model.variables.get('DONE')).to.equal('yes');
          if ((errorClass as unknown) === AgiProtocolError) {
            const logged = warnings(logs, 'closing AGI call');
            expect(logged).to.have.length(1);
            expect(logged[0]?.reason).to.match(message);
            expect(logged[0]?.channel).to.equal('Local/100@ivr-test-00000000;2');
          }
          expect(server.stats().failed).to.equal(0);
        } finally {
          await server.close(200);
        }
      });
    }

    it('Asterisk silent mid-command: the command times out, only that call is closed (logged)', async () => {
      const { server, port, logs } = await startServer({ commandTimeoutMs: 150 }, { healthy: healthyRoute });
      try {
        let failure: unknown;
        let abortReason: unknown;
        server.route('demo', async (s) => {
          await s.answer();
          failure = await s.getVariable('CHANNEL').catch((e: unknown) => e);
          abortReason = s.signal.reason;
        });
        const silent = await AsteriskAgiPeer.connect({ port, respond: at(2, { silent: true }) });
        const good = await healthyCall(port);
        const end = await silent.done;
        expect(end.closedBy).to.equal('server');
        expect(failure).to.be.instanceOf(AgiTimeoutError);
        expect((failure as Error).message).to.equal('Asterisk sent no reply to GET VARIABLE within 150 ms');
        expect(abortReason).to.equal(failure);
        expect(good.model.variables.get('DONE')).to.equal('yes');
        expect(warnings(logs, 'closing AGI call').map((l) => l.reason)).to.deep.equal(['Asterisk sent no reply to GET VARIABLE within 150 ms']);
      } finally {
        await server.close(200);
      }
    });

    it('WAIT FOR DIGIT may take its own timeout plus the command timeout before it is called silent', async () => {
      const { value } = await runCall(async (s) => s.waitForDigit(300), { respond: at(1, { reply: ['200 result=50'], delayMs: 350 }) }, { commandTimeoutMs: 150 });
      expect(value).to.equal('2');
    });

    it('a per-command timeout override applies (EXEC Dial answered late)', async () => {
      const { error } = await runCall(async (s) => s.exec('Dial', 'SIP/x', { timeoutMs: 50 }), { respond: at(1, { silent: true }) });
      expect(error).to.be.instanceOf(AgiTimeoutError);
    });

    it('an unsolicited line while no command runs closes the call', async () => {
      const { server, port, logs } = await startServer();
      try {
        let signalled: unknown;
        server.route('demo', async (s) => {
          await s.answer();
          await new Promise<void>((resolve) => s.signal.addEventListener('abort', () => resolve()));
          signalled = s.signal.reason;
        });
        const peer = await AsteriskAgiPeer.connect({ port });
        await eventually(() => peer.commands.length === 1, 'the first command at the peer');
        peer.writeRaw('200 result=0\n');
        await peer.done;
        expect(signalled).to.be.instanceOf(AgiProtocolError).with.property('problem', 'unsolicited');
        expect(warnings(logs, 'closing AGI call')).to.have.length(1);
      } finally {
        await server.close(200);
      }
    });
  });

  describe('the environment', () => {
    const cases: [string, string | Buffer, RegExp][] = [
      ['no environment at all, then close', '', /closed before the end of the AGI environment \(0 lines received\)/],
      ['a truncated environment, then close', 'agi_network: yes\nagi_request: agi://127.0.0.1/demo\nagi_chan', /closed before the end of the AGI environment \(2 lines/],
      ['an HTTP request', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', /did not start with an AGI environment/],
      ['a command instead of an environment', 'ANSWER\n\n', /did not start with an AGI environment/],
      ['an environment without the fields Asterisk always sends', 'agi_network: yes\n\n', /lacks agi_request, agi_channel, agi_uniqueid/],
      ['binary noise', Buffer.from([0, 1, 2, 3, 255, 10, 10]), /did not start with an AGI environment/],
    ];
    for (const [what, bytes, message] of cases) {
      it(`${what}: refused with a logged reason, no handler runs`, async () => {
        let ran = false;
        const { server, port, logs } = await startServer({}, { demo: () => void (ran = true), healthy: healthyRoute });
        try {
          const peer = await AsteriskAgiPeer.connect({ port, environment: bytes });
          if (bytes.length === 0 || !bytes.includes('\n\n')) peer.end();
          await peer.done;
          await eventually(() => server.stats().open === 0, 'no call left open');
          const refused = warnings(logs, 'refusing AGI connection');
          expect(refused).to.have.length(1);
          expect(refused[0]?.reason).to.match(message);
          expect(ran).to.equal(false);
          expect(server.stats().badEnvironment).to.equal(1);
          const good = await healthyCall(port);
          expect(good.model.variables.get('DONE')).to.equal('yes');
        } finally {
          await server.close(200);
        }
      });
    }

    it('an environment that never completes is refused after environmentTimeoutMs', async () => {
      const { server, port, logs } = await startServer({ environmentTimeoutMs: 100 });
      try {
        const peer = await AsteriskAgiPeer.connect({ port, environment: 'agi_network: yes\n' });
        const end = await peer.done;
        expect(end.closedBy).to.equal('server');
        expect(warnings(logs, 'refusing AGI connection')[0]?.reason).to.equal('no complete AGI environment within 100 ms');
      } finally {
        await server.close(200);
      }
    });

    it('an unknown request path is logged and closed so Asterisk continues its dialplan', async () => {
      const { server, port, logs } = await startServer({}, { healthy: healthyRoute });
      try {
        const peer = await AsteriskAgiPeer.connect({ port, script: 'nope?x=1' });
        const end = await peer.done;
        expect(end.closedBy).to.equal('server');
        expect(peer.commands).to.deep.equal([]);
        expect(peer.transcript.at(-1)).to.equal('A> HANGUP');
        expect(warnings(logs, 'no FastAGI route for this request path; closing the call')).to.have.length(1);
        expect(server.stats().unrouted).to.equal(1);
      } finally {
        await server.close(200);
      }
    });
  });

  describe('connections', () => {
    it('2,000 half-open connections are bounded by maxConnections (1,000), each closed with a logged reason; a call works afterwards', async function () {
      this.timeout(30_000);
      const { server, port, logs } = await startServer({ maxConnections: 1_000, environmentTimeoutMs: 2_000 }, { healthy: healthyRoute });
      const sockets: net.Socket[] = [];
      let maxOpen = 0;
      try {
        const closed: Promise<void>[] = [];
        for (let i = 0; i < 2_000; i++) {
          const socket = net.connect({ port, host: '127.0.0.1' });
          socket.on('error', () => {});
          // Half an environment, then silence: a slow or half-open Asterisk.
          socket.on('connect', () => socket.write('agi_network: yes\nagi_network_script: demo\n'));
          closed.push(new Promise((resolve) => socket.on('close', () => resolve())));
          sockets.push(socket);
          if (i % 100 === 0) {
            maxOpen = Math.max(maxOpen, server.stats().open);
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
        await eventually(() => {
          maxOpen = Math.max(maxOpen, server.stats().open);
          return server.stats().accepted + server.stats().refused === 2_000;
        }, 'all 2,000 connections seen', { timeoutMs: 15_000, everyMs: 10 });
        await Promise.all(closed);
        await eventually(() => server.stats().open === 0, 'server side closed');
        const stats = server.stats();
        expect(maxOpen).to.be.at.most(1_000);
        expect(stats.refused).to.be.greaterThan(0);
        expect(stats.accepted + stats.refused).to.equal(2_000);
        expect(stats.open).to.equal(0);
        expect(warnings(logs, 'FastAGI connection limit reached; refusing connection')).to.have.length(stats.refused);
        expect(warnings(logs, 'refusing AGI connection').filter((l) => l.reason === 'no complete AGI environment within 2000 ms')).to.have.length(stats.accepted);
        const good = await healthyCall(port);
        expect(good.model.variables.get('DONE')).to.equal('yes');
      } finally {
        for (const s of sockets) s.destroy();
        await server.close(200);
      }
    });

    it('Infinity means "no timeout" (Node would fire such a timer after 1 ms); nonsense limits are refused', async () => {
      const { value } = await runCall(
        async (s) => {
          await s.answer();
          // Deliberate: let time pass with no command, to prove an Infinity timeout does not fire at once.
          await new Promise((resolve) => setTimeout(resolve, 50));
          return s.closed;
        },
        {},
        { idleTimeoutMs: Infinity, commandTimeoutMs: Infinity },
      );
      expect(value).to.equal(false);
      expect(() => new FastAgiServer({ commandTimeoutMs: 0 })).to.throw(RangeError, /commandTimeoutMs must be a positive number/);
      expect(() => new FastAgiServer({ maxLineBytes: 1.5 })).to.throw(RangeError, /maxLineBytes/);
    });

    it('deadlines run on the clock the server is given: a silent reply times out, an idle call closes, each at its instant and not before', async () => {
      const clock = new VirtualClock();
      const { server, port, logs } = await startServer({ clock }); // the default limits: 10 s per command, 30 min idle
      try {
        const outcomes: unknown[] = [];
        let answered = (): void => {};
        const idle = new Promise<void>((resolve) => (answered = resolve));
        server.route('silent', async (s) => {
          await s.answer().catch((err: unknown) => outcomes.push(err));
        });
        server.route('idle', async (s) => {
          await s.answer();
          answered();
          await new Promise<void>((resolve) => s.signal.addEventListener('abort', () => resolve()));
        });

        const silent = await AsteriskAgiPeer.connect({ port, script: 'silent', respond: at(1, { silent: true }) });
        await eventually(() => silent.commands.length === 1, 'ANSWER at the peer');
        clock.advance(DEFAULT_SESSION_LIMITS.commandTimeoutMs - 2);
        await new Promise((resolve) => setImmediate(resolve));
        expect(outcomes, 'nothing times out before commandTimeoutMs').to.deep.equal([]);
        clock.advance(2);
        expect((await silent.done).closedBy).to.equal('server');
        expect(outcomes[0]).to.be.instanceOf(AgiTimeoutError);

        const held = await AsteriskAgiPeer.connect({ port, script: 'idle' });
        await idle;
        clock.advance(DEFAULT_SESSION_LIMITS.idleTimeoutMs - 2);
        expect(warnings(logs, 'AGI call idle too long (no command sent); closing it')).to.have.length(0);
        clock.advance(2);
        expect((await held.done).closedBy).to.equal('server');
        expect(warnings(logs, 'AGI call idle too long (no command sent); closing it')).to.have.length(1);
      } finally {
        await server.close(200);
      }
    });

    it('a handler that holds the call without commands is closed after idleTimeoutMs', async () => {
      const { server, port, logs } = await startServer({ idleTimeoutMs: 100 });
      try {
        let reason: unknown;
        server.route('demo', async (s) => {
          await s.answer();
          await new Promise<void>((resolve) => s.signal.addEventListener('abort', () => resolve()));
          reason = s.signal.reason;
        });
        const peer = await AsteriskAgiPeer.connect({ port });
        const end = await peer.done;
        expect(end.closedBy).to.equal('server');
        expect(reason).to.be.instanceOf(AgiConnectionClosedError);
        expect(warnings(logs, 'AGI call idle too long (no command sent); closing it')).to.have.length(1);
      } finally {
        await server.close(200);
      }
    });

    it('after a hang-up the handler gets hangupGraceMs, then the call is closed (agi-hangup.txt: Asterisk waits for us)', async () => {
      const { server, port, logs } = await startServer({ hangupGraceMs: 100 });
      try {
        let sawHangup = false;
        server.route('demo', async (s) => {
          s.on('hangup', () => (sawHangup = true));
          await s.answer();
          await new Promise(() => {}); // a handler that ignores the signal
        });
        const peer = await AsteriskAgiPeer.connect({ port });
        await eventually(() => peer.commands.length === 1, 'the first command at the peer');
        peer.hangup();
        const end = await peer.done;
        expect(end.closedBy).to.equal('server');
        expect(sawHangup).to.equal(true);
        expect(peer.transcript.slice(-2)).to.deep.equal(['A> HANGUP', 'A> HANGUP']);
        expect(warnings(logs, 'AGI handler still running after the hang-up grace period; closing the call')).to.have.length(1);
      } finally {
        await server.close(200);
      }
    });

    it('a hang-up while the handler waits on something else aborts session.signal at once', async () => {
      const { value } = await runCall(
        async (s) => {
          await s.answer();
          const started = Date.now();
          const reason = await new Promise<unknown>((resolve) => s.signal.addEventListener('abort', () => resolve(s.signal.reason)));
          return { reason, waited: Date.now() - started };
        },
        {
          respond: (cmd, peer) => {
            if (cmd.index === 1) setTimeout(() => peer.hangup(), 20);
            return undefined;
          },
        },
      );
      expect(value?.reason).to.be.instanceOf(AgiHangupError);
    });

    it('a handler that throws ends only its call; the error is logged and the server stays up', async () => {
      const { server, port, logs } = await startServer({}, { healthy: healthyRoute });
      try {
        server.route('demo', async (s) => {
          await s.answer();
          throw new Error('flow exploded');
        });
        const [bad, good] = await Promise.all([AsteriskAgiPeer.connect({ port }), healthyCall(port)]);
        const end = await bad.done;
        expect(end.closedBy).to.equal('server');
        expect(good.model.variables.get('DONE')).to.equal('yes');
        const errors = logs.filter((l) => l.msg === 'AGI handler failed; closing the call');
        expect(errors).to.have.length(1);
        expect(errors[0]?.['err']).to.equal('flow exploded');
        expect(server.stats()).to.include({ failed: 1, completed: 1 });
      } finally {
        await server.close(200);
      }
    });

    it('a command fired without await on a hung-up call is no unhandled rejection', async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        await runCall(
          async (s) => {
            await s.answer();
            void s.streamFile('beep'); // the caller hangs up during it
            void s.waitForDigit(1000);
            void s.setVariable('X', 'bad\nvalue'); // refused locally
            // Deliberate: the handler lingers while the commands it fired without await fail.
            await new Promise((resolve) => setTimeout(resolve, 50));
          },
          { hangupAtCommand: 2 },
        );
        // Deliberate: give a stray rejection the turns it needs to surface, to prove there is none.
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(unhandled).to.deep.equal([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });

    it('server.close() lets running calls finish within the grace period, then closes the rest', async () => {
      const { server, port } = await startServer();
      let finished = 0;
      server.route('quick', async (s) => {
        await s.answer();
        // Deliberate: a call that takes a moment but ends well within close()'s grace period.
        await new Promise((resolve) => setTimeout(resolve, 30));
        await s.verbose('done');
        finished += 1;
      });
      server.route('stuck', async (s) => {
        await s.answer();
        await new Promise<void>((resolve) => s.signal.addEventListener('abort', () => resolve()));
      });
      const quick = await AsteriskAgiPeer.connect({ port, script: 'quick' });
      const stuck = await AsteriskAgiPeer.connect({ port, script: 'stuck' });
      await eventually(() => quick.commands.length === 1 && stuck.commands.length === 1, 'both calls running their first command');
      await server.close(150);
      await Promise.all([quick.done, stuck.done]);
      expect(finished).to.equal(1);
      expect(quick.commands).to.deep.equal(['ANSWER', 'VERBOSE done 1']);
      expect(stuck.transcript.at(-1)).to.equal('A> HANGUP');
      expect(server.stats().open).to.equal(0);
      await new Promise<void>((resolve, reject) => {
        const probe = net.connect({ port, host: '127.0.0.1' });
        probe.on('error', () => resolve());
        probe.on('connect', () => reject(new Error('still listening')));
      });
    });
  });
});
