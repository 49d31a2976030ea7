// Replays the real Asterisk 22.10.1 transcripts (test/fixtures/asterisk/agi-*.txt): the peer
// sends the recorded environment and the recorded replies; the same script written with our typed
// session API must send byte-identical S> lines and read the recorded replies as the values the
// capture describes.
import { expect } from 'chai';
import { AgiCommandError, AgiConnectionClosedError, AgiEncodeError, AgiHangupError } from '../../../server/voice/agi/agi-errors.ts';
import type { AgiSession } from '../../../server/voice/agi/agi-session.ts';
import { parseTranscript, replayTranscript, withoutExchanges, type AgiTranscript } from '../../peers/asterisk-agi-transcript.ts';
import { fixture, startServer } from './helpers.ts';

/** Runs `script` as the handler of every route while the transcript is replayed; returns what happened. */
async function replay<T>(transcript: AgiTranscript, script: (s: AgiSession) => Promise<T>): Promise<{ value?: T; error?: unknown; sent: string; expected: string; mismatches: string[] }> {
  let outcome: { value?: T; error?: unknown } = {};
  const { server, port } = await startServer({
    fallback: async (s) => {
      try {
        outcome = { value: await script(s) };
      } catch (error) {
        outcome = { error };
      }
    },
  });
  try {
    const { peer, mismatches } = await replayTranscript(transcript, port);
    await peer.done;
    expect(peer.violations).to.deep.equal([]);
    return {
      ...outcome,
      sent: peer.receivedBytes().toString('utf8'),
      expected: transcript.exchanges.map((e) => `${e.command}\n`).join(''),
      mismatches,
    };
  } finally {
    await server.close(200);
  }
}

describe('FastAGI replay of the Asterisk 22.10.1 transcripts', () => {
  it('agi-session.txt: the happy path, byte for byte', async () => {
    const transcript = parseTranscript(fixture('agi-session.txt'));
    expect(transcript.exchanges).to.have.length(15);
    const r = await replay(transcript, async (s) => {
      expect(s.env.script.path).to.equal('demo');
      expect(s.env.script.query['x']).to.equal('1');
      expect(s.env.accountCode).to.equal('');
      await s.answer();
      const channel = await s.getVariable('CHANNEL');
      const callerId = await s.getFullVariable('${CALLERID(all)}');
      const status = await s.channelStatus();
      await s.verbose('probe demo script running', 1);
      const beep = await s.streamFile('beep', '');
      const digits = [await s.waitForDigit(3000), await s.waitForDigit(3000), await s.waitForDigit(3000)];
      await s.setVariable('LAB_RESULT', '12#');
      const lab = await s.getVariable('LAB_RESULT');
      const playback = await s.exec('Playback', 'beep');
      const noop = await s.exec('NoOp', 'exec from fastagi');
      const unknown = await s.command('NOSUCHCOMMAND', ['foo']).catch((e: unknown) => e);
      await s.setVariable('LAB_DONE', 'yes');
      return { channel, callerId, status, beep, digits, lab, playback, noop, unknown };
    });
    expect(r.mismatches).to.deep.equal([]);
    expect(r.sent).to.equal(r.expected);
    expect(r.error).to.equal(undefined);
    expect(r.value?.channel).to.equal('Local/100@ivr-test-00000000;2');
    expect(r.value?.callerId).to.equal('"AGI Probe" <1001>');
    expect(r.value?.status).to.deep.equal({ state: 6, name: 'up' });
    expect(r.value?.beep).to.deep.equal({ outcome: 'completed', digit: undefined, endpos: 3520 });
    expect(r.value?.digits).to.deep.equal(['1', '2', '#']);
    expect(r.value?.lab).to.equal('12#');
    expect(r.value?.playback.status).to.equal('ok');
    expect(r.value?.unknown).to.be.instanceOf(AgiCommandError).and.include({ status: 510 });
  });

  it('agi-hangup.txt: -1 then HANGUP; dead-channel commands answer 200, the others 511; HANGUP again on close', async () => {
    const transcript = parseTranscript(fixture('agi-hangup.txt'));
    expect(transcript.afterServerClose).to.deep.equal(['HANGUP']);
    const r = await replay(transcript, async (s) => {
      await s.answer();
      await s.verbose('waiting; other leg will hang up in ~2s', 1);
      const wait = await s.waitForDigit(10000).catch((e: unknown) => e);
      const abortedAfterWait = s.signal.aborted;
      const channel = await s.getVariable('CHANNEL');
      const stream = await s.streamFile('beep', '').catch((e: unknown) => e);
      const wait2 = await s.waitForDigit(1000).catch((e: unknown) => e);
      await s.setVariable('AFTER_HANGUP', 'yes');
      const status = await s.channelStatus().catch((e: unknown) => e);
      const hangup = await s.hangup().catch((e: unknown) => e);
      await s.verbose('still talking after hangup', 1);
      return { wait, abortedAfterWait, channel, stream, wait2, status, hangup };
    });
    expect(r.mismatches).to.deep.equal([]);
    expect(r.sent).to.equal(r.expected);
    expect(r.value?.wait).to.be.instanceOf(AgiHangupError);
    expect(r.value?.abortedAfterWait).to.equal(true);
    expect(r.value?.channel).to.equal('Local/101@ivr-test-00000001;2');
    for (const key of ['stream', 'wait2', 'status', 'hangup'] as const) expect(r.value?.[key], key).to.be.instanceOf(AgiHangupError);
  });

  it('agi-hangup-exitonhangup.txt: Asterisk closes after HANGUP HANGUP; nothing else is sent', async () => {
    const transcript = parseTranscript(fixture('agi-hangup-exitonhangup.txt'));
    expect(transcript.asteriskCloses).to.equal(true);
    const r = await replay(transcript, async (s) => {
      await s.answer();
      await s.verbose('waiting; other leg will hang up in ~2s', 1);
      const wait = await s.waitForDigit(10000).catch((e: unknown) => e);
      // The capture shows these were never sent: the socket was already closed.
      const after = await s.getVariable('CHANNEL').catch((e: unknown) => e);
      return { wait, after };
    });
    expect(r.mismatches).to.deep.equal([]);
    expect(r.sent).to.equal(r.expected);
    expect(r.value?.wait).to.be.instanceOf(AgiHangupError);
    expect(r.value?.after).to.be.instanceOf(AgiConnectionClosedError);
  });

  it('agi-to-stasis.txt: EXEC Stasis hands the call to ARI and the AGI keeps control afterwards', async () => {
    const transcript = parseTranscript(fixture('agi-to-stasis.txt'));
    const r = await replay(transcript, async (s) => {
      await s.answer();
      await s.setVariable('BEFORE_STASIS', 'yes');
      const stasis = await s.exec('Stasis', 'acd,queue,42');
      const status = await s.getVariable('STASISSTATUS');
      const ariSet = await s.getVariable('ARI_SET');
      await s.getVariable('BEFORE_STASIS');
      await s.channelStatus();
      await s.streamFile('beep', '');
      const digit = await s.waitForDigit(500);
      await s.exec('Stasis', 'acd,queue,42');
      const failed = await s.getVariable('STASISSTATUS');
      await s.exec('Stasis', 'never-registered,queue,42');
      await s.getVariable('STASISSTATUS');
      await s.channelStatus();
      await s.verbose('agi still in control after Stasis', 1);
      return { stasis, status, ariSet, digit, failed };
    });
    expect(r.mismatches).to.deep.equal([]);
    expect(r.sent).to.equal(r.expected);
    expect(r.value).to.deep.equal({ stasis: { result: 0, status: 'ok' }, status: 'SUCCESS', ariSet: 'from-ari', digit: undefined, failed: 'FAILED' });
  });

  it('agi-commands.txt: the command tour, byte for byte, except the lines that demonstrate malformed input', async () => {
    // Lines the capture wrote by hand to probe Asterisk's parser; our encoder refuses or quotes them
    // differently on purpose (each case is asserted below and in codec.test.ts).
    const demos = [
      /^SET VARIABLE BS /, // a backslash-n escape: \n reads as "n"
      /^SET VARIABLE (SPACES|SQ) /, // unquoted spaces, single quotes -> 520
      /^SET VARIABLE NL "first$/, // a real newline in an argument
      /^second"$/,
      /^GET VARIABLE NL$/, // its reply is shifted by the newline above
      /^SET VARIABLE LONG /, // 2,999 bytes: over the 2,047-byte line limit we enforce
      /^GET FULL VARIABLE \$\{LEN/, // depends on LONG
      /^VERBOSE "y{100}/, // 9,005 bytes
      /^NOOP still alive$/, // NOOP with an ignored argument
      /^EXEC NoOp w0 w1 /, // 200 words: EXEC takes ONE argument
    ];
    const full = parseTranscript(fixture('agi-commands.txt'));
    const transcript = withoutExchanges(full, (ex) => demos.some((re) => re.test(ex.command)));
    expect(full.exchanges.length - transcript.exchanges.length).to.equal(11);
    const r = await replay(transcript, async (s) => {
      const v: Record<string, unknown> = {};
      await s.answer();
      v['data'] = await s.getData('beep', 3000, 4);
      v['noData'] = await s.getData('beep', 2000, 4);
      v['control'] = await s.controlStreamFile('demo-congrats', '5');
      v['cplayback'] = [await s.getVariable('CPLAYBACKSTATUS'), await s.getVariable('CPLAYBACKOFFSET'), await s.getVariable('CPLAYBACKSTOPKEY')];
      await s.sayDigits('1234');
      await s.sayNumber(42);
      await s.sayAlpha('abc');
      await s.sayDatetime(1795294530);
      await s.sayDatetime(1795294530, '', 'HM', 'UTC');
      v['recSilence'] = await s.recordFile('agi-rec-test', 'wav', { escapeDigits: '#', timeoutMs: 3000, beep: true, silenceSeconds: 2 });
      v['recNothing'] = await s.recordFile('agi-rec-test', 'wav', { escapeDigits: '#', timeoutMs: 3000, beep: true, silenceSeconds: 2 });
      v['recDtmf'] = await s.recordFile('agi-rec-test', 'wav', { escapeDigits: '#', timeoutMs: 10000, beep: true });
      await s.setMusic(true, 'default');
      await s.setMusic(false);
      await s.setMusic(true, 'no-such-class');
      await s.setMusic(false);
      await s.exec('Playback', 'no-such-file-xyz');
      v['playbackStatus'] = await s.getVariable('PLAYBACKSTATUS');
      v['db'] = [
        await s.databasePut('cc', 'agent200', 'paused break'),
        await s.databaseGet('cc', 'agent200'),
        await s.databaseGet('cc', 'no-such-key'),
        await s.databaseDel('cc', 'agent200'),
        await s.databaseDel('cc', 'agent200'),
      ];
      await s.setCallerId('"New Name" <5551234>');
      v['cidNamed'] = await s.getFullVariable('${CALLERID(all)}');
      await s.setCallerId('5559999');
      v['cidBare'] = await s.getFullVariable('${CALLERID(all)}');
      await s.setVariable('QUOTED', 'he said "hi" and left');
      v['quoted'] = await s.getVariable('QUOTED');
      v['bs'] = await s.getVariable('BS');
      v['spaces'] = await s.getVariable('SPACES');
      v['sq'] = await s.getVariable('SQ');
      await s.exec('NoOp', 'a,b,"c"');
      await s.exec('Set', 'DIALOPTS=a,b');
      v['dialopts'] = await s.getVariable('DIALOPTS');
      await s.exec('Dial', 'Local/999@agent-leg,5');
      v['unavail'] = await s.getVariable('DIALSTATUS');
      await s.exec('Dial', 'Local/201@agent-leg2,3');
      v['noanswer'] = [await s.getVariable('DIALSTATUS'), await s.getVariable('DIALEDTIME'), await s.getVariable('ANSWEREDTIME')];
      v['dialAnswered'] = await s.exec('Dial', 'Local/200@agent-leg,10');
      v['answered'] = [
        await s.getVariable('DIALSTATUS'),
        await s.getVariable('ANSWEREDTIME'),
        await s.getVariable('ANSWEREDTIME_MS'),
        await s.getVariable('DIALEDTIME'),
        await s.getVariable('DIALEDTIME_MS'),
        await s.getVariable('DIALEDPEERNAME'),
      ];
      v['stillUp'] = await s.channelStatus();
      v['long'] = await s.getVariable('LONG');
      await s.setContext('agi2-continue');
      await s.setExtension('111');
      await s.setPriority(3);
      return v;
    });
    expect(r.mismatches).to.deep.equal([]);
    expect(r.sent).to.equal(r.expected);
    const v = r.value ?? {};
    expect(v['data']).to.deep.equal({ digits: '123', timedOut: false });
    expect(v['noData']).to.deep.equal({ digits: '', timedOut: true });
    expect(v['control']).to.deep.equal({ outcome: 'interrupted', digit: '5', endpos: 1720 });
    expect(v['cplayback']).to.deep.equal(['USERSTOPPED', '1720', '5']);
    expect(v['recSilence']).to.include({ endedBy: 'silence', endpos: 8160 });
    expect(v['recNothing']).to.include({ endedBy: 'timeout', endpos: 0 });
    expect(v['recDtmf']).to.include({ endedBy: 'dtmf', digit: '#', endpos: 0 });
    expect(v['playbackStatus']).to.equal('FAILED');
    expect(v['db']).to.deep.equal([true, 'paused break', undefined, true, true]);
    expect(v['cidNamed']).to.equal('"New Name" <5551234>');
    expect(v['cidBare']).to.equal('"" <5559999>');
    expect(v['quoted']).to.equal('he said "hi" and left');
    expect(v['bs']).to.equal('a\\bnc');
    expect(v['spaces']).to.equal(undefined);
    expect(v['sq']).to.equal(undefined);
    expect(v['dialopts']).to.equal('a,b');
    expect(v['unavail']).to.equal('CHANUNAVAIL');
    expect(v['noanswer']).to.deep.equal(['NOANSWER', '', '']);
    expect(v['dialAnswered']).to.deep.equal({ result: -1, status: 'failed' });
    expect(v['answered']).to.deep.equal(['ANSWER', '48', '48734', '48', '48738', 'Local/200@agent-leg-00000003;1']);
    expect(v['stillUp']).to.deep.equal({ state: 6, name: 'up' });
    expect(v['long']).to.equal('x'.repeat(1023));
  });

  it('agi-commands.txt demo lines: our encoder refuses what broke Asterisk there', async () => {
    const { server, port } = await startServer({
      fallback: async (s) => {
        // A real newline would be cut by Asterisk into two commands (SET VARIABLE NL "first / second").
        expect(() => s.setVariable('NL', 'first\nsecond')).not.to.throw();
        const nl = await s.setVariable('NL', 'first\nsecond').catch((e: unknown) => e);
        expect(nl).to.be.instanceOf(AgiEncodeError).and.include({ code: 'AGI_BAD_ARGUMENT' });
        // A 2,999-byte line works on 22.x but not on older Asterisks: refused.
        const long = await s.setVariable('LONG', 'x'.repeat(2976)).catch((e: unknown) => e);
        expect(long).to.be.instanceOf(AgiEncodeError).and.include({ code: 'AGI_LINE_TOO_LONG' });
        // Spaces are quoted, so Asterisk sees one argument (no 520 as for SET VARIABLE SPACES two words).
        await s.setVariable('SPACES', 'two words');
        await s.exec('NoOp', Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '));
      },
    });
    try {
      const { AsteriskAgiPeer } = await import('../../peers/asterisk-agi.ts');
      const peer = await AsteriskAgiPeer.connect({ port });
      await peer.done;
      expect(peer.commands[0]).to.equal('SET VARIABLE SPACES "two words"');
      expect(peer.model.variables.get('SPACES')).to.equal('two words');
      // EXEC passes ONE argument: the whole 200-word data arrives as the application data.
      expect(peer.commands[1]?.startsWith('EXEC NoOp "w0 w1 w2')).to.equal(true);
      expect(peer.commands).to.have.length(2);
    } finally {
      await server.close(200);
    }
  });
});
