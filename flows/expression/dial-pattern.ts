import { ExpressionError } from './errors.ts';

/**
 * Asterisk extension patterns, the only pattern language callers' input is matched with —
 * never a user-supplied regular expression, whose backtracking could be driven to take forever
 * (ReDoS). Matching simulates all pattern positions at once (an NFA), so it costs
 * O(value length × pattern length) whatever the input.
 *
 *   X  any digit 0-9        Z  1-9        N  2-9        (also lower case)
 *   [1-5*#]  any one of the listed characters or ranges
 *   .  one or more of anything        !  zero or more of anything
 *   anything else matches itself. A leading "_" (Asterisk's pattern marker) is optional.
 */

type Item = { readonly kind: 'set'; readonly test: (c: number) => boolean } | { readonly kind: 'any'; readonly min: 0 | 1 };

export const MAX_PATTERN_LENGTH = 256;

const digit = (lo: number) => (c: number) => c >= lo && c <= 57;

function compile(pattern: string, position: number | undefined): readonly Item[] {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new ExpressionError(`dial pattern longer than ${MAX_PATTERN_LENGTH} characters`, position, 'length');
  }
  const items: Item[] = [];
  let i = pattern.startsWith('_') ? 1 : 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    switch (ch) {
      case 'X':
      case 'x':
        items.push({ kind: 'set', test: digit(48) });
        break;
      case 'Z':
      case 'z':
        items.push({ kind: 'set', test: digit(49) });
        break;
      case 'N':
      case 'n':
        items.push({ kind: 'set', test: digit(50) });
        break;
      case '.':
        items.push({ kind: 'any', min: 1 });
        break;
      case '!':
        items.push({ kind: 'any', min: 0 });
        break;
      case '[': {
        const close = pattern.indexOf(']', i + 1);
        if (close < 0) throw new ExpressionError(`dial pattern ${JSON.stringify(pattern)}: "[" without "]"`, position, 'syntax');
        const body = pattern.slice(i + 1, close);
        if (body.length === 0) throw new ExpressionError(`dial pattern ${JSON.stringify(pattern)}: empty [ ]`, position, 'syntax');
        items.push({ kind: 'set', test: charClass(body) });
        i = close;
        break;
      }
      default: {
        const code = ch.charCodeAt(0);
        items.push({ kind: 'set', test: (c) => c === code });
      }
    }
    i++;
  }
  return items;
}

function charClass(body: string): (c: number) => boolean {
  const ranges: Array<readonly [number, number]> = [];
  for (let j = 0; j < body.length; j++) {
    const lo = body.charCodeAt(j);
    if (body[j + 1] === '-' && j + 2 < body.length) {
      const hi = body.charCodeAt(j + 2);
      ranges.push(lo <= hi ? [lo, hi] : [hi, lo]);
      j += 2;
    } else {
      ranges.push([lo, lo]);
    }
  }
  return (c) => ranges.some(([lo, hi]) => c >= lo && c <= hi);
}

const cache = new Map<string, readonly Item[]>();
const CACHE_SIZE = 256;

function compiled(pattern: string, position: number | undefined): readonly Item[] {
  let items = cache.get(pattern);
  if (items === undefined) {
    items = compile(pattern, position);
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(pattern, items);
  }
  return items;
}

/** Throws an ExpressionError when the pattern is malformed. */
export function validateDialPattern(pattern: string, position?: number): void {
  compiled(pattern, position);
}

/** Whole-value match of an Asterisk-style dial pattern. */
export function matchDialPattern(value: string, pattern: string, position?: number): boolean {
  const items = compiled(pattern, position);
  const m = items.length;
  // Fast path for the usual shapes: fixed length (`_06XXXXXXXX`) or one trailing wildcard (`_00.`).
  const wildcards = items.reduce((n, it) => (it.kind === 'any' ? n + 1 : n), 0);
  const last = items[m - 1];
  if (wildcards === 0 || (wildcards === 1 && last?.kind === 'any')) {
    const fixed = wildcards === 0 ? m : m - 1;
    if (wildcards === 0 ? value.length !== fixed : value.length < fixed + (last?.kind === 'any' ? last.min : 0)) return false;
    for (let j = 0; j < fixed; j++) {
      const item = items[j] as Item;
      if (item.kind === 'set' && !item.test(value.charCodeAt(j))) return false;
    }
    return true;
  }
  // state[j]: the first j items have consumed the input read so far.
  let state = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  state[0] = 1;
  closeOverEmpty(items, state);
  for (let p = 0; p < value.length; p++) {
    const c = value.charCodeAt(p);
    next.fill(0);
    let alive = false;
    for (let j = 0; j < m; j++) {
      if (state[j] !== 1) continue;
      const item = items[j] as Item;
      if (item.kind === 'set') {
        if (item.test(c)) {
          next[j + 1] = 1;
          alive = true;
        }
      } else {
        // "." / "!" consume any character and may go on consuming (stay on j+1 as a loop).
        next[j + 1] = 1;
        alive = true;
      }
    }
    // A wildcard just passed may keep consuming: being past it, the state j+1 loops on itself.
    for (let j = 1; j <= m; j++) {
      if (state[j] === 1 && items[j - 1]?.kind === 'any') {
        next[j] = 1;
        alive = true;
      }
    }
    if (!alive) return false;
    closeOverEmpty(items, next);
    [state, next] = [next, state];
  }
  return state[m] === 1;
}

/** "!" may match nothing: being before it also means being after it. */
function closeOverEmpty(items: readonly Item[], state: Uint8Array): void {
  for (let j = 0; j < items.length; j++) {
    const item = items[j] as Item;
    if (state[j] === 1 && item.kind === 'any' && item.min === 0) state[j + 1] = 1;
  }
}
