// A block-level comparison of two project versions: which blocks were added, removed, moved, and
// which params, exits, labels changed, field by field. What a reviewer asks ("what did this
// publish change?"), not a text diff of JSON.
import type { Block, Project } from '../../../../flows/index.ts';
import { canonicalJson } from '../../../../flows/index.ts';

export interface FieldChange {
  /** Dotted path inside params (`prompts.0`), or the project field (`name`, `variables.X`). */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ExitChange {
  readonly exit: string;
  readonly before: string | null;
  readonly after: string | null;
}

export type BlockChangeKind = 'added' | 'removed' | 'changed' | 'moved';

export interface BlockChange {
  readonly id: string;
  readonly kind: BlockChangeKind;
  readonly type: string;
  readonly label: string;
  /** Set when the block exists on both sides with another type (ids are reused rarely, but can be). */
  readonly typeChange?: { readonly before: string; readonly after: string };
  readonly labelChange?: { readonly before: string; readonly after: string };
  readonly moved: boolean;
  readonly params: readonly FieldChange[];
  readonly exits: readonly ExitChange[];
}

export interface ProjectDiff {
  readonly blocks: readonly BlockChange[];
  readonly project: readonly FieldChange[];
  readonly counts: Readonly<Record<BlockChangeKind, number>> & { readonly unchanged: number };
}

export function diffProjects(before: Project, after: Project): ProjectDiff {
  const changes: BlockChange[] = [];
  let unchanged = 0;
  const ids = [...new Set([...Object.keys(before.blocks), ...Object.keys(after.blocks)])];
  for (const id of ids) {
    const a = Object.hasOwn(before.blocks, id) ? before.blocks[id]! : undefined;
    const b = Object.hasOwn(after.blocks, id) ? after.blocks[id]! : undefined;
    if (a === undefined && b !== undefined) changes.push(whole(id, 'added', b, 'after'));
    else if (a !== undefined && b === undefined) changes.push(whole(id, 'removed', a, 'before'));
    else if (a !== undefined && b !== undefined) {
      const change = compareBlock(id, a, b);
      if (change === null) unchanged++;
      else changes.push(change);
    }
  }
  const order: Record<BlockChangeKind, number> = { added: 0, removed: 1, changed: 2, moved: 3 };
  changes.sort((x, y) => order[x.kind] - order[y.kind] || x.id.localeCompare(y.id));

  const project: FieldChange[] = [];
  for (const field of ['name', 'description', 'entry'] as const) {
    if (before[field] !== after[field]) project.push({ path: field, before: before[field], after: after[field] });
  }
  project.push(...fieldChanges(before.variables, after.variables, 'variables'));

  const counts = { added: 0, removed: 0, changed: 0, moved: 0, unchanged };
  for (const change of changes) counts[change.kind]++;
  return { blocks: changes, project, counts };
}

export function isEmptyDiff(diff: ProjectDiff): boolean {
  return diff.blocks.length === 0 && diff.project.length === 0;
}

function whole(id: string, kind: 'added' | 'removed', block: Block, side: 'before' | 'after'): BlockChange {
  const wired = Object.entries(block.exits).filter(([, t]) => t !== null);
  return {
    id,
    kind,
    type: block.type,
    label: block.label,
    moved: false,
    params: [],
    exits: wired.map(([exit, target]) => (side === 'after' ? { exit, before: null, after: target } : { exit, before: target, after: null })),
  };
}

function compareBlock(id: string, a: Block, b: Block): BlockChange | null {
  const moved = a.position.x !== b.position.x || a.position.y !== b.position.y;
  const params = fieldChanges(a.params, b.params, '');
  const exits: ExitChange[] = [];
  for (const exit of new Set([...Object.keys(a.exits), ...Object.keys(b.exits)])) {
    const before = a.exits[exit] ?? null;
    const after = b.exits[exit] ?? null;
    if (before !== after) exits.push({ exit, before, after });
  }
  const typeChange = a.type !== b.type ? { before: a.type, after: b.type } : undefined;
  const labelChange = a.label !== b.label ? { before: a.label, after: b.label } : undefined;
  const edited = params.length > 0 || exits.length > 0 || typeChange !== undefined || labelChange !== undefined;
  if (!edited && !moved) return null;
  return {
    id,
    kind: edited ? 'changed' : 'moved',
    type: b.type,
    label: b.label,
    ...(typeChange === undefined ? {} : { typeChange }),
    ...(labelChange === undefined ? {} : { labelChange }),
    moved,
    params,
    exits,
  };
}

/**
 * Differences between two JSON values, as leaf paths. Objects are compared key by key, arrays of
 * the same length item by item; a list that grew or shrank is reported whole, which reads better
 * than "item 3 changed, item 4 changed…" after an insertion.
 */
export function fieldChanges(before: unknown, after: unknown, path: string): FieldChange[] {
  if (Object.is(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const out: FieldChange[] = [];
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      out.push(...fieldChanges(before[key], after[key], path === '' ? key : `${path}.${key}`));
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    const out: FieldChange[] = [];
    before.forEach((item, i) => out.push(...fieldChanges(item, after[i], path === '' ? String(i) : `${path}.${i}`)));
    return out;
  }
  if (canonicalJson(before) === canonicalJson(after)) return [];
  return [{ path: path === '' ? '(all)' : path, before, after }];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
