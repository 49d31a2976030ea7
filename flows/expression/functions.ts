import { dateAdd, dateDiff, datePart, formatDate, isoText, toInstant } from './dates.ts';
import { matchDialPattern } from './dial-pattern.ts';
import { ExpressionError } from './errors.ts';
import { charge, checkLength, tooLong, type Runtime } from './runtime.ts';
import {
  describe, finite, isPlainObject, looseEquals, member, numericText, toNumber, toText,
  type RtValue,
} from './value.ts';

/**
 * The whitelist of functions. All are pure: they read their arguments only (no clock, no random,
 * no I/O) and never mutate them. Work proportional to input size is charged to the step budget
 * and produced text is checked against maxLength.
 */
export interface Builtin {
  readonly min: number;
  readonly max: number;
  /** `at[i]` is the source position of argument i, `pos` that of the call. */
  readonly fn: (args: readonly RtValue[], rt: Runtime, pos: number, at: readonly number[]) => RtValue;
}

const arg = (args: readonly RtValue[], i: number): RtValue => (i < args.length ? (args[i] as RtValue) : null);

function text(args: readonly RtValue[], i: number, rt: Runtime, at: readonly number[]): string {
  return toText(arg(args, i), rt, at[i]);
}

function integer(v: RtValue, position: number | undefined, what: string): number {
  const n = toNumber(v, position);
  if (!Number.isInteger(n)) throw new ExpressionError(`${what} must be a whole number, got ${describe(v)}`, position, 'type');
  return n;
}

function list(v: RtValue, position: number | undefined, what: string): readonly unknown[] {
  if (Array.isArray(v)) return v as readonly unknown[];
  throw new ExpressionError(`${what} must be a list, got ${describe(v)}`, position, 'type');
}

/** Half away from zero (2.5 → 3, -2.5 → -3), to `digits` decimals, without 1.005 → 1.00 surprises. */
function roundHalfAway(x: number, digits: number): number {
  const sign = x < 0 ? -1 : 1;
  const abs = Math.abs(x);
  const s = String(abs);
  if (digits === 0 || s.includes('e')) {
    const f = 10 ** digits;
    return (sign * Math.round(abs * f)) / f;
  }
  return sign * Number(`${Math.round(Number(`${s}e${digits}`))}e${-digits}`);
}

/** Asterisk ${VAR:offset:length}: negative offset counts from the end, negative length drops from the end. */
function substr(s: string, offset: number, length: number | undefined): string {
  const n = s.length;
  let start = offset < 0 ? Math.max(0, n + offset) : Math.min(offset, n);
  let end = n;
  if (length !== undefined) end = length < 0 ? Math.max(start, n + length) : Math.min(n, start + length);
  if (end < start) start = end;
  return s.slice(start, end);
}

function numbersOf(args: readonly RtValue[], rt: Runtime, pos: number, at: readonly number[], name: string): number[] {
  const only = args[0];
  if (args.length === 1 && Array.isArray(only)) {
    const items = only as readonly unknown[];
    if (items.length === 0) throw new ExpressionError(`${name}() of an empty list`, pos, 'type');
    charge(rt, items.length, pos);
    return items.map((x) => toNumber(member(x), at[0]));
  }
  return args.map((x, i) => toNumber(x, at[i]));
}

function isEmptyValue(v: RtValue): boolean {
  if (v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return false;
}

function zoneArg(args: readonly RtValue[], i: number, rt: Runtime, at: readonly number[]): string {
  return i < args.length ? text(args, i, rt, at) : 'UTC';
}

const FUNCTIONS: Readonly<Record<string, Builtin>> = {
  // --- text ---------------------------------------------------------------------------------
  len: {
    min: 1, max: 1,
    fn: (a, rt, _pos, at) => {
      const v = arg(a, 0);
      if (Array.isArray(v)) return v.length;
      if (isPlainObject(v)) return Object.keys(v).length;
      return toText(v, rt, at[0]).length;
    },
  },
  upper: { min: 1, max: 1, fn: (a, rt, pos, at) => checkLength(rt, text(a, 0, rt, at).toUpperCase(), pos) },
  lower: { min: 1, max: 1, fn: (a, rt, pos, at) => checkLength(rt, text(a, 0, rt, at).toLowerCase(), pos) },
  trim: { min: 1, max: 1, fn: (a, rt, _pos, at) => text(a, 0, rt, at).trim() },
  substr: {
    min: 2, max: 3,
    fn: (a, rt, _pos, at) =>
      substr(text(a, 0, rt, at), integer(arg(a, 1), at[1], 'offset'), a.length > 2 ? integer(arg(a, 2), at[2], 'length') : undefined),
  },
  contains: {
    min: 2, max: 2,
    fn: (a, rt, pos, at) => {
      const hay = arg(a, 0);
      const needle = arg(a, 1);
      if (Array.isArray(hay)) {
        const items = hay as readonly unknown[];
        charge(rt, items.length, pos);
        return items.some((x) => looseEquals(member(x), needle, rt, pos));
      }
      if (isPlainObject(hay)) return Object.hasOwn(hay, text(a, 1, rt, at));
      return text(a, 0, rt, at).includes(text(a, 1, rt, at));
    },
  },
  indexOf: {
    min: 2, max: 2,
    fn: (a, rt, pos, at) => {
      const hay = arg(a, 0);
      if (Array.isArray(hay)) {
        const items = hay as readonly unknown[];
        charge(rt, items.length, pos);
        return items.findIndex((x) => looseEquals(member(x), arg(a, 1), rt, pos));
      }
      return text(a, 0, rt, at).indexOf(text(a, 1, rt, at));
    },
  },
  startsWith: { min: 2, max: 2, fn: (a, rt, _pos, at) => text(a, 0, rt, at).startsWith(text(a, 1, rt, at)) },
  endsWith: { min: 2, max: 2, fn: (a, rt, _pos, at) => text(a, 0, rt, at).endsWith(text(a, 1, rt, at)) },
  replace: {
    min: 3, max: 3,
    fn: (a, rt, pos, at) => {
      const s = text(a, 0, rt, at);
      const search = text(a, 1, rt, at);
      const replacement = text(a, 2, rt, at);
      if (search === '') return s;
      // Literal text, every occurrence; measure before building so a huge result is never made.
      let count = 0;
      for (let i = s.indexOf(search); i >= 0; i = s.indexOf(search, i + search.length)) count++;
      const length = s.length + count * (replacement.length - search.length);
      if (length > rt.maxLength) tooLong(rt, length, pos);
      charge(rt, Math.ceil(count / 16), pos); // native and linear: charge lightly, but not nothing
      return s.split(search).join(replacement);
    },
  },
  split: {
    min: 1, max: 2,
    fn: (a, rt, pos, at) => {
      const s = text(a, 0, rt, at);
      const sep = a.length > 1 ? text(a, 1, rt, at) : ',';
      if (s === '') return [];
      // Never build more parts than the budget can pay for.
      const budget = rt.maxSteps - rt.steps + 1;
      const parts = s.split(sep, budget);
      charge(rt, parts.length, pos);
      return parts;
    },
  },
  join: {
    min: 1, max: 2,
    fn: (a, rt, pos, at) => {
      const items = list(arg(a, 0), at[0], 'join() first argument');
      const sep = a.length > 1 ? text(a, 1, rt, at) : ',';
      charge(rt, items.length, pos);
      let out = '';
      for (let i = 0; i < items.length; i++) {
        const piece = toText(member(items[i]), rt, pos);
        if (out.length + piece.length + sep.length > rt.maxLength) tooLong(rt, out.length + piece.length + sep.length, pos);
        out = i === 0 ? piece : out + sep + piece;
      }
      return out;
    },
  },
  concat: {
    min: 1, max: Infinity,
    fn: (a, rt, pos, at) => {
      let out = '';
      for (let i = 0; i < a.length; i++) {
        const piece = text(a, i, rt, at);
        if (out.length + piece.length > rt.maxLength) tooLong(rt, out.length + piece.length, pos);
        out += piece;
      }
      return out;
    },
  },
  matches: {
    min: 2, max: 2,
    fn: (a, rt, pos, at) => {
      const value = text(a, 0, rt, at);
      // The matcher is linear in the value; charge for long values so they cannot be free.
      charge(rt, Math.ceil(value.length / 16), pos);
      return matchDialPattern(value, text(a, 1, rt, at), at[1]);
    },
  },

  // --- conversion ---------------------------------------------------------------------------
  number: {
    min: 1, max: 2,
    fn: (a, _rt, _pos, at) => {
      const v = arg(a, 0);
      if (typeof v === 'number') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string') {
        const n = numericText(v.trim());
        if (n !== undefined) return n;
      }
      if (a.length > 1) return arg(a, 1);
      throw new ExpressionError(`${describe(v)} is not a number (give number() a second argument as default)`, at[0], 'type');
    },
  },
  string: { min: 1, max: 1, fn: (a, rt, _pos, at) => text(a, 0, rt, at) },

  // --- numbers ------------------------------------------------------------------------------
  round: {
    min: 1, max: 2,
    fn: (a, _rt, pos, at) => {
      const x = toNumber(arg(a, 0), at[0]);
      const digits = a.length > 1 ? integer(arg(a, 1), at[1], 'digits') : 0;
      if (digits < -15 || digits > 15) throw new ExpressionError('round() digits must be between -15 and 15', at[1], 'type');
      return finite(roundHalfAway(x, digits), pos);
    },
  },
  floor: { min: 1, max: 1, fn: (a, _rt, _pos, at) => Math.floor(toNumber(arg(a, 0), at[0])) },
  ceil: { min: 1, max: 1, fn: (a, _rt, _pos, at) => Math.ceil(toNumber(arg(a, 0), at[0])) },
  abs: { min: 1, max: 1, fn: (a, _rt, _pos, at) => Math.abs(toNumber(arg(a, 0), at[0])) },
  min: { min: 1, max: Infinity, fn: (a, rt, pos, at) => numbersOf(a, rt, pos, at, 'min').reduce((x, y) => (y < x ? y : x)) },
  max: { min: 1, max: Infinity, fn: (a, rt, pos, at) => numbersOf(a, rt, pos, at, 'max').reduce((x, y) => (y > x ? y : x)) },

  // --- emptiness ----------------------------------------------------------------------------
  coalesce: {
    min: 1, max: Infinity,
    fn: (a) => {
      for (const v of a) if (v !== null && v !== '') return v;
      return null;
    },
  },
  isEmpty: { min: 1, max: 1, fn: (a) => isEmptyValue(arg(a, 0)) },

  // --- dates (no clock: the instant is always an argument) ----------------------------------
  date: { min: 1, max: 1, fn: (a, _rt, _pos, at) => isoText(toInstant(arg(a, 0), at[0])) },
  epoch: { min: 1, max: 1, fn: (a, _rt, _pos, at) => toInstant(arg(a, 0), at[0]) },
  dateAdd: {
    min: 3, max: 3,
    fn: (a, rt, pos, at) => {
      const ms = dateAdd(toInstant(arg(a, 0), at[0]), toNumber(arg(a, 1), at[1]), text(a, 2, rt, at), at[2] ?? pos);
      return typeof arg(a, 0) === 'number' ? ms : isoText(ms);
    },
  },
  dateDiff: {
    min: 3, max: 3,
    fn: (a, rt, pos, at) => dateDiff(toInstant(arg(a, 0), at[0]), toInstant(arg(a, 1), at[1]), text(a, 2, rt, at), at[2] ?? pos),
  },
  datePart: {
    min: 2, max: 3,
    fn: (a, rt, _pos, at) => datePart(toInstant(arg(a, 0), at[0]), text(a, 1, rt, at), zoneArg(a, 2, rt, at), at[1]),
  },
  formatDate: {
    min: 2, max: 3,
    fn: (a, rt, _pos, at) => formatDate(toInstant(arg(a, 0), at[0]), text(a, 1, rt, at), zoneArg(a, 2, rt, at), at[1]),
  },
};

export function lookupFunction(name: string): Builtin | undefined {
  return Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
}

export const FUNCTION_NAMES: readonly string[] = Object.freeze(Object.keys(FUNCTIONS).sort());

