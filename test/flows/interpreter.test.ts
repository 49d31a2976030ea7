import { expect } from 'chai';
import { z } from 'zod';
import { makeProject, traceIds, type BlockInput } from './helpers.ts';
import { defineBlock, END_OF_FLOW, type AnyBlockDefinition } from '../../flows/block.ts';
import { BUILTIN_BLOCKS, createRegistry } from '../../flows/blocks/index.ts';
import type { CallPort } from '../../flows/call-port.ts';
import { systemClock } from '../../flows/clock.ts';
import { compileProject } from '../../flows/compile.ts';
import { runProject } from '../../flows/interpreter.ts';
import type { Services } from '../../flows/services.ts';
import { createMemoryServices } from '../../flows/testing/memory-services.ts';
import { ScriptedCall } from '../../flows/testing/scripted-call.ts';
import { simulate } from '../../flows/testing/simulate.ts';
import { VirtualClock } from '../../flows/testing/virtual-clock.ts';

const loop: Record<string, BlockInput> = {
  start: { type: 'Start', exits: { next: 'inc' } },
  inc: { type: 'Math', params: { expression: 'N + 1', variable: 'N' }, exits: { next: 'again' } },
  again: { type: 'Goto', exits: { next: 'inc' } },
};

describe('flows/interpreter', () => {
  describe('step budget', () => {
    it('stops a loop without exit at the budget, with the reason and where', async () => {
      const sim = await simulate(makeProject(loop, { variables: { N: { default: 0 } } }), { limits: { maxSteps: 101 } });
      expect(sim.result).to.include({ outcome: 'step-limit', code: 'step-limit', steps: 101, blockId: 'inc' });
      expect(sim.result.reason).to.equal('step budget of 101 exhausted at Math block inc (a loop without an exit?)');
      expect(sim.result.variables['N']).to.equal(50);
    });

    it('gives Finally its own budget so a runaway main flow cannot starve it', async () => {
      const project = makeProject(
        {
          ...loop,
          fin: { type: 'Finally', exits: { next: 'floop' } },
          floop: { type: 'Goto', exits: { next: 'floop' } },
        },
        { variables: { N: { default: 0 } } },
      );
      const sim = await simulate(project, { limits: { maxSteps: 10, maxFinallySteps: 7 } });
      expect(sim.result.outcome).to.equal('step-limit');
      expect(sim.result.finally).to.include({ outcome: 'step-limit', steps: 7 });
    });
  });

  describe('per-block time limit', () => {
    const sms: Record<string, BlockInput> = {
      start: { type: 'Start', exits: { next: 'sms' } },
      sms: { type: 'SendSms', params: { account: 'a', text: 'hi' }, exits: { success: 'end', error: 'err' } },
      end: { type: 'End' },
      err: { type: 'End' },
    };
    const slowSms = (clock: VirtualClock): Services => ({
      sms: { send: (_m, signal) => clock.sleep(3_600_000, signal) },
    });

    it('a hung service is cut off at the limit; a wired error exit takes over', async () => {
      const clock = new VirtualClock();
      const call = new ScriptedCall({ clock });
      const result = await runProject(makeProject(sms), call, { clock, services: slowSms(clock), limits: { blockTimeoutMs: 30_000 } });
      expect(result.outcome).to.equal('completed');
      expect(traceIds(result)).to.deep.equal(['start', 'sms', 'err']);
      expect(result.trace[1]).to.include({ exit: null, durationMs: 30_000, error: 'block sms did not finish within 30000 ms' });
    });

    it('without an error exit the call stops with block-timeout', async () => {
      const clock = new VirtualClock();
      const project = makeProject({ ...sms, sms: { ...sms['sms']!, exits: { success: 'end' } } });
      const result = await runProject(project, new ScriptedCall({ clock }), { clock, services: slowSms(clock), limits: { blockTimeoutMs: 30_000 } });
      expect(result).to.include({ outcome: 'error', code: 'block-timeout', blockId: 'sms' });
    });

    it('a port that ignores its signal entirely still cannot hang the call (real clock)', async () => {
      const never: Services = { sms: { send: () => new Promise<void>(() => undefined) } };
      const project = makeProject({ ...sms, sms: { ...sms['sms']!, exits: { success: 'end' } } });
      const result = await runProject(project, new ScriptedCall(), { clock: systemClock, services: never, limits: { blockTimeoutMs: 20 } });
      expect(result).to.include({ outcome: 'error', code: 'block-timeout' });
    });
  });

  it('an external stop signal ends the run with outcome stopped', async () => {
    const controller = new AbortController();
    const clock = new VirtualClock();
    const services: Services = {
      http: {
        request: (_r, signal) => {
          controller.abort('server shutting down');
          return clock.sleep(1000, signal).then(() => ({ status: 200, headers: {}, body: '' }));
        },
      },
    };
    const project = makeProject({
      start: { type: 'Start', exits: { next: 'http' } },
      http: { type: 'HttpRequest', params: { url: 'https://x.example.com' }, exits: { success: 'end', error: 'end', timeout: 'end' } },
      end: { type: 'End' },
      fin: { type: 'Finally', exits: { next: 'end' } },
    });
    const result = await runProject(project, new ScriptedCall({ clock }), { clock, services, signal: controller.signal });
    expect(result.outcome).to.equal('stopped');
    expect(result.finally).to.equal(null);
  });

  describe('trace', () => {
    it('records block, type, exit, start offset, duration and variables changed', async () => {
      const project = makeProject({
        start: { type: 'Start', exits: { next: 'wait' } },
        wait: { type: 'Wait', params: { seconds: 2 }, exits: { next: 'set' } },
        set: { type: 'Set', params: { assignments: [{ variable: 'A', value: 'x' }, { variable: 'B', value: '{A}y' }] }, exits: { next: 'menu' } },
        menu: { type: 'Menu', params: { prompts: ['m'], choices: ['1'], variable: 'C' }, exits: { '1': 'end', invalid: 'end', timeout: 'end' } },
        end: { type: 'End' },
      });
      const sim = await simulate(project, { call: { script: [{ wait: 1500 }, '1'] } });
      expect(sim.result.trace.map(({ blockId, type, exit, startedAt, durationMs, changed }) => ({ blockId, type, exit, startedAt, durationMs, changed }))).to.deep.equal([
        { blockId: 'start', type: 'Start', exit: 'next', startedAt: 0, durationMs: 0, changed: undefined },
        { blockId: 'wait', type: 'Wait', exit: 'next', startedAt: 0, durationMs: 2000, changed: undefined },
        { blockId: 'set', type: 'Set', exit: 'next', startedAt: 2000, durationMs: 0, changed: { A: 'x', B: 'xy' } },
        { blockId: 'menu', type: 'Menu', exit: '1', startedAt: 2000, durationMs: 1500, changed: { C: '1' } },
        { blockId: 'end', type: 'End', exit: END_OF_FLOW, startedAt: 3500, durationMs: 0, changed: undefined },
      ]);
      expect(sim.result.durationMs).to.equal(3500);
    });

    it('is capped; the rest is counted, and trace: false records nothing', async () => {
      const project = makeProject(loop, { variables: { N: { default: 0 } } });
      const capped = await simulate(project, { limits: { maxSteps: 100, maxTraceEntries: 10 } });
      expect(capped.result.trace).to.have.length(10);
      expect(capped.result.traceDropped).to.equal(90);
      const off = await runProject(project, new ScriptedCall(), { trace: false, limits: { maxSteps: 100 } });
      expect(off.trace).to.deep.equal([]);
      expect(off.variables['N']).to.equal(50);
    });
  });

  describe('isolation', () => {
    it('concurrent calls on one compiled project do not share variables, and one failing call does not touch another', async () => {
      const compiled = compileProject(
        makeProject({
          start: { type: 'Start', exits: { next: 'menu' } },
          menu: { type: 'GetDigits', params: { prompts: ['p'], variable: 'D' }, exits: { success: 'div', invalid: 'div', timeout: 'div' } },
          div: { type: 'Math', params: { expression: '100 / D', variable: 'R' }, exits: { next: 'end' } },
          end: { type: 'End' },
        }),
      );
      const runs = ['4#', '0#', '5#', '0#', '20#'].map((digits) => simulate(compiled, { call: { script: [digits] } }));
      const results = (await Promise.all(runs)).map((s) => s.result);
      expect(results.map((r) => r.outcome)).to.deep.equal(['completed', 'error', 'completed', 'error', 'completed']);
      expect(results.map((r) => r.variables['R'] ?? null)).to.deep.equal([25, null, 20, null, 5]);
    });

    it('never throws, even when the transport itself is broken', async () => {
      const broken = {
        get info(): never {
          throw new Error('transport exploded');
        },
      } as unknown as CallPort;
      const result = await runProject(makeProject(loop), broken);
      expect(result.outcome).to.equal('error');
      expect(result.code).to.equal('internal');
      expect(result.reason).to.equal('interpreter failure: transport exploded');
    });

    it('a block throwing a non-Error value is reported, not crashed on', async () => {
      const weird = defineBlock({
        type: 'Weird',
        version: 1,
        category: 'logic',
        label: 'Weird',
        description: 'throws a string',
        params: z.object({}),
        exits: () => ['next'],
        channels: ['voice'],
        run: () => {
          throw 'a string, not an Error';
        },
      });
      const registry = createRegistry([...BUILTIN_BLOCKS, weird as AnyBlockDefinition]);
      const project = makeProject({ start: { type: 'Start', exits: { next: 'w' } }, w: { type: 'Weird', exits: { next: null } } });
      const result = await runProject(project, new ScriptedCall(), { registry });
      expect(result).to.include({ outcome: 'error', code: 'block-error', reason: 'Weird block w failed: a string, not an Error' });
    });

    it('a block returning an exit it does not have is reported', async () => {
      const liar = defineBlock({
        type: 'Liar',
        version: 1,
        category: 'logic',
        label: 'Liar',
        description: 'returns a bogus exit',
        params: z.object({}),
        exits: () => ['next'],
        channels: ['voice'],
        pure: true,
        run: () => 'elsewhere',
      });
      const registry = createRegistry([...BUILTIN_BLOCKS, liar as AnyBlockDefinition]);
      const project = makeProject({ start: { type: 'Start', exits: { next: 'l' } }, l: { type: 'Liar', exits: { next: null } } });
      const result = await runProject(project, new ScriptedCall(), { registry });
      expect(result).to.include({ outcome: 'error', code: 'unknown-exit', reason: 'Liar block l returned unknown exit "elsewhere"' });
    });
  });

  it('a block whose params fail its schema stops the call only when reached', async () => {
    const blocks: Record<string, BlockInput> = {
      start: { type: 'Start', exits: { next: 'cond' } },
      cond: { type: 'Condition', params: { expression: 'GO == 1' }, exits: { true: 'bad', false: 'end' } },
      bad: { type: 'Menu', params: { prompts: [], choices: [] }, exits: {} },
      end: { type: 'End' },
    };
    const project = makeProject(blocks, { variables: { GO: { default: 0 } } });
    expect((await simulate(project)).result.outcome).to.equal('completed');
    const reached = await simulate(project, { variables: { GO: 1 } });
    expect(reached.result).to.include({ outcome: 'error', code: 'broken-block', blockId: 'bad' });
    expect(reached.result.reason).to.equal('Menu block bad failed: invalid params (prompts: add at least one prompt)');
  });

  it('a call in progress keeps running the version it started with when the draft is edited', async () => {
    const draft = makeProject({
      start: { type: 'Start', exits: { next: 'http' } },
      http: { type: 'HttpRequest', params: { url: 'https://x.example.com' }, exits: { success: 'say', error: 'say', timeout: 'say' } },
      say: { type: 'Set', params: { assignments: [{ variable: 'WHO', value: 'original' }] }, exits: { next: null } },
    });
    const clock = new VirtualClock();
    const memory = createMemoryServices({ clock });
    const services: Services = {
      http: {
        request: async (request, signal) => {
          // The designer edits the draft while the call is inside this block.
          draft.blocks['say']!.params = { assignments: [{ variable: 'WHO', value: 'edited' }] };
          draft.blocks['http']!.exits = { success: null, error: null, timeout: null };
          return memory.services.http!.request(request, signal);
        },
      },
    };
    const result = await runProject(draft, new ScriptedCall({ clock }), { clock, services });
    expect(result.variables['WHO']).to.equal('original');
    expect(traceIds(result)).to.deep.equal(['start', 'http', 'say']);
  });

  it('initial variables override declared defaults; NOW comes from the flow clock', async () => {
    const project = makeProject(
      {
        start: { type: 'Start', exits: { next: 'set' } },
        set: { type: 'Math', params: { expression: 'formatDate(NOW, "YYYY-MM-DD HH:mm") + " " + LANG', variable: 'STAMP' }, exits: { next: null } },
      },
      { variables: { LANG: { default: 'en' } } },
    );
    const sim = await simulate(project, { variables: { LANG: 'it' }, now: Date.UTC(2026, 2, 1, 12, 30) });
    expect(sim.result.variables['STAMP']).to.equal('2026-03-01 12:30 it');
  });

  it('yields to other work during long in-memory runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      const result = await runProject(makeProject(loop, { variables: { N: { default: 0 } } }), new ScriptedCall(), {
        clock: systemClock,
        trace: false,
        limits: { maxSteps: 400_000, yieldEvery: 500 },
      });
      expect(result.outcome).to.equal('step-limit');
    } finally {
      clearInterval(timer);
    }
    expect(ticks).to.be.greaterThan(0);
  });
});
