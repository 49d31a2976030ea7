import { ExpressionError } from './errors.ts';
import { describe, numericText, type RtValue } from './value.ts';

/**
 * Date helpers that never read the clock: every function takes the instant it works on, so an
 * evaluation depends on its inputs only (the interpreter puts "now" in the scope if a flow needs
 * it). An instant is epoch milliseconds (number or numeric text) or ISO-8601 text; a zone-less ISO
 * text is UTC. Time zones are IANA names resolved through Intl, which is deterministic.
 */

const MAX_MS = 8.64e15; // the range of a JavaScript Date
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function toInstant(v: RtValue, position: number | undefined): number {
  let ms: number | undefined;
  if (typeof v === 'number') ms = v;
  else if (typeof v === 'string') ms = numericText(v) ?? parseIso(v, position);
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new ExpressionError(`${describe(v)} is not a date (epoch milliseconds or ISO-8601 text)`, position, 'type');
  }
  if (Math.abs(ms) > MAX_MS) throw new ExpressionError('date out of range', position, 'type');
  return Math.trunc(ms);
}

function parseIso(s: string, position: number | undefined): number | undefined {
  if (s.length > 40) return undefined;
  const m = ISO.exec(s);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = sec === undefined ? 0 : Number(sec);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new ExpressionError(`${JSON.stringify(s)} is not a valid date`, position, 'type');
  }
  const millis = frac === undefined ? 0 : Math.trunc(Number(`0.${frac}`) * 1000);
  let offset = 0;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
  }
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, millis);
  return utc.getTime() - offset * 60_000;
}

export function isoText(ms: number): string {
  return new Date(ms).toISOString();
}

// --- calendar parts in a time zone ------------------------------------------------------------

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const WEEKDAYS: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string, position: number | undefined): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', weekday: 'short',
        year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      throw new ExpressionError(`unknown time zone ${JSON.stringify(zone.slice(0, 40))}`, position, 'type');
    }
    if (formatters.size >= 64) formatters.clear();
    formatters.set(zone, f);
  }
  return f;
}

export function partsOf(ms: number, zone: string, position: number | undefined): Parts {
  const d = new Date(ms);
  if (zone === 'UTC' || zone === 'Z') {
    return {
      year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(),
      minute: d.getUTCMinutes(), second: d.getUTCSeconds(), millisecond: d.getUTCMilliseconds(),
      weekday: ((d.getUTCDay() + 6) % 7) + 1,
    };
  }
  const out: Parts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond: d.getUTCMilliseconds(), weekday: 0 };
  for (const p of formatter(zone, position).formatToParts(d)) {
    switch (p.type) {
      case 'year': out.year = Number(p.value); break;
      case 'month': out.month = Number(p.value); break;
      case 'day': out.day = Number(p.value); break;
      case 'hour': out.hour = Number(p.value); break;
      case 'minute': out.minute = Number(p.value); break;
      case 'second': out.second = Number(p.value); break;
      case 'weekday': out.weekday = WEEKDAYS[p.value] ?? 0; break;
      default: break;
    }
  }
  return out;
}

const PART_NAMES = ['year', 'month', 'day', 'hour', 'minute', 'second', 'millisecond', 'weekday'] as const;
type PartName = (typeof PART_NAMES)[number];

export function datePart(ms: number, part: string, zone: string, position: number | undefined): number {
  if (!(PART_NAMES as readonly string[]).includes(part)) {
    throw new ExpressionError(`unknown date part ${JSON.stringify(part.slice(0, 40))}; use one of ${PART_NAMES.join(', ')}`, position, 'type');
  }
  return partsOf(ms, zone, position)[part as PartName];
}

// --- arithmetic --------------------------------------------------------------------------------

const FIXED_UNITS: Readonly<Record<string, number>> = {
  ms: 1, millisecond: 1, milliseconds: 1,
  s: 1000, second: 1000, seconds: 1000,
  m: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};
const MONTH_UNITS: Readonly<Record<string, number>> = { month: 1, months: 1, year: 12, years: 12 };

function unknownUnit(unit: string, position: number | undefined): never {
  throw new ExpressionError(
    `unknown time unit ${JSON.stringify(unit.slice(0, 40))}; use ms, seconds, minutes, hours, days, weeks, months or years`,
    position,
    'type',
  );
}

/** Adds calendar months in UTC, clamping the day (Jan 31 + 1 month = Feb 28/29). */
function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month + 1));
  const out = new Date(ms);
  out.setUTCFullYear(year, month, day);
  return out.getTime();
}

export function dateAdd(ms: number, amount: number, unit: string, position: number | undefined): number {
  let result: number;
  const fixed = FIXED_UNITS[unit];
  const months = MONTH_UNITS[unit];
  if (fixed !== undefined && Object.hasOwn(FIXED_UNITS, unit)) result = ms + amount * fixed;
  else if (months !== undefined && Object.hasOwn(MONTH_UNITS, unit)) {
    if (!Number.isInteger(amount)) throw new ExpressionError('months and years are added in whole numbers', position, 'type');
    if (Math.abs(amount) > 300_000) throw new ExpressionError('date out of range', position, 'type');
    result = addMonths(ms, amount * months);
  } else unknownUnit(unit, position);
  if (!Number.isFinite(result) || Math.abs(result) > MAX_MS) throw new ExpressionError('date out of range', position, 'type');
  return Math.trunc(result);
}

/** Whole units from a to b (negative when b is earlier), truncated toward zero. */
export function dateDiff(a: number, b: number, unit: string, position: number | undefined): number {
  const fixed = FIXED_UNITS[unit];
  if (fixed !== undefined && Object.hasOwn(FIXED_UNITS, unit)) return Math.trunc((b - a) / fixed);
  const months = MONTH_UNITS[unit];
  if (months === undefined || !Object.hasOwn(MONTH_UNITS, unit)) unknownUnit(unit, position);
  const da = new Date(a);
  const db = new Date(b);
  let total = (db.getUTCFullYear() - da.getUTCFullYear()) * 12 + (db.getUTCMonth() - da.getUTCMonth());
  // Step back one if the last month is not complete yet.
  if (total > 0 && addMonths(a, total) > b) total--;
  else if (total < 0 && addMonths(a, total) < b) total++;
  return Math.trunc(total / months);
}

// --- formatting ----------------------------------------------------------------------------------

const TOKENS = /\[[^\]]*\]|YYYY|YY|MM|DD|HH|mm|ss|SSS|ddd|E/g;
const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** YYYY YY MM DD HH mm ss SSS, ddd (Mon…Sun), E (weekday 1-7), [literal text]. */
export function formatDate(ms: number, pattern: string, zone: string, position: number | undefined): string {
  if (pattern.length > 256) throw new ExpressionError('date format longer than 256 characters', position, 'length');
  const p = partsOf(ms, zone, position);
  return pattern.replace(TOKENS, (t) => {
    switch (t) {
      case 'YYYY': return pad(p.year, 4);
      case 'YY': return pad(p.year % 100, 2);
      case 'MM': return pad(p.month, 2);
      case 'DD': return pad(p.day, 2);
      case 'HH': return pad(p.hour, 2);
      case 'mm': return pad(p.minute, 2);
      case 'ss': return pad(p.second, 2);
      case 'SSS': return pad(p.millisecond, 3);
      case 'ddd': return DAY_NAMES[p.weekday] ?? '';
      case 'E': return String(p.weekday);
      default: return t.slice(1, -1); // [literal]
    }
  });
}
