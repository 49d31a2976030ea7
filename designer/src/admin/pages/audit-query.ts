// The Tools → Audit trail page's filters as GET /api/audit's query (pure: the page and its test agree
// on it). The time fields hold what a datetime-local input holds (the user's local time, no zone)
// and go to the server as instants.
import type { PaginationState } from '@tanstack/react-table';

export interface AuditFilters {
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  /** As a datetime-local input holds it (local time, no zone), or ''. */
  readonly from: string;
  readonly to: string;
}

/** A datetime-local value as an instant; what the browser cannot read is sent as typed, for the server to name. */
const instant = (local: string): string => {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
};

/** The API path for the filters and the page. */
export function auditPath(filters: AuditFilters, pagination: PaginationState): string {
  const params = new URLSearchParams();
  for (const key of ['actor', 'action', 'subject'] as const) if (filters[key].trim() !== '') params.set(key, filters[key].trim());
  if (filters.from !== '') params.set('from', instant(filters.from));
  if (filters.to !== '') params.set('to', instant(filters.to));
  params.set('limit', String(pagination.pageSize));
  params.set('offset', String(pagination.pageIndex * pagination.pageSize));
  return `/api/audit?${params.toString()}`;
}
