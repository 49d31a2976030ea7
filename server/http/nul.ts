// The NUL character (U+0000) at the edge. PostgreSQL cannot store it in text or jsonb, so a NUL that
// reached a query failed there as a 500; it is refused where input enters instead — JSON bodies,
// query strings, path segments and socket.io payloads — with a 400 naming the field.
import type { Context, Next } from 'koa';
import { ApiError } from './errors.ts';

export const NUL_MESSAGE = 'must not contain the NUL character (\\u0000)';

/** Deepest nesting searched; deeper values are refused as a whole (the body's root is named). */
const MAX_DEPTH = 64;

/**
 * The path of the first string (or object key) holding a NUL, as `a.b.0.c`; '' for the value itself;
 * undefined when there is none. Keys with a NUL are named by their parent's path and the key escaped.
 */
export function findNul(value: unknown, path: readonly (string | number)[] = []): string | undefined {
  const found = walk(value, path as (string | number)[], 0);
  return found === undefined ? undefined : found.map(String).join('.');
}

function walk(value: unknown, path: (string | number)[], depth: number): (string | number)[] | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], [...path, i], depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  // Binary payloads (socket.io uploads) are bytes, not text.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('\0')) return [...path, JSON.stringify(key).slice(1, -1)];
    const found = walk(child, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A 400 VALIDATION_FAILED naming the field, as parseBody's failures do. */
export function nulError(where: string, field: string): ApiError {
  const name = field || '(body)';
  return new ApiError('VALIDATION_FAILED', `Invalid ${where}: ${name}: ${NUL_MESSAGE}`, { fields: [{ field: name, message: NUL_MESSAGE }] });
}

/** Throws the 400 when the parsed JSON body holds a NUL anywhere. */
export function assertNoNulInBody(body: unknown): void {
  const field = findNul(body);
  if (field !== undefined) throw nulError('request body', field);
}

/**
 * Refuses a NUL in the query string or the path (percent-encoded as %00) before any route runs;
 * bodies are checked where they are parsed (jsonBody).
 */
export function rejectNulInUrl() {
  return async function noNulInUrl(ctx: Context, next: Next): Promise<void> {
    // Cheap test first: a NUL can only arrive percent-encoded.
    if (/%00/.test(ctx.url)) {
      if (/%00/.test(ctx.path)) throw nulError('path', '(path)');
      const field = findNul(ctx.query);
      if (field !== undefined) throw nulError('query', field);
    }
    return next();
  };
}
