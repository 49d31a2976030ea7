/**
 * Calendar arithmetic for the Time condition block, done with Intl (present in Node and browsers)
 * so a project's business hours mean the same in the designer's simulator and on the server.
 */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface LocalTime {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number; // 1-31
  readonly weekday: Weekday;
  /** Minutes since local midnight. */
  readonly minutes: number;
}

export interface TimeInterval {
  /** Empty = every day. */
  readonly days: readonly Weekday[];
  /** 'HH:MM' local; `to` may be '24:00'. from > to spans midnight (22:00-06:00). */
  readonly from: string;
  readonly to: string;
  /** Optional date range, inclusive, 'YYYY-MM-DD'. */
  readonly dateFrom?: string;
  readonly dateTo?: string;
}

export const TIME_OF_DAY = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;
export const ISO_DATE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
/** A holiday: one date, or 'MM-DD' for every year. */
export const HOLIDAY = /^([0-9]{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Builds the converter once (per project), since creating Intl formatters is slow. */
export function localTimeIn(zone: string): (epochMs: number) => LocalTime {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (epochMs) => {
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let weekday: Weekday = 'sun';
    for (const part of format.formatToParts(epochMs)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value);
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'weekday':
          weekday = (part.value.slice(0, 3).toLowerCase() as Weekday) ?? 'sun';
          break;
        default:
          break;
      }
    }
    return { year, month, day, weekday, minutes: hour * 60 + minute };
  };
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

function isoDate(t: LocalTime): string {
  return `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
}

export function inInterval(t: LocalTime, interval: TimeInterval): boolean {
  if (interval.days.length > 0 && !interval.days.includes(t.weekday)) return false;
  const date = isoDate(t);
  if (interval.dateFrom !== undefined && date < interval.dateFrom) return false;
  if (interval.dateTo !== undefined && date > interval.dateTo) return false;
  const from = minutesOf(interval.from);
  const to = minutesOf(interval.to);
  if (from === to) return true; // a whole day
  if (from < to) return t.minutes >= from && t.minutes < to;
  return t.minutes >= from || t.minutes < to; // spans midnight
}

export function isHoliday(t: LocalTime, holidays: readonly string[]): boolean {
  const date = isoDate(t);
  const monthDay = date.slice(5);
  return holidays.some((h) => h === date || h === monthDay);
}
