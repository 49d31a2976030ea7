import { z } from 'zod';
import { ALL_CHANNELS, NEXT, defineBlock } from '../block.ts';

/** Where every call begins; exactly one per project. Answering here saves a separate Answer block. */
export const startBlock = defineBlock({
  type: 'Start',
  version: 1,
  category: 'structure',
  label: 'Start',
  description: 'Where the flow begins (exactly one per project). Can answer a voice call first.',
  params: z.object({ answer: z.boolean().default(false) }),
  exits: () => NEXT,
  channels: ALL_CHANNELS,
  async run(ctx, params, signal) {
    if (params.answer && ctx.call.capabilities.has('answer')) await ctx.call.answer(signal);
    return 'next';
  },
});
