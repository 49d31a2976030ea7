// The dispositions catalogue: trees of up to three levels, each scoped to everyone, one queue or one
// chat website. Admins shape it (Tools → Dispositions); agents close an interaction with the path of
// one of its leaves ("Sale / Upgrade / Annual") taken from the trees that apply to it — the global
// ones, its queue's and its website's. The path is what calls, queue entries and chats store, so
// reports and the journey read plain text and renaming a node later never rewrites history.
import { and, eq, isNull, or, type SQL } from 'drizzle-orm';
import { transaction, type Db } from '../db/database.ts';
import { dispositions } from '../db/schema.ts';
import { uniqueViolation } from '../db/errors.ts';
import { conflict, DomainError, notFound } from '../errors.ts';
import {
  DISPOSITION_PATH_SEPARATOR,
  DISPOSITION_SCOPES,
  MAX_DISPOSITION_LEVEL,
  dispositionPaths,
  type Disposition,
  type DispositionChoice,
  type DispositionCreate,
  type DispositionScope,
  type DispositionUpdate,
} from '../../contracts/dispositions.ts';

export type DispositionRow = typeof dispositions.$inferSelect;

/** Where a tree lives: the scope and, for queue and website trees, which one. */
export interface ScopeKey {
  scope: DispositionScope;
  queueId: number | null;
  websiteId: number | null;
}

export interface DispositionFilter {
  scope?: DispositionScope | undefined;
  queueId?: number | undefined;
  websiteId?: number | undefined;
}

const invalid = (field: string, message: string) => new DomainError('validation', `Invalid request body: ${field}: ${message}`, { fields: [{ field, message }] });

function rethrowName(err: unknown): never {
  const index = uniqueViolation(err);
  if (index === 'dispositions_root_name_key' || index === 'dispositions_child_name_key') throw conflict('name', 'a disposition with this name already exists at this place');
  throw err;
}

/** SQL condition: the rows of the filter (a scope, one queue's or website's tree). */
function filterCondition(f: DispositionFilter): SQL | undefined {
  return and(
    f.scope ? eq(dispositions.scope, f.scope) : undefined,
    f.queueId !== undefined ? eq(dispositions.queueId, f.queueId) : undefined,
    f.websiteId !== undefined ? eq(dispositions.websiteId, f.websiteId) : undefined,
  );
}

/** SQL condition: the nodes of one tree's scope (the scope check makes the other id null). */
const treeCondition = (k: ScopeKey) => filterCondition({ scope: k.scope, queueId: k.queueId ?? undefined, websiteId: k.websiteId ?? undefined });

const scopeRank = (s: DispositionScope) => DISPOSITION_SCOPES.indexOf(s);
const bySiblingOrder = (a: DispositionRow, b: DispositionRow) => a.position - b.position || a.id - b.id;
const byTree = (a: DispositionRow, b: DispositionRow) =>
  scopeRank(a.scope) - scopeRank(b.scope) || (a.queueId ?? 0) - (b.queueId ?? 0) || (a.websiteId ?? 0) - (b.websiteId ?? 0) || bySiblingOrder(a, b);

/** Rows as trees, depth first, with each node's path and how many nodes lie below it. */
function asList(rows: readonly DispositionRow[]): Disposition[] {
  const children = new Map<number | null, DispositionRow[]>();
  for (const r of rows) {
    const list = children.get(r.parentId) ?? [];
    list.push(r);
    children.set(r.parentId, list);
  }
  const out: Disposition[] = [];
  const walk = (row: DispositionRow, prefix: string): number => {
    const path = prefix ? `${prefix}${DISPOSITION_PATH_SEPARATOR}${row.name}` : row.name;
    const at = out.length;
    out.push({ id: row.id, name: row.name, parentId: row.parentId, level: row.level, scope: row.scope, queueId: row.queueId, websiteId: row.websiteId, position: row.position, path, descendants: 0, updatedAt: row.updatedAt.toISOString() });
    let below = 0;
    for (const c of (children.get(row.id) ?? []).sort(bySiblingOrder)) below += 1 + walk(c, path);
    out[at] = { ...out[at]!, descendants: below };
    return below;
  };
  // Roots first; a child whose parent the filter left out (never, as every node has its root's scope) would be skipped.
  for (const root of rows.filter((r) => r.parentId === null).sort(byTree)) walk(root, '');
  return out;
}

/** The catalogue (or the part the filter and `where`, a caller's scope condition, select), depth first. */
export async function listDispositions(db: Db, filter: DispositionFilter = {}, where?: SQL): Promise<Disposition[]> {
  return asList(await db.select().from(dispositions).where(and(filterCondition(filter), where)));
}

export async function getDisposition(db: Db, id: number): Promise<DispositionRow> {
  const [row] = await db.select().from(dispositions).where(eq(dispositions.id, id));
  if (!row) throw notFound('disposition', id);
  return row;
}

/** One node as the list shows it (its path and the number of nodes below it). */
export async function dispositionView(db: Db, row: DispositionRow): Promise<Disposition> {
  const tree = await listDispositions(db, {}, treeCondition(row));
  const view = tree.find((d) => d.id === row.id);
  if (!view) throw notFound('disposition', row.id);
  return view;
}

export const keyOf = (r: ScopeKey): ScopeKey => ({ scope: r.scope, queueId: r.queueId, websiteId: r.websiteId });

const sameTree = (a: ScopeKey, b: ScopeKey) => a.scope === b.scope && a.queueId === b.queueId && a.websiteId === b.websiteId;

/** Siblings of a place (a parent, or the roots of a scope), in order. */
async function siblings(db: Db, key: ScopeKey, parentId: number | null): Promise<DispositionRow[]> {
  const place = parentId === null ? and(isNull(dispositions.parentId), treeCondition(key)) : eq(dispositions.parentId, parentId);
  return (await db.select().from(dispositions).where(place)).sort(bySiblingOrder);
}

/**
 * A new node, last among its siblings. `key` is the scope of a root, checked by the caller against the
 * principal's scope; a child takes its parent's (`parent`, read and checked by the caller).
 */
export async function createDisposition(db: Db, input: DispositionCreate, key: ScopeKey, parent: DispositionRow | undefined): Promise<DispositionRow> {
  if (parent && parent.level >= MAX_DISPOSITION_LEVEL) throw invalid('parentId', `is at level ${MAX_DISPOSITION_LEVEL}: dispositions have at most ${MAX_DISPOSITION_LEVEL} levels`);
  const place = parent ? keyOf(parent) : key;
  return transaction(db, async (tx) => {
    const around = await siblings(tx, place, parent?.id ?? null);
    const position = around.length ? Math.max(...around.map((s) => s.position)) + 1 : 0;
    const [row] = await tx
      .insert(dispositions)
      .values({ name: input.name, parentId: parent?.id ?? null, level: parent ? parent.level + 1 : 1, ...place, position })
      .returning()
      .catch(rethrowName);
    return row!;
  });
}

/** Rename, move within the same tree's scope, and reorder among the siblings (all of them renumbered). */
export async function updateDisposition(db: Db, current: DispositionRow, patch: DispositionUpdate): Promise<DispositionRow> {
  return transaction(db, async (tx) => {
    const scoped = (await tx.select().from(dispositions).where(treeCondition(current))).filter((r) => sameTree(r, current));
    const parentId = patch.parentId === undefined ? current.parentId : patch.parentId;
    let level = current.level;
    if (parentId !== current.parentId) {
      const below = descendantsOf(scoped, current.id);
      if (parentId !== null) {
        const parent = scoped.find((r) => r.id === parentId);
        // Another scope's node, or an unknown one: not a place this node can go.
        if (!parent) throw invalid('parentId', 'must be a disposition of the same scope');
        if (parent.id === current.id || below.some((d) => d.id === parent.id)) throw invalid('parentId', 'must not be the disposition itself or one below it');
        level = parent.level + 1;
      } else level = 1;
      const depth = Math.max(0, ...below.map((d) => d.level - current.level));
      if (level + depth > MAX_DISPOSITION_LEVEL) throw invalid('parentId', `would put a disposition below level ${MAX_DISPOSITION_LEVEL}: dispositions have at most ${MAX_DISPOSITION_LEVEL} levels`);
      for (const d of below) await tx.update(dispositions).set({ level: d.level - current.level + level }).where(eq(dispositions.id, d.id));
    }
    const now = new Date();
    const others = scoped.filter((r) => r.parentId === parentId && r.id !== current.id).sort(bySiblingOrder);
    const at = Math.min(patch.position ?? (parentId === current.parentId ? others.filter((r) => bySiblingOrder(r, current) < 0).length : others.length), others.length);
    const ordered = [...others.slice(0, at), current, ...others.slice(at)];
    const [row] = await tx
      .update(dispositions)
      .set({ ...(patch.name !== undefined ? { name: patch.name } : {}), parentId, level, position: at, updatedAt: now })
      .where(eq(dispositions.id, current.id))
      .returning()
      .catch(rethrowName);
    for (const [i, s] of ordered.entries()) if (s.id !== current.id && s.position !== i) await tx.update(dispositions).set({ position: i }).where(eq(dispositions.id, s.id));
    return row!;
  });
}

function descendantsOf(rows: readonly DispositionRow[], id: number): DispositionRow[] {
  const direct = rows.filter((r) => r.parentId === id);
  return direct.flatMap((d) => [d, ...descendantsOf(rows, d.id)]);
}

/** Deletes the node and every node below it; answers how many went with it. */
export async function deleteDisposition(db: Db, row: DispositionRow): Promise<number> {
  const below = descendantsOf(await db.select().from(dispositions).where(treeCondition(row)), row.id);
  const gone = await db.delete(dispositions).where(eq(dispositions.id, row.id)).returning({ id: dispositions.id });
  if (gone.length === 0) throw notFound('disposition', row.id);
  return below.length;
}

/** What an interaction belongs to, for the trees that apply to it. */
export interface InteractionPlace {
  queueId: number | null;
  websiteId: number | null;
}

/** The trees that apply to an interaction: the global ones, then its queue's, then its website's. */
export async function applicableDispositions(db: Db, place: InteractionPlace): Promise<DispositionChoice[]> {
  const rows = await db
    .select()
    .from(dispositions)
    .where(
      or(
        eq(dispositions.scope, 'global'),
        place.queueId !== null ? and(eq(dispositions.scope, 'queue'), eq(dispositions.queueId, place.queueId)) : undefined,
        place.websiteId !== null ? and(eq(dispositions.scope, 'website'), eq(dispositions.websiteId, place.websiteId)) : undefined,
      ),
    );
  const list = asList(rows);
  const byParent = new Map<number | null, Disposition[]>();
  for (const d of list) byParent.set(d.parentId, [...(byParent.get(d.parentId) ?? []), d]);
  const build = (parentId: number | null): DispositionChoice[] => (byParent.get(parentId) ?? []).map((d) => ({ id: d.id, name: d.name, path: d.path, children: build(d.id) }));
  return build(null);
}

/** The leaf paths of one website's own trees (what the desktop of older clients reads). */
export async function websiteDispositionPaths(db: Db, websiteId: number): Promise<string[]> {
  const list = await listDispositions(db, { scope: 'website', websiteId });
  return list.filter((d) => d.descendants === 0).map((d) => d.path);
}

/** "sale/ upgrade /annual" → "sale / upgrade / annual": what a person may type for a path. */
const normalisedPath = (text: string) =>
  text
    .split('/')
    .map((p) => p.trim())
    .join(DISPOSITION_PATH_SEPARATOR)
    .toLowerCase();

/**
 * The disposition an agent gives when finishing an interaction, checked: it must be the path of a leaf
 * of the trees that apply (its spelling in the catalogue is what is kept). None apply: any text is
 * taken as before the catalogue. `required` (the queue's setting) refuses finishing without one.
 */
export async function checkedDisposition(db: Db, given: string | undefined, place: InteractionPlace, required: boolean): Promise<string | undefined> {
  if (given === undefined || given.trim() === '') {
    if (required) throw invalid('disposition', 'is required: this queue needs a disposition to finish');
    return undefined;
  }
  const paths = dispositionPaths(await applicableDispositions(db, place));
  if (paths.length === 0) return given.trim();
  const wanted = normalisedPath(given);
  const match = paths.find((p) => normalisedPath(p) === wanted);
  if (!match) {
    const shown = paths.slice(0, 20).join(', ') + (paths.length > 20 ? `, … (${paths.length} in all)` : '');
    throw invalid('disposition', `must be one of the dispositions of this interaction: ${shown}`);
  }
  return match;
}
