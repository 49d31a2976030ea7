/**
 * Interpreter benchmark: `npx tsx test/bench/interpreter.bench.ts`.
 *
 * 1. Non-I/O steps per second on Set/Condition chains (target ≥ 1,000,000 per core): trace off,
 *    every step traced (an entry object per step), and the default capped trace.
 * 2. CallPort overhead per I/O block: Playback / Menu steps against a port whose every operation
 *    resolves at once, i.e. the interpreter's own cost around an I/O call.
 * Each scenario runs for a bounded number of steps; the whole file finishes in well under 60 s.
 */
import { CHANNEL_CAPABILITIES, type CallPort } from '../../flows/call-port.ts';
import { compileProject } from '../../flows/compile.ts';
import { runProject } from '../../flows/interpreter.ts';
import { loadProject } from '../../flows/project/load.ts';
import type { ProjectInput } from '../../flows/project/schema.ts';

type BlockInput = ProjectInput['blocks'][string];

function setConditionChain(pairs: number): ProjectInput {
  const blocks: Record<string, BlockInput> = {
    start: { type: 'Start', exits: { next: 's0' } },
  };
  for (let i = 0; i < pairs; i++) {
    blocks[`s${i}`] = {
      type: 'Set',
      params: { assignments: [{ variable: 'X', value: i % 2 === 0 ? 'a' : '{Y}' }] },
      exits: { next: `c${i}` },
    };
    const next = i + 1 < pairs ? `s${i + 1}` : 'count';
    blocks[`c${i}`] = { type: 'Condition', params: { expression: 'X == "a"' }, exits: { true: next, false: next } };
  }
  blocks['count'] = { type: 'Math', params: { expression: 'I + 1', variable: 'I' }, exits: { next: 's0' } };
  return {
    schemaVersion: 2,
    id: 'bench-chain',
    name: 'bench',
    channel: 'voice',
    entry: 'start',
    blocks,
    variables: { X: { default: '' }, Y: { default: 'a' }, I: { default: 0 } },
  };
}

function ioChain(type: 'Playback' | 'Menu', count: number): ProjectInput {
  const blocks: Record<string, BlockInput> = { start: { type: 'Start', exits: { next: 'b0' } } };
  for (let i = 0; i < count; i++) {
    const next = `b${(i + 1) % count}`;
    blocks[`b${i}`] =
      type === 'Playback'
        ? { type: 'Playback', params: { prompts: ['beep'] }, exits: { next } }
        : { type: 'Menu', params: { prompts: ['menu'], choices: ['1'] }, exits: { '1': next, invalid: next, timeout: next } };
  }
  return { schemaVersion: 2, id: `bench-${type}`, name: 'bench', channel: 'voice', entry: 'start', blocks };
}

/** A transport that does nothing, instantly: isolates the interpreter's cost per I/O block. */
function noopPort(): CallPort {
  const done = Promise.resolve();
  return {
    info: { callId: 'bench', channel: 'voice', callerNumber: '100', callerName: '', dialed: '200', variables: {} },
    capabilities: new Set(CHANNEL_CAPABILITIES.voice),
    hungUp: false,
    onHangup: () => () => undefined,
    answer: () => done,
    hangup: () => done,
    play: async () => ({ digit: null }),
    say: async () => ({ digit: null }),
    collectDigits: async () => ({ digits: '1', reason: 'max' }),
    waitForDigit: async () => '1',
    record: async (o) => ({ file: o.file, durationMs: 0, reason: 'silence', digit: null }),
    getVariable: async () => undefined,
    setVariable: () => done,
    setMusicOnHold: () => done,
    dial: async () => ({ status: 'answered', durationMs: 0 }),
    exec: async () => ({ result: 0 }),
    runAgi: async () => ({ status: 'success' }),
    enqueue: async () => ({ outcome: 'answered' }),
    sendMessage: () => done,
    waitForMessage: async () => ({ text: 'x' }),
  };
}

async function measure(label: string, input: ProjectInput, steps: number, trace: boolean, maxTraceEntries = steps): Promise<number> {
  const compiled = compileProject(loadProject(input));
  if (compiled.problems.length > 0) throw new Error(`bench project invalid: ${compiled.problems[0]!.message}`);
  // Warm-up so the figures are about steady state, not JIT tiers.
  await runProject(compiled, noopPort(), { limits: { maxSteps: Math.min(steps, 50_000), maxTraceEntries: 50_000 }, trace });
  const started = process.hrtime.bigint();
  const result = await runProject(compiled, noopPort(), { limits: { maxSteps: steps, maxTraceEntries }, trace });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.outcome !== 'step-limit') throw new Error(`${label}: expected the step budget to end the run, got ${result.outcome}: ${result.reason}`);
  const perSecond = result.steps / seconds;
  console.log(`${label}: ${result.steps.toLocaleString('en-US')} steps in ${seconds.toFixed(3)} s = ${Math.round(perSecond).toLocaleString('en-US')} steps/s (${((seconds / result.steps) * 1e9).toFixed(0)} ns/step)`);
  return perSecond;
}

const chain = setConditionChain(500);
const pure = await measure('interpreter Set/Condition chain, trace off', chain, 3_000_000, false);
await measure('interpreter Set/Condition chain, every step traced', chain, 1_000_000, true);
await measure('interpreter Set/Condition chain, default 10,000-entry trace', chain, 3_000_000, true, 10_000);
const playback = await measure('interpreter Playback over no-op CallPort  ', ioChain('Playback', 100), 300_000, false);
await measure('interpreter Menu over no-op CallPort      ', ioChain('Menu', 100), 200_000, false);
console.log(`interpreter CallPort overhead per I/O block: ${((1 / playback - 1 / pure) * 1e9).toFixed(0)} ns (Playback step minus pure step)`);
console.log(`interpreter target ≥ 1,000,000 non-I/O steps/s per core: ${pure >= 1_000_000 ? 'met' : 'NOT met'}`);
