// The one mapping from the domain's errors to the API's catalogue (errors.ts): the code picks the
// catalogue entry (so its status), the domain's explanation and details are kept as they are.
import type { DomainError, DomainErrorCode } from '../errors.ts';
import { ApiError, type ErrorCode } from './errors.ts';

const CATALOGUE_CODE: Record<DomainErrorCode, ErrorCode> = {
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  validation: 'VALIDATION_FAILED',
  forbidden: 'FORBIDDEN',
  internal: 'INTERNAL',
  invalid_credentials: 'INVALID_CREDENTIALS',
  account_locked: 'ACCOUNT_LOCKED',
  account_disabled: 'ACCOUNT_DISABLED',
  rate_limited: 'TOO_MANY_REQUESTS',
  reset_token_invalid: 'RESET_TOKEN_INVALID',
  reset_token_expired: 'RESET_TOKEN_EXPIRED',
  reset_token_used: 'RESET_TOKEN_USED',
  weak_password: 'WEAK_PASSWORD',
  mail_unavailable: 'MAIL_UNAVAILABLE',
  voice_unavailable: 'VOICE_UNAVAILABLE',
};

export function apiErrorOf(err: DomainError): ApiError {
  return new ApiError(CATALOGUE_CODE[err.code], err.explanation, err.details);
}
