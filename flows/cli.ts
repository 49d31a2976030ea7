import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Value } from './expression/index.ts';
import { END_OF_FLOW } from './block.ts';
import { describeCatalogue, blockParamsJsonSchema } from './catalogue.ts';
import { defaultRegistry } from './blocks/index.ts';
import type { RunResult, TraceEntry } from './interpreter.ts';
import { tryLoadProject } from './project/load.ts';
import { formatProblem } from './problems.ts';
import { simulate } from './testing/simulate.ts';
import type { ScriptStep, ScriptedOp } from './testing/scripted-call.ts';
import { validateDocument } from './validate.ts';
import { preview } from './runtime/values.ts';

/**
 * The flow CLI (the shell around flows/; the only file here that touches the file system):
 *
 *   npm run flow -- run project.json --digits 1,2# [--messages "hi|2"] [--hangup-after N]
 *                   [--var K=V]… [--now 2026-01-05T10:00:00Z] [--max-steps N] [--json]
 *   npm run flow -- validate project.json [--json]
 *   npm run flow -- blocks                     the block catalogue
 *   npm run flow -- schema Menu                JSON Schema of a block's params
 *
 * Exit codes: 0 = the run completed (or the caller hung up) / no validation errors;
 * 1 = the run failed (error, step limit) / validation errors; 2 = bad usage or unreadable project.
 */
export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly readText: (path: string) => Promise<string>;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const USAGE = `usage:
  flow run <project.json> [--digits 1,2#,~6s,h] [--messages "hello|2"] [--hangup-after N]
                          [--var NAME=VALUE]... [--now ISO-DATE] [--max-steps N] [--json]
  flow validate <project.json> [--json]
  flow blocks
  flow schema <BlockType>

--digits: comma-separated caller actions: keys (12#), silence (~6s, ~500ms), h = hang up.`;

class UsageError extends Error {}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'run':
        return await runCommand(rest, io);
      case 'validate':
        return await validateCommand(rest, io);
      case 'blocks':
        for (const block of describeCatalogue()) {
          io.stdout(`${block.type.padEnd(16)} ${block.category.padEnd(12)} ${block.channels.join(',').padEnd(36)} ${block.description}`);
        }
        return EXIT_OK;
      case 'schema': {
        const definition = defaultRegistry.get(rest[0] ?? '');
        if (definition === undefined) throw new UsageError(`unknown block type "${rest[0] ?? ''}"`);
        io.stdout(JSON.stringify(blockParamsJsonSchema(definition), null, 2));
        return EXIT_OK;
      }
      case undefined:
      case '--help':
      case 'help':
        io.stdout(USAGE);
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`flow: ${error.message}`);
      io.stderr(USAGE);
      return EXIT_USAGE;
    }
    io.stderr(`flow: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_USAGE;
  }
}

interface Flags {
  readonly positional: string[];
  readonly values: Map<string, string[]>;
  readonly switches: Set<string>;
}

const VALUE_FLAGS = new Set(['--digits', '--messages', '--hangup-after', '--var', '--now', '--max-steps']);
const SWITCH_FLAGS = new Set(['--json']);

function parseFlags(args: readonly string[]): Flags {
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (SWITCH_FLAGS.has(name)) switches.add(name);
    else if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      values.set(name, [...(values.get(name) ?? []), value]);
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  return { positional, values, switches };
}

function single(flags: Flags, name: string): string | undefined {
  const list = flags.values.get(name);
  return list === undefined ? undefined : list[list.length - 1];
}

function positiveInt(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(text)) throw new UsageError(`${name} must be a whole number, got "${text}"`);
  return Number(text);
}

export function parseDigits(spec: string): ScriptStep[] {
  const steps: ScriptStep[] = [];
  for (const raw of spec.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (/^[0-9*#]+$/.test(entry)) steps.push(entry);
    else if (entry === 'h' || entry === 'hangup') steps.push({ hangup: true });
    else {
      const wait = /^~([0-9]+(?:\.[0-9]+)?)(ms|s)$/.exec(entry);
      if (wait === null) throw new UsageError(`--digits: "${entry}" is not keys (12#), a silence (~6s, ~500ms) or h`);
      steps.push({ wait: Number(wait[1]) * (wait[2] === 's' ? 1000 : 1) });
    }
  }
  return steps;
}

function parseVar(spec: string): [string, Value] {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new UsageError(`--var expects NAME=VALUE, got "${spec}"`);
  const name = spec.slice(0, eq);
  const text = spec.slice(eq + 1);
  // Numbers, booleans and JSON stay typed; anything else is text.
  try {
    const parsed = JSON.parse(text) as Value;
    return [name, parsed];
  } catch {
    return [name, text];
  }
}

async function readProjectText(path: string | undefined, io: CliIo): Promise<string> {
  if (path === undefined) throw new UsageError('missing project file');
  try {
    return await io.readText(path);
  } catch (error) {
    throw new Error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

async function runCommand(args: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  const text = await readProjectText(flags.positional[0], io);
  const loaded = tryLoadProject(text);
  if (!loaded.ok) {
    io.stderr(`flow: ${loaded.error.message}`);
    for (const issue of loaded.error.issues.slice(0, 20)) io.stderr(`  ${issue.path || '(document)'}: ${issue.message}`);
    return EXIT_USAGE;
  }
  const script: ScriptStep[] = [];
  for (const spec of flags.values.get('--digits') ?? []) script.push(...parseDigits(spec));
  for (const spec of flags.values.get('--messages') ?? []) {
    for (const text of spec.split('|')) script.push({ message: text });
  }
  const hangupAfter = positiveInt(single(flags, '--hangup-after'), '--hangup-after');
  const maxSteps = positiveInt(single(flags, '--max-steps'), '--max-steps');
  const nowText = single(flags, '--now');
  const now = nowText === undefined ? undefined : Date.parse(nowText);
  if (now !== undefined && !Number.isFinite(now)) throw new UsageError(`--now: "${nowText}" is not a date`);
  const variables = Object.fromEntries((flags.values.get('--var') ?? []).map(parseVar));

  const simulation = await simulate(loaded.project, {
    ...(now === undefined ? {} : { now }),
    call: { script, ...(hangupAfter === undefined ? {} : { hangup: { atStep: hangupAfter + 1 } }) },
    variables,
    ...(maxSteps === undefined ? {} : { limits: { maxSteps } }),
  });
  const { result, call } = simulation;
  if (flags.switches.has('--json')) {
    io.stdout(JSON.stringify({ ...result, ops: call.ops, sent: call.sent, serviceRequests: simulation.services.requests }, null, 2));
  } else {
    printRun(result, call.ops, io);
  }
  return result.outcome === 'completed' || result.outcome === 'hangup' ? EXIT_OK : EXIT_FAILED;
}

function printRun(result: RunResult, ops: readonly ScriptedOp[], io: CliIo): void {
  let opIndex = 0;
  result.trace.forEach((entry, i) => {
    io.stdout(traceLine(i + 1, entry));
    while (opIndex < ops.length && ops[opIndex]!.blockId === entry.blockId) {
      const op = ops[opIndex++]!;
      io.stdout(`        · ${op.op} ${describeOp(op)}`);
    }
    for (const log of entry.logs ?? []) io.stdout(`        ! ${log}`);
  });
  if (result.traceDropped > 0) io.stdout(`(${result.traceDropped} more steps not traced)`);
  io.stdout(`outcome: ${result.outcome} — ${result.reason} (${result.steps} steps, ${result.durationMs} ms virtual)`);
  if (result.finally !== null) io.stdout(`finally: ${result.finally.outcome} — ${result.finally.reason}`);
  const vars = Object.entries(result.variables);
  if (vars.length > 0) io.stdout(`variables: ${vars.map(([k, v]) => `${k}=${preview(v, 60)}`).join(' ')}`);
}

function traceLine(n: number, entry: TraceEntry): string {
  const indent = '  '.repeat(entry.depth);
  const exit =
    entry.skipped !== undefined
      ? `skipped (${entry.skipped})`
      : entry.exit === null
        ? `✗ ${entry.error ?? 'failed'}`
        : entry.exit === END_OF_FLOW
          ? '■ end'
          : `→ ${entry.exit}`;
  const changed = entry.changed === undefined ? '' : `  ${Object.entries(entry.changed).map(([k, v]) => `${k}=${preview(v, 40)}`).join(' ')}`;
  const phase = entry.phase === 'finally' ? ' [finally]' : '';
  return `#${String(n).padEnd(4)} ${String(entry.startedAt).padStart(7)}ms ${indent}${entry.blockId.padEnd(18)} ${entry.type.padEnd(15)} ${exit}${changed}${phase}`;
}

function describeOp(op: ScriptedOp): string {
  return Object.entries(op.detail)
    .filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

async function validateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(args);
  const text = await readProjectText(flags.positional[0], io);
  const result = validateDocument(text);
  if (flags.switches.has('--json')) io.stdout(JSON.stringify(result, null, 2));
  else {
    for (const problem of result.problems) io.stdout(formatProblem(problem));
    const errors = result.problems.filter((p) => p.severity === 'error').length;
    io.stdout(`${errors} error(s), ${result.problems.length - errors} warning(s)`);
  }
  return result.ok ? EXIT_OK : EXIT_FAILED;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const code = await runCli(process.argv.slice(2), {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    readText: (path) => readFile(path, 'utf8'),
  });
  process.exitCode = code;
}
