import { z } from 'zod';
import { ALL_CHANNELS, NEXT, defineBlock } from '../block.ts';

/**
 * A jump drawn as a block: its `next` exit may point anywhere, so designers avoid wires across the
 * whole canvas (e.g. "back to main menu"). It does nothing at run time but count as a step.
 */
export const gotoBlock = defineBlock({
  type: 'Goto',
  version: 1,
  category: 'structure',
  label: 'Go to',
  description: 'Continues at another block of the project (a jump instead of a long wire).',
  params: z.object({}),
  exits: () => NEXT,
  channels: ALL_CHANNELS,
  pure: true,
  run: () => 'next',
});
