// multipart/form-data uploads without a new dependency: the raw body is read with a hard byte limit
// (an oversize upload is cut off, never buffered whole), then parsed by the platform's own
// `Request.formData()` (undici, built into Node).
import type { Context } from 'koa';
import { ApiError } from '../http/errors.ts';
import { nulError } from '../http/nul.ts';
import { readLimited } from '../http/body.ts';

export async function readMultipartForm(ctx: Context, limitBytes: number): Promise<FormData> {
  const contentType = ctx.get('content-type');
  if (!ctx.is('multipart/form-data')) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `The request body must be multipart/form-data with a 'file' field, got '${contentType || 'none'}'`);
  }
  const length = ctx.request.length;
  if (length !== undefined && length > limitBytes) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `The request body is ${length} bytes; the limit is ${limitBytes}`, { limit: limitBytes });
  }
  const body = await readLimited(ctx.req, limitBytes);
  try {
    return await new Request('http://tandem.invalid/upload', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) }).formData();
  } catch (err) {
    throw new ApiError('VALIDATION_FAILED', `The multipart body could not be parsed: ${(err as Error).message}`, { fields: [{ field: '(body)', message: 'malformed multipart/form-data' }] });
  }
}

/** The single file part named `field`, as bytes. */
export async function filePart(form: FormData, field: string): Promise<{ bytes: Uint8Array; fileName: string }> {
  const entries = form.getAll(field);
  if (entries.length !== 1) {
    throw new ApiError('VALIDATION_FAILED', `Invalid request body: ${field}: ${entries.length === 0 ? 'a file is required' : 'send exactly one file'}`, {
      fields: [{ field, message: entries.length === 0 ? 'a file is required' : 'send exactly one file' }],
    });
  }
  const part = entries[0]!;
  if (typeof part === 'string') {
    throw new ApiError('VALIDATION_FAILED', `Invalid request body: ${field}: must be a file part, not a text field`, { fields: [{ field, message: 'must be a file part, not a text field' }] });
  }
  // The file's name is stored (chat attachments): PostgreSQL cannot hold a NUL.
  if (part.name.includes('\0')) throw nulError('request body', `${field}.filename`);
  return { bytes: new Uint8Array(await part.arrayBuffer()), fileName: part.name };
}

/** An optional text part; a file sent in its place is an error. */
export function textPart(form: FormData, field: string, maxLength: number): string | undefined {
  const value = form.get(field);
  if (value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError('VALIDATION_FAILED', `Invalid request body: ${field}: must be text`, { fields: [{ field, message: 'must be text' }] });
  if (value.length > maxLength) {
    throw new ApiError('VALIDATION_FAILED', `Invalid request body: ${field}: at most ${maxLength} characters`, { fields: [{ field, message: `at most ${maxLength} characters` }] });
  }
  if (value.includes('\0')) throw nulError('request body', field);
  return value;
}
