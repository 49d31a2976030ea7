// Every AGI command of the session API against the peer playing Asterisk 22.10.1. The checklist
// is Asterisk's testsuite tests/fastagi/* (channel-status, control-stream-file, database, execute,
// get-data, hangup, record-file, say-*, stream-file, wait-for-digit); the byte formats and results
// come from test/fixtures/asterisk/agi-session.txt, agi-hangup.txt and agi-commands.txt.
import { expect } from 'chai';
import { AgiCommandError, AgiHangupError } from '../../../server/voice/agi/agi-errors.ts';
import { runCall } from './helpers.ts';

describe('FastAGI session commands (peer plays Asterisk)', () => {
  it('channel-status: ANSWER then CHANNEL STATUS is up (6); an unknown channel gives undefined (agi-session.txt)', async () => {
    const { value, peer } = await runCall(async (s) => {
      const before = await s.channelStatus();
      await s.answer();
      return { before, after: await s.channelStatus(), other: await s.channelStatus('SIP/nobody-0001') };
    });
    expect(value).to.deep.equal({ before: { state: 4, name: 'ring' }, after: { state: 6, name: 'up' }, other: undefined });
    expect(peer.commands).to.deep.equal(['CHANNEL STATUS', 'ANSWER', 'CHANNEL STATUS', 'CHANNEL STATUS SIP/nobody-0001']);
    expect(peer.violations).to.deep.equal([]);
  });

  it('hangup: HANGUP hangs up, Asterisk sends HANGUP, the signal aborts and CHANNEL STATUS gets 511 (agi-hangup.txt)', async () => {
    let hangupEvents = 0;
    const { value, error, peer } = await runCall(async (s) => {
      s.on('hangup', () => (hangupEvents += 1));
      const ok = await s.hangup();
      // The HANGUP line follows the reply; the next command is answered 511 on a dead channel.
      const status = await s.channelStatus().catch((e: unknown) => e);
      return { ok, aborted: s.signal.aborted, hungUp: s.hungUp, status };
    });
    expect(error).to.equal(undefined);
    expect(value?.ok).to.equal(true);
    expect(value?.aborted).to.equal(true);
    expect(value?.hungUp).to.equal(true);
    expect(value?.status).to.be.instanceOf(AgiHangupError);
    expect(hangupEvents).to.equal(1);
    expect(peer.transcript.slice(-4)).to.deep.equal([
      'A> HANGUP',
      'S> CHANNEL STATUS',
      'A> 511 Command Not Permitted on a dead channel or intercept routine',
      'A> HANGUP',
    ]);
  });

  it('stream-file: completes with endpos, is interrupted by an escape digit, fails on a missing file', async () => {
    const { value, peer } = await runCall(
      async (s) => ({
        beep: await s.streamFile('beep'),
        interrupted: await s.streamFile('demo-congrats', '#5'),
        missing: await s.streamFile('no-such-file'),
      }),
      { model: { dtmf: '5' } },
    );
    expect(value?.beep).to.deep.equal({ outcome: 'completed', digit: undefined, endpos: 3520 });
    expect(value?.interrupted.outcome).to.equal('interrupted');
    expect(value?.interrupted.digit).to.equal('5');
    expect(value?.missing).to.deep.equal({ outcome: 'failed', digit: undefined, endpos: 0 });
    // agi-session.txt: STREAM FILE beep ""
    expect(peer.commands[0]).to.equal('STREAM FILE beep ""');
    expect(peer.commands[1]).to.equal('STREAM FILE demo-congrats "#5"');
  });

  it('control-stream-file: beep with no digits completes (testsuite), "5" stops it and sets CPLAYBACK* (agi-commands.txt)', async () => {
    const { value, peer } = await runCall(
      async (s) => {
        const plain = await s.controlStreamFile('beep', '');
        const stopped = await s.controlStreamFile('demo-congrats', '5');
        return { plain, stopped, status: await s.getVariable('CPLAYBACKSTATUS'), key: await s.getVariable('CPLAYBACKSTOPKEY') };
      },
      { model: { dtmf: '5' } },
    );
    expect(value?.plain.outcome).to.equal('completed');
    expect(value?.stopped).to.include({ outcome: 'interrupted', digit: '5' });
    expect(value?.status).to.equal('USERSTOPPED');
    expect(value?.key).to.equal('5');
    expect(peer.commands.slice(0, 2)).to.deep.equal(['CONTROL STREAM FILE beep ""', 'CONTROL STREAM FILE demo-congrats "5"']);
  });

  it('control-stream-file: later options imply the earlier positional ones', async () => {
    const { peer } = await runCall(async (s) => {
      await s.controlStreamFile('beep', '#', { pauseDigit: '0' });
    });
    expect(peer.commands[0]).to.equal('CONTROL STREAM FILE beep "#" 3000 "" "" "0"');
  });

  it('database: put, get, update, delete, get of a deleted key (testsuite database, agi-commands.txt)', async () => {
    const { value, peer } = await runCall(async (s) => {
      const put = await s.databasePut('cc', 'agent200', 'paused break');
      const first = await s.databaseGet('cc', 'agent200');
      await s.databasePut('cc', 'agent200', 'halfwaydone');
      const second = await s.databaseGet('cc', 'agent200');
      const del = await s.databaseDel('cc', 'agent200');
      const gone = await s.databaseGet('cc', 'agent200');
      return { put, first, second, del, gone };
    });
    expect(value).to.deep.equal({ put: true, first: 'paused break', second: 'halfwaydone', del: true, gone: undefined });
    expect(peer.commands.slice(0, 2)).to.deep.equal(['DATABASE PUT cc agent200 "paused break"', 'DATABASE GET cc agent200']);
  });

  it('execute: application data is ONE argument even with spaces, commas and quotes (agi-commands.txt)', async () => {
    const { value, peer } = await runCall(async (s) => {
      const dtmf = await s.exec('SendDTMF', '3212333,300');
      const global = await s.exec('Set', 'GLOBAL(FLEECE)=white as snow');
      const local = await s.exec('Set', 'LAMB=sure to go');
      const noop = await s.exec('NoOp', 'a,b,"c"');
      const missing = await s.exec('NoSuchApp');
      return { dtmf, global, local, noop, missing, lamb: await s.getVariable('LAMB') };
    });
    expect(value?.dtmf).to.deep.equal({ result: 0, status: 'ok' });
    expect(value?.lamb).to.equal('sure to go');
    expect(value?.missing).to.deep.equal({ result: -2, status: 'app-not-found' });
    expect(peer.commands.slice(0, 5)).to.deep.equal([
      'EXEC SendDTMF 3212333,300',
      'EXEC Set "GLOBAL(FLEECE)=white as snow"',
      'EXEC Set "LAMB=sure to go"',
      'EXEC NoOp "a,b,\\"c\\""',
      'EXEC NoOp'.replace('NoOp', 'NoSuchApp'),
    ]);
  });

  it('execute: Dial answered then ended by the callee returns -1 but the call goes on (agi-commands.txt)', async () => {
    const { value } = await runCall(
      async (s) => {
        const dial = await s.exec('Dial', 'Local/200@agent-leg,10');
        return { dial, aborted: s.signal.aborted, status: await s.getVariable('DIALSTATUS'), channel: await s.channelStatus() };
      },
      { model: { dialStatus: 'ANSWER', state: 6 } },
    );
    expect(value).to.deep.equal({ dial: { result: -1, status: 'failed' }, aborted: false, status: 'ANSWER', channel: { state: 6, name: 'up' } });
  });

  it('get-data: digits up to "#", and an empty timeout (testsuite get-data, agi-commands.txt)', async () => {
    const { value, peer } = await runCall(
      async (s) => ({ typed: await s.getData('beep', 3000, 10), none: await s.getData('beep', 2000, 4) }),
      { model: { dtmf: '3212333#' } },
    );
    expect(value).to.deep.equal({ typed: { digits: '3212333', timedOut: false }, none: { digits: '', timedOut: true } });
    expect(peer.commands).to.deep.equal(['GET DATA beep 3000 10', 'GET DATA beep 2000 4']);
  });

  it('wait-for-digit: 3212 one digit at a time, then a timeout (testsuite wait-for-digit)', async () => {
    const { value } = await runCall(
      async (s) => {
        const digits: (string | undefined)[] = [];
        for (let i = 0; i < 5; i++) digits.push(await s.waitForDigit(3000));
        return digits;
      },
      { model: { dtmf: '3212' } },
    );
    expect(value).to.deep.equal(['3', '2', '1', '2', undefined]);
  });

  it('record-file: ended by DTMF, by silence, by the time limit (testsuite record-file, agi-commands.txt)', async () => {
    const { value, peer } = await runCall(
      async (s) => ({
        dtmf: await s.recordFile('agi-rec-test', 'wav', { escapeDigits: '#', timeoutMs: 10000, beep: true }),
        silence: await s.recordFile('agi-rec-test', 'wav', { escapeDigits: '#', timeoutMs: 3000, beep: true, silenceSeconds: 2 }),
        limit: await s.recordFile('agi-rec-test', 'wav', { escapeDigits: '#', timeoutMs: 3000 }),
      }),
      { model: { dtmf: '#' } },
    );
    expect(value?.dtmf).to.deep.equal({ endedBy: 'dtmf', digit: '#', endpos: 0, detail: undefined });
    expect(value?.silence).to.deep.equal({ endedBy: 'silence', digit: undefined, endpos: 8160, detail: undefined });
    expect(value?.limit).to.deep.equal({ endedBy: 'timeout', digit: undefined, endpos: 0, detail: undefined });
    expect(peer.commands).to.deep.equal([
      'RECORD FILE agi-rec-test wav "#" 10000 0 beep',
      'RECORD FILE agi-rec-test wav "#" 3000 0 beep s=2',
      'RECORD FILE agi-rec-test wav "#" 3000',
    ]);
  });

  it('record-file: a hang-up during the recording ends it with endedBy "hangup" and aborts the signal', async () => {
    const { value } = await runCall(
      async (s) => {
        const rec = await s.recordFile('msg', 'wav', { escapeDigits: '#', timeoutMs: 60000 });
        return { rec, aborted: s.signal.aborted };
      },
      { hangupAtCommand: 1 },
    );
    expect(value).to.deep.equal({ rec: { endedBy: 'hangup', digit: undefined, endpos: 0, detail: undefined }, aborted: true });
  });

  it('say-*: alpha, digits, number, phonetic, date, time, datetime in the fixture byte format', async () => {
    const { value, peer } = await runCall(async (s) => [
      await s.sayDigits('1234'),
      await s.sayNumber(42),
      await s.sayAlpha('abc'),
      await s.sayPhonetic('xyz'),
      await s.sayDate(1795294530),
      await s.sayTime(1795294530),
      await s.sayDatetime(1795294530),
      await s.sayDatetime(1795294530, '', 'HM', 'UTC'),
    ]);
    for (const result of value ?? []) expect(result).to.deep.equal({ outcome: 'completed', digit: undefined, endpos: undefined });
    expect(value).to.have.length(8);
    expect(peer.commands).to.deep.equal([
      'SAY DIGITS 1234 ""',
      'SAY NUMBER 42 ""',
      'SAY ALPHA abc ""',
      'SAY PHONETIC xyz ""',
      'SAY DATE 1795294530 ""',
      'SAY TIME 1795294530 ""',
      'SAY DATETIME 1795294530 ""',
      'SAY DATETIME 1795294530 "" "HM" UTC',
    ]);
  });

  it('say-*: an escape digit interrupts and is returned', async () => {
    const { value } = await runCall(async (s) => s.sayNumber(1234, '*#'), { model: { dtmf: '*' } });
    expect(value).to.deep.equal({ outcome: 'interrupted', digit: '*', endpos: undefined });
  });

  it('variables: quotes and backslashes survive Asterisk\'s parser (agi-commands.txt QUOTED)', async () => {
    const values = ['he said "hi" and left', 'a\\b', 'two words', '', '12#', 'yes', 'ünïcødé ✓', '(x) endpos=5'];
    const { value, peer } = await runCall(async (s) => {
      const out: (string | undefined)[] = [];
      for (const [i, v] of values.entries()) {
        await s.setVariable(`V${i}`, v);
        out.push(await s.getVariable(`V${i}`));
      }
      return out;
    });
    expect(value).to.deep.equal(values);
    expect(peer.commands[0]).to.equal('SET VARIABLE V0 "he said \\"hi\\" and left"');
    expect(peer.commands[2]).to.equal('SET VARIABLE V1 "a\\\\b"');
  });

  it('caller id, context, extension, priority, music, verbose, noop, full variable', async () => {
    const { value, peer } = await runCall(async (s) => {
      await s.setCallerId('"New Name" <5551234>');
      const named = await s.getFullVariable('${CALLERID(all)}');
      await s.setCallerId({ number: '5559999' });
      const bare = await s.getFullVariable('${CALLERID(all)}');
      await s.setMusic(true, 'default');
      await s.setMusic(false);
      await s.verbose('probe demo script running', 1);
      await s.noop();
      await s.setContext('agi2-continue');
      await s.setExtension('111');
      await s.setPriority(3);
      return { named, bare };
    });
    expect(value).to.deep.equal({ named: '"New Name" <5551234>', bare: '"" <5559999>' });
    expect(peer.commands).to.deep.equal([
      'SET CALLERID "\\"New Name\\" <5551234>"',
      'GET FULL VARIABLE "${CALLERID(all)}"',
      'SET CALLERID 5559999',
      'GET FULL VARIABLE "${CALLERID(all)}"',
      'SET MUSIC on default',
      'SET MUSIC off',
      'VERBOSE "probe demo script running" 1',
      'NOOP',
      'SET CONTEXT agi2-continue',
      'SET EXTENSION 111',
      'SET PRIORITY 3',
    ]);
  });

  it('510 and 520 reject the command with AgiCommandError and the call goes on (agi-commands.txt)', async () => {
    const { value } = await runCall(async (s) => {
      const unknown = await s.command('NOSUCHCOMMAND', ['foo']).catch((e: unknown) => e);
      const usage = await s.command('SET VARIABLE', ['SPACES', 'two', 'words']).catch((e: unknown) => e);
      await s.setVariable('AFTER', 'ok');
      return { unknown, usage, after: await s.getVariable('AFTER') };
    });
    expect(value?.unknown).to.be.instanceOf(AgiCommandError).and.include({ status: 510 });
    expect(value?.usage).to.be.instanceOf(AgiCommandError).and.include({ status: 520, usage: 'Sets a variable to the current channel.' });
    expect(value?.after).to.equal('ok');
  });

  it('commands fired without awaiting are still sent one at a time, never pipelined', async () => {
    const { value, peer } = await runCall(async (s) =>
      Promise.all([s.answer(), s.setVariable('A', '1'), s.getVariable('A'), s.streamFile('beep'), s.waitForDigit(100), s.getVariable('CHANNEL')]),
    );
    expect(value?.[2]).to.equal('1');
    expect(value?.[5]).to.equal('Local/100@ivr-test-00000000;2');
    expect(peer.commands).to.have.length(6);
    expect(peer.violations).to.deep.equal([]);
  });

  it('the environment reaches the handler: route path, query, agi_arg_N', async () => {
    const { value } = await runCall(async (s) => ({ path: s.env.script.path, query: { ...s.env.script.query }, args: s.env.args, channel: s.env.channel, callerId: s.env.callerId }), {
      script: 'demo?did=0123456789&lang=fr',
      args: ['0123456789', '+33612345678', ''],
    });
    expect(value).to.deep.equal({
      path: 'demo',
      query: { did: '0123456789', lang: 'fr' },
      args: ['0123456789', '+33612345678', ''],
      channel: 'Local/100@ivr-test-00000000;2',
      callerId: '1001',
    });
  });
});
