// Listen, whisper and barge as the web app and the server both speak of them: the three modes and
// the supervisor's own phone. The server's behaviour per mode lives in server/voice/spy/.

/** The spy_sessions and spy_mode_changes CHECK constraints repeat this list in SQL. */
export const SPY_MODES = ['listen', 'whisper', 'barge'] as const;
export type SpyMode = (typeof SPY_MODES)[number];

/** A supervisor's own phone: an extension (PJSIP endpoint) or an external number dialled through the outbound routes. */
export interface SupervisorPhone {
  kind: 'extension' | 'external';
  value: string;
}
