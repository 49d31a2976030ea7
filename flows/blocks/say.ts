import { z } from 'zod';
import { VOICE_ONLY, defineBlock } from '../block.ts';
import { SAY_KINDS } from '../call-port.ts';
import { templateField } from '../runtime/params.ts';
import { isValidTimeZone } from '../runtime/time-window.ts';

/**
 * Says a value the Asterisk way (SAY DIGITS / NUMBER / ALPHA / DATETIME). The rendered value is
 * checked for its kind first, because it usually comes from caller input or an API; a value that
 * cannot be said leaves by `invalid` when wired, otherwise the block is silently passed.
 */
export const sayBlock = defineBlock({
  type: 'Say',
  version: 1,
  category: 'audio',
  label: 'Say',
  description: 'Says digits, a number, letters or a date/time. Exits: next, invalid (value cannot be said).',
  params: z.object({
    kind: z.enum(SAY_KINDS).default('digits'),
    value: templateField(500).min(1, 'required'),
    skippable: z.boolean().default(false),
    /** datetime only: Asterisk SAY DATETIME format. */
    format: z.string().max(100).regex(/^[A-Za-z' /_.]*$/).default(''),
    timezone: z.string().max(64).refine((s) => s === '' || isValidTimeZone(s), 'unknown time zone').default(''),
  }),
  exits: () => ['next', 'invalid'],
  optionalExits: ['invalid'],
  channels: VOICE_ONLY,
  requires: ['audio'],
  audio: true,
  compile: (p, h) => ({ ...p, value: h.template(p.value, 'value') }),
  async run(ctx, p, signal) {
    const raw = (await ctx.render(p.value, signal)).trim();
    const value = normalise(p.kind, raw);
    if (value === null) {
      ctx.log('warn', `cannot say "${raw}" as ${p.kind}`);
      return ctx.isWired('invalid') ? 'invalid' : 'next';
    }
    await ctx.call.say(
      p.kind,
      value,
      {
        escapeDigits: p.skippable ? '0123456789*#' : '',
        ...(p.format === '' ? {} : { format: p.format }),
        ...(p.timezone === '' ? {} : { timezone: p.timezone }),
      },
      signal,
    );
    return 'next';
  },
});

function normalise(kind: (typeof SAY_KINDS)[number], raw: string): string | null {
  switch (kind) {
    case 'digits': {
      // Phone numbers arrive as +39 02-1234…: say their digits.
      const digits = raw.replace(/^\+/, '').replace(/[\s().-]/g, '');
      return /^[0-9*#]{1,64}$/.test(digits) ? digits : null;
    }
    case 'number':
      return /^-?[0-9]{1,15}$/.test(raw) ? raw : null;
    case 'alpha':
      return /^[A-Za-z0-9 .@_-]{1,64}$/.test(raw) ? raw : null;
    case 'datetime': {
      // Epoch seconds (Asterisk's unit) or anything Date.parse understands.
      if (/^[0-9]{1,12}$/.test(raw)) return raw;
      const ms = Date.parse(raw);
      return Number.isFinite(ms) ? String(Math.floor(ms / 1000)) : null;
    }
  }
}
