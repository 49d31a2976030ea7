// Words and numbers for the board: durations, agent statuses, Asterisk device states.
import type { AgentChannelStatus, BoardCallState } from '../../../contracts/realtime-board.ts';
import { formatNumber } from '../admin/kit/format.ts';
import { i18next } from '../i18n/index.ts';

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
  const t = i18next.t;
  const parts = [h > 0 ? t('board.duration.hours', { n: h }) : '', m > 0 ? t('board.duration.minutes', { n: m }) : '', t('board.duration.seconds', { n: s })].filter(Boolean);
  return parts.join(' ');
}

/** An agent's status on a channel in words. */
export function statusLabel(status: AgentChannelStatus): string {
  return i18next.t(`board.statuses.${status}`);
}

/** Where a call is (IVR, waiting, ringing, talking) in words. */
export function callStateLabel(state: BoardCallState): string {
  return i18next.t(`board.callStates.${state}`);
}

const DEVICE_STATES = ['NOT_INUSE', 'INUSE', 'BUSY', 'RINGING', 'RINGINUSE', 'ONHOLD', 'UNAVAILABLE', 'INVALID', 'UNKNOWN'] as const;

/** Asterisk's device state in words; unknown values are shown as Asterisk wrote them. */
export function deviceStateLabel(state: string | null): string {
  if (state === null) return i18next.t('board.deviceStates.UNKNOWN');
  const known = DEVICE_STATES.find((d) => d === state.toUpperCase());
  return known === undefined ? state : i18next.t(`board.deviceStates.${known}`);
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
  return value === null ? '—' : formatNumber(Math.round(value) / 100, undefined, { style: 'percent' });
}

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st: a caller's place in line (the language's ordinal rules). */
export function ordinal(n: number): string {
  return i18next.t('board.place', { count: n, ordinal: true });
}
