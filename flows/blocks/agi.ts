import { z } from 'zod';
import { VOICE_ONLY, defineBlock } from '../block.ts';
import { templateField } from '../runtime/params.ts';
import { renderAll } from '../runtime/render.ts';

/** Hands the call to an external AGI script and continues when it returns (voice only). */
export const agiBlock = defineBlock({
  type: 'Agi',
  version: 1,
  category: 'call',
  label: 'AGI',
  description: 'Runs an external AGI script (agi://host/script or a local script name). Exits: success, failure.',
  params: z.object({
    url: z
      .string()
      .max(500)
      .regex(/^(h?agi:\/\/[A-Za-z0-9_.:-]+(\/[A-Za-z0-9_./?=&-]*)?|[A-Za-z0-9_][A-Za-z0-9_./-]*)$/, 'agi://host/path or a script name'),
    arguments: z.array(templateField(500)).max(20).default([]),
  }),
  exits: () => ['success', 'failure'],
  channels: VOICE_ONLY,
  requires: ['agi'],
  maxDurationMs: () => null,
  compile: (p, h) => ({ url: p.url, arguments: p.arguments.map((a, i) => h.template(a, `arguments.${i}`)) }),
  async run(ctx, p, signal) {
    const args = await renderAll(ctx, p.arguments, signal);
    const { status } = await ctx.call.runAgi(p.url, args, signal);
    return status === 'success' ? 'success' : 'failure';
  },
});
