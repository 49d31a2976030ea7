import { z } from 'zod';
import { VOICE_ONLY, defineBlock } from '../block.ts';
import { resourceNameField, secondsField, templateField } from '../runtime/params.ts';
import { dialExit, DIAL_EXITS, DIAL_OPTIONS_PATTERN, PHONE_NUMBER } from '../runtime/dial.ts';

/** Calls an outside number through a trunk, with an optional caller id. */
export const externalDialBlock = defineBlock({
  type: 'ExternalDial',
  version: 1,
  category: 'call',
  label: 'External dial',
  description: 'Calls a number through a trunk. Exits: answered (after the conversation), busy, noanswer, failed.',
  params: z.object({
    number: templateField(200).min(1, 'required'),
    trunk: resourceNameField(),
    callerId: templateField(200).default(''),
    timeoutSec: secondsField(45, 600),
    options: z.string().max(32).regex(DIAL_OPTIONS_PATTERN, 'Dial() option letters only').default(''),
  }),
  exits: () => DIAL_EXITS,
  channels: VOICE_ONLY,
  requires: ['dial'],
  waits: true,
  maxDurationMs: () => null,
  compile: (p, h) => ({
    ...p,
    number: h.template(p.number, 'number'),
    callerId: h.template(p.callerId, 'callerId'),
  }),
  async run(ctx, p, signal) {
    const number = (await ctx.render(p.number, signal)).replace(/[\s()-]/g, '');
    if (!PHONE_NUMBER.test(number)) {
      ctx.log('warn', `external dial refused: "${number}" is not a phone number`);
      return 'failed';
    }
    const callerId = (await ctx.render(p.callerId, signal)).trim();
    if (/[\r\n\0"<>]/.test(callerId)) {
      ctx.log('warn', 'external dial refused: caller id contains forbidden characters');
      return 'failed';
    }
    const result = await ctx.call.dial(
      {
        kind: 'external',
        destination: number,
        trunk: p.trunk,
        ...(callerId === '' ? {} : { callerId }),
        timeoutMs: p.timeoutSec * 1000,
        options: p.options,
      },
      signal,
    );
    return dialExit(result.status);
  },
});
