import { z } from 'zod';
import { ALL_CHANNELS, NEXT, defineBlock } from '../block.ts';

/** Pauses the flow. A hangup during the pause ends it at once. */
export const waitBlock = defineBlock({
  type: 'Wait',
  version: 1,
  category: 'audio',
  label: 'Wait',
  description: 'Waits a number of seconds.',
  params: z.object({ seconds: z.number().min(0).max(3600).default(1) }),
  exits: () => NEXT,
  channels: ALL_CHANNELS,
  waits: true,
  maxDurationMs: (p) => p.seconds * 1000 + 30_000,
  async run(ctx, p, signal) {
    await ctx.sleep(p.seconds * 1000, signal);
    return 'next';
  },
});
