import { z } from 'zod';
import { VOICE_ONLY, defineBlock } from '../block.ts';
import { templateField } from '../runtime/params.ts';

/**
 * A text prompt with a pluggable engine. The default engine, "recorded", plays the recorded prompt
 * and never leaves the building; other engines go through the TTS service port and fall back to the
 * recorded prompt when synthesis fails.
 */
export const ttsBlock = defineBlock({
  type: 'Tts',
  version: 1,
  category: 'audio',
  label: 'Text to speech',
  description: 'Speaks a text with a TTS engine, or plays the recorded prompt (default). Exits: next, failed.',
  params: z.object({
    text: templateField(4000).default(''),
    engine: z.string().max(64).regex(/^[A-Za-z0-9_-]+$/).default('recorded'),
    voice: z.string().max(64).default(''),
    language: z.string().max(16).default('en-US'),
    prompt: z.string().max(512).default(''),
    skippable: z.boolean().default(false),
  }),
  exits: () => ['next', 'failed'],
  optionalExits: ['failed'],
  channels: VOICE_ONLY,
  requires: ['audio'],
  audio: true,
  check: (p) =>
    p.engine === 'recorded' && p.prompt === ''
      ? [{ field: 'prompt', message: 'the recorded engine needs a prompt' }]
      : p.engine !== 'recorded' && p.text === ''
        ? [{ field: 'text', message: 'a TTS engine needs a text' }]
        : [],
  compile: (p, h) => ({ ...p, text: h.template(p.text, 'text'), prompt: h.template(p.prompt, 'prompt') }),
  async run(ctx, p, signal) {
    const escapeDigits = p.skippable ? '0123456789*#' : '';
    let prompt = await ctx.render(p.prompt, signal);
    if (p.engine !== 'recorded') {
      try {
        const text = await ctx.render(p.text, signal);
        const synthesized = await ctx.service('tts').synthesize(
          { engine: p.engine, text, voice: p.voice, language: p.language },
          signal,
        );
        prompt = synthesized.prompt;
      } catch (error) {
        if (signal.aborted) throw error;
        ctx.log('warn', `text to speech failed, ${prompt === '' ? 'no fallback' : 'playing the recorded prompt'}: ${String(error)}`);
      }
    }
    if (prompt === '') return ctx.isWired('failed') ? 'failed' : 'next';
    await ctx.call.play([prompt], { escapeDigits }, signal);
    return 'next';
  },
});
