// Recognising what went wrong in the database, whatever wraps it (drizzle wraps driver errors in
// DrizzleQueryError with the original as `cause`; PGlite and node-postgres both carry SQLSTATE `code`).

interface PgLikeError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
  cause?: unknown;
}

function* chain(err: unknown): Generator<PgLikeError> {
  let cur: unknown = err;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 8; depth++) {
    yield cur as PgLikeError;
    cur = (cur as PgLikeError).cause;
  }
}

export function sqlState(err: unknown): string | undefined {
  for (const e of chain(err)) if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return undefined;
}

/** The unique index that was violated (23505), e.g. `users_username_key`. */
export function uniqueViolation(err: unknown): string | undefined {
  for (const e of chain(err)) {
    if (e.code === '23505') {
      if (typeof e.constraint === 'string') return e.constraint;
      // PGlite reports the constraint in the message only.
      const m = typeof e.message === 'string' ? /constraint "([^"]+)"/.exec(e.message) : null;
      return m?.[1] ?? 'unknown';
    }
  }
  return undefined;
}

export function foreignKeyViolation(err: unknown): boolean {
  return sqlState(err) === '23503';
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// Class 08 (connection exception), 57P01-03 (admin shutdown, crash shutdown, cannot connect now), 53300 (too many connections).
const CONNECTION_STATES = /^(08...|57P0[123]|53300)$/;

export function isConnectionError(err: unknown): boolean {
  for (const e of chain(err)) {
    if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || CONNECTION_STATES.test(e.code))) return true;
    if (typeof e.message === 'string' && /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended/i.test(e.message))
      return true;
  }
  return false;
}

/** A short description for logs: code and message of the innermost error, never a connection string nor query parameters. */
export function describeDbError(err: unknown): string {
  let last: PgLikeError | undefined;
  for (const e of chain(err)) last = e;
  if (!last) return withoutQueryParams(String(err));
  const code = typeof last.code === 'string' ? `${last.code} ` : '';
  const message = typeof last.message === 'string' ? withoutQuotedValue(last.message, last.code) : String(last);
  return withoutQueryParams(code + message).replace(/postgres(ql)?:\/\/[^\s]+/g, '[database url]');
}

// --- what a log line may say about a failed query
//
// Query parameters are data: passwords' hashes, tokens' hashes, messages, addresses. drizzle's
// DrizzleQueryError writes them into its message ("Failed query: …\nparams: a,b") and keeps them
// in `params`; PGlite's errors carry `params` and `queryOptions`; PostgreSQL's `detail` can quote a
// whole row ("Failing row contains (…)") and `where` a parameter. None of it is ever logged.

/** Properties of an error (at any depth) that are never logged. */
export const UNLOGGED_ERROR_FIELDS: ReadonlySet<string> = new Set(['params', 'parameters', 'queryOptions', 'detail', 'where', 'internalQuery', 'values']);

const PARAMS_MARK = '\nparams: ';

/**
 * PostgreSQL's message without the value it quotes: a data exception (SQLSTATE class 22) ends with
 * the offending input, which is a parameter (`invalid input syntax for type uuid: "…"`).
 */
export function withoutQuotedValue(message: string, code: unknown): string {
  return typeof code === 'string' && code.startsWith('22') ? message.replace(/: "[\s\S]*"$/, ': "[withheld]"') : message;
}

/** The text with drizzle's "\nparams: …" part (to the end: parameters may hold newlines) withheld. */
export function withoutQueryParams(text: string): string {
  const at = text.indexOf(PARAMS_MARK);
  return at === -1 ? text : `${text.slice(0, at)}${PARAMS_MARK}[withheld]`;
}
