// Edits of a project document, as pure functions: each returns a new document and leaves the old
// one untouched (the undo history keeps old ones), sharing every block it did not change so the
// canvas re-renders only what moved.
import { BLOCK_ID_PATTERN, type Block, type Position, type Project } from '../../../../flows/index.ts';
import { describe } from '../blocks/catalogue.ts';
import { asSchema, defaultObject } from '../blocks/schema.ts';

/** A readable id from the block type (`menu`, `menu-2`, …), unique in `taken`. */
export function newBlockId(type: string, taken: ReadonlySet<string> | Readonly<Record<string, unknown>>): string {
  const has = (id: string): boolean => (taken instanceof Set ? taken.has(id) : Object.hasOwn(taken, id));
  const base =
    type
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'block';
  if (!has(base)) return base;
  for (let n = 2; ; n++) {
    const id = `${base}-${n}`;
    if (!has(id)) return id;
  }
}

export function newBlock(type: string, position: Position): Block {
  const description = describe(type);
  return {
    type,
    label: '',
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    params: description === undefined ? {} : defaultObject(asSchema(description.paramsSchema)),
    exits: {},
  };
}

export function addBlock(doc: Project, type: string, position: Position): { doc: Project; id: string } {
  const id = newBlockId(type, doc.blocks);
  return { doc: { ...doc, blocks: { ...doc.blocks, [id]: newBlock(type, position) } }, id };
}

export function updateBlock(doc: Project, id: string, patch: Partial<Block>): Project {
  const block = doc.blocks[id];
  if (block === undefined) return doc;
  return { ...doc, blocks: { ...doc.blocks, [id]: { ...block, ...patch } } };
}

export function setParams(doc: Project, id: string, params: Record<string, unknown>): Project {
  return updateBlock(doc, id, { params });
}

/** Wires `exit` of `source` to `target` (one target per exit: a new wire replaces the old one). */
export function connect(doc: Project, source: string, exit: string, target: string | null): Project {
  const block = doc.blocks[source];
  if (block === undefined) return doc;
  if (target !== null && !Object.hasOwn(doc.blocks, target)) return doc;
  const exits = { ...block.exits };
  if (target === null) delete exits[exit];
  else exits[exit] = target;
  return updateBlock(doc, source, { exits });
}

export function moveBlocks(doc: Project, positions: ReadonlyMap<string, Position>): Project {
  let blocks: Record<string, Block> | null = null;
  for (const [id, position] of positions) {
    const block = doc.blocks[id];
    if (block === undefined) continue;
    if (block.position.x === position.x && block.position.y === position.y) continue;
    blocks ??= { ...doc.blocks };
    blocks[id] = { ...block, position: { x: position.x, y: position.y } };
  }
  return blocks === null ? doc : { ...doc, blocks };
}

/** Ids among `ids` that may be deleted: everything but the entry (Start) block. */
export function deletable(doc: Project, ids: Iterable<string>): string[] {
  return [...ids].filter((id) => id !== doc.entry && Object.hasOwn(doc.blocks, id));
}

/** Removes blocks and unwires every exit that led to them. The entry block is kept. */
export function removeBlocks(doc: Project, ids: Iterable<string>): Project {
  const gone = new Set(deletable(doc, ids));
  if (gone.size === 0) return doc;
  const blocks: Record<string, Block> = {};
  for (const [id, block] of Object.entries(doc.blocks)) {
    if (gone.has(id)) continue;
    const wired = Object.entries(block.exits);
    if (wired.some(([, target]) => target !== null && gone.has(target))) {
      blocks[id] = { ...block, exits: Object.fromEntries(wired.filter(([, target]) => target === null || !gone.has(target))) };
    } else {
      blocks[id] = block;
    }
  }
  return { ...doc, blocks };
}

export interface WireRef {
  readonly source: string;
  readonly exit: string;
}

export function removeWires(doc: Project, wires: Iterable<WireRef>): Project {
  let next = doc;
  for (const wire of wires) next = connect(next, wire.source, wire.exit, null);
  return next;
}

// --- clipboard ----------------------------------------------------------------------------------

export interface Clipboard {
  readonly kind: 'tandem-blocks';
  readonly blocks: Readonly<Record<string, Block>>;
}

/** The selected blocks with the wires between them (wires leaving the selection are dropped). */
export function copyBlocks(doc: Project, ids: Iterable<string>): Clipboard | null {
  const chosen = new Set([...ids].filter((id) => Object.hasOwn(doc.blocks, id)));
  if (chosen.size === 0) return null;
  const blocks: Record<string, Block> = {};
  for (const id of chosen) {
    const block = doc.blocks[id]!;
    blocks[id] = structuredClone({
      ...block,
      exits: Object.fromEntries(Object.entries(block.exits).filter(([, target]) => target !== null && chosen.has(target))),
    });
  }
  return { kind: 'tandem-blocks', blocks };
}

/**
 * Adds copies with fresh ids, shifted by `offset`, wires remapped among themselves. A second Start
 * or Finally is never pasted: a project has one of each.
 */
export function pasteBlocks(doc: Project, clipboard: Clipboard, offset: Position): { doc: Project; ids: string[] } {
  const single = new Set(['Start', 'Finally'].filter((type) => Object.values(doc.blocks).some((b) => b.type === type)));
  const entries = Object.entries(clipboard.blocks).filter(([id, block]) => BLOCK_ID_PATTERN.test(id) && !single.has(block.type));
  const taken = new Set(Object.keys(doc.blocks));
  const rename = new Map<string, string>();
  for (const [id, block] of entries) {
    const fresh = newBlockId(block.type, taken);
    taken.add(fresh);
    rename.set(id, fresh);
  }
  const blocks = { ...doc.blocks };
  for (const [id, block] of entries) {
    const exits: Record<string, string | null> = {};
    for (const [exit, target] of Object.entries(block.exits)) {
      const mapped = target === null ? undefined : rename.get(target);
      if (mapped !== undefined) exits[exit] = mapped;
    }
    blocks[rename.get(id)!] = {
      ...structuredClone(block),
      position: { x: Math.round(block.position.x + offset.x), y: Math.round(block.position.y + offset.y) },
      exits,
    };
  }
  return { doc: { ...doc, blocks }, ids: [...rename.values()] };
}

export function isClipboard(value: unknown): value is Clipboard {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return r.kind === 'tandem-blocks' && typeof r.blocks === 'object' && r.blocks !== null;
}
