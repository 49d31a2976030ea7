import { z } from 'zod';
import { ALL_CHANNELS, defineBlock } from '../block.ts';
import { resourceNameField, templateField } from '../runtime/params.ts';
import { hasLineBreak } from '../runtime/render.ts';

const EMAIL = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/;

function addresses(text: string): string[] | null {
  const list = text
    .split(/[,;]/)
    .map((a) => a.trim())
    .filter((a) => a !== '');
  return list.every((a) => EMAIL.test(a)) ? list : null;
}

/** Sends an e-mail through a configured account, with variables in every field. */
export const sendMailBlock = defineBlock({
  type: 'SendMail',
  version: 1,
  category: 'integration',
  label: 'Send mail',
  description: 'Sends an e-mail (account, to, cc, subject, text with variables). Exits: success, error.',
  params: z.object({
    account: resourceNameField(),
    to: templateField(1000).min(1, 'required'),
    cc: templateField(1000).default(''),
    subject: templateField(500).default(''),
    text: templateField(65_536).default(''),
  }),
  exits: () => ['success', 'error'],
  channels: ALL_CHANNELS,
  compile: (p, h) => ({
    account: p.account,
    to: h.template(p.to, 'to'),
    cc: h.template(p.cc, 'cc'),
    subject: h.template(p.subject, 'subject'),
    text: h.template(p.text, 'text'),
  }),
  async run(ctx, p, signal) {
    const to = addresses(await ctx.render(p.to, signal));
    const cc = addresses(await ctx.render(p.cc, signal));
    const subject = await ctx.render(p.subject, signal);
    if (to === null || to.length === 0 || cc === null) {
      ctx.log('warn', 'mail not sent: a recipient is not an e-mail address');
      return 'error';
    }
    if (hasLineBreak(subject)) {
      ctx.log('warn', 'mail not sent: the subject contains a line break');
      return 'error';
    }
    const text = await ctx.render(p.text, signal);
    try {
      await ctx.service('mail').send({ account: p.account, to, cc, subject, text }, signal);
      return 'success';
    } catch (error) {
      if (signal.aborted) throw error;
      ctx.log('warn', `mail not sent: ${error instanceof Error ? error.message : String(error)}`);
      return 'error';
    }
  },
});
