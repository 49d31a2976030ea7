import { z } from 'zod';
import { ALL_CHANNELS, END_OF_FLOW, defineBlock } from '../block.ts';

/** Ends the flow on purpose; the transport decides what happens to the call (AGI: back to dialplan). */
export const endBlock = defineBlock({
  type: 'End',
  version: 1,
  category: 'structure',
  label: 'End',
  description: 'Ends the flow. A voice call returns to the dialplan.',
  params: z.object({}),
  exits: () => [],
  channels: ALL_CHANNELS,
  terminal: true,
  pure: true,
  run: () => END_OF_FLOW,
});
