import { z } from 'zod';
import { VOICE_ONLY, defineBlock, type BlockContext } from '../block.ts';
import type { AgentResult, AgentsPort } from '../services.ts';
import { templateField } from './params.ts';

/**
 * Shared tail of the agent blocks: an agent-service answer becomes success/failure, with the
 * reason kept in AGENT_RESULT so the flow can tell "wrong PIN" from "not logged in".
 */
export async function agentOutcome(ctx: BlockContext, signal: AbortSignal, action: () => Promise<AgentResult>): Promise<string> {
  let result: AgentResult;
  try {
    result = await action();
  } catch (error) {
    if (signal.aborted) throw error;
    ctx.log('warn', `agent service failed: ${error instanceof Error ? error.message : String(error)}`);
    ctx.vars.set('AGENT_RESULT', 'failed');
    return 'failure';
  }
  ctx.vars.set('AGENT_RESULT', result.ok ? 'ok' : result.reason);
  return result.ok ? 'success' : 'failure';
}

export const AGENT_EXITS: readonly string[] = ['success', 'failure'];

/**
 * The agent blocks whose only parameter is which agent (by default the one logged in earlier in
 * the call): Agent logout and Agent unpause differ only in the service call they make.
 */
export function agentOnlyBlock(spec: {
  type: string;
  label: string;
  description: string;
  action: (agents: AgentsPort, agentId: string, signal: AbortSignal) => Promise<AgentResult>;
}) {
  return defineBlock({
    type: spec.type,
    version: 1,
    category: 'agent',
    label: spec.label,
    description: spec.description,
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
      return agentOutcome(ctx, signal, () => spec.action(agents, agentId, signal));
    },
  });
}
