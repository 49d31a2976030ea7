import { z } from 'zod';
import { ALL_CHANNELS, defineBlock } from '../block.ts';
import { resourceNameField, secondsField } from '../runtime/params.ts';

/**
 * Hands the interaction to a Tandem queue (voice, chat, anything) and continues by outcome when it
 * comes back: after the agent conversation (answered), or without an agent.
 */
export const queueBlock = defineBlock({
  type: 'Queue',
  version: 1,
  category: 'call',
  label: 'Queue',
  description: 'Sends the interaction to a queue. Exits: answered, timeout, full, unavailable (no agents), failed.',
  params: z.object({
    queue: resourceNameField(),
    /** 0 = the queue's own limit. */
    timeoutSec: secondsField(0, 86_400),
    priority: z.number().int().min(0).max(100).default(0),
    announcement: z.string().max(512).default(''),
    musicOnHold: z.string().max(64).regex(/^[A-Za-z0-9_-]*$/).default(''),
    /** Check for available agents first and leave by `unavailable` instead of waiting for nobody. */
    requireAgents: z.boolean().default(false),
  }),
  exits: () => ['answered', 'timeout', 'full', 'unavailable', 'failed'],
  channels: ALL_CHANNELS,
  requires: ['queue'],
  waits: true,
  maxDurationMs: () => null,
  async run(ctx, p, signal) {
    if (p.requireAgents) {
      const status = await ctx.service('queue').status(p.queue, signal);
      if (!status.exists) return 'failed';
      if (status.agentsAvailable === 0) return 'unavailable';
    }
    const result = await ctx.call.enqueue(
      {
        queue: p.queue,
        timeoutMs: p.timeoutSec * 1000,
        priority: p.priority,
        ...(p.announcement === '' ? {} : { announcement: p.announcement }),
        ...(p.musicOnHold === '' ? {} : { musicOnHold: p.musicOnHold }),
      },
      signal,
    );
    ctx.vars.set('QUEUE_OUTCOME', result.outcome);
    if (result.agentId !== undefined) ctx.vars.set('QUEUE_AGENT', result.agentId);
    return result.outcome;
  },
  writes: () => ['QUEUE_OUTCOME', 'QUEUE_AGENT'],
});
