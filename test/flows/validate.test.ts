import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { makeProject, repoRoot, type BlockInput } from './helpers.ts';
import { formatProblem, type Problem } from '../../flows/problems.ts';
import { projectJsonSchema } from '../../flows/catalogue.ts';
import { validateDocument, validateProject } from '../../flows/validate.ts';
import type { ChannelKind } from '../../flows/project/schema.ts';

function problems(blocks: Record<string, BlockInput>, options: { channel?: ChannelKind; variables?: Record<string, { default?: string }> } = {}): Problem[] {
  return [...validateProject(makeProject(blocks, options)).problems];
}

function only(list: Problem[], code: Problem['code']): Array<Pick<Problem, 'severity' | 'blockId' | 'field' | 'message'>> {
  return list.filter((p) => p.code === code).map(({ severity, blockId, field, message }) => ({ severity, blockId, field, message }));
}

describe('flows/validate', () => {
  it('a clean project has no problems', () => {
    const result = validateProject(makeProject({ start: { type: 'Start', exits: { next: 'end' } }, end: { type: 'End' } }));
    expect(result).to.deep.equal({ ok: true, problems: [] });
  });

  it('params failing their schema: block id and params path', () => {
    const list = problems({
      start: { type: 'Start', exits: { next: 'menu' } },
      menu: { type: 'Menu', params: { prompts: ['p'], choices: ['1', 'x'], timeoutSec: 500 }, exits: { '1': null } },
    });
    expect(only(list, 'invalid-params')).to.deep.equal([
      { severity: 'error', blockId: 'menu', field: 'params.choices.1', message: 'only digits 0-9, * and # are allowed' },
      { severity: 'error', blockId: 'menu', field: 'params.timeoutSec', message: 'Too big: expected number to be <=120' },
    ]);
  });

  it('cross-field checks, invalid expressions and unknown types', () => {
    const list = problems({
      start: { type: 'Start', exits: { next: 'menu' } },
      menu: { type: 'Menu', params: { prompts: ['p'], choices: ['1', '1', '123'] }, exits: { '1': 'cond', invalid: 'cond', timeout: 'cond' } },
      cond: { type: 'Condition', params: { expression: 'A ===' }, exits: { true: 'x', false: 'x' } },
      x: { type: 'Teleport', exits: {} },
    });
    expect(only(list, 'param-check')).to.deep.equal([
      { severity: 'error', blockId: 'menu', field: 'params.choices.1', message: 'choice "1" appears twice' },
      { severity: 'error', blockId: 'menu', field: 'params.choices.2', message: 'choice "123" is longer than maxDigits (1)' },
    ]);
    const expression = only(list, 'invalid-expression');
    expect(expression).to.have.length(1);
    expect(expression[0]).to.include({ severity: 'error', blockId: 'cond', field: 'params.expression' });
    expect(only(list, 'unknown-block-type')).to.deep.equal([{ severity: 'error', blockId: 'x', field: 'type', message: 'unknown block type "Teleport"' }]);
  });

  it('no Start, several Starts, entry not a Start, several Finally', () => {
    const none = validateProject(makeProject({ a: { type: 'Noop', exits: { next: 'b' } }, b: { type: 'End' } }, { entry: 'a' })).problems;
    expect(only([...none], 'no-start')).to.deep.equal([{ severity: 'error', blockId: null, field: 'entry', message: 'the project has no Start block' }]);
    expect(only([...none], 'entry-not-start')).to.deep.equal([{ severity: 'error', blockId: 'a', field: 'entry', message: 'the entry block must be the Start block, not a Noop' }]);
    const two = problems({
      start: { type: 'Start', exits: { next: 'end' } },
      start2: { type: 'Start', exits: { next: 'end' } },
      end: { type: 'End' },
      f1: { type: 'Finally', exits: { next: 'end' } },
      f2: { type: 'Finally', exits: { next: 'end' } },
    });
    expect(only(two, 'multiple-start')).to.deep.equal([{ severity: 'error', blockId: 'start2', field: 'type', message: 'only one Start block is allowed (the first is start)' }]);
    expect(only(two, 'multiple-finally')).to.deep.equal([{ severity: 'error', blockId: 'f2', field: 'type', message: 'only one Finally block is allowed (the first is f1)' }]);
  });

  it('dangling targets, unknown exits, unwired exits', () => {
    const list = problems({
      start: { type: 'Start', exits: { next: 'http' } },
      http: { type: 'HttpRequest', params: { url: 'https://x.example.com' }, exits: { success: 'ghost', failure: 'start', timeout: null } },
    });
    expect(only(list, 'dangling-exit')).to.deep.equal([{ severity: 'error', blockId: 'http', field: 'exits.success', message: 'exit "success" points to block "ghost", which does not exist' }]);
    expect(only(list, 'unknown-exit')).to.deep.equal([{ severity: 'warning', blockId: 'http', field: 'exits.failure', message: 'HttpRequest has no exit "failure" (its exits: success, error, timeout)' }]);
    expect(only(list, 'unwired-exit')).to.deep.equal([
      { severity: 'warning', blockId: 'http', field: 'exits.error', message: 'exit "error" is not connected; the flow ends there' },
      { severity: 'warning', blockId: 'http', field: 'exits.timeout', message: 'exit "timeout" is not connected; the flow ends there' },
    ]);
  });

  it('Menu without invalid/timeout handling (no wire and no retries)', () => {
    const list = problems({
      start: { type: 'Start', exits: { next: 'menu' } },
      menu: { type: 'Menu', params: { prompts: ['p'], choices: ['1'], retries: 0 }, exits: { '1': 'end', invalid: 'end' } },
      retrying: { type: 'Menu', params: { prompts: ['p'], choices: ['1'], retries: 2 }, exits: { '1': 'end' } },
      end: { type: 'End' },
    });
    expect(only(list, 'menu-unhandled')).to.deep.equal([
      { severity: 'warning', blockId: 'menu', field: 'exits.timeout', message: 'Menu does not handle a timeout: connect its "timeout" exit or allow retries' },
    ]);
    expect(only(list, 'unwired-exit')).to.deep.equal([]); // invalid/timeout are handled by retries
  });

  it('unreachable blocks, and audio after Finally', () => {
    const list = problems({
      start: { type: 'Start', exits: { next: 'end' } },
      end: { type: 'End' },
      island: { type: 'Noop', exits: { next: 'end' } },
      fin: { type: 'Finally', exits: { next: 'bye' } },
      bye: { type: 'Playback', params: { prompts: ['goodbye'] }, exits: { next: 'end' } },
    });
    expect(only(list, 'unreachable')).to.deep.equal([{ severity: 'warning', blockId: 'island', field: null, message: 'Noop block "island" can never run: nothing leads to it' }]);
    expect(only(list, 'audio-in-finally')).to.deep.equal([
      { severity: 'warning', blockId: 'bye', field: null, message: 'Playback is an audio block after Finally: the caller is gone, it will be skipped' },
    ]);
  });

  it('blocks not allowed on the project channel, and channel-only settings', () => {
    const list = problems(
      {
        start: { type: 'Start', exits: { next: 'menu' } },
        menu: { type: 'Menu', params: { prompts: ['p'], choices: ['1'] }, exits: { '1': 'set', invalid: 'set', timeout: 'set' } },
        set: { type: 'Set', params: { assignments: [{ variable: 'A', value: 'x', scope: 'channel' }] }, exits: { next: 'end' } },
        end: { type: 'End' },
      },
      { channel: 'chat' },
    );
    expect(only(list, 'channel-not-allowed')).to.deep.equal([{ severity: 'error', blockId: 'menu', field: 'type', message: 'Menu cannot run on a chat project (only voice)' }]);
    expect(only(list, 'param-check')).to.deep.equal([{ severity: 'error', blockId: 'set', field: 'params.assignments.0.scope', message: 'channel variables exist only on voice projects' }]);
  });

  it('variables used but never set, in templates and expressions', () => {
    const list = problems(
      {
        start: { type: 'Start', exits: { next: 'set' } },
        set: { type: 'Set', params: { assignments: [{ variable: 'GREETING', value: 'Hi {NAME} from {CALLERID(num)} at {EXTEN}' }] }, exits: { next: 'cond' } },
        cond: { type: 'Condition', params: { expression: 'GREETING != "" && SCORE > 3 && DECLARED == 1' }, exits: { true: 'end', false: 'end' } },
        end: { type: 'End' },
      },
      { variables: { DECLARED: { default: '1' } } },
    );
    expect(only(list, 'undefined-variable')).to.deep.equal([
      { severity: 'warning', blockId: 'set', field: 'params.assignments.0.value', message: "variable NAME is used but never set: declare it in the project's variables or set it before this block" },
      { severity: 'warning', blockId: 'cond', field: 'params.expression', message: "variable SCORE is used but never set: declare it in the project's variables or set it before this block" },
    ]);
  });

  it('Asterisk channel variables are known on voice only', () => {
    const blocks: Record<string, BlockInput> = {
      start: { type: 'Start', exits: { next: 'set' } },
      set: { type: 'Set', params: { assignments: [{ variable: 'A', value: '{SIP_HEADER(X-Id)} {EXTEN}' }] }, exits: { next: 'end' } },
      end: { type: 'End' },
    };
    expect(only(problems(blocks), 'undefined-variable')).to.deep.equal([]);
    expect(only(problems(blocks, { channel: 'chat' }), 'undefined-variable').map((p) => p.message.split(' ')[1])).to.deep.equal(['SIP_HEADER(X-Id)', 'EXTEN']);
  });

  it('loops without any wait or input block', () => {
    const list = problems(
      {
        start: { type: 'Start', exits: { next: 'a' } },
        a: { type: 'Math', params: { expression: 'N + 1', variable: 'N' }, exits: { next: 'b' } },
        b: { type: 'Condition', params: { expression: 'N < 10' }, exits: { true: 'a', false: 'menu' } },
        menu: { type: 'Menu', params: { prompts: ['p'], choices: ['1'] }, exits: { '1': 'again', invalid: 'menu', timeout: 'menu' } },
        again: { type: 'Noop', exits: { next: 'menu' } },
        self: { type: 'Goto', exits: { next: 'self' } },
      },
      { variables: { N: { default: '0' } } },
    );
    const loops = only(list, 'busy-loop');
    expect(loops.map((p) => p.blockId)).to.have.members(['a', 'self']);
    expect(loops.find((p) => p.blockId === 'a')!.message).to.equal(
      'loop a → b has no wait or input block: it can only end by a condition, or it spins until the step budget stops the call',
    );
  });

  it('validates 10,000 blocks with a long cycle without overflowing the stack', () => {
    const blocks: Record<string, BlockInput> = { start: { type: 'Start', exits: { next: 'b0' } } };
    for (let i = 0; i < 9_999; i++) blocks[`b${i}`] = { type: 'Goto', exits: { next: `b${(i + 1) % 9_999}` } };
    const result = validateProject(makeProject(blocks));
    expect(result.ok).to.equal(true);
    expect(result.problems.map((p) => p.code)).to.deep.equal(['busy-loop']);
    expect(result.problems[0]!.message).to.contain('b0 → b1 → b2').and.contain('→ …');
  });

  it('validateDocument turns load failures into problems', () => {
    expect(validateDocument('not json').problems[0]).to.include({ severity: 'error', code: 'invalid-project', blockId: null });
    const future = validateDocument({ schemaVersion: 99 });
    expect(future.ok).to.equal(false);
    expect(future.problems[0]!.message).to.contain('newer than this Tandem understands');
    const bad = validateDocument({ schemaVersion: 2, id: 'p', name: 'p', channel: 'voice', entry: 'start', blocks: { start: { type: 'Start', exits: { next: 5 } } } });
    expect(bad.problems[0]).to.include({ blockId: 'start', field: 'blocks.start.exits.next' });
  });

  it('exports the project document as JSON Schema for the designer', () => {
    const schema = projectJsonSchema() as { type: string; required: string[]; properties: Record<string, unknown> };
    expect(schema.type).to.equal('object');
    expect(schema.required).to.include.members(['schemaVersion', 'id', 'name', 'channel', 'entry', 'blocks']);
    expect(JSON.stringify(schema)).to.contain('"enum":["voice","chat","sms","email","openchannel","fax"]');
  });

  it('formats problems for humans', () => {
    expect(formatProblem({ severity: 'warning', code: 'unwired-exit', blockId: 'm', field: 'exits.timeout', message: 'x' })).to.equal('WARNING unwired-exit (block m exits.timeout): x');
  });

  describe('the shipped examples', () => {
    const dir = path.join(repoRoot, 'flows/examples');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      it(`${file} validates clean (no errors, no warnings)`, () => {
        const result = validateDocument(readFileSync(path.join(dir, file), 'utf8'));
        expect(result.problems.map(formatProblem)).to.deep.equal([]);
      });
    }
  });
});
