import { agentOnlyBlock } from '../runtime/agents.ts';

/** Logs a remote agent out (by default the one logged in earlier in this call). */
export const agentLogoutBlock = agentOnlyBlock({
  type: 'AgentLogout',
  label: 'Agent logout',
  description: 'Logs the agent out. Exits: success, failure.',
  action: (agents, agentId, signal) => agents.logout(agentId, signal),
});
