import type { z } from 'zod';
import { CURRENT_SCHEMA_VERSION, FORBIDDEN_KEYS, projectSchema, type Project } from './schema.ts';
import { MIGRATIONS, OLDEST_SUPPORTED_VERSION } from './migrations.ts';

/**
 * Bounds applied before any schema work, so hostile documents (huge, deeply nested, with
 * prototype-polluting keys) are refused with a clear reason instead of exhausting memory or stack.
 */
export interface ProjectLoadLimits {
  /** Longest JSON text accepted (characters). */
  maxTextLength: number;
  maxBlocks: number;
  /** Deepest object/array nesting anywhere in the document. */
  maxDepth: number;
  /** Longest single string (prompt list entries, templates, labels…). */
  maxStringLength: number;
  /** Total values (objects, arrays, scalars) in the document. */
  maxNodes: number;
}

export const DEFAULT_LOAD_LIMITS: ProjectLoadLimits = {
  maxTextLength: 5_000_000,
  maxBlocks: 10_000,
  maxDepth: 32,
  maxStringLength: 65_536,
  maxNodes: 1_000_000,
};

export type ProjectLoadErrorCode =
  | 'not-json'
  | 'not-object'
  | 'too-large'
  | 'too-deep'
  | 'string-too-long'
  | 'too-many-blocks'
  | 'forbidden-key'
  | 'no-version'
  | 'unsupported-version'
  | 'future-version'
  | 'schema';

export interface ProjectIssue {
  /** Dotted path inside the document, e.g. `blocks.menu1.exits`. Empty for the document itself. */
  readonly path: string;
  readonly message: string;
}

export class ProjectLoadError extends Error {
  readonly code: ProjectLoadErrorCode;
  readonly issues: readonly ProjectIssue[];
  constructor(code: ProjectLoadErrorCode, message: string, issues: readonly ProjectIssue[] = []) {
    super(message);
    this.name = 'ProjectLoadError';
    this.code = code;
    this.issues = issues;
  }
}

export interface LoadedProject {
  readonly project: Project;
  /** The schema version the document had before migration. */
  readonly loadedVersion: number;
}

/**
 * Parse a project from JSON text or an already-parsed value, migrating older schema versions.
 * Throws ProjectLoadError (and nothing else) for anything it cannot accept.
 */
export function loadProject(input: unknown, limits: Partial<ProjectLoadLimits> = {}): Project {
  return loadProjectWithInfo(input, limits).project;
}

export function tryLoadProject(
  input: unknown,
  limits: Partial<ProjectLoadLimits> = {},
): { ok: true; project: Project; loadedVersion: number } | { ok: false; error: ProjectLoadError } {
  try {
    const loaded = loadProjectWithInfo(input, limits);
    return { ok: true, project: loaded.project, loadedVersion: loaded.loadedVersion };
  } catch (error) {
    if (error instanceof ProjectLoadError) return { ok: false, error };
    // Defensive: a bug below must still surface as a load error, never crash the caller.
    return { ok: false, error: new ProjectLoadError('schema', `project could not be loaded: ${String(error)}`) };
  }
}

export function loadProjectWithInfo(input: unknown, limitsIn: Partial<ProjectLoadLimits> = {}): LoadedProject {
  const limits: ProjectLoadLimits = { ...DEFAULT_LOAD_LIMITS, ...limitsIn };
  const doc = parseText(input, limits);
  checkShape(doc, limits);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ProjectLoadError('not-object', `a project must be a JSON object, got ${describe(doc)}`);
  }
  const record = doc as Record<string, unknown>;
  const blocks = record['blocks'];
  if (typeof blocks === 'object' && blocks !== null) {
    const count = Object.keys(blocks).length;
    if (count > limits.maxBlocks) {
      throw new ProjectLoadError(
        'too-many-blocks',
        `project has ${count} blocks; at most ${limits.maxBlocks} are allowed`,
        [{ path: 'blocks', message: `${count} blocks` }],
      );
    }
  }

  const version = record['schemaVersion'];
  if (version === undefined) {
    throw new ProjectLoadError('no-version', 'project has no schemaVersion', [
      { path: 'schemaVersion', message: 'required' },
    ]);
  }
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new ProjectLoadError('no-version', `schemaVersion must be an integer, got ${describe(version)}`, [
      { path: 'schemaVersion', message: 'must be an integer' },
    ]);
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    throw new ProjectLoadError(
      'future-version',
      `project uses schema version ${version}, newer than this Tandem understands (${CURRENT_SCHEMA_VERSION}); upgrade Tandem to open it`,
      [{ path: 'schemaVersion', message: `version ${version} is from the future` }],
    );
  }
  if (version < OLDEST_SUPPORTED_VERSION) {
    throw new ProjectLoadError(
      'unsupported-version',
      `schema version ${version} is not supported (oldest is ${OLDEST_SUPPORTED_VERSION})`,
      [{ path: 'schemaVersion', message: 'unsupported' }],
    );
  }

  let current = record;
  for (let v = version; v < CURRENT_SCHEMA_VERSION; v++) {
    const migrate = MIGRATIONS[v];
    if (migrate === undefined) {
      throw new ProjectLoadError('unsupported-version', `no migration from schema version ${v}`);
    }
    current = migrate(current);
  }

  const parsed = projectSchema.safeParse(current);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error.issues);
    const first = issues[0];
    const summary = first === undefined ? 'invalid project' : `${first.path || '(document)'}: ${first.message}`;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new ProjectLoadError('schema', `invalid project: ${summary}${more}`, issues);
  }
  return { project: parsed.data, loadedVersion: version };
}

export function zodIssues(issues: readonly z.core.$ZodIssue[]): ProjectIssue[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

function parseText(input: unknown, limits: ProjectLoadLimits): unknown {
  let text: string | undefined;
  if (typeof input === 'string') text = input;
  else if (input instanceof Uint8Array) text = new TextDecoder('utf-8', { fatal: false }).decode(input);
  if (text === undefined) return input;
  if (text.length > limits.maxTextLength) {
    throw new ProjectLoadError(
      'too-large',
      `project text is ${text.length} characters; at most ${limits.maxTextLength} are allowed`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ProjectLoadError('not-json', `project is not valid JSON: ${detail}`);
  }
}

/**
 * One iterative walk (no recursion, so no stack overflow on hostile nesting) that enforces depth,
 * string length, node count and forbidden keys everywhere in the document.
 */
function checkShape(root: unknown, limits: ProjectLoadLimits): void {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value: root, depth: 0, path: '' }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    nodes++;
    if (nodes > limits.maxNodes) {
      throw new ProjectLoadError('too-large', `project has more than ${limits.maxNodes} values`);
    }
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength) {
        throw new ProjectLoadError(
          'string-too-long',
          `string at ${path || '(document)'} is ${value.length} characters; at most ${limits.maxStringLength} are allowed`,
          [{ path, message: 'string too long' }],
        );
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limits.maxDepth) {
      throw new ProjectLoadError(
        'too-deep',
        `project nests deeper than ${limits.maxDepth} levels at ${path || '(document)'}`,
        [{ path, message: 'too deep' }],
      );
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push({ value: value[i], depth: depth + 1, path: join(path, String(i)) });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) {
        const at = join(path, key);
        throw new ProjectLoadError('forbidden-key', `key "${key}" is not allowed (at ${at})`, [
          { path: at, message: 'forbidden key' },
        ]);
      }
      if (key.length > limits.maxStringLength) {
        throw new ProjectLoadError('string-too-long', `a key at ${path || '(document)'} is ${key.length} characters long`);
      }
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: join(path, key) });
    }
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
