import { compileExpression, type CompiledExpression, type ExpressionLimits, type Value } from './expression/index.ts';
import type { AnyBlockDefinition, CompileHelpers } from './block.ts';
import type { Capability } from './call-port.ts';
import type { Project } from './project/schema.ts';
import type { Problem } from './problems.ts';
import { defaultRegistry, type BlockRegistry } from './blocks/index.ts';
import { compileTemplate } from './runtime/templates.ts';
import { deepFreeze } from './versioning.ts';

/** A template or expression a block uses, with the params field it came from. */
export interface SourceUse {
  readonly kind: 'template' | 'expression';
  readonly field: string;
  readonly source: string;
  /** Names it reads (empty when it failed to compile). */
  readonly variables: readonly string[];
}

/**
 * A block ready to run: params parsed and compiled once, exits resolved to direct references, so
 * a call step is a property lookup and a function call.
 */
export interface CompiledBlock {
  readonly id: string;
  readonly type: string;
  readonly label: string;
  readonly definition: AnyBlockDefinition | undefined;
  /** The params after the block's zod schema (defaults applied), frozen. */
  readonly parsedParams: unknown;
  /** What `compile` made of them: the value `run` receives. */
  readonly params: unknown;
  readonly exits: readonly string[];
  /** exit → next block; null = unwired (the flow ends); no key = not an exit of this block. */
  readonly next: Readonly<Record<string, CompiledBlock | null>>;
  readonly pure: boolean;
  readonly audio: boolean;
  readonly finallyExit: string | null;
  /** The block's own time limit; null = unlimited; undefined = the run's default (RunLimits.blockTimeoutMs). */
  readonly timeoutMs: number | null | undefined;
  readonly requires: readonly Capability[];
  readonly uses: readonly SourceUse[];
  /** Why the block cannot run (unknown type, params failing the schema…), or null. */
  readonly error: string | null;
}

export interface CompiledProject {
  readonly compiled: true;
  /** A private deep copy: editing the caller's document afterwards changes nothing here. */
  readonly project: Project;
  readonly blocks: ReadonlyMap<string, CompiledBlock>;
  readonly entry: CompiledBlock | undefined;
  /** The Finally block, if any (the first one, if the project wrongly has several). */
  readonly finally: CompiledBlock | undefined;
  readonly defaults: ReadonlyMap<string, Value>;
  /** Problems found while compiling blocks (params, templates, expressions). */
  readonly problems: readonly Problem[];
}

export interface CompileOptions {
  readonly registry?: BlockRegistry;
  readonly expressionLimits?: ExpressionLimits;
}

export function isCompiledProject(value: unknown): value is CompiledProject {
  return typeof value === 'object' && value !== null && (value as { compiled?: unknown }).compiled === true;
}

/** Never throws: blocks that cannot compile are kept with `error` set and reported in `problems`. */
export function compileProject(source: Project, options: CompileOptions = {}): CompiledProject {
  const registry = options.registry ?? defaultRegistry;
  const project = structuredClone(source);
  const problems: Problem[] = [];
  const blocks = new Map<string, CompiledBlock & { next: Record<string, CompiledBlock | null> }>();

  for (const [id, block] of Object.entries(project.blocks)) {
    const compiled = compileBlock(id, block.type, block.label, block.params, project, registry, options, problems);
    blocks.set(id, compiled);
  }
  // Second pass: exits become direct references.
  for (const [id, compiled] of blocks) {
    const wiring = project.blocks[id]!.exits;
    for (const exit of compiled.exits) {
      const target = Object.hasOwn(wiring, exit) ? wiring[exit] : null;
      compiled.next[exit] = target === null || target === undefined ? null : (blocks.get(target) ?? null);
    }
  }

  const defaults = new Map<string, Value>();
  for (const [name, declaration] of Object.entries(project.variables)) defaults.set(name, deepFreeze(declaration.default));

  let finallyBlock: CompiledBlock | undefined;
  for (const block of blocks.values()) {
    if (block.type === 'Finally') {
      finallyBlock = block;
      break;
    }
  }
  return {
    compiled: true,
    project: deepFreeze(project),
    blocks,
    entry: blocks.get(project.entry),
    finally: finallyBlock,
    defaults,
    problems,
  };
}

function compileBlock(
  id: string,
  type: string,
  label: string,
  rawParams: unknown,
  project: Project,
  registry: BlockRegistry,
  options: CompileOptions,
  problems: Problem[],
): CompiledBlock & { next: Record<string, CompiledBlock | null> } {
  const next: Record<string, CompiledBlock | null> = Object.create(null) as Record<string, CompiledBlock | null>;
  const broken = (error: string): CompiledBlock & { next: Record<string, CompiledBlock | null> } => ({
    id,
    type,
    label,
    definition: registry.get(type),
    parsedParams: undefined,
    params: undefined,
    exits: [],
    next,
    pure: false,
    audio: false,
    finallyExit: null,
    timeoutMs: null,
    requires: [],
    uses,
    error,
  });
  const uses: SourceUse[] = [];

  const definition = registry.get(type);
  if (definition === undefined) {
    const message = `unknown block type "${type}"`;
    problems.push({ severity: 'error', code: 'unknown-block-type', blockId: id, field: 'type', message });
    return broken(message);
  }

  const parsed = definition.params.safeParse(rawParams ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = ['params', ...issue.path.map(String)].join('.');
      problems.push({ severity: 'error', code: 'invalid-params', blockId: id, field, message: issue.message });
    }
    const first = parsed.error.issues[0];
    return broken(`invalid params${first === undefined ? '' : ` (${first.path.map(String).join('.') || 'params'}: ${first.message})`}`);
  }
  const params = deepFreeze(parsed.data);

  for (const issue of definition.check?.(params, { channel: project.channel }) ?? []) {
    problems.push({ severity: 'error', code: 'param-check', blockId: id, field: `params.${issue.field}`, message: issue.message });
  }

  let failure: string | null = null;
  const helpers: CompileHelpers = {
    template(source, field) {
      try {
        const template = compileTemplate(source);
        uses.push({ kind: 'template', field: `params.${field}`, source, variables: template.names });
        return template;
      } catch (error) {
        const message = `invalid template: ${error instanceof Error ? error.message : String(error)}`;
        uses.push({ kind: 'template', field: `params.${field}`, source, variables: [] });
        problems.push({ severity: 'error', code: 'invalid-template', blockId: id, field: `params.${field}`, message });
        failure ??= message;
        return { source, names: [], kind: 'constant', text: source, compiled: { source, variables: [], render: () => source } };
      }
    },
    expression(source, field): CompiledExpression {
      try {
        const expression = compileExpression(source, options.expressionLimits);
        uses.push({ kind: 'expression', field: `params.${field}`, source, variables: [...expression.variables] });
        return expression;
      } catch (error) {
        const message = `invalid expression: ${error instanceof Error ? error.message : String(error)}`;
        uses.push({ kind: 'expression', field: `params.${field}`, source, variables: [] });
        problems.push({ severity: 'error', code: 'invalid-expression', blockId: id, field: `params.${field}`, message });
        failure ??= message;
        return failingExpression(source, message);
      }
    },
  };

  let runtimeParams: unknown = params;
  try {
    if (definition.compile !== undefined) runtimeParams = definition.compile(params, helpers);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    problems.push({ severity: 'error', code: 'invalid-params', blockId: id, field: 'params', message });
    return broken(message);
  }
  if (failure !== null) return broken(failure);

  const exits = definition.exits(params);
  const timeoutMs = definition.maxDurationMs !== undefined ? definition.maxDurationMs(params) : definition.pure === true ? null : undefined;
  return {
    id,
    type,
    label,
    definition,
    parsedParams: params,
    params: runtimeParams,
    exits,
    next,
    pure: definition.pure === true,
    audio: definition.audio === true,
    finallyExit: definition.finallyExit ?? exits[0] ?? null,
    timeoutMs,
    requires: definition.requires ?? [],
    uses,
    error: null,
  };
}

function failingExpression(source: string, message: string): CompiledExpression {
  return {
    source,
    variables: new Set<string>(),
    paths: new Set<string>(),
    evaluate() {
      throw new Error(message);
    },
  };
}
