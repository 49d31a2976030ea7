// Agent unpause code (default *48): every channel unpaused. Refused when the agent is not logged in.
import { pause } from '../../acd/presence.ts';
import type { PresenceChange } from './agent-presence.ts';

export const agentUnpause: PresenceChange = (db, agentId) => pause(db, agentId, false, null);
