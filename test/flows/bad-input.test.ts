import { expect } from 'chai';
import { makeProject, type BlockInput } from './helpers.ts';
import type { Value } from '../../flows/expression/index.ts';
import { tryLoadProject } from '../../flows/project/load.ts';
import { simulate } from '../../flows/testing/simulate.ts';
import { validateDocument, validateProject } from '../../flows/validate.ts';

/**
 * The bad-input list, end to end: each case gets a clear error or a bounded stop whose
 * reason is in the result, and nothing escapes as an exception.
 */
describe('flows: bad input', () => {
  it('not JSON / future version: clear load errors', () => {
    for (const [input, text] of [
      ['{"schemaVersion":', 'project is not valid JSON'],
      [JSON.stringify({ schemaVersion: 3, id: 'x' }), 'project uses schema version 3, newer than this Tandem understands (2); upgrade Tandem to open it'],
    ] as const) {
      const result = tryLoadProject(input);
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.error.message).to.contain(text);
    }
  });

  it('a cycle without waits: warned by the validator, stopped by the step budget at run time', async () => {
    const project = makeProject({
      start: { type: 'Start', exits: { next: 'a' } },
      a: { type: 'Set', params: { assignments: [{ variable: 'X', value: 'x' }] }, exits: { next: 'b' } },
      b: { type: 'Goto', exits: { next: 'a' } },
    });
    expect(validateProject(project).problems.map((p) => p.code)).to.deep.equal(['busy-loop']);
    const sim = await simulate(project);
    expect(sim.result.outcome).to.equal('step-limit');
    expect(sim.result.steps).to.equal(10_000);
    expect(sim.result.trace).to.have.length(10_000);
  });

  it('10,000 blocks load, validate and run', async () => {
    const blocks: Record<string, BlockInput> = { start: { type: 'Start', exits: { next: 's1' } } };
    for (let i = 1; i < 9_999; i++) blocks[`s${i}`] = { type: 'Set', params: { assignments: [{ variable: 'I', value: String(i) }] }, exits: { next: `s${i + 1}` } };
    blocks['s9999'] = { type: 'End' };
    const project = makeProject(blocks);
    expect(validateProject(project).ok).to.equal(true);
    const sim = await simulate(project, { limits: { maxTraceEntries: 100 } });
    expect(sim.result).to.include({ outcome: 'completed', steps: 10_000, traceDropped: 9_900 });
    expect(sim.result.variables['I']).to.equal('9998');
  });

  it('deep nesting: refused at load; deep runtime values fail one block, not the process', async () => {
    const nested = `${'['.repeat(5_000)}1${']'.repeat(5_000)}`;
    const load = validateDocument(
      `{"schemaVersion":2,"id":"p","name":"p","channel":"voice","entry":"start","variables":{"X":{"default":${nested}}},"blocks":{"start":{"type":"Start"}}}`,
    );
    expect(load.problems[0]!.message).to.match(/nests deeper than 32 levels at variables\.X\.default/);

    const project = makeProject({
      start: { type: 'Start', exits: { next: 'http' } },
      http: { type: 'HttpRequest', params: { url: 'https://x.example.com', responseVariable: 'BODY' }, exits: { success: 'show', error: 'show', timeout: 'show' } },
      show: { type: 'Set', params: { assignments: [{ variable: 'TEXT', value: 'got {BODY}' }] }, exits: { next: null } },
    });
    const sim = await simulate(project, { services: { http: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: nested }) } });
    expect(sim.result.outcome).to.equal('error');
    expect(sim.result.blockId).to.equal('show');
    expect(sim.result.reason).to.match(/^Set block show failed: /);
  });

  it('huge strings: refused at load, bounded at run time', async () => {
    const load = tryLoadProject({ schemaVersion: 2, id: 'p', name: 'p', channel: 'voice', entry: 'start', blocks: { start: { type: 'Start', label: 'x'.repeat(70_000) } } });
    expect(load.ok).to.equal(false);
    const project = makeProject({
      start: { type: 'Start', exits: { next: 'grow' } },
      grow: { type: 'Set', params: { assignments: [{ variable: 'S', value: '{S}{S}' }] }, exits: { next: 'grow' } },
    });
    const sim = await simulate(project, { variables: { S: 'x' } });
    expect(sim.result.outcome).to.equal('error');
    expect(sim.result.reason).to.match(/^Set block grow failed: .*(65536|longer|exceeds)/);
    expect((sim.result.variables['S'] as string).length).to.equal(65_536);
  });

  it('expressions that throw stop the call with the reason', async () => {
    const sim = await simulate(
      makeProject({
        start: { type: 'Start', exits: { next: 'm' } },
        m: { type: 'Math', params: { expression: 'number(WORD) + 1', variable: 'N' }, exits: { next: null } },
      }),
      { variables: { WORD: 'abc' } },
    );
    expect(sim.result).to.include({ outcome: 'error', code: 'block-error', blockId: 'm' });
    expect(sim.result.trace.at(-1)!.error).to.be.a('string').and.not.equal('');
  });

  it('expressions that would run forever are stopped by the evaluator budget', async () => {
    const sim = await simulate(
      makeProject({
        start: { type: 'Start', exits: { next: 'c' } },
        c: { type: 'Condition', params: { expression: 'len(split(BIG, "")) > 0' }, exits: { true: null, false: null } },
      }),
      { variables: { BIG: 'x'.repeat(60_000) }, limits: { expression: { maxSteps: 5_000 } } },
    );
    expect(sim.result.outcome).to.equal('error');
    expect(sim.result.reason).to.match(/step budget of 5000 exhausted/);
  });

  it('absurdly nested expressions are refused when compiled, and the block cannot run', async () => {
    const expression = `${'('.repeat(1_500)}1${')'.repeat(1_500)}`;
    const project = makeProject({
      start: { type: 'Start', exits: { next: 'c' } },
      c: { type: 'Condition', params: { expression }, exits: { true: null, false: null } },
    });
    const problems = validateProject(project).problems.filter((p) => p.code === 'invalid-expression');
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include({ blockId: 'c', field: 'params.expression' });
    const sim = await simulate(project);
    expect(sim.result).to.include({ outcome: 'error', code: 'broken-block' });
  });

  it('variables named like prototype keys never reach a prototype', async () => {
    const variables = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "x"}') as Record<string, Value>;
    const sim = await simulate(
      makeProject({
        start: { type: 'Start', exits: { next: 's' } },
        s: { type: 'Set', params: { assignments: [{ variable: 'OUT', value: '[{__proto__}][{constructor}]' }] }, exits: { next: null } },
      }),
      { variables },
    );
    expect(sim.result.outcome).to.equal('completed');
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect(Object.getPrototypeOf(sim.result.variables)).to.equal(Object.prototype);
    expect(sim.result.variables['OUT']).to.equal('[][]');
  });
});
