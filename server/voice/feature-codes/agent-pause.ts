// Agent pause code (default *47): every channel paused, reason `phone` as the IVR's Agent pause
// block records by default. Refused when the agent is not logged in.
import { pause } from '../../acd/presence.ts';
import type { PresenceChange } from './agent-presence.ts';

export const PHONE_PAUSE_REASON = 'phone';

export const agentPause: PresenceChange = (db, agentId) => pause(db, agentId, true, PHONE_PAUSE_REASON);
