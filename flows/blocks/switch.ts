import { z } from 'zod';
import { ALL_CHANNELS, defineBlock, type ParamIssue } from '../block.ts';
import { templateField } from '../runtime/params.ts';
import { isPromise } from '../runtime/render.ts';

/** Many branches on one value: the exit named like the rendered value, else `default`. */
export const switchBlock = defineBlock({
  type: 'Switch',
  version: 1,
  category: 'logic',
  label: 'Switch',
  description: 'Branches on a value: one exit per case, plus default.',
  params: z.object({
    value: templateField(2000).min(1, 'required'),
    cases: z
      .array(z.string().min(1).max(64).refine((c) => c !== 'default', '"default" is the fallback exit already'))
      .min(1, 'add at least one case')
      .max(50),
    caseSensitive: z.boolean().default(true),
  }),
  exits: (p) => [...p.cases, 'default'],
  channels: ALL_CHANNELS,
  pure: true,
  check(p) {
    const issues: ParamIssue[] = [];
    const seen = new Set<string>();
    p.cases.forEach((c, i) => {
      const key = p.caseSensitive ? c : c.toLowerCase();
      if (seen.has(key)) issues.push({ field: `cases.${i}`, message: `case "${c}" appears twice` });
      seen.add(key);
    });
    return issues;
  },
  compile(p, h) {
    const byKey = new Map<string, string>();
    for (const c of p.cases) {
      const key = p.caseSensitive ? c : c.toLowerCase();
      if (!byKey.has(key)) byKey.set(key, c);
    }
    return { value: h.template(p.value, 'value'), byKey, caseSensitive: p.caseSensitive };
  },
  run(ctx, p, signal) {
    const pick = (text: string): string => byValue(p.byKey, p.caseSensitive ? text : text.toLowerCase());
    const text = ctx.render(p.value, signal);
    return isPromise(text) ? text.then(pick) : pick(text);
  },
});

function byValue(byKey: ReadonlyMap<string, string>, key: string): string {
  return byKey.get(key) ?? 'default';
}
