import { agentOnlyBlock } from '../runtime/agents.ts';

/** Ends a remote agent's pause. */
export const agentUnpauseBlock = agentOnlyBlock({
  type: 'AgentUnpause',
  label: 'Agent unpause',
  description: 'Ends the agent pause. Exits: success, failure.',
  action: (agents, agentId, signal) => agents.unpause(agentId, signal),
});
