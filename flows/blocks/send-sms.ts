import { z } from 'zod';
import { ALL_CHANNELS, defineBlock } from '../block.ts';
import { resourceNameField, templateField } from '../runtime/params.ts';

/** Sends an SMS through a configured account (default recipient: the caller). */
export const sendSmsBlock = defineBlock({
  type: 'SendSms',
  version: 1,
  category: 'integration',
  label: 'Send SMS',
  description: 'Sends an SMS (account, number, text with variables). Exits: success, error.',
  params: z.object({
    account: resourceNameField(),
    to: templateField(200).default('{CALLERID(num)}'),
    text: templateField(1600).min(1, 'required'),
  }),
  exits: () => ['success', 'error'],
  channels: ALL_CHANNELS,
  compile: (p, h) => ({ account: p.account, to: h.template(p.to, 'to'), text: h.template(p.text, 'text') }),
  async run(ctx, p, signal) {
    const to = (await ctx.render(p.to, signal)).replace(/[\s()-]/g, '');
    if (!/^\+?[0-9]{3,20}$/.test(to)) {
      ctx.log('warn', `SMS not sent: "${to}" is not a phone number`);
      return 'error';
    }
    const text = await ctx.render(p.text, signal);
    try {
      await ctx.service('sms').send({ account: p.account, to, text }, signal);
      return 'success';
    } catch (error) {
      if (signal.aborted) throw error;
      ctx.log('warn', `SMS not sent: ${error instanceof Error ? error.message : String(error)}`);
      return 'error';
    }
  },
});
