// JSON request bodies, read by hand so that the limit, the content type and malformed JSON each get
// their own clear error from the catalogue (and an oversize body is cut off, not buffered).
import type { Context, Next } from 'koa';
import { ApiError } from './errors.ts';
import { assertNoNulInBody } from './nul.ts';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function jsonBody(limitBytes: number) {
  return async function parseJsonBody(ctx: Context, next: Next): Promise<void> {
    if (!METHODS_WITH_BODY.has(ctx.method)) return next();
    const length = ctx.request.length;
    const hasBody = (length !== undefined && length > 0) || ctx.get('transfer-encoding') !== '';
    if (!hasBody) {
      ctx.state.body = undefined;
      return next();
    }
    // Uploads (sounds) are read by their own route with its own size limit.
    if (ctx.is('multipart/form-data')) return next();
    if (!ctx.is('application/json', 'application/*+json')) {
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `The request body must be application/json, got '${ctx.get('content-type') || 'none'}'`);
    }
    if (length !== undefined && length > limitBytes) {
      throw new ApiError('PAYLOAD_TOO_LARGE', `The request body is ${length} bytes; the limit is ${limitBytes}`, { limit: limitBytes });
    }
    const text = (await readLimited(ctx.req, limitBytes)).toString('utf8');
    let body: unknown;
    try {
      body = text.length === 0 ? undefined : (JSON.parse(text) as unknown);
    } catch (err) {
      throw new ApiError('MALFORMED_JSON', `The request body is not valid JSON: ${(err as Error).message}`);
    }
    // Once here, for every route: PostgreSQL cannot store a NUL (see nul.ts).
    if (text.includes('\\u0000')) assertNoNulInBody(body);
    ctx.state.body = body;
    return next();
  };
}

/** Reads a request body up to `limit` bytes; beyond that it stops buffering and answers 413. */
export function readLimited(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        stream.resume(); // drain the rest so the connection can answer
        reject(new ApiError('PAYLOAD_TOO_LARGE', `The request body exceeds the limit of ${limit} bytes`, { limit }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
