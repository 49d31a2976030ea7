import { z } from 'zod';
import type { Value } from '../expression/index.ts';
import { ALL_CHANNELS, NEXT, defineBlock, type BlockContext, type ParamIssue } from '../block.ts';
import type { Template } from '../runtime/templates.ts';
import { templateField, variableField } from '../runtime/params.ts';
import { isPromise } from '../runtime/render.ts';
import { toText } from '../runtime/values.ts';

interface Assignment {
  readonly variable: string;
  readonly value: Template;
  readonly channel: boolean;
}

/**
 * Cally Square's Set: a constant, `{ASTERISK_VAR}` such as `{CALLERID(num)}`, or `{PROJECT_VAR}`.
 * A value that is exactly one `{NAME}` keeps NAME's type (a database matrix stays a matrix).
 * Scope "channel" writes an Asterisk channel variable instead (voice only).
 *
 * This block is on the interpreter's hot path: project-scope assignments of known values complete
 * synchronously, without a promise.
 */
export const setBlock = defineBlock({
  type: 'Set',
  version: 1,
  category: 'logic',
  label: 'Set variable',
  description: 'Sets variables to constants, {PROJECT_VAR} or {ASTERISK_VAR} values (or channel variables).',
  params: z.object({
    assignments: z
      .array(
        z.object({
          variable: variableField(),
          value: templateField(65_536),
          scope: z.enum(['project', 'channel']).default('project'),
        }),
      )
      .min(1, 'add at least one assignment')
      .max(50),
  }),
  exits: () => NEXT,
  channels: ALL_CHANNELS,
  pure: true,
  writes: (p) => p.assignments.filter((a) => a.scope === 'project').map((a) => a.variable),
  check(p, env) {
    const issues: ParamIssue[] = [];
    p.assignments.forEach((a, i) => {
      if (a.scope === 'channel' && env.channel !== 'voice') {
        issues.push({ field: `assignments.${i}.scope`, message: 'channel variables exist only on voice projects' });
      }
    });
    return issues;
  },
  compile: (p, h): readonly Assignment[] =>
    p.assignments.map((a, i) => ({
      variable: a.variable,
      value: h.template(a.value, `assignments.${i}.value`),
      channel: a.scope === 'channel',
    })),
  run(ctx, assignments, signal) {
    for (let i = 0; i < assignments.length; i++) {
      const a = assignments[i]!;
      if (a.channel) return finish(ctx, assignments, i, undefined, signal);
      const value = ctx.renderValue(a.value, signal);
      if (isPromise(value)) return finish(ctx, assignments, i, value, signal);
      ctx.vars.set(a.variable, value);
    }
    return 'next';
  },
});

async function finish(
  ctx: BlockContext,
  assignments: readonly Assignment[],
  from: number,
  pending: Promise<Value> | undefined,
  signal: AbortSignal,
): Promise<string> {
  for (let i = from; i < assignments.length; i++) {
    const a = assignments[i]!;
    const value = i === from && pending !== undefined ? await pending : await ctx.renderValue(a.value, signal);
    if (a.channel) await ctx.call.setVariable(a.variable, toText(value), signal);
    else ctx.vars.set(a.variable, value);
  }
  return 'next';
}
