import { z } from 'zod';
import { VOICE_ONLY, defineBlock } from '../block.ts';
import { secondsField, templateField } from '../runtime/params.ts';
import { dialExit, DIAL_EXITS, DIAL_OPTIONS_PATTERN } from '../runtime/dial.ts';

/** Rings an extension or an agent inside the PBX; the exit tells how the dial ended. */
export const internalDialBlock = defineBlock({
  type: 'InternalDial',
  version: 1,
  category: 'call',
  label: 'Internal dial',
  description: 'Calls an extension or an agent. Exits: answered (after the conversation), busy, noanswer, failed.',
  params: z.object({
    target: z.enum(['extension', 'agent']).default('extension'),
    destination: templateField(200).min(1, 'required'),
    timeoutSec: secondsField(30, 600),
    options: z.string().max(32).regex(DIAL_OPTIONS_PATTERN, 'Dial() option letters only').default(''),
    musicOnHold: z.string().max(64).regex(/^[A-Za-z0-9_-]*$/).default(''),
  }),
  exits: () => DIAL_EXITS,
  channels: VOICE_ONLY,
  requires: ['dial'],
  waits: true,
  maxDurationMs: () => null, // includes the conversation
  compile: (p, h) => ({ ...p, destination: h.template(p.destination, 'destination') }),
  async run(ctx, p, signal) {
    const destination = (await ctx.render(p.destination, signal)).trim();
    // Rendered from variables the caller may control: never let it smuggle a second dial target.
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(destination)) {
      ctx.log('warn', `internal dial refused: "${destination}" is not an extension or agent name`);
      return 'failed';
    }
    const result = await ctx.call.dial(
      {
        kind: p.target,
        destination,
        timeoutMs: p.timeoutSec * 1000,
        options: p.options,
        ...(p.musicOnHold === '' ? {} : { musicOnHold: p.musicOnHold }),
      },
      signal,
    );
    return dialExit(result.status);
  },
});
