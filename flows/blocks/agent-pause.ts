import { z } from 'zod';
import { VOICE_ONLY, defineBlock } from '../block.ts';
import { templateField } from '../runtime/params.ts';
import { AGENT_EXITS, agentOutcome } from '../runtime/agents.ts';

/** Pauses a remote agent with a reason (shown on wallboards and in agent-state reports). */
export const agentPauseBlock = defineBlock({
  type: 'AgentPause',
  version: 1,
  category: 'agent',
  label: 'Agent pause',
  description: 'Pauses the agent with a reason. Exits: success, failure.',
  params: z.object({
    agent: templateField(200).default('{AGENT_ID}'),
    reason: templateField(200).default('Break'),
  }),
  exits: () => AGENT_EXITS,
  channels: VOICE_ONLY,
  writes: () => ['AGENT_RESULT'],
  compile: (p, h) => ({ agent: h.template(p.agent, 'agent'), reason: h.template(p.reason, 'reason') }),
  async run(ctx, p, signal) {
    const agentId = (await ctx.render(p.agent, signal)).trim();
    const reason = (await ctx.render(p.reason, signal)).trim();
    if (agentId === '') {
      ctx.vars.set('AGENT_RESULT', 'not-logged-in');
      return 'failure';
    }
    const agents = ctx.service('agents');
    return agentOutcome(ctx, signal, () => agents.pause(agentId, reason, signal));
  },
});
