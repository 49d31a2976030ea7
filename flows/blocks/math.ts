import { z } from 'zod';
import { ALL_CHANNELS, NEXT, defineBlock } from '../block.ts';
import { variableField } from '../runtime/params.ts';
import { isPromise } from '../runtime/render.ts';

/** Evaluates an expression of the safe expression language (never `eval`) into a variable. */
export const mathBlock = defineBlock({
  type: 'Math',
  version: 1,
  category: 'logic',
  label: 'Math',
  description: 'Computes an expression (e.g. COUNT + 1, round(TOTAL * 1.22, 2)) into a variable.',
  params: z.object({
    expression: z.string().min(1, 'required').max(4000),
    variable: variableField(),
  }),
  exits: () => NEXT,
  channels: ALL_CHANNELS,
  pure: true,
  writes: (p) => [p.variable],
  compile: (p, h) => ({ variable: p.variable, expression: h.expression(p.expression, 'expression') }),
  run(ctx, p, signal) {
    const value = ctx.evaluate(p.expression, signal);
    if (isPromise(value)) {
      return value.then((v) => {
        ctx.vars.set(p.variable, v);
        return 'next';
      });
    }
    ctx.vars.set(p.variable, value);
    return 'next';
  },
});
