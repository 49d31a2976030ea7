import { z } from 'zod';
import { MESSAGING_CHANNELS, defineBlock, type ParamIssue } from '../block.ts';
import type { InboundMessage } from '../call-port.ts';
import { optionalVariableField, retriesField, templateField } from '../runtime/params.ts';
import { withRetries } from '../runtime/input-retry.ts';

interface Choice {
  readonly id: string;
  readonly label: string;
  readonly keywords: readonly string[];
}

/**
 * The chat form of Menu: a question with quick-reply buttons, one exit per choice plus invalid and
 * timeout, with Menu's retry rule. A typed answer also counts when it is the choice's number
 * (1, 2…), its label, id or one of its keywords (case-insensitive) — SMS has no buttons.
 */
export const quickReplyMenuBlock = defineBlock({
  type: 'QuickReplyMenu',
  version: 1,
  category: 'messaging',
  label: 'Quick-reply menu',
  description: 'Asks a question with quick replies: one exit per choice, plus invalid and timeout.',
  params: z.object({
    text: templateField(4000).min(1, 'required'),
    choices: z
      .array(
        z.object({
          id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'ids are 1-32 letters, digits, _ or -'),
          label: z.string().min(1).max(100),
          keywords: z.array(z.string().min(1).max(100)).max(20).default([]),
        }),
      )
      .min(1, 'add at least one choice')
      .max(12),
    timeoutSec: z.number().min(1).max(86_400).default(300),
    retries: retriesField(1),
    invalidText: templateField(1000).default('Sorry, please choose one of the options.'),
    timeoutText: templateField(1000).default(''),
    variable: optionalVariableField(),
  }),
  exits: (p) => [...p.choices.map((c) => c.id), 'invalid', 'timeout'],
  channels: MESSAGING_CHANNELS,
  requires: ['messaging'],
  waits: true,
  optionalExits: ['invalid', 'timeout'],
  maxDurationMs: (p) => (p.retries + 1) * (p.timeoutSec * 1000 + 30_000),
  writes: (p) => (p.variable === '' ? [] : [p.variable]),
  check(p) {
    const issues: ParamIssue[] = [];
    const seen = new Set<string>();
    p.choices.forEach((c, i) => {
      if (seen.has(c.id)) issues.push({ field: `choices.${i}.id`, message: `choice id "${c.id}" appears twice` });
      if (c.id === 'invalid' || c.id === 'timeout') issues.push({ field: `choices.${i}.id`, message: `"${c.id}" is a reserved exit` });
      seen.add(c.id);
    });
    return issues;
  },
  compile: (p, h) => ({
    text: h.template(p.text, 'text'),
    invalidText: h.template(p.invalidText, 'invalidText'),
    timeoutText: h.template(p.timeoutText, 'timeoutText'),
    choices: p.choices as readonly Choice[],
    timeoutMs: p.timeoutSec * 1000,
    retries: p.retries,
    variable: p.variable,
  }),
  async run(ctx, p, signal) {
    const quickReplies = p.choices.map((c) => ({ id: c.id, label: c.label }));
    return withRetries(
      ctx,
      p.retries,
      async () => {
        await ctx.call.sendMessage({ text: await ctx.render(p.text, signal), quickReplies }, signal);
        const message = await ctx.call.waitForMessage(p.timeoutMs, signal);
        if (message === null) return { failure: 'timeout' };
        if (p.variable !== '') ctx.vars.set(p.variable, message.quickReplyId ?? message.text);
        const choice = match(p.choices, message);
        return choice === undefined ? { failure: 'invalid' } : { exit: choice.id };
      },
      async (failure) => {
        const text = await ctx.render(failure === 'invalid' ? p.invalidText : p.timeoutText, signal);
        if (text !== '') await ctx.call.sendMessage({ text }, signal);
      },
    );
  },
});

function match(choices: readonly Choice[], message: InboundMessage): Choice | undefined {
  if (message.quickReplyId !== undefined) {
    const byId = choices.find((c) => c.id === message.quickReplyId);
    if (byId !== undefined) return byId;
  }
  const typed = message.text.trim().toLowerCase();
  if (typed === '') return undefined;
  const index = /^[0-9]{1,2}$/.test(typed) ? Number(typed) - 1 : -1;
  if (index >= 0 && index < choices.length) return choices[index];
  return choices.find(
    (c) => c.id.toLowerCase() === typed || c.label.toLowerCase() === typed || c.keywords.some((k) => k.toLowerCase() === typed),
  );
}
