import { z } from 'zod';
import { VOICE_ONLY, defineBlock } from '../block.ts';
import { templateField } from '../runtime/params.ts';

/** Leaves the caller in a voicemail box (Asterisk VoiceMail()); VMSTATUS tells how it went. */
export const voicemailBlock = defineBlock({
  type: 'Voicemail',
  version: 1,
  category: 'call',
  label: 'Voicemail',
  description: 'Lets the caller leave a message in a mailbox. Exits: success, failed.',
  params: z.object({
    mailbox: templateField(200).min(1, 'required'),
    /** VoiceMail() options: s (skip instructions), u / b (unavailable / busy greeting). */
    options: z.string().max(8).regex(/^[subg]*$/, 'options are s, u, b or g').default('u'),
  }),
  exits: () => ['success', 'failed'],
  channels: VOICE_ONLY,
  requires: ['apps', 'channelVariables'],
  audio: true,
  finallyExit: 'failed',
  waits: true,
  maxDurationMs: () => null,
  compile: (p, h) => ({ options: p.options, mailbox: h.template(p.mailbox, 'mailbox') }),
  async run(ctx, p, signal) {
    const mailbox = (await ctx.render(p.mailbox, signal)).trim();
    if (!/^[A-Za-z0-9_.-]+(@[A-Za-z0-9_.-]+)?$/.test(mailbox)) {
      ctx.log('warn', `voicemail refused: "${mailbox}" is not a mailbox`);
      return 'failed';
    }
    const exec = await ctx.call.exec('VoiceMail', p.options === '' ? [mailbox] : [mailbox, p.options], signal);
    if (exec.result < 0) return 'failed';
    const status = await ctx.call.getVariable('VMSTATUS', signal);
    return status === 'SUCCESS' || status === 'USEREXIT' ? 'success' : 'failed';
  },
});
