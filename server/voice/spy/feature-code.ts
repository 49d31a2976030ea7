// The spy feature code from any internal phone: <code><agent extension> (default *222, the setting
// `featureCodes.spy`, formerly `spyFeatureCode`), e.g. *2221001 listens to the agent on extension
// 1001. It reaches Tandem by the `_*X.` pattern of [tandem-internal] (asterisk/extensions_tandem.conf)
// and is recognised with the other feature codes before the internal routes are matched
// (server/voice/feature-codes/dispatch.ts).
//
// The supervisor is recognised by the ENDPOINT of the calling channel (agi_channel
// `PJSIP/2001-0000001a` → 2001) matched against users.phone = {kind: 'extension', value: '2001'};
// not by agi_callerid, which a phone can set to anything. The same checks as the board apply.
// Allowed: the channel is answered and handed to Stasis (EXEC Stasis tandem,spy,<session>, as
// agi-to-stasis.txt shows: the AGI socket is silent until the channel leaves Stasis), no origination
// needed; keys 4/5/6 switch listen/whisper/barge. Refused: a short error tone, hang-up, and a failed
// session in the audit (when both the supervisor and the agent are known).
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../logger.ts';
import type { AgiSession } from '../agi/agi-session.ts';
import { findAgentByExtension, principalOfExtension } from './spy-access.ts';
import { endpointOfChannel } from './supervisor-phone.ts';
import { SPY_STASIS_ARG, type SpyService } from './spy-service.ts';
import { SpyRefusal } from './spy-refusal.ts';

export interface SpyFeatureCodeDeps {
  db: Db;
  spy: SpyService;
  /** The Stasis application's name (ARI_APP). */
  ariApp: string;
  logger: Logger;
}

/** Asterisk core sound played before hanging up a refused feature code. */
export const REFUSED_PROMPT = 'beeperr';

/** `*2221001` with code `*222` → `1001`; undefined when the number is not this feature code. */
export function agentExtensionOf(dialed: string, code: string): string | undefined {
  if (!dialed.startsWith(code)) return undefined;
  return dialed.slice(code.length);
}

/** Listens to the agent of `extension` from the calling phone: the spy code's whole handling of the call. */
export function createSpyFeatureCode(deps: SpyFeatureCodeDeps): (session: AgiSession, extension: string, code: string) => Promise<void> {
  return async (session, extension, code) => {
    const env = session.env;
    const log = deps.logger.child({ call: env.uniqueId, featureCode: code });
    const refuse = async (why: string) => {
      log.info({ why }, 'spy feature code refused');
      await session.streamFile(REFUSED_PROMPT, '').catch(() => undefined);
      await session.hangup().catch(() => undefined);
    };
    const endpoint = endpointOfChannel(env.channel);
    const principal = endpoint ? await principalOfExtension(deps.db, endpoint) : undefined;
    if (!principal) {
      await refuse(`no supervisor has the phone of channel ${env.channel}`);
      return;
    }
    const agentId = /^[0-9A-Za-z]{1,20}$/.test(extension) ? await findAgentByExtension(deps.db, extension) : undefined;
    if (agentId === undefined) {
      await refuse(`no agent has extension '${extension}'`);
      return;
    }
    let sessionId: number;
    try {
      sessionId = await deps.spy.startFromFeatureCode(principal, agentId, { id: env.uniqueId, name: env.channel });
    } catch (err) {
      await refuse(err instanceof SpyRefusal ? err.reason : String(err));
      return;
    }
    try {
      await session.answer();
      await session.exec('Stasis', `${deps.ariApp},${SPY_STASIS_ARG},${sessionId}`);
      // Back from Stasis with the channel up: the app was missing (STASISSTATUS=FAILED at once), or
      // the session let it go. Either way it is over; the dialplan hangs up on DONE.
      const status = await session.getVariable('STASISSTATUS');
      await deps.spy.endFromFeatureCode(sessionId, status === 'FAILED' ? 'stasis-unavailable' : 'supervisor-hangup');
      if (status === 'FAILED') await session.streamFile(REFUSED_PROMPT, '').catch(() => undefined);
      await session.setVariable('TANDEM_STATUS', 'DONE').catch(() => undefined);
    } catch (err) {
      // Hung up while in Stasis (by the supervisor or by the session's teardown): the ARI side has
      // already ended the session, or ends it now.
      log.debug({ err: String(err) }, 'spy feature code channel ended');
      await deps.spy.endFromFeatureCode(sessionId, 'supervisor-hangup');
    }
  };
}
