import { z } from 'zod';
import { VOICE_ONLY, defineBlock } from '../block.ts';
import { templateField, variableField } from '../runtime/params.ts';
import { AGENT_EXITS, agentOutcome } from '../runtime/agents.ts';

/**
 * Remote agent login from any phone: the agent identifies by extension or username plus PIN and
 * may give a number to be called on (default: the phone they are calling from).
 */
export const agentLoginBlock = defineBlock({
  type: 'AgentLogin',
  version: 1,
  category: 'agent',
  label: 'Agent login',
  description: 'Logs an agent in (extension or username + PIN, optional phone number to be called on). Exits: success, failure.',
  params: z.object({
    identifyBy: z.enum(['extension', 'username']).default('extension'),
    identity: templateField(200).min(1, 'required'),
    pin: templateField(200).min(1, 'required'),
    phone: templateField(200).default('{CALLERID(num)}'),
    agentVariable: variableField().default('AGENT_ID'),
  }),
  exits: () => AGENT_EXITS,
  channels: VOICE_ONLY,
  writes: (p) => [p.agentVariable, 'AGENT_RESULT'],
  compile: (p, h) => ({
    identifyBy: p.identifyBy,
    identity: h.template(p.identity, 'identity'),
    pin: h.template(p.pin, 'pin'),
    phone: h.template(p.phone, 'phone'),
    agentVariable: p.agentVariable,
  }),
  async run(ctx, p, signal) {
    const identity = (await ctx.render(p.identity, signal)).trim();
    const pin = (await ctx.render(p.pin, signal)).trim();
    const phone = (await ctx.render(p.phone, signal)).replace(/[\s()-]/g, '');
    if (identity === '' || pin === '') {
      ctx.vars.set('AGENT_RESULT', 'unknown-agent');
      return 'failure';
    }
    const agents = ctx.service('agents');
    return agentOutcome(ctx, signal, async () => {
      const result = await agents.login(
        {
          identity: p.identifyBy === 'extension' ? { by: 'extension', extension: identity } : { by: 'username', username: identity },
          pin,
          phone,
        },
        signal,
      );
      if (result.ok) ctx.vars.set(p.agentVariable, result.agentId);
      return result;
    });
  },
});
