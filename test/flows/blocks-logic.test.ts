import { expect } from 'chai';
import { makeProject, ops, runBlock, traceIds } from './helpers.ts';
import { simulate } from '../../flows/testing/simulate.ts';

describe('flows/blocks: variables and logic', () => {
  describe('Set', () => {
    it('sets constants, {PROJECT_VAR} and {ASTERISK_VAR} values in order', async () => {
      const sim = await runBlock({
        type: 'Set',
        params: {
          assignments: [
            { variable: 'A', value: 'constant' },
            { variable: 'B', value: '{A}-{CALLERID(num)}' },
            { variable: 'C', value: '{B}' },
          ],
        },
      });
      expect(sim.exit).to.equal('next');
      expect(sim.result.variables).to.include({ A: 'constant', B: 'constant-+390212345678', C: 'constant-+390212345678' });
      expect(sim.entry?.changed).to.deep.equal({ A: 'constant', B: 'constant-+390212345678', C: 'constant-+390212345678' });
    });

    it('a lone {VAR} keeps its type (a matrix stays a matrix)', async () => {
      const sim = await runBlock({
        type: 'Set',
        params: { assignments: [{ variable: 'COPY', value: '{ROWS}' }, { variable: 'TEXT', value: 'rows: {ROWS}' }] },
        variables: { ROWS: { default: [[1, 'a'], [2, 'b']] } },
      });
      expect(sim.result.variables['COPY']).to.deep.equal([[1, 'a'], [2, 'b']]);
      expect(sim.result.variables['TEXT']).to.equal('rows: [[1,"a"],[2,"b"]]');
    });

    it('fetches Asterisk channel variables it does not know, once per render', async () => {
      const sim = await runBlock(
        { type: 'Set', params: { assignments: [{ variable: 'ACCOUNT', value: 'acct-{MY_DIALPLAN_VAR}' }] } },
        { call: { channelVariables: { MY_DIALPLAN_VAR: '77' } } },
      );
      expect(sim.result.variables['ACCOUNT']).to.equal('acct-77');
      expect(ops(sim, 'getVariable')).to.deep.equal([{ name: 'MY_DIALPLAN_VAR', value: '77' }]);
    });

    it('scope "channel" writes an Asterisk channel variable instead', async () => {
      const sim = await runBlock({ type: 'Set', params: { assignments: [{ variable: 'LANGUAGE', value: 'it', scope: 'channel' }] } });
      expect(sim.call.channelVariables.get('LANGUAGE')).to.equal('it');
      expect(sim.result.variables).to.not.have.property('LANGUAGE');
    });

    it('on chat, unknown names are empty: there are no channel variables to ask', async () => {
      const sim = await runBlock({ type: 'Set', channel: 'chat', params: { assignments: [{ variable: 'X', value: '[{NOPE}]' }] } });
      expect(sim.result.variables['X']).to.equal('[]');
      expect(ops(sim, 'getVariable')).to.deep.equal([]);
    });
  });

  describe('Math', () => {
    it('computes with the safe expression language', async () => {
      const sim = await runBlock({ type: 'Math', params: { expression: 'round(PRICE * 1.22, 2) + COUNT', variable: 'TOTAL' }, variables: { PRICE: { default: '10.5' }, COUNT: { default: 1 } } });
      expect(sim.result.variables['TOTAL']).to.equal(13.81);
    });

    it('a failing expression stops the call with the reason', async () => {
      const sim = await runBlock({ type: 'Math', params: { expression: 'A / B', variable: 'R' }, variables: { A: { default: 1 }, B: { default: 0 } } });
      expect(sim.result.outcome).to.equal('error');
      expect(sim.result.code).to.equal('block-error');
      expect(sim.result.reason).to.match(/^Math block x failed: .*zero/i);
      expect(sim.entry?.error).to.match(/zero/i);
    });
  });

  describe('Condition', () => {
    for (const [expression, exit] of [
      ['COUNT < 3 && LANG == "it"', 'true'],
      ['COUNT >= 3', 'false'],
      ['EMPTY', 'false'],
      ['"0"', 'false'],
      ['{CALLERID(num)} == "+390212345678"', 'true'],
    ] as const) {
      it(`${expression} → ${exit}`, async () => {
        const sim = await runBlock({ type: 'Condition', params: { expression }, variables: { COUNT: { default: 2 }, LANG: { default: 'it' }, EMPTY: { default: '' } } });
        expect(sim.exit).to.equal(exit);
      });
    }
  });

  describe('Switch', () => {
    it('takes the exit named like the value, else default', async () => {
      const params = { value: '{LANG}', cases: ['it', 'en', 'de'] };
      expect((await runBlock({ type: 'Switch', params, variables: { LANG: { default: 'en' } } })).exit).to.equal('en');
      expect((await runBlock({ type: 'Switch', params, variables: { LANG: { default: 'fr' } } })).exit).to.equal('default');
    });

    it('can ignore case', async () => {
      const sim = await runBlock({ type: 'Switch', params: { value: '{LANG}', cases: ['IT'], caseSensitive: false }, variables: { LANG: { default: 'it' } } });
      expect(sim.exit).to.equal('IT');
    });
  });

  describe('TimeCondition', () => {
    const params = {
      timezone: 'Europe/Rome',
      intervals: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' },
        { days: ['sat'], from: '22:00', to: '02:00' },
      ],
      holidays: ['12-25', '2026-01-06'],
    };
    const at = async (iso: string, unwired: string[] = []): Promise<string | null> =>
      (await runBlock({ type: 'TimeCondition', params, unwired }, { now: Date.parse(iso) })).exit;

    it('matches inside business hours in the project time zone', async () => {
      expect(await at('2026-01-05T08:30:00Z')).to.equal('match'); // Monday 09:30 in Rome
      expect(await at('2026-01-05T07:30:00Z')).to.equal('nomatch'); // Monday 08:30 in Rome
      expect(await at('2026-01-05T17:00:00Z')).to.equal('nomatch'); // Monday 18:00: end is exclusive
      expect(await at('2026-07-06T15:30:00Z')).to.equal('match'); // summer time: 17:30 in Rome
      expect(await at('2026-07-06T16:30:00Z')).to.equal('nomatch'); // 18:30 in Rome
    });

    it('handles intervals across midnight and weekdays', async () => {
      expect(await at('2026-01-10T21:30:00Z')).to.equal('match'); // Saturday 22:30
      expect(await at('2026-01-11T00:30:00Z')).to.equal('nomatch'); // Sunday 01:30: the day is Sunday
      expect(await at('2026-01-04T10:00:00Z')).to.equal('nomatch'); // Sunday
    });

    it('holidays (dated or every year) win, falling back to nomatch when unwired', async () => {
      expect(await at('2026-01-06T10:00:00Z')).to.equal('holiday');
      expect(await at('2027-12-25T10:00:00Z')).to.equal('holiday');
      expect(await at('2026-01-06T10:00:00Z', ['holiday'])).to.equal('nomatch');
    });
  });

  describe('structure', () => {
    it('Start answers a voice call when asked, and never on chat', async () => {
      const voice = await simulate(makeProject({ start: { type: 'Start', params: { answer: true }, exits: { next: 'end' } }, end: { type: 'End' } }));
      expect(voice.call.answered).to.equal(true);
      const chat = await simulate(makeProject({ start: { type: 'Start', params: { answer: true }, exits: { next: 'end' } }, end: { type: 'End' } }, { channel: 'chat' }));
      expect(chat.call.answered).to.equal(false);
      expect(chat.result.outcome).to.equal('completed');
    });

    it('End ends the flow on purpose; Goto jumps; Noop logs to the trace and the log port', async () => {
      const sim = await simulate(
        makeProject({
          start: { type: 'Start', exits: { next: 'log' } },
          log: { type: 'Noop', params: { message: 'caller {CALLERID(num)}', level: 'warn' }, exits: { next: 'jump' } },
          jump: { type: 'Goto', exits: { next: 'end' } },
          end: { type: 'End' },
        }),
      );
      expect(sim.result).to.include({ outcome: 'completed', code: 'end', reason: 'ended at End block end' });
      expect(traceIds(sim.result)).to.deep.equal(['start', 'log', 'jump', 'end']);
      expect(sim.result.trace[1]!.logs).to.deep.equal(['warn: caller +390212345678']);
      expect(sim.services.logs).to.deep.equal(['warn: caller +390212345678']);
    });

    describe('SubProject', () => {
      const child = makeProject(
        {
          start: { type: 'Start', exits: { next: 'calc' } },
          calc: { type: 'Math', params: { expression: 'BASE * 2', variable: 'RESULT' }, exits: { next: 'end' } },
          end: { type: 'End' },
        },
        { id: 'child', variables: { BASE: { default: 1 }, RESULT: { default: null } } },
      );
      const parent = (project = 'child') =>
        makeProject(
          {
            start: { type: 'Start', exits: { next: 'sub' } },
            sub: {
              type: 'SubProject',
              params: { project, inputs: [{ variable: 'BASE', value: '{N}' }], outputs: [{ variable: 'DOUBLED', from: 'RESULT' }] },
              exits: { done: 'end', error: 'failed' },
            },
            end: { type: 'End' },
            failed: { type: 'End' },
          },
          { variables: { N: { default: 21 }, BASE: { default: 'parent-owned' } } },
        );

      it('runs another project with its own variables and copies outputs back', async () => {
        const sim = await simulate(parent(), { projects: { child } });
        expect(sim.result.outcome).to.equal('completed');
        expect(traceIds(sim.result)).to.deep.equal(['start', 'start', 'calc', 'end', 'sub', 'end']);
        expect(sim.result.trace.filter((e) => e.depth === 1).every((e) => e.projectId === 'child')).to.equal(true);
        expect(sim.result.variables).to.include({ DOUBLED: 42, BASE: 'parent-owned' });
      });

      it('a missing project leaves by error', async () => {
        const sim = await simulate(parent('nope'), { projects: { child } });
        const entry = sim.result.trace.find((e) => e.blockId === 'sub')!;
        expect(entry.exit).to.equal('error');
        expect(entry.logs).to.deep.equal(['warn: sub-project nope failed: project "nope" not found']);
      });

      it('recursion stops at the depth limit and leaves by error', async () => {
        const self = makeProject(
          {
            start: { type: 'Start', exits: { next: 'sub' } },
            sub: { type: 'SubProject', params: { project: 'self' }, exits: { done: 'end', error: 'end' } },
            end: { type: 'End' },
          },
          { id: 'self' },
        );
        const sim = await simulate(self, { projects: { self }, limits: { maxSubProjectDepth: 3 } });
        expect(sim.result.outcome).to.equal('completed');
        const deepest = sim.result.trace.find((e) => e.blockId === 'sub' && e.depth === 3)!;
        expect(deepest.exit).to.equal('error');
        expect(deepest.logs![0]).to.contain('sub-project nesting deeper than 3');
      });

      it('a hangup inside the sub-project ends the parent too', async () => {
        const waiting = makeProject(
          {
            start: { type: 'Start', exits: { next: 'menu' } },
            menu: { type: 'Menu', params: { prompts: ['p'], choices: ['1'] }, exits: { '1': 'end', invalid: 'end', timeout: 'end' } },
            end: { type: 'End' },
          },
          { id: 'child' },
        );
        const sim = await simulate(parent(), { projects: { child: waiting }, call: { script: [{ hangup: true }] } });
        expect(sim.result.outcome).to.equal('hangup');
        expect(sim.result.trace.find((e) => e.blockId === 'sub')!.exit).to.equal(null);
      });

      it('shares the step budget: a runaway sub-project stops the whole call', async () => {
        const loop = makeProject(
          {
            start: { type: 'Start', exits: { next: 'a' } },
            a: { type: 'Goto', exits: { next: 'a' } },
          },
          { id: 'child' },
        );
        const sim = await simulate(parent(), { projects: { child: loop }, limits: { maxSteps: 50 } });
        expect(sim.result.outcome).to.equal('step-limit');
        expect(sim.result.steps).to.equal(50);
      });
    });
  });
});
