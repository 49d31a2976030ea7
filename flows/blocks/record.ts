import { z } from 'zod';
import { NEXT, VOICE_ONLY, defineBlock } from '../block.ts';
import { dtmfField, optionalVariableField, templateField } from '../runtime/params.ts';

/** Records the caller. The file name may use variables but must stay a plain relative path. */
export const recordBlock = defineBlock({
  type: 'Record',
  version: 1,
  category: 'audio',
  label: 'Record',
  description: 'Records the caller to a file (beep, max duration, stop on silence or a key).',
  params: z.object({
    file: templateField(300).min(1, 'required').default('recordings/{UNIQUEID}'),
    format: z.enum(['wav', 'gsm', 'ulaw', 'alaw', 'sln', 'g722']).default('wav'),
    beep: z.boolean().default(true),
    maxDurationSec: z.number().min(1).max(3600).default(60),
    /** 0 = do not stop on silence. */
    silenceSec: z.number().min(0).max(60).default(3),
    escapeDigits: dtmfField().default('#'),
    variable: optionalVariableField(),
  }),
  exits: () => NEXT,
  channels: VOICE_ONLY,
  requires: ['record'],
  audio: true,
  waits: true,
  maxDurationMs: (p) => p.maxDurationSec * 1000 + 30_000,
  writes: (p) => (p.variable === '' ? ['RECORDING_REASON'] : [p.variable, 'RECORDING_REASON']),
  compile: (p, h) => ({ ...p, file: h.template(p.file, 'file') }),
  async run(ctx, p, signal) {
    const file = await ctx.render(p.file, signal);
    // A caller-controlled variable must not walk out of the recordings directory.
    if (!/^[A-Za-z0-9_][A-Za-z0-9_/.-]{0,255}$/.test(file) || file.split('/').includes('..')) {
      throw new Error(`unsafe recording file name "${file}"`);
    }
    const result = await ctx.call.record(
      {
        file,
        format: p.format,
        beep: p.beep,
        maxDurationMs: p.maxDurationSec * 1000,
        silenceMs: p.silenceSec * 1000,
        escapeDigits: p.escapeDigits,
      },
      signal,
    );
    if (p.variable !== '') ctx.vars.set(p.variable, `${result.file}.${p.format}`);
    ctx.vars.set('RECORDING_REASON', result.reason);
    return 'next';
  },
});
