import type { ExpressionLimits } from './expression/index.ts';
import { compileProject, isCompiledProject, type CompiledBlock, type CompiledProject } from './compile.ts';
import type { BlockRegistry } from './blocks/index.ts';
import { BUILTIN_VARIABLE_NAMES } from './interpreter.ts';
import { tryLoadProject, type ProjectLoadLimits } from './project/load.ts';
import type { Project } from './project/schema.ts';
import type { Problem } from './problems.ts';

export interface ValidationResult {
  /** No errors (warnings allowed). */
  readonly ok: boolean;
  readonly problems: readonly Problem[];
}

export interface ValidateOptions {
  readonly registry?: BlockRegistry;
  readonly expressionLimits?: ExpressionLimits;
  /** Names the server knows the channel provides (e.g. custom dialplan variables). */
  readonly knownVariables?: Iterable<string>;
}

/**
 * Asterisk channel variables a voice flow may read without declaring them. Dialplan functions
 * (`CALLERID(num)`, `SIP_HEADER(X-Foo)`) and `agi_*` environment names are accepted by shape.
 */
const ASTERISK_VARIABLES = new Set([
  'EXTEN',
  'CONTEXT',
  'PRIORITY',
  'CHANNEL',
  'LANGUAGE',
  'ACCOUNTCODE',
  'DIALSTATUS',
  'HANGUPCAUSE',
  'VMSTATUS',
  'QUEUESTATUS',
  'AGISTATUS',
  'DNID',
  'RDNIS',
  'CALLERID',
]);

/** Validates a document that may not even be JSON: load problems come back as problems too. */
export function validateDocument(input: unknown, options: ValidateOptions & { limits?: Partial<ProjectLoadLimits> } = {}): ValidationResult {
  const loaded = tryLoadProject(input, options.limits);
  if (!loaded.ok) {
    const issues = loaded.error.issues.length > 0 ? loaded.error.issues : [{ path: '', message: loaded.error.message }];
    return {
      ok: false,
      problems: issues.map((issue) => ({
        severity: 'error',
        code: 'invalid-project',
        blockId: blockIdOf(issue.path),
        field: issue.path === '' ? null : issue.path,
        message: issue === issues[0] ? loaded.error.message : issue.message,
      })),
    };
  }
  return validateProject(loaded.project, options);
}

/**
 * The one validator, used by the server (publish) and the designer (as you edit). Reports every
 * problem it finds, each with the block id and field; never throws.
 */
export function validateProject(project: Project | CompiledProject, options: ValidateOptions = {}): ValidationResult {
  const compiled = isCompiledProject(project)
    ? project
    : compileProject(project, {
        ...(options.registry === undefined ? {} : { registry: options.registry }),
        ...(options.expressionLimits === undefined ? {} : { expressionLimits: options.expressionLimits }),
      });
  const problems: Problem[] = [...compiled.problems];
  checkStructure(compiled, problems);
  checkWiring(compiled, problems);
  const { fromStart, fromFinally } = reachability(compiled);
  checkReachability(compiled, fromStart, fromFinally, problems);
  checkChannels(compiled, problems);
  checkVariables(compiled, options, problems);
  checkBusyLoops(compiled, problems);
  return { ok: !problems.some((p) => p.severity === 'error'), problems };
}

function checkStructure(compiled: CompiledProject, problems: Problem[]): void {
  const starts = [...compiled.blocks.values()].filter((b) => b.type === 'Start');
  if (starts.length === 0) {
    problems.push({ severity: 'error', code: 'no-start', blockId: null, field: 'entry', message: 'the project has no Start block' });
  }
  for (const extra of starts.slice(1)) {
    problems.push({ severity: 'error', code: 'multiple-start', blockId: extra.id, field: 'type', message: `only one Start block is allowed (the first is ${starts[0]!.id})` });
  }
  const entry = compiled.entry;
  if (entry === undefined) {
    problems.push({ severity: 'error', code: 'invalid-project', blockId: null, field: 'entry', message: `entry block "${compiled.project.entry}" does not exist` });
  } else if (entry.type !== 'Start') {
    problems.push({ severity: 'error', code: 'entry-not-start', blockId: entry.id, field: 'entry', message: `the entry block must be the Start block, not a ${entry.type}` });
  }
  const finals = [...compiled.blocks.values()].filter((b) => b.type === 'Finally');
  for (const extra of finals.slice(1)) {
    problems.push({ severity: 'error', code: 'multiple-finally', blockId: extra.id, field: 'type', message: `only one Finally block is allowed (the first is ${finals[0]!.id})` });
  }
}

function checkWiring(compiled: CompiledProject, problems: Problem[]): void {
  for (const block of compiled.blocks.values()) {
    const wiring = compiled.project.blocks[block.id]!.exits;
    const defined = block.definition === undefined || block.parsedParams === undefined ? null : new Set(block.exits);
    for (const [exit, target] of Object.entries(wiring)) {
      if (target !== null && !compiled.blocks.has(target)) {
        problems.push({ severity: 'error', code: 'dangling-exit', blockId: block.id, field: `exits.${exit}`, message: `exit "${exit}" points to block "${target}", which does not exist` });
      }
      if (defined !== null && !defined.has(exit)) {
        problems.push({ severity: 'warning', code: 'unknown-exit', blockId: block.id, field: `exits.${exit}`, message: `${block.type} has no exit "${exit}" (its exits: ${block.exits.join(', ') || 'none'})` });
      }
    }
    if (defined === null) continue;
    const optional = new Set(block.definition!.optionalExits ?? []);
    for (const exit of block.exits) {
      const target = Object.hasOwn(wiring, exit) ? wiring[exit] : null;
      if (target !== null && target !== undefined) continue;
      if (!optional.has(exit)) {
        problems.push({ severity: 'warning', code: 'unwired-exit', blockId: block.id, field: `exits.${exit}`, message: `exit "${exit}" is not connected; the flow ends there` });
      }
    }
    checkInputHandling(block, wiring, problems);
  }
}

/** Menu, Get digits, Quick-reply menu: an unwired invalid/timeout exit is fine only with retries. */
function checkInputHandling(block: CompiledBlock, wiring: Readonly<Record<string, string | null>>, problems: Problem[]): void {
  const params = block.parsedParams;
  if (typeof params !== 'object' || params === null || !('retries' in params)) return;
  const retries = (params as { retries: unknown }).retries;
  for (const exit of ['invalid', 'timeout']) {
    if (!block.exits.includes(exit)) continue;
    const wired = Object.hasOwn(wiring, exit) && wiring[exit] !== null;
    if (!wired && retries === 0) {
      problems.push({
        severity: 'warning',
        code: 'menu-unhandled',
        blockId: block.id,
        field: `exits.${exit}`,
        message: `${block.type} does not handle ${exit === 'invalid' ? 'invalid input' : 'a timeout'}: connect its "${exit}" exit or allow retries`,
      });
    }
  }
}

function reachability(compiled: CompiledProject): { fromStart: Set<string>; fromFinally: Set<string> } {
  const walk = (root: CompiledBlock | undefined): Set<string> => {
    const seen = new Set<string>();
    if (root === undefined) return seen;
    const stack = [root];
    seen.add(root.id);
    while (stack.length > 0) {
      const block = stack.pop()!;
      for (const target of successors(compiled, block)) {
        if (!seen.has(target.id)) {
          seen.add(target.id);
          stack.push(target);
        }
      }
    }
    return seen;
  };
  return { fromStart: walk(compiled.entry), fromFinally: walk(compiled.finally) };
}

/** Wired targets, including exits of blocks that failed to compile (so one bad block does not hide others). */
function successors(compiled: CompiledProject, block: CompiledBlock): CompiledBlock[] {
  const out: CompiledBlock[] = [];
  const wiring = compiled.project.blocks[block.id]!.exits;
  const exits = block.parsedParams === undefined ? Object.keys(wiring) : block.exits;
  for (const exit of exits) {
    const target = Object.hasOwn(wiring, exit) ? wiring[exit] : null;
    if (target === null || target === undefined) continue;
    const next = compiled.blocks.get(target);
    if (next !== undefined) out.push(next);
  }
  return out;
}

function checkReachability(compiled: CompiledProject, fromStart: Set<string>, fromFinally: Set<string>, problems: Problem[]): void {
  for (const block of compiled.blocks.values()) {
    if (block.type === 'Finally' || fromStart.has(block.id) || fromFinally.has(block.id)) continue;
    if (block.type === 'Start' && compiled.entry?.id !== block.id) continue; // already a multiple-start error
    problems.push({ severity: 'warning', code: 'unreachable', blockId: block.id, field: null, message: `${block.type} block "${block.id}" can never run: nothing leads to it` });
  }
  for (const id of fromFinally) {
    const block = compiled.blocks.get(id)!;
    if (block.audio) {
      problems.push({
        severity: 'warning',
        code: 'audio-in-finally',
        blockId: id,
        field: null,
        message: `${block.type} is an audio block after Finally: the caller is gone, it will be skipped`,
      });
    }
  }
}

function checkChannels(compiled: CompiledProject, problems: Problem[]): void {
  const channel = compiled.project.channel;
  for (const block of compiled.blocks.values()) {
    const definition = block.definition;
    if (definition === undefined || definition.channels.includes(channel)) continue;
    problems.push({
      severity: 'error',
      code: 'channel-not-allowed',
      blockId: block.id,
      field: 'type',
      message: `${block.type} cannot run on a ${channel} project (only ${definition.channels.join(', ')})`,
    });
  }
}

function checkVariables(compiled: CompiledProject, options: ValidateOptions, problems: Problem[]): void {
  const known = new Set<string>([...BUILTIN_VARIABLE_NAMES, ...Object.keys(compiled.project.variables), ...(options.knownVariables ?? [])]);
  for (const block of compiled.blocks.values()) {
    if (block.definition?.writes === undefined || block.parsedParams === undefined) continue;
    try {
      for (const name of block.definition.writes(block.parsedParams)) known.add(name);
    } catch {
      // a broken writes() must not hide the other problems
    }
  }
  const voice = compiled.project.channel === 'voice';
  for (const block of compiled.blocks.values()) {
    const reported = new Set<string>();
    for (const use of block.uses) {
      for (const name of use.variables) {
        if (known.has(name) || reported.has(name)) continue;
        if (voice && (name.includes('(') || name.startsWith('agi_') || ASTERISK_VARIABLES.has(name))) continue;
        reported.add(name);
        problems.push({
          severity: 'warning',
          code: 'undefined-variable',
          blockId: block.id,
          field: use.field,
          message: `variable ${name} is used but never set: declare it in the project's variables or set it before this block`,
        });
      }
    }
  }
}

/**
 * Loops in which no block waits for the caller or for time (Tarjan's strongly connected
 * components, iteratively, so 10,000-block projects cannot overflow the stack).
 */
function checkBusyLoops(compiled: CompiledProject, problems: Problem[]): void {
  const blocks = [...compiled.blocks.values()];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: CompiledBlock[] = [];
  let counter = 0;

  for (const root of blocks) {
    if (index.has(root.id)) continue;
    const work: Array<{ block: CompiledBlock; next: CompiledBlock[]; i: number }> = [];
    const open = (block: CompiledBlock): void => {
      index.set(block.id, counter);
      low.set(block.id, counter);
      counter++;
      stack.push(block);
      onStack.add(block.id);
      work.push({ block, next: successors(compiled, block), i: 0 });
    };
    open(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.next.length) {
        const target = frame.next[frame.i++]!;
        if (!index.has(target.id)) open(target);
        else if (onStack.has(target.id)) low.set(frame.block.id, Math.min(low.get(frame.block.id)!, index.get(target.id)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.block.id, Math.min(low.get(parent.block.id)!, low.get(frame.block.id)!));
      if (low.get(frame.block.id) !== index.get(frame.block.id)) continue;
      const component: CompiledBlock[] = [];
      for (;;) {
        const member = stack.pop()!;
        onStack.delete(member.id);
        component.push(member);
        if (member.id === frame.block.id) break;
      }
      const selfLoop = component.length === 1 && successors(compiled, component[0]!).some((t) => t.id === component[0]!.id);
      if (component.length < 2 && !selfLoop) continue;
      if (component.some((b) => b.definition?.waits === true)) continue;
      component.reverse();
      const names = component.slice(0, 10).map((b) => b.id);
      problems.push({
        severity: 'warning',
        code: 'busy-loop',
        blockId: component[0]!.id,
        field: null,
        message: `loop ${names.join(' → ')}${component.length > 10 ? ' → …' : ''} has no wait or input block: it can only end by a condition, or it spins until the step budget stops the call`,
      });
    }
  }
}

function blockIdOf(path: string): string | null {
  const match = /^blocks\.([^.]+)/.exec(path);
  return match === null ? null : match[1]!;
}
