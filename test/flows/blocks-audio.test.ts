import { expect } from 'chai';
import { makeProject, ops, runBlock, traceIds } from './helpers.ts';
import { simulate } from '../../flows/testing/simulate.ts';

describe('flows/blocks: play and menu', () => {
  describe('Playback', () => {
    it('plays rendered prompts, not skippable by default', async () => {
      const sim = await runBlock(
        { type: 'Playback', params: { prompts: ['custom/{LANG}/welcome', 'beep'] }, variables: { LANG: { default: 'it' } } },
        { call: { script: ['1'] } },
      );
      expect(sim.exit).to.equal('next');
      expect(ops(sim, 'play')).to.deep.equal([{ prompts: ['custom/it/welcome', 'beep'], escapeDigits: '' }]);
      expect(sim.call.remaining).to.equal(1); // the key was not consumed
    });

    it('when skippable, a key stops it and can be kept', async () => {
      const sim = await runBlock({ type: 'Playback', params: { prompts: ['long'], skippable: true, escapeDigits: '#', digitVariable: 'SKIPPED' } }, { call: { script: ['#'] } });
      expect(sim.exit).to.equal('next');
      expect(sim.result.variables['SKIPPED']).to.equal('#');
    });
  });

  describe('Menu', () => {
    const menu = {
      prompts: ['main-menu'],
      choices: ['1', '2'],
      retries: 2,
      invalidPrompts: ['invalid'],
      timeoutPrompts: ['no-input'],
      variable: 'CHOICE',
      timeoutSec: 5,
    };

    it('leaves by the exit of the choice and keeps the entry', async () => {
      const sim = await runBlock({ type: 'Menu', params: menu }, { call: { script: ['2'] } });
      expect(sim.exit).to.equal('2');
      expect(sim.result.variables['CHOICE']).to.equal('2');
      expect(ops(sim, 'collectDigits')).to.deep.equal([{ prompts: ['main-menu'], timeoutMs: 5000, maxDigits: 1, terminator: '' }]);
    });

    it('a wired invalid exit takes priority over retries', async () => {
      const sim = await runBlock({ type: 'Menu', params: menu }, { call: { script: ['9', '1'] } });
      expect(sim.exit).to.equal('invalid');
      expect(sim.result.variables['CHOICE']).to.equal('9');
      expect(ops(sim, 'collectDigits')).to.have.length(1);
      expect(ops(sim, 'play')).to.deep.equal([]);
    });

    it('a wired timeout exit takes priority over retries', async () => {
      const sim = await runBlock({ type: 'Menu', params: menu }, { call: { script: [] } });
      expect(sim.exit).to.equal('timeout');
      expect(sim.clock.now() - Date.UTC(2026, 0, 5, 9)).to.equal(5000);
    });

    it('unwired, an invalid entry plays the invalid prompt and retries', async () => {
      const sim = await runBlock({ type: 'Menu', params: menu, unwired: ['invalid', 'timeout'] }, { call: { script: ['7', '1'] } });
      expect(sim.exit).to.equal('1');
      expect(ops(sim, 'play')).to.deep.equal([{ prompts: ['invalid'], escapeDigits: '' }]);
      expect(ops(sim, 'collectDigits')).to.have.length(2);
    });

    it('unwired, a timeout plays the timeout prompt and retries', async () => {
      const sim = await runBlock({ type: 'Menu', params: menu, unwired: ['invalid', 'timeout'] }, { call: { script: [{ wait: 6000 }, '2'] } });
      expect(sim.exit).to.equal('2');
      expect(ops(sim, 'play')).to.deep.equal([{ prompts: ['no-input'], escapeDigits: '' }]);
    });

    it('after the last retry the flow ends at the unwired exit, with the reason', async () => {
      const sim = await runBlock({ type: 'Menu', params: menu, unwired: ['invalid', 'timeout'] }, { call: { script: ['7', '8', '9', '1'] } });
      expect(sim.exit).to.equal('invalid');
      expect(ops(sim, 'collectDigits')).to.have.length(3); // first try + 2 retries
      expect(sim.result.outcome).to.equal('completed');
      expect(sim.result.code).to.equal('unwired-exit');
      expect(sim.result.reason).to.equal('exit "invalid" of Menu block x is not connected; the flow ends there');
      expect(sim.call.remaining).to.equal(1);
    });

    it('retries mixed failures: timeout then invalid then success', async () => {
      const sim = await runBlock({ type: 'Menu', params: menu, unwired: ['invalid', 'timeout'] }, { call: { script: [{ wait: 9000 }, '5', '1'] } });
      expect(sim.exit).to.equal('1');
      expect(ops(sim, 'play').map((o) => o['prompts'])).to.deep.equal([['no-input'], ['invalid']]);
    });

    it('multi-digit: the timer restarts after each digit', async () => {
      const params = { ...menu, choices: ['123', '9'], maxDigits: 3, timeoutSec: 3 };
      // 2.5 s between keys, 7.5 s in total: longer than one timeout, but never 3 s of silence.
      const sim = await runBlock({ type: 'Menu', params }, { call: { script: ['1', { wait: 2500 }, '2', { wait: 2500 }, '3'] } });
      expect(sim.exit).to.equal('123');
      expect(sim.clock.now() - Date.UTC(2026, 0, 5, 9)).to.equal(5000);
    });

    it('multi-digit: silence longer than the timeout ends the entry (partial entry is invalid)', async () => {
      const params = { ...menu, choices: ['123'], maxDigits: 3, timeoutSec: 3 };
      const sim = await runBlock({ type: 'Menu', params }, { call: { script: ['1', '2', { wait: 3500 }, '3'] } });
      expect(sim.exit).to.equal('invalid');
      expect(sim.result.variables['CHOICE']).to.equal('12');
    });

    it('multi-digit: the terminator ends the entry early and is not part of it', async () => {
      const params = { ...menu, choices: ['12', '123'], maxDigits: 3 };
      const sim = await runBlock({ type: 'Menu', params }, { call: { script: ['12#'] } });
      expect(sim.exit).to.equal('12');
      expect(sim.result.variables['CHOICE']).to.equal('12');
    });

    it('stops collecting at maxDigits', async () => {
      const params = { ...menu, choices: ['12'], maxDigits: 2 };
      const sim = await runBlock({ type: 'Menu', params }, { call: { script: ['123'] } });
      expect(sim.exit).to.equal('12');
      expect(sim.call.remaining).to.equal(1);
    });

    it('a single-key menu may offer # and * as choices', async () => {
      const sim = await runBlock({ type: 'Menu', params: { ...menu, choices: ['*', '#'] } }, { call: { script: ['#'] } });
      expect(sim.exit).to.equal('#');
    });
  });

  describe('GetDigits', () => {
    const params = { prompts: ['enter-account'], minDigits: 4, maxDigits: 8, pattern: '_1XXX.', retries: 1, invalidPrompts: ['wrong'], variable: 'ACCOUNT' };

    it('succeeds with a valid entry ended by #', async () => {
      const sim = await runBlock({ type: 'GetDigits', params }, { call: { script: ['12345#'] } });
      expect(sim.exit).to.equal('success');
      expect(sim.result.variables['ACCOUNT']).to.equal('12345');
    });

    it('an entry not matching the pattern is invalid; unwired, it retries', async () => {
      const sim = await runBlock({ type: 'GetDigits', params, unwired: ['invalid'] }, { call: { script: ['92345#', '19999#'] } });
      expect(sim.exit).to.equal('success');
      expect(ops(sim, 'play')).to.deep.equal([{ prompts: ['wrong'], escapeDigits: '' }]);
    });

    it('too short is invalid', async () => {
      const sim = await runBlock({ type: 'GetDigits', params }, { call: { script: ['12#'] } });
      expect(sim.exit).to.equal('invalid');
    });

    it('nothing is timeout', async () => {
      const sim = await runBlock({ type: 'GetDigits', params }, { call: { script: [] } });
      expect(sim.exit).to.equal('timeout');
      expect(sim.result.variables['ACCOUNT']).to.equal('');
    });
  });

  describe('Say', () => {
    it('says each kind through the port', async () => {
      for (const [kind, value, said] of [
        ['digits', '{CALLERID(num)}', '390212345678'],
        ['number', '42', '42'],
        ['alpha', 'abc', 'abc'],
        ['datetime', '2026-01-05T10:00:00Z', '1767607200'],
      ] as const) {
        const sim = await runBlock({ type: 'Say', params: { kind, value } });
        expect(sim.exit).to.equal('next');
        expect(ops(sim, 'say')[0]).to.include({ kind, value: said });
      }
    });

    it('unwired invalid: a value that cannot be said is passed over silently', async () => {
      const sim = await runBlock({ type: 'Say', params: { kind: 'digits', value: '{NOTHING}' }, unwired: ['invalid'] });
      expect(sim.exit).to.equal('next');
      expect(ops(sim, 'say')).to.deep.equal([]);
    });

    it('a value that cannot be said leaves by invalid when it is wired', async () => {
      const sim = await runBlock({ type: 'Say', params: { kind: 'number', value: 'twelve' } });
      expect(sim.exit).to.equal('invalid');
      expect(sim.entry?.logs).to.deep.equal(['warn: cannot say "twelve" as number']);
    });
  });

  describe('Tts', () => {
    it('plays the recorded prompt with the default engine, without calling any TTS service', async () => {
      const sim = await runBlock({ type: 'Tts', params: { prompt: 'custom/hello' } });
      expect(sim.exit).to.equal('next');
      expect(ops(sim, 'play')[0]).to.deep.include({ prompts: ['custom/hello'] });
      expect(sim.services.requests).to.deep.equal([]);
    });

    it('synthesizes with a pluggable engine', async () => {
      const sim = await runBlock({ type: 'Tts', params: { engine: 'polly', text: 'Hello {CALLER_NAME}', voice: 'Joanna' } });
      expect(sim.exit).to.equal('next');
      expect(sim.services.requests[0]).to.deep.include({ service: 'tts', action: 'synthesize' });
      expect((sim.services.requests[0]!.detail as { text: string }).text).to.equal('Hello Scripted Caller');
      expect(ops(sim, 'play')).to.have.length(1);
    });

    it('falls back to the recorded prompt when synthesis fails, else leaves by failed', async () => {
      const withFallback = await runBlock({ type: 'Tts', params: { engine: 'polly', text: 'x', prompt: 'fallback' } }, { services: { ttsFails: true } });
      expect(withFallback.exit).to.equal('next');
      expect(ops(withFallback, 'play')[0]).to.deep.include({ prompts: ['fallback'] });
      const without = await runBlock({ type: 'Tts', params: { engine: 'polly', text: 'x' } }, { services: { ttsFails: true } });
      expect(without.exit).to.equal('failed');
    });
  });

  describe('Record', () => {
    it('records to the rendered file and keeps its name and the stop reason', async () => {
      const sim = await runBlock({ type: 'Record', params: { file: 'voicemail/{UNIQUEID}', variable: 'REC', maxDurationSec: 30 } });
      expect(sim.exit).to.equal('next');
      expect(sim.result.variables['REC']).to.equal('voicemail/scripted-1.wav');
      expect(sim.result.variables['RECORDING_REASON']).to.equal('silence');
      expect(ops(sim, 'record')[0]).to.include({ file: 'voicemail/scripted-1', maxDurationMs: 30_000, beep: true });
    });

    it('a key stops the recording', async () => {
      const sim = await runBlock({ type: 'Record', params: { file: 'r' } }, { call: { script: ['#'] } });
      expect(sim.result.variables['RECORDING_REASON']).to.equal('dtmf');
    });

    it('refuses a file name that walks out of the recordings directory', async () => {
      const sim = await runBlock({ type: 'Record', params: { file: 'x/{NAME}' }, variables: { NAME: { default: '../../etc/passwd' } } });
      expect(sim.result.outcome).to.equal('error');
      expect(sim.result.reason).to.contain('unsafe recording file name');
      expect(ops(sim, 'record')).to.deep.equal([]);
    });
  });

  describe('MusicOnHold and Wait', () => {
    it('MusicOnHold with a duration starts, waits and stops', async () => {
      const sim = await runBlock({ type: 'MusicOnHold', params: { musicClass: 'jazz', durationSec: 20 } });
      expect(sim.exit).to.equal('next');
      expect(ops(sim, 'setMusicOnHold')).to.deep.equal([{ musicClass: 'jazz' }, { musicClass: null }]);
      expect(sim.clock.now() - Date.UTC(2026, 0, 5, 9)).to.equal(20_000);
    });

    it('Wait passes (virtual) time on any channel', async () => {
      const sim = await runBlock({ type: 'Wait', params: { seconds: 90 }, channel: 'chat' });
      expect(sim.exit).to.equal('next');
      expect(sim.result.trace.find((e) => e.blockId === 'x')!.durationMs).to.equal(90_000);
    });
  });

  it('prompts are skipped in Finally: the survey posts results after a hangup without playing', async () => {
    const project = makeProject({
      start: { type: 'Start', exits: { next: 'menu' } },
      menu: { type: 'Menu', params: { prompts: ['q'], choices: ['1'] }, exits: { '1': 'end', invalid: 'end', timeout: 'end' } },
      end: { type: 'End' },
      fin: { type: 'Finally', exits: { next: 'bye' } },
      bye: { type: 'Playback', params: { prompts: ['goodbye'] }, exits: { next: 'set' } },
      set: { type: 'Set', params: { assignments: [{ variable: 'DONE', value: 'yes' }] }, exits: { next: null } },
    });
    const sim = await simulate(project, { call: { script: [{ hangup: true }] } });
    expect(sim.result.outcome).to.equal('hangup');
    expect(traceIds(sim.result)).to.deep.equal(['start', 'menu', 'fin', 'bye', 'set']);
    expect(sim.result.trace[3]!.skipped).to.equal('audio has no effect in Finally');
    expect(sim.result.variables['DONE']).to.equal('yes');
    expect(ops(sim, 'play')).to.deep.equal([]);
  });
});
