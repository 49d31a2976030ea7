// Left-to-right layered layout for imported projects (and the Arrange button): blocks in columns by
// their distance from Start, ordered to keep wires short, each block lined up with the exits that
// lead to it. A small Sugiyama-style layout in plain TypeScript; iterative, so 10,000 blocks are fine.
import type { Position, Project } from '../../../../flows/index.ts';
import { allExits } from '../blocks/exits.ts';
import { EXIT_ROW, NODE_WIDTH, bodyHeight, estimateHeight } from './geometry.ts';
import { moveBlocks } from './document.ts';

export const COLUMN_GAP = 80;
export const ROW_GAP = 32;
const GRID = 16;

interface Wire {
  readonly from: string;
  readonly to: string;
  /** Vertical offset of the exit handle inside the source block. */
  readonly handleY: number;
}

export function autoLayout(doc: Project): Project {
  return moveBlocks(doc, layoutPositions(doc));
}

export function layoutPositions(doc: Project): Map<string, Position> {
  const ids = Object.keys(doc.blocks);
  const height = new Map(ids.map((id) => [id, estimateHeight(doc.blocks[id]!)]));
  const wires: Wire[] = [];
  const outgoing = new Map<string, Wire[]>(ids.map((id) => [id, []]));
  const incoming = new Map<string, Wire[]>(ids.map((id) => [id, []]));
  for (const id of ids) {
    const block = doc.blocks[id]!;
    const exits = allExits(block);
    const top = bodyHeight(block);
    exits.forEach((exit, index) => {
      const target = block.exits[exit];
      if (target === null || target === undefined || !Object.hasOwn(doc.blocks, target) || target === id) return;
      const wire = { from: id, to: target, handleY: top + index * EXIT_ROW + EXIT_ROW / 2 + 4 };
      wires.push(wire);
      outgoing.get(id)!.push(wire);
      incoming.get(target)!.push(wire);
    });
  }

  // 1. Depth-first from the roots in exit order: discovery order and back edges (loops).
  const roots = [
    doc.entry,
    ...ids.filter((id) => doc.blocks[id]!.type === 'Finally'),
    ...ids.filter((id) => incoming.get(id)!.length === 0),
    ...ids,
  ].filter((id) => Object.hasOwn(doc.blocks, id));
  const order = new Map<string, number>();
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<Wire>();
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: Array<{ id: string; i: number }> = [{ id: root, i: 0 }];
    state.set(root, 'open');
    order.set(root, order.size);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const out = outgoing.get(top.id)!;
      if (top.i < out.length) {
        const wire = out[top.i++]!;
        const s = state.get(wire.to);
        if (s === 'open') back.add(wire);
        else if (s === undefined) {
          state.set(wire.to, 'open');
          order.set(wire.to, order.size);
          stack.push({ id: wire.to, i: 0 });
        }
        continue;
      }
      state.set(top.id, 'done');
      stack.pop();
    }
  }

  // 2. Columns: longest path over forward wires (Kahn's algorithm).
  const rank = new Map<string, number>(ids.map((id) => [id, 0]));
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const wire of wires) if (!back.has(wire)) indegree.set(wire.to, indegree.get(wire.to)! + 1);
  const ready = ids.filter((id) => indegree.get(id) === 0).sort((a, b) => order.get(a)! - order.get(b)!);
  for (let head = 0; head < ready.length; head++) {
    const id = ready[head]!;
    for (const wire of outgoing.get(id)!) {
      if (back.has(wire)) continue;
      rank.set(wire.to, Math.max(rank.get(wire.to)!, rank.get(id)! + 1));
      const left = indegree.get(wire.to)! - 1;
      indegree.set(wire.to, left);
      if (left === 0) ready.push(wire.to);
    }
  }

  const columns: string[][] = [];
  for (const id of [...ids].sort((a, b) => order.get(a)! - order.get(b)!)) {
    const r = rank.get(id)!;
    (columns[r] ??= []).push(id);
  }

  // 3. Rows: place each column top to bottom, every block as close as it can get to the mean
  //    height of the exits wired to it, never overlapping the block above.
  const y = new Map<string, number>();
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c] ?? [];
    const desired = new Map<string, number>();
    for (const id of column) {
      const from = incoming.get(id)!.filter((w) => !back.has(w) && y.has(w.from));
      desired.set(id, from.length === 0 ? Number.NEGATIVE_INFINITY : mean(from.map((w) => y.get(w.from)! + w.handleY)) - 20);
    }
    // Blocks with placed parents first, by where they want to be; then the rest in discovery order.
    const rankOf = (id: string): number => desired.get(id)!;
    column.sort((a, b) => {
      const da = rankOf(a);
      const db = rankOf(b);
      const fa = Number.isFinite(da);
      const fb = Number.isFinite(db);
      if (fa && fb && da !== db) return da - db;
      if (fa !== fb) return fa ? -1 : 1;
      return order.get(a)! - order.get(b)!;
    });
    let bottom: number | null = null;
    for (const id of column) {
      const want = desired.get(id)!;
      const placed: number = bottom === null ? (Number.isFinite(want) ? want : 0) : Number.isFinite(want) ? Math.max(want, bottom) : bottom;
      y.set(id, placed);
      bottom = placed + height.get(id)! + ROW_GAP;
    }
  }

  let minY = 0;
  for (const value of y.values()) minY = Math.min(minY, value);
  const positions = new Map<string, Position>();
  for (const id of ids) {
    positions.set(id, { x: snap(rank.get(id)! * (NODE_WIDTH + COLUMN_GAP)), y: snap(y.get(id)! - minY) });
  }
  return positions;
}

/**
 * True when the document's positions cannot be shown as they are: every block at one spot (a
 * hand-written or generated document) or blocks that would overlap on the canvas.
 */
export function needsLayout(doc: Project): boolean {
  const boxes = Object.values(doc.blocks).map((block) => ({
    x: block.position.x,
    y: block.position.y,
    w: NODE_WIDTH,
    h: estimateHeight(block),
  }));
  if (boxes.length < 2) return false;
  boxes.sort((a, b) => a.x - b.x);
  // Sweep by x: only boxes whose x ranges overlap need a y test.
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i]!;
    for (let j = i + 1; j < boxes.length; j++) {
      const b = boxes[j]!;
      if (b.x >= a.x + a.w) break;
      if (b.y < a.y + a.h && a.y < b.y + b.h) return true;
    }
  }
  return false;
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

function snap(value: number): number {
  return Math.round(value / GRID) * GRID;
}
