import { z } from 'zod';
import { VOICE_ONLY, defineBlock, type ParamIssue } from '../block.ts';
import { promptListField, retriesField, variableField } from '../runtime/params.ts';
import { matchDialPattern, validateDialPattern } from '../expression/index.ts';
import { collectEntry, withRetries } from '../runtime/input-retry.ts';
import { renderPrompts } from '../runtime/render.ts';

function isValidPattern(pattern: string): boolean {
  if (pattern === '') return true;
  try {
    validateDialPattern(pattern);
    return true;
  } catch {
    return false;
  }
}

/**
 * Collects a variable-length entry (account number, PIN). Valid = at least `minDigits` and, when
 * set, matching `pattern` (Asterisk dial-pattern syntax, _XXXX, _1NXX., matched in linear time
 * by the expression language's matcher — never a regular expression). Retry rules as in Menu.
 */
export const getDigitsBlock = defineBlock({
  type: 'GetDigits',
  version: 1,
  category: 'audio',
  label: 'Get digits',
  description: 'Collects digits into a variable. Exits: success, invalid (too short / no pattern match), timeout.',
  params: z.object({
    prompts: promptListField().default([]),
    minDigits: z.number().int().min(1).max(32).default(1),
    maxDigits: z.number().int().min(1).max(32).default(10),
    terminator: z.enum(['#', '*', '']).default('#'),
    timeoutSec: z.number().min(0.5).max(120).default(5),
    pattern: z.string().max(64).refine(isValidPattern, 'not a valid digit pattern (e.g. _XXXX, _1NXX.)').default(''),
    retries: retriesField(2),
    invalidPrompts: promptListField().default([]),
    timeoutPrompts: promptListField().default([]),
    variable: variableField().default('DIGITS'),
  }),
  exits: () => ['success', 'invalid', 'timeout'],
  channels: VOICE_ONLY,
  requires: ['audio', 'dtmf'],
  audio: true,
  waits: true,
  finallyExit: 'timeout',
  optionalExits: ['invalid', 'timeout'],
  maxDurationMs: (p) => (p.retries + 1) * (120_000 + p.timeoutSec * 1000 * (p.maxDigits + 1)),
  writes: (p) => [p.variable],
  check(p) {
    const issues: ParamIssue[] = [];
    if (p.minDigits > p.maxDigits) issues.push({ field: 'minDigits', message: 'minDigits is larger than maxDigits' });
    return issues;
  },
  compile: (p, h) => ({
    prompts: p.prompts.map((s, i) => h.template(s, `prompts.${i}`)),
    invalidPrompts: p.invalidPrompts.map((s, i) => h.template(s, `invalidPrompts.${i}`)),
    timeoutPrompts: p.timeoutPrompts.map((s, i) => h.template(s, `timeoutPrompts.${i}`)),
    pattern: p.pattern === '' ? null : p.pattern,
    minDigits: p.minDigits,
    maxDigits: p.maxDigits,
    terminator: p.terminator,
    timeoutMs: p.timeoutSec * 1000,
    retries: p.retries,
    variable: p.variable,
  }),
  async run(ctx, p, signal) {
    return withRetries(
      ctx,
      p.retries,
      async () => {
        const digits = await collectEntry(ctx, p, signal);
        ctx.vars.set(p.variable, digits);
        if (digits === '') return { failure: 'timeout' };
        if (digits.length < p.minDigits || (p.pattern !== null && !matchDialPattern(digits, p.pattern))) return { failure: 'invalid' };
        return { exit: 'success' };
      },
      async (failure) => {
        const prompts = await renderPrompts(ctx, failure === 'invalid' ? p.invalidPrompts : p.timeoutPrompts, signal);
        if (prompts.length > 0) await ctx.call.play(prompts, { escapeDigits: '' }, signal);
      },
    );
  },
});
