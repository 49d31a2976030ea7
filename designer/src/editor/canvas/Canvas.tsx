// The React Flow canvas: blocks as nodes (one node type per category), exits as labelled wires,
// drop from the palette (screenToFlowPosition), connection rules, minimap, zoom, snap grid.
import { useCallback, useEffect, useMemo, useReducer, useRef, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Background,
  BackgroundVariant,
  ConnectionLineType,
  Controls,
  MiniMap,
  ReactFlow,
  SelectionMode,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
} from '@xyflow/react';
import type { Position, Project } from '../../../../flows/index.ts';
import { describe } from '../blocks/catalogue.ts';
import { categoryStyle } from '../blocks/categories.ts';
import { canConnect } from '../model/connections.ts';
import type { Selection } from '../model/editor-state.ts';
import { NODE_WIDTH } from '../model/geometry.ts';
import { NODE_TYPES, type BlockFlowNode } from '../nodes/category-nodes.tsx';
import { FlowModel } from './flow-model.ts';

export const BLOCK_DRAG_TYPE = 'application/x-tandem-block';
const SNAP: [number, number] = [16, 16];
const LARGE_PROJECT = 150;
const READABLE_ZOOM = 0.75;

export interface CanvasProps {
  readonly doc: Project;
  readonly selection: Selection;
  readonly readOnly: boolean;
  onMove(positions: ReadonlyMap<string, Position>, done: boolean): void;
  onDragStart(): void;
  onSelectDelta(nodes: ReadonlyArray<readonly [string, boolean]>, edges: ReadonlyArray<readonly [string, boolean]>): void;
  onConnect(source: string, exit: string, target: string): void;
  onDropBlock(type: string, position: Position): void;
}

export function Canvas(props: CanvasProps) {
  const { t } = useTranslation();
  const { doc, selection, readOnly } = props;
  const model = useRef(new FlowModel()).current;
  const { screenToFlowPosition, fitView, getViewport, setViewport, getNodesBounds } = useReactFlow();
  const propsRef = useRef(props);
  propsRef.current = props;

  // Fit once every block has been measured (sizes come from the DOM, not from the document).
  const initialized = useNodesInitialized();
  const fitted = useRef(false);
  useEffect(() => {
    if (!initialized || fitted.current) return;
    fitted.current = true;
    void fitView({ padding: 0.12, maxZoom: 1 }).then(() => {
      // Every block measured and in view: the canvas is usable (read by the benchmark).
      performance.mark('tandem:canvas-ready');
      // A big flow fitted whole is too small to read: start where a reader starts instead,
      // at the top-left (the entry), at a readable zoom; the minimap shows the rest.
      if (getViewport().zoom >= READABLE_ZOOM) return;
      const bounds = getNodesBounds(Object.keys(propsRef.current.doc.blocks));
      void setViewport({ x: 48 - bounds.x * READABLE_ZOOM, y: 48 - bounds.y * READABLE_ZOOM, zoom: READABLE_ZOOM });
    });
  }, [initialized, fitView, getViewport, setViewport, getNodesBounds]);

  // React Flow's minimap and fitView read sizes from our node objects, so measured sizes are fed
  // back into them: a new measurement bumps this counter and rebuilds the measured nodes.
  const [measureVersion, bumpMeasure] = useReducer((n: number) => n + 1, 0);
  const measurePending = useRef(false);
  const nodes = useMemo(() => model.nodes(doc, selection.nodes, readOnly), [model, doc, selection.nodes, readOnly, measureVersion]);
  const edges = useMemo(() => model.edges(doc, selection.edges), [model, doc, selection.edges]);

  const onNodesChange = useCallback(
    (changes: NodeChange<BlockFlowNode>[]) => {
      const moved = new Map<string, Position>();
      const selected: Array<readonly [string, boolean]> = [];
      let dragging = false;
      let measured = false;
      for (const change of changes) {
        if (change.type === 'select') selected.push([change.id, change.selected]);
        else if (change.type === 'dimensions' && change.dimensions !== undefined) {
          measured = model.setMeasured(change.id, change.dimensions) || measured;
        } else if (change.type === 'position' && change.position !== undefined) {
          moved.set(change.id, { x: Math.round(change.position.x), y: Math.round(change.position.y) });
          dragging ||= change.dragging === true;
        }
      }
      if (moved.size > 0) propsRef.current.onMove(moved, !dragging);
      if (selected.length > 0) propsRef.current.onSelectDelta(selected, []);
      // React Flow reports each block's size on its own; rebuilding the node list once per frame
      // instead of once per block keeps the first render of a large project linear.
      if (measured && !measurePending.current) {
        measurePending.current = true;
        window.requestAnimationFrame(() => {
          measurePending.current = false;
          bumpMeasure();
        });
      }
    },
    [model],
  );

  const onEdgesChange = useCallback((changes: EdgeChange<Edge>[]) => {
    // Deletion goes through the editor's shortcuts (one undo step, Start protected); only selection here.
    const selected: Array<readonly [string, boolean]> = [];
    for (const change of changes) if (change.type === 'select') selected.push([change.id, change.selected]);
    if (selected.length > 0) propsRef.current.onSelectDelta([], selected);
  }, []);

  const isValidConnection: IsValidConnection = useCallback(
    (c: Connection | Edge) => !propsRef.current.readOnly && canConnect(propsRef.current.doc, c.source, c.sourceHandle, c.target),
    [],
  );

  const onConnect = useCallback((c: Connection) => {
    if (c.sourceHandle !== null && c.sourceHandle !== undefined) propsRef.current.onConnect(c.source, c.sourceHandle, c.target);
  }, []);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(BLOCK_DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(BLOCK_DRAG_TYPE);
      if (type === '' || propsRef.current.readOnly) return;
      e.preventDefault();
      const at = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      // The pointer holds the block by its header, not its top-left corner.
      propsRef.current.onDropBlock(type, { x: at.x - NODE_WIDTH / 2, y: at.y - 20 });
    },
    [screenToFlowPosition],
  );

  const large = nodes.length > LARGE_PROJECT;
  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow<BlockFlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStart={() => propsRef.current.onDragStart()}
        onSelectionDragStart={() => propsRef.current.onDragStart()}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        connectionLineType={ConnectionLineType.Bezier}
        defaultEdgeOptions={{ type: 'default' }}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        elementsSelectable
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        selectionMode={SelectionMode.Partial}
        snapToGrid
        snapGrid={SNAP}
        onlyRenderVisibleElements={large}
        minZoom={0.1}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        aria-label={t('designer.canvas.label')}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1.2} color="#cbd5e1" />
        <MiniMap
          pannable
          zoomable
          ariaLabel={t('designer.canvas.minimap')}
          nodeColor={(n) => categoryStyle(describe((n.data as { block?: { type: string } }).block?.type ?? '')?.category).color}
          nodeStrokeWidth={0}
          nodeBorderRadius={3}
          maskColor="rgba(241, 245, 249, 0.7)"
        />
        <Controls showInteractive={false} position="bottom-left" aria-label={t('designer.canvas.zoom')} />
      </ReactFlow>
    </div>
  );
}
