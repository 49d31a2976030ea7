// What the four agent codes share: find the calling agent, run one presence change, answer with a
// tone. The changes are those of the IVR's Agent blocks (server/acd/presence.ts), recorded as
// made from the phone; the queue engine is told at once, as for the blocks.
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../logger.ts';
import type { AgiSession } from '../agi/agi-session.ts';
import type { AgentPresence } from '../../acd/presence.ts';
import { callingAgent } from './calling-agent.ts';
import { confirm, refuse } from './tones.ts';

export interface AgentCodeDeps {
  db: Db;
  logger: Logger;
  /** The queue engine's presenceChanged: a paused or logged-out agent is no longer offered calls. */
  onPresence?: (presence: AgentPresence) => void;
}

/** One presence change: the new presence, or why it is refused (the error tone). */
export type PresenceChange = (db: Db, agentId: number, endpoint: string) => Promise<AgentPresence | string>;

export async function runAgentCode(deps: AgentCodeDeps, session: AgiSession, feature: string, change: PresenceChange): Promise<void> {
  const log = deps.logger.child({ call: session.env.uniqueId, feature });
  const agent = await callingAgent(deps.db, session.env.channel);
  if (!agent.ok) {
    log.info({ why: agent.why }, 'agent feature code refused');
    await refuse(session);
    return;
  }
  let outcome: AgentPresence | string;
  try {
    outcome = await change(deps.db, agent.agentId, agent.endpoint);
  } catch (err) {
    outcome = err instanceof Error ? err.message : String(err);
  }
  if (typeof outcome === 'string') {
    log.info({ agent: agent.agentId, why: outcome }, 'agent feature code refused');
    await refuse(session);
    return;
  }
  deps.onPresence?.(outcome);
  log.info({ agent: agent.agentId }, 'agent feature code done');
  await confirm(session);
}
