import { z } from 'zod';
import { MESSAGING_CHANNELS, NEXT, defineBlock } from '../block.ts';
import { templateField } from '../runtime/params.ts';

/** Sends a text (with optional quick-reply buttons) to the contact of a chat, SMS, mail or open channel. */
export const sendMessageBlock = defineBlock({
  type: 'SendMessage',
  version: 1,
  category: 'messaging',
  label: 'Send message',
  description: 'Sends a message with variables to the contact.',
  params: z.object({ text: templateField(4000).min(1, 'required') }),
  exits: () => NEXT,
  channels: MESSAGING_CHANNELS,
  requires: ['messaging'],
  compile: (p, h) => h.template(p.text, 'text'),
  async run(ctx, text, signal) {
    await ctx.call.sendMessage({ text: await ctx.render(text, signal) }, signal);
    return 'next';
  },
});
