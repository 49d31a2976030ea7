import { z } from 'zod';
import { ALL_CHANNELS, defineBlock } from '../block.ts';
import { resourceNameField, templateField } from '../runtime/params.ts';

/** A number the dialer should call back, and when: Cally Square's "call me back instead of waiting". */
export const callbackRequestBlock = defineBlock({
  type: 'CallbackRequest',
  version: 1,
  category: 'call',
  label: 'Callback request',
  description: 'Schedules a callback for the dialer (number and time). Exits: success, failure.',
  params: z.object({
    number: templateField(200).default('{CALLERID(num)}'),
    /** ISO date-time or epoch milliseconds; empty = after `delayMinutes`. */
    at: templateField(200).default(''),
    delayMinutes: z.number().min(0).max(60 * 24 * 30).default(0),
    queue: resourceNameField(),
    note: templateField().default(''),
    idVariable: z.string().max(64).regex(/^([A-Za-z_][A-Za-z0-9_]*)?$/).default('CALLBACK_ID'),
  }),
  exits: () => ['success', 'failure'],
  channels: ALL_CHANNELS,
  writes: (p) => (p.idVariable === '' ? [] : [p.idVariable]),
  compile: (p, h) => ({
    ...p,
    number: h.template(p.number, 'number'),
    at: h.template(p.at, 'at'),
    note: h.template(p.note, 'note'),
  }),
  async run(ctx, p, signal) {
    const number = (await ctx.render(p.number, signal)).replace(/[\s()-]/g, '');
    if (!/^\+?[0-9]{3,20}$/.test(number)) {
      ctx.log('warn', `callback refused: "${number}" is not a phone number`);
      return 'failure';
    }
    const atText = (await ctx.render(p.at, signal)).trim();
    let at: number | null;
    if (atText !== '') {
      at = /^[0-9]+$/.test(atText) ? Number(atText) : Date.parse(atText);
      if (!Number.isFinite(at)) {
        ctx.log('warn', `callback refused: "${atText}" is not a date`);
        return 'failure';
      }
    } else {
      at = p.delayMinutes === 0 ? null : ctx.clock.now() + p.delayMinutes * 60_000;
    }
    const note = await ctx.render(p.note, signal);
    try {
      const { id } = await ctx
        .service('callbacks')
        .schedule({ number, at, queue: p.queue, note, callId: ctx.call.info.callId }, signal);
      if (p.idVariable !== '') ctx.vars.set(p.idVariable, id);
      return 'success';
    } catch (error) {
      if (signal.aborted) throw error;
      ctx.log('warn', `callback request failed: ${String(error)}`);
      return 'failure';
    }
  },
});
