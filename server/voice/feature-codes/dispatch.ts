// Feature codes dialled on internal phones, recognised before the internal routes (call-handler.ts):
// the number is matched against the codes of the settings, and the one feature it names handles
// the call. A number that is no feature code goes on to the routes.
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../logger.ts';
import type { AgiSession } from '../agi/agi-session.ts';
import type { AgentPresence } from '../../acd/presence.ts';
import type { DialledFeature } from '../../../contracts/feature-codes.ts';
import { readSettings } from '../../settings/settings.ts';
import { STATUS_VARIABLE } from '../call-handler.ts';
import { matchFeatureCode } from './match.ts';
import { runAgentCode, type PresenceChange } from './agent-presence.ts';
import { agentLogin } from './agent-login.ts';
import { agentLogout } from './agent-logout.ts';
import { agentPause } from './agent-pause.ts';
import { agentUnpause } from './agent-unpause.ts';
import { pickup } from './pickup.ts';
import { refuse } from './tones.ts';

export interface FeatureCodeDeps {
  db: Db;
  logger: Logger;
  onPresence?: (presence: AgentPresence) => void;
  /** The spy code's handling (server/voice/spy/feature-code.ts); absent without ARI, and the code is refused. */
  spy?: (session: AgiSession, extension: string, code: string) => Promise<void>;
}

const AGENT_CODES: Partial<Record<DialledFeature, PresenceChange>> = { agentLogin, agentLogout, agentPause, agentUnpause };

/** Returns false when the number is no feature code (the call goes on to the internal routes). */
export function createFeatureCodes(deps: FeatureCodeDeps): (session: AgiSession, dialled: string) => Promise<boolean> {
  return async (session, dialled) => {
    const match = matchFeatureCode(dialled, (await readSettings(deps.db)).featureCodes);
    if (!match) return false;
    const agentChange = AGENT_CODES[match.feature];
    if (agentChange) await runAgentCode(deps, session, match.feature, agentChange);
    else if (match.feature === 'pickup') await pickup(session, match.extension!, deps.logger);
    else if (match.feature === 'spy' && deps.spy) {
      await deps.spy(session, match.extension!, match.code);
      return true;
    } else {
      deps.logger.info({ call: session.env.uniqueId, feature: match.feature }, 'feature code refused: listening needs ARI');
      await refuse(session);
    }
    // The channel is hung up by now, or back from a pickup that found nothing: DONE ends it in the dialplan.
    await session.setVariable(STATUS_VARIABLE, 'DONE').catch(() => undefined);
    return true;
  };
}
