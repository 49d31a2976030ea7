import { z } from 'zod';
import { ALL_CHANNELS, defineBlock } from '../block.ts';
import { isPromise } from '../runtime/render.ts';
import { isTruthy } from '../runtime/values.ts';

/**
 * GotoIf: branches on an expression. Truthiness follows Asterisk's GotoIf — false, 0, "", "0",
 * "false" and null are false — so conditions ported from a dialplan keep their meaning.
 */
export const conditionBlock = defineBlock({
  type: 'Condition',
  version: 1,
  category: 'logic',
  label: 'Condition',
  description: 'Goes to true or false depending on an expression (e.g. ATTEMPTS < 3 && LANG == "it").',
  params: z.object({ expression: z.string().min(1, 'required').max(4000) }),
  exits: () => ['true', 'false'],
  channels: ALL_CHANNELS,
  pure: true,
  compile: (p, h) => h.expression(p.expression, 'expression'),
  run(ctx, expression, signal) {
    const value = ctx.evaluate(expression, signal);
    if (isPromise(value)) return value.then((v) => (isTruthy(v) ? 'true' : 'false'));
    return isTruthy(value) ? 'true' : 'false';
  },
});
