// Conflicting edits are reported, not overwritten. The version of an editable row is its
// updated_at, to the millisecond (what a JavaScript Date holds, so what an editor was shown); an
// update that names the version it was read at only applies while the row still has it. Without
// a version an update applies as before (API clients that never read first).
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { DomainError } from '../errors.ts';

/** The version token of a row (the HTTP layer quotes it as the ETag). */
export function versionOf(updatedAt: Date): string {
  return String(updatedAt.getTime());
}

/** The row's last change from a version token; undefined when the token is not one. */
export function parseVersion(token: string): Date | undefined {
  return /^[0-9]{1,15}$/.test(token) ? new Date(Number(token)) : undefined;
}

/** SQL condition for the UPDATE: the row still has the version the editor read; undefined without one. */
export function unchangedSince(updatedAtColumn: AnyColumn, expected: Date | undefined): SQL | undefined {
  // Truncated as the driver truncates the microseconds PostgreSQL keeps.
  return expected ? sql`date_trunc('milliseconds', ${updatedAtColumn}) = ${expected.toISOString()}::timestamptz` : undefined;
}

/** 409: someone saved the row after the editor read it. */
export function staleEdit(what: string, id: string | number, current?: Date): DomainError {
  return new DomainError('conflict', `${what} ${id} was changed by someone else since you read it; reload it and make your change again`, {
    fields: [{ field: 'If-Match', message: 'is not the current version' }],
    reason: 'stale',
    ...(current ? { currentVersion: versionOf(current) } : {}),
  });
}

/** Refuses the edit when the row's current version is not the one the editor read (none given: no check). */
export function assertUnchanged(what: string, id: string | number, current: Date, expected: Date | undefined): void {
  if (expected && current.getTime() !== expected.getTime()) throw staleEdit(what, id, current);
}
