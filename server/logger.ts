// Structured logs (pino). Anything that can carry a secret is redacted by path, so a debug level
// never prints a password, token or API key; and what a failed query carries (its parameters, a
// row quoted by PostgreSQL) never reaches a line, whichever way the error is logged: as `err`, under
// another key, as `String(err)`, or as the message (see UNLOGGED_ERROR_FIELDS in db/errors.ts).
import { pino, type Logger } from 'pino';
import { UNLOGGED_ERROR_FIELDS, withoutQueryParams, withoutQuotedValue } from './db/errors.ts';

export type { Logger };

const REDACT = [
  'password',
  '*.password',
  '*.*.password',
  'newPassword',
  '*.newPassword',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers.cookie',
  'databaseUrl',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      base: { app: 'tandem' },
      // Errors arrive here already made safe (logMethod below); pino's own serializer would
      // rename their type and fold in the causes' messages.
      serializers: { err: (e: unknown) => (e instanceof Error ? safeError(e, 0) : e) },
      hooks: {
        // Every argument of every call, before pino reads it (pino takes a missing message from
        // `err.message`, which is where drizzle writes the parameters).
        logMethod(args, method) {
          const first = args[0] as unknown;
          if (first instanceof Error) {
            const err = safeError(first, 0);
            const rest = args.slice(1).map((a) => scrubLogValue(a, 1));
            return method.apply(this, (rest.length ? [{ err }, ...rest] : [{ err }, err.message]) as Parameters<typeof method>);
          }
          return method.apply(this, args.map((a) => scrubLogValue(a, 0)) as Parameters<typeof method>);
        },
        // The last net, on the finished line: drizzle's "\nparams: …" text, wherever it got in.
        streamWrite: (line) => (line.includes('\\nparams: ') ? line.replace(/\\nparams: (?:[^"\\]|\\.)*/g, '\\nparams: [withheld]') : line),
      },
    },
    destination ?? process.stdout,
  );
}

const MAX_DEPTH = 8;

/** A value fit for a log line: errors made safe, strings without query parameters (copied only where something changes). */
export function scrubLogValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return withoutQueryParams(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (value instanceof Error) return safeError(value, depth);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const s = scrubLogValue(v, depth + 1);
      if (s !== v) (copy ??= [...(value as unknown[])])[i] = s;
    }
    return copy ?? value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value; // Dates, Buffers, class instances: as pino prints them
  let copy: Record<string, unknown> | undefined;
  for (const [key, v] of Object.entries(value)) {
    const s = scrubLogValue(v, depth + 1);
    if (s !== v) (copy ??= { ...(value as Record<string, unknown>) })[key] = s;
  }
  return copy ?? value;
}

interface SafeError {
  type: string;
  message: string;
  stack?: string;
  cause?: unknown;
  [key: string]: unknown;
}

/** An error as a plain object: type, message, stack and its own fields, with the unlogged ones left out (causes too). */
export function safeError(err: Error, depth: number): SafeError {
  const raw = err as Error & Record<string, unknown>;
  const type = err.constructor?.name || err.name;
  // drizzle's query error: the message is rebuilt from the SQL alone.
  const message = typeof raw.query === 'string' && 'params' in raw ? `Failed query: ${raw.query}` : withoutQuotedValue(withoutQueryParams(String(err.message)), raw.code);
  const out: SafeError = { type, message };
  if (typeof err.stack === 'string') {
    // The stack starts with "name: message" (parameters included); only the frames are kept after ours.
    const header = `${err.name}: ${err.message}`;
    if (err.stack.startsWith(header)) out.stack = `${err.name}: ${message}${err.stack.slice(header.length)}`;
    else {
      const frames = err.stack.split('\n').filter((l) => /^\s+at /.test(l));
      out.stack = [`${err.name}: ${message}`, ...frames].join('\n');
    }
  }
  for (const key of Object.keys(raw)) {
    if (key === 'cause' || key === 'stack' || key === 'message' || UNLOGGED_ERROR_FIELDS.has(key)) continue;
    out[key] = scrubLogValue(raw[key], depth + 1);
  }
  if (raw.cause !== undefined && depth < MAX_DEPTH) out.cause = raw.cause instanceof Error ? safeError(raw.cause, depth + 1) : scrubLogValue(raw.cause, depth + 1);
  return out;
}
