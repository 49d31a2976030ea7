// Agent logout code (default *46). Logging out an agent who is not logged in is refused (error
// tone), so that the agent learns they were not.
import { getPresence, logout } from '../../acd/presence.ts';
import type { PresenceChange } from './agent-presence.ts';

export const agentLogout: PresenceChange = async (db, agentId) => {
  if (!(await getPresence(db, agentId)).loggedIn) return 'not logged in';
  return logout(db, agentId, 'phone');
};
