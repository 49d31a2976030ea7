import { z } from 'zod';
import { VOICE_ONLY, defineBlock, type ParamIssue } from '../block.ts';
import { dtmfField, optionalVariableField, promptListField, retriesField } from '../runtime/params.ts';
import { collectEntry, withRetries } from '../runtime/input-retry.ts';
import { renderPrompts } from '../runtime/render.ts';

/**
 * Cally Square's Menu: plays the prompt (any key interrupts it), collects up to `maxDigits` keys
 * with the timeout restarting after every key (`terminator` ends a multi-digit entry early), and
 * leaves through the exit named after the entered choice.
 *
 * No entry → timeout; an entry that is no choice → invalid. A wired invalid/timeout exit takes
 * priority: the flow leaves through it at once. Unwired, the menu plays its invalid/timeout prompt
 * and tries again, up to `retries` more times; after that the flow ends at the unwired exit.
 * The raw entry is kept in `variable` either way.
 */
export const menuBlock = defineBlock({
  type: 'Menu',
  version: 1,
  category: 'audio',
  label: 'Menu',
  description: 'Plays a prompt and branches on the key pressed: one exit per choice, plus invalid and timeout.',
  params: z.object({
    prompts: promptListField().min(1, 'add at least one prompt'),
    choices: z.array(dtmfField(20).min(1, 'a choice cannot be empty')).min(1, 'add at least one choice').max(24),
    timeoutSec: z.number().min(0.5).max(120).default(5),
    maxDigits: z.number().int().min(1).max(20).default(1),
    retries: retriesField(2),
    invalidPrompts: promptListField().default([]),
    timeoutPrompts: promptListField().default([]),
    terminator: z.enum(['#', '*', '']).default('#'),
    variable: optionalVariableField(),
  }),
  exits: (p) => [...p.choices, 'invalid', 'timeout'],
  channels: VOICE_ONLY,
  requires: ['audio', 'dtmf'],
  audio: true,
  waits: true,
  finallyExit: 'timeout',
  optionalExits: ['invalid', 'timeout'],
  maxDurationMs: (p) => (p.retries + 1) * (120_000 + p.timeoutSec * 1000 * (p.maxDigits + 1)),
  writes: (p) => (p.variable === '' ? [] : [p.variable]),
  check(p) {
    const issues: ParamIssue[] = [];
    const seen = new Set<string>();
    p.choices.forEach((choice, i) => {
      if (seen.has(choice)) issues.push({ field: `choices.${i}`, message: `choice "${choice}" appears twice` });
      seen.add(choice);
      if (choice.length > p.maxDigits) {
        issues.push({ field: `choices.${i}`, message: `choice "${choice}" is longer than maxDigits (${p.maxDigits})` });
      }
      if (p.maxDigits > 1 && p.terminator !== '' && choice.includes(p.terminator)) {
        issues.push({ field: `choices.${i}`, message: `choice "${choice}" contains the terminator "${p.terminator}"` });
      }
    });
    return issues;
  },
  compile: (p, h) => ({
    prompts: p.prompts.map((s, i) => h.template(s, `prompts.${i}`)),
    invalidPrompts: p.invalidPrompts.map((s, i) => h.template(s, `invalidPrompts.${i}`)),
    timeoutPrompts: p.timeoutPrompts.map((s, i) => h.template(s, `timeoutPrompts.${i}`)),
    choices: new Set(p.choices),
    timeoutMs: p.timeoutSec * 1000,
    maxDigits: p.maxDigits,
    // A single-key menu needs no terminator; with one, '#' could never be a choice.
    terminator: p.maxDigits > 1 ? p.terminator : '',
    retries: p.retries,
    variable: p.variable,
  }),
  async run(ctx, p, signal) {
    return withRetries(
      ctx,
      p.retries,
      async () => {
        const digits = await collectEntry(ctx, p, signal);
        if (p.variable !== '') ctx.vars.set(p.variable, digits);
        if (digits === '') return { failure: 'timeout' };
        return p.choices.has(digits) ? { exit: digits } : { failure: 'invalid' };
      },
      async (failure) => {
        const prompts = await renderPrompts(ctx, failure === 'invalid' ? p.invalidPrompts : p.timeoutPrompts, signal);
        if (prompts.length > 0) await ctx.call.play(prompts, { escapeDigits: '' }, signal);
      },
    );
  },
});
