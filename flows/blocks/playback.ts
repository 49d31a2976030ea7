import { z } from 'zod';
import { NEXT, VOICE_ONLY, defineBlock } from '../block.ts';
import { dtmfField, optionalVariableField, promptListField } from '../runtime/params.ts';
import { renderPrompts } from '../runtime/render.ts';

/** Plays prompts; when skippable, a key press stops playback (and can be kept in a variable). */
export const playbackBlock = defineBlock({
  type: 'Playback',
  version: 1,
  category: 'audio',
  label: 'Playback',
  description: 'Plays one or more prompts, optionally skippable with a key press.',
  params: z.object({
    prompts: promptListField().min(1, 'add at least one prompt'),
    skippable: z.boolean().default(false),
    escapeDigits: dtmfField().default('0123456789*#'),
    digitVariable: optionalVariableField(),
  }),
  exits: () => NEXT,
  channels: VOICE_ONLY,
  requires: ['audio'],
  audio: true,
  // Announcements can be long; a stuck transport is bounded by the transport, not by us.
  maxDurationMs: () => null,
  writes: (p) => (p.digitVariable === '' ? [] : [p.digitVariable]),
  compile: (p, h) => ({
    prompts: p.prompts.map((s, i) => h.template(s, `prompts.${i}`)),
    escapeDigits: p.skippable ? p.escapeDigits : '',
    digitVariable: p.digitVariable,
  }),
  async run(ctx, p, signal) {
    const prompts = await renderPrompts(ctx, p.prompts, signal);
    const { digit } = await ctx.call.play(prompts, { escapeDigits: p.escapeDigits }, signal);
    if (p.digitVariable !== '') ctx.vars.set(p.digitVariable, digit ?? '');
    return 'next';
  },
});
