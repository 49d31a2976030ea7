// What the domain (queue engine, staff, chat, IVR storage, sign-in, spying) raises when it refuses something:
// a code from a closed list and the details a client needs, with nothing of HTTP in it. One mapping
// (server/http/domain-errors.ts) turns these into the API's error catalogue.

export type DomainErrorCode =
  | 'not_found'
  | 'conflict'
  | 'validation'
  | 'forbidden'
  | 'internal'
  | 'invalid_credentials'
  | 'account_locked'
  | 'account_disabled'
  | 'rate_limited'
  | 'reset_token_invalid'
  | 'reset_token_expired'
  | 'reset_token_used'
  | 'weak_password'
  | 'mail_unavailable'
  | 'voice_unavailable';

export interface FieldProblem {
  field: string;
  message: string;
}

export type ErrorDetails = { fields?: FieldProblem[] } & Record<string, unknown>;

export class DomainError extends Error {
  /** The words for people, when the catalogue's standard sentence for the code is not enough. */
  readonly explanation: string | undefined;
  constructor(
    readonly code: DomainErrorCode,
    explanation?: string,
    readonly details: ErrorDetails = {},
  ) {
    super(explanation ?? code);
    this.name = 'DomainError';
    this.explanation = explanation;
  }
}

export const notFound = (what: string, id?: string | number) =>
  new DomainError('not_found', id === undefined ? `${what} not found` : `${what} ${id} not found`, { resource: what, ...(id === undefined ? {} : { id }) });

export const conflict = (field: string, message: string) => new DomainError('conflict', message, { fields: [{ field, message }] });

/** Too many attempts; the API answers with a Retry-After of `retryAfterSeconds`. */
export const tooManyRequests = (retryAfterSeconds: number) => new DomainError('rate_limited', undefined, { retryAfterSeconds });
