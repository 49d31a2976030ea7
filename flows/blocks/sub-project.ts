import { z } from 'zod';
import type { Value } from '../expression/index.ts';
import { ALL_CHANNELS, defineBlock } from '../block.ts';
import { templateField, variableField } from '../runtime/params.ts';

/**
 * Calls another (published) project and comes back, like a Gosub. The sub-project gets its own
 * variables — its declared defaults plus `inputs` — and `outputs` copy chosen results back, so a
 * shared sub-project cannot trample the caller's variables by accident. Its Finally block does not
 * run: Finally belongs to the top-level call.
 */
export const subProjectBlock = defineBlock({
  type: 'SubProject',
  version: 1,
  category: 'structure',
  label: 'Sub-project',
  description: 'Runs another project with the same call and returns (done), or error if it fails.',
  params: z.object({
    project: z.string().min(1, 'choose a project').max(128),
    inputs: z.array(z.object({ variable: variableField(), value: templateField() })).max(50).default([]),
    outputs: z.array(z.object({ variable: variableField(), from: variableField() })).max(50).default([]),
  }),
  exits: () => ['done', 'error'],
  channels: ALL_CHANNELS,
  maxDurationMs: () => null, // the sub-project's own blocks are timed
  writes: (p) => p.outputs.map((o) => o.variable),
  compile: (p, h) => ({
    project: p.project,
    inputs: p.inputs.map((input, i) => ({ variable: input.variable, value: h.template(input.value, `inputs.${i}.value`) })),
    outputs: p.outputs,
  }),
  async run(ctx, p, signal) {
    const inputs = new Map<string, Value>();
    for (const input of p.inputs) inputs.set(input.variable, await ctx.renderValue(input.value, signal));
    const outcome = await ctx.runSubProject(p.project, inputs, signal);
    if (!outcome.ok) {
      ctx.log('warn', `sub-project ${p.project} failed: ${outcome.reason}`);
      return 'error';
    }
    for (const output of p.outputs) ctx.vars.set(output.variable, outcome.variables.get(output.from) ?? null);
    return 'done';
  },
});
