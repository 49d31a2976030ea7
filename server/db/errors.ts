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

/** A short description for logs: code and message of the innermost error, never a connection string. */
export function describeDbError(err: unknown): string {
  let last: PgLikeError | undefined;
  for (const e of chain(err)) last = e;
  if (!last) return String(err);
  const code = typeof last.code === 'string' ? `${last.code} ` : '';
  const message = typeof last.message === 'string' ? last.message : String(last);
  return (code + message).replace(/postgres(ql)?:\/\/[^\s]+/g, '[database url]');
}
