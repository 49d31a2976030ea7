// Where the canvas looks: bring a block into view, fit the whole flow, find a free spot in the middle
// of the view for a block added from the palette. Reads the pane and React Flow's viewport; changes
// the view only, never the document.
import { useCallback, useMemo } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { Position, Project } from '../../../../flows/index.ts';
import { NODE_WIDTH, estimateHeight } from '../model/geometry.ts';
import { useLatest } from '../useLatest.ts';

export interface Viewport {
  /** Scrolls a block into view (when `center`, and only if it is not fully visible already). */
  focusBlock(id: string, center: boolean): void;
  fit(): void;
  /** Fits once React Flow has drawn new positions (an automatic layout). */
  fitAfterLayout(): void;
  /** The centre of the view, stepped down-right until no block starts exactly there. */
  freeSpotAtCenter(): Position;
}

const paneRect = (): DOMRect | undefined => document.querySelector('.react-flow')?.getBoundingClientRect();

export function useViewport(doc: Project): Viewport {
  const flow = useReactFlow();
  const latestDoc = useLatest(doc);

  const focusBlock = useCallback(
    (id: string, center: boolean) => {
      const block = latestDoc.current.blocks[id];
      if (block === undefined || !center) return;
      const internal = flow.getInternalNode(id);
      const width = internal?.measured.width ?? NODE_WIDTH;
      const height = internal?.measured.height ?? estimateHeight(block);
      const { x, y, zoom } = flow.getViewport();
      const pane = paneRect();
      if (pane !== undefined) {
        const left = block.position.x * zoom + x;
        const top = block.position.y * zoom + y;
        const inside = left >= 0 && top >= 0 && left + width * zoom <= pane.width && top + height * zoom <= pane.height;
        if (inside) return;
      }
      void flow.setCenter(block.position.x + width / 2, block.position.y + height / 2, { zoom: Math.max(zoom, 0.6), duration: 250 });
    },
    [flow, latestDoc],
  );

  const fit = useCallback(() => void flow.fitView({ padding: 0.12, maxZoom: 1, duration: 250 }), [flow]);

  // React Flow has the new positions on the next frame.
  const fitAfterLayout = useCallback(() => {
    window.requestAnimationFrame(() => window.requestAnimationFrame(fit));
  }, [fit]);

  const freeSpotAtCenter = useCallback((): Position => {
    const pane = paneRect();
    const center = pane === undefined ? { x: 0, y: 0 } : flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 });
    let at: Position = { x: Math.round(center.x - NODE_WIDTH / 2), y: Math.round(center.y - 40) };
    // Never drop exactly on top of another block: step down-right until the spot is free.
    const taken = new Set(Object.values(latestDoc.current.blocks).map((b) => `${b.position.x},${b.position.y}`));
    for (let i = 0; i < 50 && taken.has(`${at.x},${at.y}`); i++) at = { x: at.x + 32, y: at.y + 32 };
    return at;
  }, [flow, latestDoc]);

  return useMemo(() => ({ focusBlock, fit, fitAfterLayout, freeSpotAtCenter }), [focusBlock, fit, fitAfterLayout, freeSpotAtCenter]);
}
