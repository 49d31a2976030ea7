// The one place where errors become responses. Known errors keep their code; database outages are
// 503 (so clients retry); anything else is a 500 with a request id, logged with its stack.
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from '../logger.ts';
import { ApiError } from './errors.ts';
import { DomainError } from '../errors.ts';
import { apiErrorOf } from './domain-errors.ts';
import { isConnectionError, describeDbError } from '../db/errors.ts';

export function errorMiddleware(logger: Logger) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    const requestId = randomUUID();
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } catch (err) {
      let apiError: ApiError;
      if (err instanceof ApiError) {
        apiError = err;
      } else if (err instanceof DomainError) {
        apiError = apiErrorOf(err);
      } else if (isConnectionError(err)) {
        logger.warn({ requestId, err: describeDbError(err), path: ctx.path }, 'database unavailable');
        apiError = new ApiError('DATABASE_UNAVAILABLE');
      } else if (isHttpError(err) && err.status === 413) {
        apiError = new ApiError('PAYLOAD_TOO_LARGE');
      } else {
        logger.error({ requestId, err, method: ctx.method, path: ctx.path }, 'unhandled error');
        apiError = new ApiError('INTERNAL', `Internal error (request id ${requestId})`, { requestId });
      }
      ctx.status = apiError.status;
      ctx.body = apiError.toBody();
      if (apiError.status === 503) ctx.set('Retry-After', '2');
      if (apiError.status === 429 && typeof apiError.details.retryAfterSeconds === 'number') ctx.set('Retry-After', String(apiError.details.retryAfterSeconds));
    }
  };
}

function isHttpError(err: unknown): err is { status: number } {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}
