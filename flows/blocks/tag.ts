import { z } from 'zod';
import { ALL_CHANNELS, NEXT, defineBlock } from '../block.ts';
import { templateField } from '../runtime/params.ts';
import { renderAll } from '../runtime/render.ts';

/**
 * Tags the interaction for reports. Tagging is bookkeeping: if it fails the caller must not notice,
 * so failures are logged and the flow goes on.
 */
export const tagBlock = defineBlock({
  type: 'Tag',
  version: 1,
  category: 'integration',
  label: 'Tag',
  description: 'Adds tags (with variables) to the interaction.',
  params: z.object({ tags: z.array(templateField(100).min(1)).min(1, 'add at least one tag').max(20) }),
  exits: () => NEXT,
  channels: ALL_CHANNELS,
  compile: (p, h) => p.tags.map((t, i) => h.template(t, `tags.${i}`)),
  async run(ctx, tags, signal) {
    const rendered = (await renderAll(ctx, tags, signal)).map((t) => t.trim()).filter((t) => t !== '');
    if (rendered.length === 0) return 'next';
    try {
      await ctx.service('interactions').tag(ctx.call.info.callId, rendered, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      ctx.log('warn', `tagging failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return 'next';
  },
});
