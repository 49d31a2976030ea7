// The one catalogue of API errors. Every error response has the shape
// `{ error: { code, message, details } }`; `code` is stable for clients, `message` is for people.
import type { ErrorDetails } from '../errors.ts';

export type { ErrorDetails, FieldProblem } from '../errors.ts';

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'The request is invalid' },
  MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be application/json' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication is required' },
  INVALID_CREDENTIALS: { status: 401, message: 'Wrong username or password' },
  // The same words whether the name exists or not: a lock must not tell which accounts exist.
  ACCOUNT_LOCKED: { status: 423, message: 'Too many failed logins for this account from your address; try again later or ask an administrator to unlock it' },
  ACCOUNT_DISABLED: { status: 403, message: 'The account is disabled' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, message: 'The password must be changed before anything else' },
  FORBIDDEN: { status: 403, message: 'You do not have permission to do this' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such API route' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed on this route' },
  CONFLICT: { status: 409, message: 'The resource already exists' },
  TOO_MANY_REQUESTS: { status: 429, message: 'Too many attempts from your address; try again later' },
  RESET_TOKEN_INVALID: { status: 400, message: 'The password reset link is invalid' },
  RESET_TOKEN_EXPIRED: { status: 400, message: 'The password reset link has expired; ask for a new one' },
  RESET_TOKEN_USED: { status: 400, message: 'The password reset link was already used; ask for a new one' },
  WEAK_PASSWORD: { status: 400, message: 'The password does not meet the password rules' },
  DATABASE_UNAVAILABLE: { status: 503, message: 'The database is unavailable; try again shortly' },
  VOICE_UNAVAILABLE: { status: 503, message: 'Telephony (Asterisk ARI) is not configured or not connected on this node' },
  MAIL_UNAVAILABLE: { status: 503, message: 'E-mail is not configured or the mail server is unreachable' },
  INTERNAL: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message ?? ERRORS[code].message);
    this.name = 'ApiError';
    this.status = ERRORS[code].status;
  }

  toBody(): { error: { code: ErrorCode; message: string; details: ErrorDetails } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

// The domain's helpers (they raise DomainError, which the error middleware maps); routes use them too.
export { notFound, conflict, tooManyRequests } from '../errors.ts';

export const forbidden = (message?: string) => new ApiError('FORBIDDEN', message);
