import { z } from 'zod';
import { ALL_CHANNELS, END_OF_FLOW, defineBlock } from '../block.ts';

/** Ends the call (a chat: closes the conversation). Finally still runs afterwards. */
export const hangupBlock = defineBlock({
  type: 'Hangup',
  version: 1,
  category: 'call',
  label: 'Hang up',
  description: 'Hangs up the call or closes the conversation. Finally blocks still run.',
  // Q.850 cause; 16 = normal clearing.
  params: z.object({ cause: z.number().int().min(1).max(127).default(16) }),
  exits: () => [],
  channels: ALL_CHANNELS,
  requires: ['hangup'],
  terminal: true,
  async run(ctx, p, signal) {
    if (!ctx.call.hungUp) await ctx.call.hangup(p.cause, signal);
    return END_OF_FLOW;
  },
});
