// Optimistic concurrency over HTTP: GET of an editable resource sends its version as an ETag; an
// update may send it back in If-Match and gets 409 CONFLICT when someone else saved in between
// (server/db/row-version.ts). No If-Match (or `*`): the update applies unconditionally.
import type { Context } from 'koa';
import { parseVersion, versionOf } from '../db/row-version.ts';
import { ApiError } from './errors.ts';

export function etagOf(updatedAt: Date): string {
  return `"${versionOf(updatedAt)}"`;
}

/** The version the editor read, from If-Match; undefined when there is none or it is `*`. */
export function expectedVersion(ctx: Context): Date | undefined {
  const header = ctx.get('If-Match').trim();
  if (header === '' || header === '*') return undefined;
  const match = /^(?:W\/)?"([^"]*)"$/.exec(header);
  const version = match ? parseVersion(match[1]!) : undefined;
  if (!version) {
    throw new ApiError('VALIDATION_FAILED', 'Invalid header: If-Match: must be the ETag the resource was read with', {
      fields: [{ field: 'If-Match', message: 'must be the ETag the resource was read with' }],
    });
  }
  return version;
}

/** Answers with the resource and its version. */
export function sendVersioned<T extends { updatedAt: Date }>(ctx: Context, resource: T): void {
  ctx.set('ETag', etagOf(resource.updatedAt));
  ctx.body = resource;
}
