import { z } from 'zod';
import { NEXT, VOICE_ONLY, defineBlock } from '../block.ts';

/** Starts music on hold; with a duration, plays it that long and stops it. */
export const musicOnHoldBlock = defineBlock({
  type: 'MusicOnHold',
  version: 1,
  category: 'audio',
  label: 'Music on hold',
  description: 'Starts music on hold (until the next prompt), or plays it for a number of seconds.',
  params: z.object({
    musicClass: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/).default('default'),
    /** 0 = start and continue with the flow. */
    durationSec: z.number().min(0).max(3600).default(0),
  }),
  exits: () => NEXT,
  channels: VOICE_ONLY,
  requires: ['audio'],
  audio: true,
  waits: true,
  maxDurationMs: (p) => p.durationSec * 1000 + 30_000,
  async run(ctx, p, signal) {
    await ctx.call.setMusicOnHold(p.musicClass, signal);
    if (p.durationSec > 0) {
      await ctx.sleep(p.durationSec * 1000, signal);
      await ctx.call.setMusicOnHold(null, signal);
    }
    return 'next';
  },
});
