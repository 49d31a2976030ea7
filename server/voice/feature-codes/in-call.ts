// The in-call codes (blind transfer, attended transfer, disconnect) on the calls Tandem connects with
// Asterisk's Dial(): Asterisk's own bridging features act on them, per channel, through the
// FEATUREMAP dialplan function, so Tandem's settings win over features.conf without touching it.
//
// Both sides get them: the calling channel directly (SET VARIABLE "FEATUREMAP(blindxfer)" "##"), the
// phone being rung through Dial's pre-dial handler b(), which runs [tandem-in-call-codes] of
// asterisk/extensions_tandem.conf on the new channel with the codes it inherited. Which party may
// use them is Dial's choice as ever (options t/T for transfers, h/H for disconnect).
//
// Not here: calls Tandem bridges itself over ARI (queue calls, listen/whisper/barge). Asterisk runs
// no bridging features in a Stasis bridge, whatever FEATUREMAP says (the web page says so).
import type { InCallFeature } from '../../../contracts/feature-codes.ts';
import type { AgiSession } from '../agi/agi-session.ts';

export type InCallCodes = Readonly<Record<InCallFeature, string>>;

/** Asterisk's name of each feature (features.conf [featuremap]) and the variable the rung phone inherits it by. */
const ASTERISK_FEATURE: Record<InCallFeature, { name: string; variable: string }> = {
  blindTransfer: { name: 'blindxfer', variable: 'TANDEM_BLINDXFER' },
  attendedTransfer: { name: 'atxfer', variable: 'TANDEM_ATXFER' },
  disconnect: { name: 'disconnect', variable: 'TANDEM_DISCONNECT' },
};

/** Dial's option running [tandem-in-call-codes] on each phone it rings. */
export const PREDIAL_IN_CALL_CODES = 'b(tandem-in-call-codes^s^1)';

/** Sets the codes on the channel of `session`, and makes them inherited by the channels it dials. */
export async function applyInCallCodes(session: AgiSession, codes: InCallCodes): Promise<void> {
  for (const [feature, { name, variable }] of Object.entries(ASTERISK_FEATURE) as [InCallFeature, (typeof ASTERISK_FEATURE)[InCallFeature]][]) {
    await session.setVariable(`FEATUREMAP(${name})`, codes[feature]);
    // Two underscores: inherited by the dialled channel and by what that one dials in turn.
    await session.setVariable(`__${variable}`, codes[feature]);
  }
}
