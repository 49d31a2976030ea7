import { z } from 'zod';
import { VOICE_ONLY, defineBlock } from '../block.ts';
import { templateField } from '../runtime/params.ts';
import { AGENT_EXITS, agentOutcome } from '../runtime/agents.ts';

/** Logs a remote agent out (by default the one logged in earlier in this call). */
export const agentLogoutBlock = defineBlock({
  type: 'AgentLogout',
  version: 1,
  category: 'agent',
  label: 'Agent logout',
  description: 'Logs the agent out. Exits: success, failure.',
  params: z.object({ agent: templateField(200).default('{AGENT_ID}') }),
  exits: () => AGENT_EXITS,
  channels: VOICE_ONLY,
  writes: () => ['AGENT_RESULT'],
  compile: (p, h) => h.template(p.agent, 'agent'),
  async run(ctx, agent, signal) {
    const agentId = (await ctx.render(agent, signal)).trim();
    if (agentId === '') {
      ctx.vars.set('AGENT_RESULT', 'not-logged-in');
      return 'failure';
    }
    const agents = ctx.service('agents');
    return agentOutcome(ctx, signal, () => agents.logout(agentId, signal));
  },
});
