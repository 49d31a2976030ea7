// Agent login code (default *45): the agent of the calling desk phone logs in, offered calls on
// that phone. No PIN: the phone authenticated to Asterisk as the agent's own endpoint.
import { login } from '../../acd/presence.ts';
import type { PresenceChange } from './agent-presence.ts';

export const agentLogin: PresenceChange = (db, agentId, endpoint) => login(db, agentId, { device: 'phone', dialTarget: `PJSIP/${endpoint}` });
