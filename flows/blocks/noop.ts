import { z } from 'zod';
import { ALL_CHANNELS, NEXT, defineBlock } from '../block.ts';
import { templateField } from '../runtime/params.ts';
import { isPromise } from '../runtime/render.ts';

/** Does nothing, optionally writing a line to the trace and the server log (Cally Square's NoOp). */
export const noopBlock = defineBlock({
  type: 'Noop',
  version: 1,
  category: 'structure',
  label: 'Noop / log',
  description: 'Does nothing; optionally logs a message with variables to the call trace.',
  params: z.object({
    message: templateField().default(''),
    level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  }),
  exits: () => NEXT,
  channels: ALL_CHANNELS,
  pure: true,
  compile: (p, h) => ({ level: p.level, message: p.message === '' ? null : h.template(p.message, 'message') }),
  run(ctx, p, signal) {
    if (p.message === null) return 'next';
    const text = ctx.render(p.message, signal);
    if (isPromise(text)) {
      return text.then((t) => {
        ctx.log(p.level, t);
        return 'next';
      });
    }
    ctx.log(p.level, text);
    return 'next';
  },
});
