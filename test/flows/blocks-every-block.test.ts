import { expect } from 'chai';
import { blockProject, makeProject } from './helpers.ts';
import { defaultRegistry } from '../../flows/blocks/index.ts';
import { describeBlock, exitsFor } from '../../flows/catalogue.ts';
import type { ChannelKind } from '../../flows/project/schema.ts';
import { simulate, type SimulationOptions } from '../../flows/testing/simulate.ts';
import type { ScriptStep } from '../../flows/testing/scripted-call.ts';

interface Sample {
  readonly params: Record<string, unknown>;
  readonly channel?: ChannelKind;
  readonly script?: readonly ScriptStep[];
  /** Call operations the block performs before the caller hangs up (the middle of the block). */
  readonly afterOps?: number;
  readonly options?: SimulationOptions;
}

const child = makeProject(
  {
    start: { type: 'Start', exits: { next: 'wait' } },
    wait: { type: 'GetDigits', params: { prompts: ['p'] }, exits: { success: 'end', invalid: 'end', timeout: 'end' } },
    end: { type: 'End' },
  },
  { id: 'child' },
);

/** One working configuration per block type; the test below fails when a new type has none. */
const SAMPLES: Record<string, Sample> = {
  Start: { params: { answer: true } },
  Finally: { params: {} },
  End: { params: {} },
  Goto: { params: {} },
  SubProject: { params: { project: 'child' }, options: { projects: { child } } },
  Noop: { params: { message: 'hi' } },
  Answer: { params: { musicOnHold: 'default' }, afterOps: 1 },
  Hangup: { params: {} },
  InternalDial: { params: { destination: '200' } },
  ExternalDial: { params: { number: '0212345', trunk: 't1' } },
  Queue: { params: { queue: 'q' } },
  Voicemail: { params: { mailbox: '100' } },
  CallbackRequest: { params: { queue: 'q' } },
  CustomApp: { params: { application: 'Wait', arguments: ['1'] } },
  Agi: { params: { url: 'agi://127.0.0.1/x' } },
  Playback: { params: { prompts: ['hello'] } },
  Menu: { params: { prompts: ['menu'], choices: ['1'], invalidPrompts: ['invalid'] }, script: ['5'], afterOps: 1 },
  GetDigits: { params: { prompts: ['enter'], invalidPrompts: ['again'], minDigits: 3 }, script: ['1#'], afterOps: 1 },
  Say: { params: { kind: 'number', value: '12' } },
  Tts: { params: { prompt: 'hello' } },
  Record: { params: { file: 'rec/x' } },
  MusicOnHold: { params: { durationSec: 10 }, afterOps: 1 },
  Wait: { params: { seconds: 5 } },
  Set: { params: { assignments: [{ variable: 'A', value: '1' }] } },
  Math: { params: { expression: '1 + 1', variable: 'A' } },
  Condition: { params: { expression: '1 == 1' } },
  Switch: { params: { value: 'a', cases: ['a'] } },
  TimeCondition: { params: { intervals: [{ from: '09:00', to: '18:00' }] } },
  HttpRequest: { params: { url: 'https://example.com' } },
  Database: { params: { connection: 'db', sql: 'select 1' } },
  SendMail: { params: { account: 'a', to: 'a@example.com' } },
  SendSms: { params: { account: 'a', text: 'hi' } },
  Tag: { params: { tags: ['t'] } },
  ContactLookup: { params: {} },
  System: { params: { command: 'c' }, options: { services: { systemEnabled: true } } },
  AgentLogin: { params: { identity: '1', pin: '2' } },
  AgentLogout: { params: { agent: 'a1' } },
  AgentPause: { params: { agent: 'a1' } },
  AgentUnpause: { params: { agent: 'a1' } },
  SendMessage: { params: { text: 'hi' }, channel: 'chat' },
  WaitForMessage: { params: {}, channel: 'chat' },
  QuickReplyMenu: { params: { text: 'q', choices: [{ id: 'a', label: 'A' }] }, channel: 'chat', script: [{ message: 'zzz' }], afterOps: 2 },
};

const finallyBranch = {
  fin: { type: 'Finally', exits: { next: 'mark' } },
  mark: { type: 'Set', params: { assignments: [{ variable: 'FINALLY_RAN', value: 'yes' }] } },
};

describe('flows/blocks: every block type', () => {
  it('the registry has all 42 block types of the issue, each with a sample here', () => {
    expect(defaultRegistry.size).to.equal(42);
    expect([...defaultRegistry.keys()].sort()).to.deep.equal(Object.keys(SAMPLES).sort());
  });

  for (const [type, sample] of Object.entries(SAMPLES)) {
    describe(type, () => {
      const definition = defaultRegistry.get(type)!;

      it('describes itself for the designer (label, description, channels, JSON Schema)', () => {
        const described = describeBlock(definition);
        expect(described.label).to.not.equal('');
        expect(described.description.length).to.be.greaterThan(10);
        expect(described.channels.length).to.be.greaterThan(0);
        expect(described.version).to.be.at.least(1);
        expect(described.paramsSchema).to.include({ type: 'object' });
        expect(JSON.parse(JSON.stringify(described.paramsSchema))).to.deep.equal(described.paramsSchema);
      });

      it('has unique exit names, none for terminal blocks, and refuses params of the wrong shape', () => {
        const exits = exitsFor(type, sample.params)!;
        expect(new Set(exits).size).to.equal(exits.length);
        expect(exits.length === 0).to.equal(definition.terminal === true);
        expect(definition.params.safeParse('not an object').success).to.equal(false);
        for (const exit of definition.optionalExits ?? []) expect(exits).to.include(exit);
      });

      it('runs with its sample params without failing', async () => {
        const sim = await simulate(blockProject({ type, params: sample.params, ...(sample.channel === undefined ? {} : { channel: sample.channel }) }), {
          ...sample.options,
          call: { script: [...(sample.script ?? [])] },
        });
        expect(sim.result.outcome, sim.result.reason).to.equal('completed');
        const entry = sim.result.trace.find((e) => e.blockId === 'x')!;
        expect(entry.error, entry.error).to.equal(undefined);
      });

      it('stops cleanly when the caller hangs up in the middle of it, and Finally runs', async () => {
        const project = blockProject({
          type,
          params: sample.params,
          unwired: ['invalid', 'timeout'],
          extra: finallyBranch,
          ...(sample.channel === undefined ? {} : { channel: sample.channel }),
        });
        const sim = await simulate(project, {
          ...sample.options,
          call: { script: [...(sample.script ?? [])], hangup: { atBlock: 'x', afterOps: sample.afterOps ?? 0 } },
        });
        expect(sim.call.hungUp).to.equal(true);
        if (definition.terminal === true) {
          expect(sim.result.outcome).to.equal('completed');
        } else {
          expect(sim.result.outcome, sim.result.reason).to.equal('hangup');
          expect(sim.result.code).to.equal('hangup');
        }
        expect(sim.result.finally?.outcome).to.equal('completed');
        // (A Finally under test is itself the first Finally, so the marker branch is not the one run.)
        if (type !== 'Finally') expect(sim.result.variables['FINALLY_RAN']).to.equal('yes');
        // Nothing but variable access may reach the call after the hangup.
        const afterX = sim.call.ops.filter((o) => o.blockId !== 'x' && o.blockId !== 'start');
        expect(afterX.every((o) => o.op === 'getVariable' || o.op === 'setVariable'), JSON.stringify(afterX)).to.equal(true);
      });
    });
  }
});
