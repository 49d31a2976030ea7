// The three ways a supervisor joins an agent's call, and what each one asks of Asterisk. Taken from
// the capture test/fixtures/asterisk/ari-spy-whisper-barge.txt (Asterisk 22.10.1):
// - listen: a snoop on the AGENT's channel with spy=both whisper=none, bridged with the supervisor;
//   talk detection showed nobody hears the supervisor;
// - whisper: the same snoop with whisper=out: ONLY the agent hears the supervisor (whisper=in
//   would reach the caller instead, as if the agent spoke, so it is never used);
// - barge: the supervisor joins the call's own mixing bridge: all three talk.
import type { AriSnoopDirection } from '../ari/port.ts';

import { SPY_MODES, type SpyMode } from '../../../contracts/spy.ts';

export { SPY_MODES, type SpyMode };

/** Snoop directions per mode; barge needs no snoop. */
export function snoopDirections(mode: Exclude<SpyMode, 'barge'>): { spy: AriSnoopDirection; whisper: AriSnoopDirection } {
  return { spy: 'both', whisper: mode === 'whisper' ? 'out' : 'none' };
}

/**
 * Keys on the supervisor's phone, as Asterisk's ChanSpy(…,d) has them: 4 = spy (listen),
 * 5 = whisper, 6 = barge. Other keys are ignored.
 */
export const DTMF_MODES: Readonly<Record<string, SpyMode>> = Object.freeze({ '4': 'listen', '5': 'whisper', '6': 'barge' });

export function modeOfDigit(digit: string): SpyMode | undefined {
  return DTMF_MODES[digit];
}
