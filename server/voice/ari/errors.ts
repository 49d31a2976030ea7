/**
 * Typed ARI failures. HTTP statuses and Asterisk's bodies as in ari-rest.txt / ari-queue-bridge.txt:
 * 404 `{"message":"Channel not found"}`, 400 `{"message":"Application or extension must be specified"}`,
 * 500 `{"error":"Allocation failed"}` (note: `error`, not `message`).
 */
export type AriErrorCode =
  | 'ARI_NOT_CONNECTED'
  | 'ARI_UNREACHABLE'
  | 'ARI_AUTH'
  | 'ARI_BAD_REQUEST'
  | 'ARI_NOT_FOUND'
  | 'ARI_CONFLICT'
  | 'ARI_HTTP'
  | 'ARI_SERVER'
  | 'ARI_TIMEOUT'
  | 'ARI_PROTOCOL'
  | 'ARI_BAD_ARGUMENT';

export class AriError extends Error {
  readonly code: AriErrorCode;
  constructor(code: AriErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** REST asked for while the WebSocket is down (wazo-calld's ARINotConnected): nothing is sent. */
export class AriNotConnectedError extends AriError {
  constructor(what: string, state: string) {
    super('ARI_NOT_CONNECTED', `ARI ${what} refused: connection is ${state}`);
  }
}

/** Asterisk's HTTP server could not be reached (refused, unreachable, reset). */
export class AriUnreachableError extends AriError {
  readonly errno?: string;
  constructor(what: string, errno: string | undefined, options?: { cause?: unknown }) {
    super('ARI_UNREACHABLE', `ARI ${what}: Asterisk unreachable${errno ? ` (${errno})` : ''}`, options);
    this.errno = errno;
  }
}

export class AriTimeoutError extends AriError {
  constructor(what: string, timeoutMs: number) {
    super('ARI_TIMEOUT', `ARI ${what} got no answer within ${timeoutMs} ms`);
  }
}

/** Asterisk answered something that is not the documented shape (bad JSON, missing fields). */
export class AriProtocolError extends AriError {
  constructor(message: string) {
    super('ARI_PROTOCOL', message);
  }
}

/** A call refused before it was sent (empty id, bad option). */
export class AriArgumentError extends AriError {
  constructor(message: string) {
    super('ARI_BAD_ARGUMENT', message);
  }
}

/** Any non-2xx reply. `asteriskMessage` is the body's `message` or `error` text. */
export class AriHttpError extends AriError {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly asteriskMessage: string;
  constructor(code: AriErrorCode, status: number, method: string, path: string, asteriskMessage: string) {
    super(code, `ARI ${method} ${path} -> ${status}${asteriskMessage ? `: ${asteriskMessage}` : ''}`);
    this.status = status;
    this.method = method;
    this.path = path;
    this.asteriskMessage = asteriskMessage;
  }
}

export class AriBadRequestError extends AriHttpError {}
export class AriAuthError extends AriHttpError {}
export class AriNotFoundError extends AriHttpError {}
export class AriConflictError extends AriHttpError {}
export class AriServerError extends AriHttpError {}

/** Maps an HTTP status and body text to the typed error. */
export function errorFromHttp(status: number, method: string, path: string, bodyText: string): AriHttpError {
  let message = '';
  try {
    const body: unknown = JSON.parse(bodyText);
    if (body && typeof body === 'object') {
      const m = (body as Record<string, unknown>)['message'] ?? (body as Record<string, unknown>)['error'];
      if (typeof m === 'string') message = m;
    }
  } catch {
    message = bodyText.slice(0, 200);
  }
  // The path is logged and put in messages: strip the query (it may carry customer numbers).
  const bare = path.split('?')[0] ?? path;
  if (status === 400) return new AriBadRequestError('ARI_BAD_REQUEST', status, method, bare, message);
  if (status === 401 || status === 403) return new AriAuthError('ARI_AUTH', status, method, bare, message);
  if (status === 404) return new AriNotFoundError('ARI_NOT_FOUND', status, method, bare, message);
  if (status === 409) return new AriConflictError('ARI_CONFLICT', status, method, bare, message);
  if (status >= 500) return new AriServerError('ARI_SERVER', status, method, bare, message);
  return new AriHttpError('ARI_HTTP', status, method, bare, message);
}
