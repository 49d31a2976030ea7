import { ExpressionError } from './errors.ts';
import { MAX_VALUE_DEPTH } from './limits.ts';
import { charge, checkLength, type Runtime } from './runtime.ts';

/** The data an expression reads and produces: JSON without undefined, NaN or Infinity. */
export type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

/**
 * What flows between compiled closures. Arrays and objects may come straight from the scope and
 * are not trusted: their members pass through `sanitize` when read, and `toPlain` deep-copies them
 * before they leave evaluate(). Copying eagerly on every lookup would make `http.body.status`
 * cost as much as the whole response body.
 */
export type PlainObject = { readonly [k: string]: unknown };
export type RtValue = string | number | boolean | null | readonly unknown[] | PlainObject;

export function isPlainObject(v: unknown): v is PlainObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Narrows anything the scope hands back to a runtime value. Functions, symbols, class instances,
 * NaN and ±Infinity read as "absent" (undefined) — a naive `name => vars[name]` scope would
 * otherwise leak `vars.constructor` or `vars.toString`.
 */
export function sanitize(v: unknown): RtValue | undefined {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : undefined;
    case 'object':
      if (v === null) return null;
      if (Array.isArray(v)) return v as readonly unknown[];
      return isPlainObject(v) ? v : undefined;
    default:
      return undefined;
  }
}

/** Reads a member of untrusted data; absent or unusable members read as null. */
export function member(v: unknown): RtValue {
  const s = sanitize(v);
  return s === undefined ? null : s;
}

/** Deep copy into fresh plain data, charging one step per node so huge values stay bounded. */
export function toPlain(v: RtValue, rt: Runtime, position: number | undefined, depth = 0): Value {
  if (typeof v !== 'object' || v === null) return v;
  if (depth >= MAX_VALUE_DEPTH) {
    throw new ExpressionError(`value nests deeper than ${MAX_VALUE_DEPTH} levels`, position, 'depth');
  }
  if (Array.isArray(v)) {
    const arr = v as readonly unknown[];
    charge(rt, arr.length, position);
    const out: Value[] = new Array<Value>(arr.length);
    for (let i = 0; i < arr.length; i++) out[i] = toPlain(member(arr[i]), rt, position, depth + 1);
    return out;
  }
  const out: { [k: string]: Value } = {};
  const keys = Object.keys(v);
  charge(rt, keys.length, position);
  for (const k of keys) {
    const m = sanitize((v as PlainObject)[k]);
    if (m === undefined) continue; // functions and the like vanish, as in JSON
    // defineProperty: a key named "__proto__" from JSON.parse data stays an ordinary own key.
    Object.defineProperty(out, k, { value: toPlain(m, rt, position, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Numbers in text. IVR data is text (DTMF digits, Asterisk channel variables), so text that
// looks like a decimal number takes part in arithmetic and ordering.

const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a text denotes, or undefined when it is not plain decimal notation. */
export function numericText(s: string): number | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  // Fast path: short runs of ASCII digits (the DTMF case).
  if (n <= 15) {
    let acc = 0;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      acc = acc * 10 + c;
    }
    if (i === n) return acc;
  }
  if (n > 400 || !NUMERIC_TEXT.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

export function formatNumber(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}

/** Text form used by templates, concatenation and string(): null is empty, lists/objects JSON. */
export function toText(v: RtValue, rt: Runtime, position: number | undefined): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v === null) return '';
      return checkLength(rt, JSON.stringify(toPlain(v, rt, position)), position);
  }
}

/**
 * Truthiness follows Asterisk's GotoIf (empty and "0" are false) plus the obvious extras:
 * false, null, 0, '', '0', 'false', [] and {} are false; everything else is true.
 */
export function truthy(v: RtValue): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string':
      return v !== '' && v !== '0' && v !== 'false';
    case 'number':
      return v !== 0;
    default:
      if (v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      return Object.keys(v).length > 0;
  }
}

export function typeName(v: RtValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'string') return 'text';
  return typeof v;
}

/** Short human description for error messages: `text "abc"`, `number 3`, `null`, `list`. */
export function describe(v: RtValue): string {
  switch (typeof v) {
    case 'string':
      return `text ${JSON.stringify(v.length > 24 ? `${v.slice(0, 24)}…` : v)}`;
    case 'number':
      return `number ${formatNumber(v)}`;
    case 'boolean':
      return `boolean ${String(v)}`;
    default:
      return typeName(v);
  }
}

/**
 * Equality (== and !=, contains, switch matching). Text is compared exactly — "007" is not "7",
 * because phone numbers and PINs keep their leading zeros. A number equals text that denotes the
 * same number (DTMF digits are text: `digits == 1`). null equals "" because an unset variable is
 * empty text in Asterisk and in templates. Lists and objects compare structurally.
 */
export function looseEquals(a: RtValue, b: RtValue, rt: Runtime, position: number | undefined, depth = 0): boolean {
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'number' && tb === 'string') return numericText(b as string) === a;
  if (ta === 'string' && tb === 'number') return numericText(a as string) === b;
  if (a === null) return b === '';
  if (b === null) return a === '';
  if (ta === 'boolean' && tb === 'string') return (a ? 'true' : 'false') === b;
  if (ta === 'string' && tb === 'boolean') return (b ? 'true' : 'false') === a;
  if (ta !== 'object' || tb !== 'object') return false;
  if (depth >= MAX_VALUE_DEPTH) {
    throw new ExpressionError(`value nests deeper than ${MAX_VALUE_DEPTH} levels`, position, 'depth');
  }
  const aArr = Array.isArray(a);
  if (aArr !== Array.isArray(b)) return false;
  if (aArr) {
    const x = a as readonly unknown[];
    const y = b as readonly unknown[];
    if (x.length !== y.length) return false;
    charge(rt, x.length, position);
    for (let i = 0; i < x.length; i++) {
      if (!looseEquals(member(x[i]), member(y[i]), rt, position, depth + 1)) return false;
    }
    return true;
  }
  const x = a as PlainObject;
  const y = b as PlainObject;
  const kx = Object.keys(x);
  if (kx.length !== Object.keys(y).length) return false;
  charge(rt, kx.length, position);
  for (const k of kx) {
    if (!Object.hasOwn(y, k)) return false;
    if (!looseEquals(member(x[k]), member(y[k]), rt, position, depth + 1)) return false;
  }
  return true;
}

/**
 * Ordering (< <= > >=, min, max). Numeric when both sides are numbers or numeric text ("10" > "9");
 * otherwise two texts compare by code unit. Anything else (null, booleans, number against
 * non-numeric text, lists) is a type error rather than a silent guess.
 * Returns negative, zero or positive.
 */
export function compareValues(a: RtValue, b: RtValue, position: number | undefined): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const na = typeof a === 'number' ? a : typeof a === 'string' ? numericText(a) : undefined;
  const nb = typeof b === 'number' ? b : typeof b === 'string' ? numericText(b) : undefined;
  if (na !== undefined && nb !== undefined) {
    if (na !== nb || typeof a !== 'string' || typeof b !== 'string') return na - nb;
    return exactIntegerTie(a, b);
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new ExpressionError(`cannot order ${describe(a)} and ${describe(b)}`, position, 'type');
}

const INTEGER_TEXT = /^[+-]?\d+$/;

/**
 * Two long digit strings (account numbers, 20-digit phone numbers) can round to the same double;
 * decide their order exactly instead of calling them equal.
 */
function exactIntegerTie(a: string, b: string): number {
  if (a.length <= 15 && b.length <= 15) return 0;
  if (!INTEGER_TEXT.test(a) || !INTEGER_TEXT.test(b)) return 0;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Strict numeric reading for arithmetic: numbers and numeric text only. */
export function toNumber(v: RtValue, position: number | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = numericText(v);
    if (n !== undefined) return n;
  }
  throw new ExpressionError(`${describe(v)} is not a number`, position, 'type');
}

export function finite(n: number, position: number | undefined): number {
  if (Number.isFinite(n)) return n === 0 ? 0 : n; // no -0: it would print as "0" yet compare oddly
  throw new ExpressionError('result is not a finite number', position, 'not-finite');
}
