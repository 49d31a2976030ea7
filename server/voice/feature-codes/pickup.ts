// Directed call pickup (default *8 + extension, e.g. *81001): the calling phone answers a call
// ringing on the phone of that extension.
//
// Asterisk's pickup applications over the AGI session. PickupChan(PJSIP/<extension>) rather than
// Pickup(<extension>@<context>): Pickup() matches the dialplan extension and context the ringing
// channel was dialled from, which a leg Tandem originates over ARI (queue calls) does not have;
// the channel name does, whichever way the phone rings (Asterisk appends the '-' itself, so 1001
// never picks up 10010). On success Asterisk moves this channel into the ringing one and the AGI
// session ends with a hang-up; on failure the application returns with the channel still here.
import type { Logger } from '../../logger.ts';
import type { AgiSession } from '../agi/agi-session.ts';
import { AgiCallEndedError } from '../agi/agi-errors.ts';
import { endpointOfChannel } from '../spy/supervisor-phone.ts';
import { refuse } from './tones.ts';

export async function pickup(session: AgiSession, extension: string, logger: Logger): Promise<void> {
  const log = logger.child({ call: session.env.uniqueId, feature: 'pickup', extension });
  const endpoint = endpointOfChannel(session.env.channel);
  if (!endpoint) {
    log.info({ channel: session.env.channel }, 'pickup refused: not dialled from a phone');
    await refuse(session);
    return;
  }
  if (endpoint === extension) {
    await refuse(session);
    return;
  }
  try {
    await session.exec('PickupChan', `PJSIP/${extension}`);
  } catch (err) {
    if (err instanceof AgiCallEndedError) {
      log.info({ by: endpoint }, 'call picked up');
      return;
    }
    throw err;
  }
  // Still here: nothing was ringing there (or someone else was quicker).
  log.info({ by: endpoint }, 'pickup found no ringing call');
  await refuse(session);
}
