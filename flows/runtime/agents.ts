import type { BlockContext } from '../block.ts';
import type { AgentResult } from '../services.ts';

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
