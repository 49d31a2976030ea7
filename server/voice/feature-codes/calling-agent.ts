// The agent a feature code acts on: the one whose extension is the calling channel's PJSIP endpoint
// (the account the phone authenticated as), never the caller id, which a phone sets at will. The
// same rule as the spy code's supervisor (server/voice/spy/feature-code.ts).
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { agents, users } from '../../db/schema.ts';
import { endpointOfChannel } from '../spy/supervisor-phone.ts';

export type CallingAgent = { ok: true; agentId: number; endpoint: string } | { ok: false; why: string };

export async function callingAgent(db: Db, channelName: string): Promise<CallingAgent> {
  const endpoint = endpointOfChannel(channelName);
  if (!endpoint) return { ok: false, why: `channel ${channelName} is not a phone's` };
  const [row] = await db
    .select({ id: users.id, disabled: users.disabled, locked: users.locked })
    .from(agents)
    .innerJoin(users, eq(users.id, agents.userId))
    .where(eq(agents.extension, endpoint));
  if (!row) return { ok: false, why: `no agent has extension ${endpoint}` };
  if (row.disabled || row.locked) return { ok: false, why: `the agent of extension ${endpoint} is disabled or locked` };
  return { ok: true, agentId: row.id, endpoint };
}
