import { z } from 'zod';
import { MESSAGING_CHANNELS, defineBlock } from '../block.ts';
import { variableField } from '../runtime/params.ts';

/** Waits for the contact's next message and keeps its text. */
export const waitForMessageBlock = defineBlock({
  type: 'WaitForMessage',
  version: 1,
  category: 'messaging',
  label: 'Wait for message',
  description: 'Waits for the next message from the contact. Exits: received, timeout.',
  params: z.object({
    timeoutSec: z.number().min(1).max(86_400).default(300),
    variable: variableField().default('MESSAGE'),
  }),
  exits: () => ['received', 'timeout'],
  channels: MESSAGING_CHANNELS,
  requires: ['messaging'],
  waits: true,
  maxDurationMs: (p) => p.timeoutSec * 1000 + 30_000,
  writes: (p) => [p.variable],
  async run(ctx, p, signal) {
    const message = await ctx.call.waitForMessage(p.timeoutSec * 1000, signal);
    if (message === null) return 'timeout';
    ctx.vars.set(p.variable, message.text);
    return 'received';
  },
});
