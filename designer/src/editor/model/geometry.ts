// Node dimensions shared by the canvas CSS (nodes/block-node.css) and the auto-layout, which has to
// know how tall a block will be before React renders it.
import type { Block } from '../../../../flows/index.ts';
import { allExits } from '../blocks/exits.ts';
import { summarize } from '../blocks/summary.ts';

export const NODE_WIDTH = 240;
export const NODE_HEADER = 48;
export const SUMMARY_LINE = 18;
export const SUMMARY_PADDING = 12;
export const EXIT_ROW = 24;
export const EXITS_PADDING = 8;

/** Height of the part above the exits (header and summary): where the first exit row starts. */
export function bodyHeight(block: Block): number {
  // Start shows its "Entry point" line instead of a params summary.
  const summary = block.type === 'Start' ? 1 : summarize(block).length;
  return NODE_HEADER + (summary > 0 ? summary * SUMMARY_LINE + SUMMARY_PADDING : 0);
}

export function estimateHeight(block: Block): number {
  const exits = allExits(block).length;
  return bodyHeight(block) + (exits > 0 ? exits * EXIT_ROW + EXITS_PADDING : 0);
}
