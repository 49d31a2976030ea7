// Words and numbers for the board: durations, agent statuses, Asterisk device states.
import type { AgentChannelStatus, BoardCallState } from '../../../contracts/realtime-board.ts';

/** `0:07`, `12:45`, `1:02:03`: minutes and seconds, hours only when needed. Negative (clock skew) shows 0:00. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** For screen readers, which read `1:02` as a time of day. */
export function spokenDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h > 0 ? `${h} h` : '', m > 0 ? `${m} min` : '', `${s} s`].filter(Boolean);
  return parts.join(' ');
}

export const STATUS_LABELS: Readonly<Record<AgentChannelStatus, string>> = {
  offline: 'Logged out',
  ready: 'Ready',
  paused: 'Paused',
  busy: 'Busy',
  'wrap-up': 'Wrap-up',
};

export const CALL_STATE_LABELS: Readonly<Record<BoardCallState, string>> = {
  ivr: 'In IVR',
  queued: 'Waiting',
  ringing: 'Ringing',
  talking: 'Talking',
};

const DEVICE_STATES: Readonly<Record<string, string>> = {
  NOT_INUSE: 'Idle',
  INUSE: 'In use',
  BUSY: 'Busy',
  RINGING: 'Ringing',
  RINGINUSE: 'Ringing (in use)',
  ONHOLD: 'On hold',
  UNAVAILABLE: 'Unavailable',
  INVALID: 'Invalid',
  UNKNOWN: 'Unknown',
};

/** Asterisk's device state in words; unknown values are shown as Asterisk wrote them. */
export function deviceStateLabel(state: string | null): string {
  if (state === null) return 'Unknown';
  return DEVICE_STATES[state.toUpperCase()] ?? state;
}

/** A colour family for a device state: ok (free), busy, bad (unreachable), unknown. */
export function deviceStateTone(state: string | null): 'ok' | 'busy' | 'bad' | 'unknown' {
  switch (state?.toUpperCase()) {
    case 'NOT_INUSE':
      return 'ok';
    case 'INUSE':
    case 'BUSY':
    case 'RINGING':
    case 'RINGINUSE':
    case 'ONHOLD':
      return 'busy';
    case 'UNAVAILABLE':
    case 'INVALID':
      return 'bad';
    default:
      return 'unknown';
  }
}

export function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value)}%`;
}

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st: a caller's place in line. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}
