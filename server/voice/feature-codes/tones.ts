// What a phone hears after a feature code that does its work at once (agent login, pause…): a short
// confirmation or error tone, then Tandem hangs up. Asterisk's core sounds, present on any install.
import type { AgiSession } from '../agi/agi-session.ts';

export const CONFIRM_TONE = 'beep';
export const ERROR_TONE = 'beeperr';

async function toneThenHangup(session: AgiSession, tone: string): Promise<void> {
  // Answered first: on a ringing channel most phones would not play the early media.
  await session.answer().catch(() => undefined);
  await session.streamFile(tone, '').catch(() => undefined);
  await session.hangup().catch(() => undefined);
}

export const confirm = (session: AgiSession) => toneThenHangup(session, CONFIRM_TONE);
export const refuse = (session: AgiSession) => toneThenHangup(session, ERROR_TONE);
