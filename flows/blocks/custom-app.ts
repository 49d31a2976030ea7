import { z } from 'zod';
import { VOICE_ONLY, defineBlock } from '../block.ts';
import { templateField } from '../runtime/params.ts';
import { renderAll } from '../runtime/render.ts';

/**
 * Runs any Asterisk application (voice only). Arguments are handed to the transport as separate
 * values, which escapes separators, so a caller-controlled variable cannot add arguments.
 */
export const customAppBlock = defineBlock({
  type: 'CustomApp',
  version: 1,
  category: 'call',
  label: 'Custom app',
  description: 'Runs an Asterisk application with arguments. Exits: success, failure (missing app or error).',
  params: z.object({
    application: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'an Asterisk application name'),
    arguments: z.array(templateField(500)).max(20).default([]),
    resultVariable: z.string().max(64).regex(/^([A-Za-z_][A-Za-z0-9_]*)?$/).default(''),
  }),
  exits: () => ['success', 'failure'],
  channels: VOICE_ONLY,
  requires: ['apps'],
  maxDurationMs: () => null,
  writes: (p) => (p.resultVariable === '' ? [] : [p.resultVariable]),
  compile: (p, h) => ({
    application: p.application,
    resultVariable: p.resultVariable,
    arguments: p.arguments.map((a, i) => h.template(a, `arguments.${i}`)),
  }),
  async run(ctx, p, signal) {
    const args = await renderAll(ctx, p.arguments, signal);
    const { result } = await ctx.call.exec(p.application, args, signal);
    if (p.resultVariable !== '') ctx.vars.set(p.resultVariable, result);
    // AGI EXEC answers -2 when the application does not exist.
    return result === -2 || result === -1 ? 'failure' : 'success';
  },
});
