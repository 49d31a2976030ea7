import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './helpers.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseDigits, runCli } from '../../flows/cli.ts';

async function cli(args: string[], files: Record<string, string> = {}): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    readText: async (file) => (Object.hasOwn(files, file) ? files[file]! : readFile(path.resolve(repoRoot, file), 'utf8')),
  });
  return { code, out, err };
}

const loopProject = JSON.stringify({
  schemaVersion: 2,
  id: 'loop',
  name: 'Loop',
  channel: 'voice',
  entry: 'start',
  blocks: { start: { type: 'Start', exits: { next: 'a' } }, a: { type: 'Goto', exits: { next: 'a' } } },
});

describe('flows/cli', () => {
  it('run prints the trace with the call operations and the outcome', async () => {
    const { code, out } = await cli(['run', 'flows/examples/auto-attendant.json', '--digits', '9,2', '--now', '2026-01-05T10:00:00Z']);
    expect(code).to.equal(EXIT_OK);
    expect(out[0]).to.match(/^#1 +0ms start +Start +→ next$/);
    expect(out.join('\n')).to.contain('· collectDigits prompts=["custom/welcome","custom/press-1-sales-2-support-0-operator"]');
    expect(out.join('\n')).to.match(/support +Queue +→ answered/);
    expect(out).to.include('outcome: completed — ended at Hangup block hangup (7 steps, 0 ms virtual)');
  });

  it('--hangup-after N hangs up after N steps; --var sets variables; --json is machine readable', async () => {
    const { code, out } = await cli(['run', 'flows/examples/survey.json', '--hangup-after', '2', '--var', 'Q1=5', '--json']);
    expect(code).to.equal(EXIT_OK);
    const result = JSON.parse(out.join('\n')) as { outcome: string; steps: number; variables: Record<string, unknown>; finally: { outcome: string } };
    expect(result.outcome).to.equal('hangup');
    expect(result.steps).to.equal(3); // two blocks ran; the caller hung up as the third started
    expect(result.variables['Q1']).to.equal(5);
    expect(result.finally.outcome).to.equal('completed');
  });

  it('a chat project runs with --messages', async () => {
    const { code, out } = await cli(['run', 'flows/examples/chat-bot.json', '--messages', 'hours|no']);
    expect(code).to.equal(EXIT_OK);
    expect(out.join('\n')).to.contain('sendMessage text=Thank you, goodbye!');
  });

  it('a run that hits the step budget exits 1', async () => {
    const { code, out } = await cli(['run', 'loop.json', '--max-steps', '20'], { 'loop.json': loopProject });
    expect(code).to.equal(EXIT_FAILED);
    expect(out.at(-1)).to.match(/^outcome: step-limit — step budget of 20 exhausted/);
  });

  it('validate: 0 when clean, 1 with errors, problems listed', async () => {
    const clean = await cli(['validate', 'flows/examples/remote-agent.json']);
    expect(clean).to.deep.include({ code: EXIT_OK, out: ['0 error(s), 0 warning(s)'] });
    const broken = JSON.stringify({ ...JSON.parse(loopProject), blocks: { start: { type: 'Start', exits: { next: 'ghost' } } } });
    const bad = await cli(['validate', 'bad.json'], { 'bad.json': broken });
    expect(bad.code).to.equal(EXIT_FAILED);
    expect(bad.out).to.deep.equal(['ERROR dangling-exit (block start exits.next): exit "next" points to block "ghost", which does not exist', '1 error(s), 0 warning(s)']);
    expect((await cli(['validate', 'loop.json'], { 'loop.json': loopProject })).code).to.equal(EXIT_OK); // warnings only
  });

  it('unreadable or invalid projects and bad usage exit 2 with a clear message', async () => {
    const notJson = await cli(['run', 'x.json'], { 'x.json': 'hello' });
    expect(notJson.code).to.equal(EXIT_USAGE);
    expect(notJson.err[0]).to.match(/^flow: project is not valid JSON/);
    const future = await cli(['run', 'f.json'], { 'f.json': JSON.stringify({ schemaVersion: 7 }) });
    expect(future.err[0]).to.contain('newer than this Tandem understands');
    const missing = await cli(['run', 'does/not/exist.json']);
    expect(missing.code).to.equal(EXIT_USAGE);
    expect(missing.err[0]).to.match(/^flow: cannot read does\/not\/exist\.json/);
    expect((await cli(['frobnicate'])).code).to.equal(EXIT_USAGE);
    expect((await cli(['run', 'loop.json', '--digits', '1,x'], { 'loop.json': loopProject })).err[0]).to.contain('"x" is not keys');
    expect((await cli(['run', 'loop.json', '--hangup-after', '-1'], { 'loop.json': loopProject })).code).to.equal(EXIT_USAGE);
    expect((await cli(['run', 'loop.json', '--bogus'], { 'loop.json': loopProject })).err[0]).to.equal('flow: unknown option --bogus');
  });

  it('lists blocks and prints a block’s JSON Schema', async () => {
    const blocks = await cli(['blocks']);
    expect(blocks.out).to.have.length(42);
    const schema = await cli(['schema', 'Menu']);
    const parsed = JSON.parse(schema.out.join('\n')) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(parsed.properties)).to.include.members(['prompts', 'choices', 'timeoutSec', 'retries', 'variable']);
    expect(parsed.required).to.deep.equal(['prompts', 'choices']);
    expect((await cli(['schema', 'Nope'])).code).to.equal(EXIT_USAGE);
  });

  it('parses --digits: keys, silences and hangups', () => {
    expect(parseDigits('1,2#, ~6s,~250ms,h')).to.deep.equal(['1', '2#', { wait: 6000 }, { wait: 250 }, { hangup: true }]);
  });
});
