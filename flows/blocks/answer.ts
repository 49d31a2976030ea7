import { z } from 'zod';
import { NEXT, VOICE_ONLY, defineBlock } from '../block.ts';

/** Answers a voice call; music on hold can start right away so the caller never hears silence. */
export const answerBlock = defineBlock({
  type: 'Answer',
  version: 1,
  category: 'call',
  label: 'Answer',
  description: 'Answers the call, optionally starting music on hold until the next prompt.',
  params: z.object({ musicOnHold: z.string().max(64).regex(/^[A-Za-z0-9_-]*$/).default('') }),
  exits: () => NEXT,
  channels: VOICE_ONLY,
  requires: ['answer'],
  audio: true,
  async run(ctx, p, signal) {
    await ctx.call.answer(signal);
    if (p.musicOnHold !== '') await ctx.call.setMusicOnHold(p.musicOnHold, signal);
    return 'next';
  },
});
