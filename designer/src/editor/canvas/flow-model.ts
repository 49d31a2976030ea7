// Project document → React Flow nodes and edges. Node and edge objects are cached and reused while
// their block, selection and size are unchanged, so React Flow only re-renders what changed (a drag
// rebuilds one node, not five hundred).
import { MarkerType, type Edge } from '@xyflow/react';
import type { Block, Project } from '../../../../flows/index.ts';
import { describe } from '../blocks/catalogue.ts';
import { allExits } from '../blocks/exits.ts';
import { categoryStyle } from '../blocks/categories.ts';
import { edgeId } from '../model/editor-state.ts';
import { NODE_WIDTH } from '../model/geometry.ts';
import type { BlockFlowNode } from '../nodes/category-nodes.tsx';

interface NodeEntry {
  readonly block: Block;
  readonly selected: boolean;
  readonly readOnly: boolean;
  readonly entry: boolean;
  readonly measured: Size | undefined;
  readonly node: BlockFlowNode;
}
interface EdgeEntry {
  readonly target: string;
  readonly selected: boolean;
  readonly edge: Edge;
}
export interface Size {
  readonly width: number;
  readonly height: number;
}

export class FlowModel {
  private nodeCache = new Map<string, NodeEntry>();
  private edgeCache = new Map<string, EdgeEntry>();
  /** Sizes React Flow measured, given back on the node objects (its minimap and fitView read them there). */
  private readonly measured = new Map<string, Size>();

  /** Records a measurement; true when it changed anything. */
  setMeasured(id: string, size: Size): boolean {
    const known = this.measured.get(id);
    if (known !== undefined && known.width === size.width && known.height === size.height) return false;
    this.measured.set(id, { width: size.width, height: size.height });
    return true;
  }

  nodes(doc: Project, selected: ReadonlySet<string>, readOnly: boolean): BlockFlowNode[] {
    const next = new Map<string, NodeEntry>();
    const out: BlockFlowNode[] = [];
    for (const [id, block] of Object.entries(doc.blocks)) {
      const isSelected = selected.has(id);
      const entry = id === doc.entry;
      const measured = this.measured.get(id);
      const cached = this.nodeCache.get(id);
      let item: NodeEntry;
      if (cached !== undefined && cached.block === block && cached.selected === isSelected && cached.readOnly === readOnly && cached.entry === entry && cached.measured === measured) {
        item = cached;
      } else {
        const node: BlockFlowNode = {
          id,
          type: describe(block.type)?.category ?? 'unknown',
          position: { x: block.position.x, y: block.position.y },
          data: { blockId: id, block, entry, readOnly },
          selected: isSelected,
          width: NODE_WIDTH,
          deletable: !readOnly && !entry,
          draggable: !readOnly,
          connectable: !readOnly,
          ariaLabel: `${block.label || describe(block.type)?.label || block.type} (${id})`,
          ...(measured === undefined ? {} : { measured }),
        };
        item = { block, selected: isSelected, readOnly, entry, measured, node };
      }
      next.set(id, item);
      out.push(item.node);
    }
    for (const id of this.measured.keys()) if (!next.has(id)) this.measured.delete(id);
    this.nodeCache = next;
    return out;
  }

  edges(doc: Project, selected: ReadonlySet<string>): Edge[] {
    const next = new Map<string, EdgeEntry>();
    const out: Edge[] = [];
    for (const [source, block] of Object.entries(doc.blocks)) {
      const exits = allExits(block);
      for (const exit of exits) {
        const target = block.exits[exit];
        if (target === null || target === undefined || !Object.hasOwn(doc.blocks, target)) continue;
        const id = edgeId(source, exit);
        const isSelected = selected.has(id);
        const cached = this.edgeCache.get(id);
        let item: EdgeEntry;
        if (cached !== undefined && cached.target === target && cached.selected === isSelected) item = cached;
        else {
          const color = categoryStyle(describe(block.type)?.category).color;
          item = {
            target,
            selected: isSelected,
            edge: {
              id,
              source,
              sourceHandle: exit,
              target,
              targetHandle: 'in',
              label: exit,
              selected: isSelected,
              className: 'exit-edge',
              labelBgPadding: [6, 3],
              labelBgBorderRadius: 4,
              markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14, color: isSelected ? '#4f46e5' : '#94a3b8' },
              data: { color },
              ariaLabel: `${source} ${exit} to ${target}`,
            },
          };
        }
        next.set(id, item);
        out.push(item.edge);
      }
    }
    this.edgeCache = next;
    return out;
  }
}
