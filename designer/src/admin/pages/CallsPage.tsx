// Voice → Call records: the list (GET /api/voice/calls, paged on the server, filtered by date range,
// direction, DID, caller, outcome and route) and, at /admin/voice/calls/<id>, one record with its
// IVR path drawn on the project version the call ran.
import type { ColumnDef, PaginationState, SortingState } from '@tanstack/react-table';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CALL_OUTCOMES, ROUTE_KINDS } from '../../../../contracts/voice.ts';
import { describeError } from '../../api/client.ts';
import { AppLink } from '../../ui/AppLink.tsx';
import { DataTable } from '../kit/DataTable.tsx';
import { formatDateTime } from '../kit/format.ts';
import { Field, FormError } from '../kit/forms.tsx';
import { useApiPage, useApiQuery } from '../kit/query.tsx';
import { useDebounced } from '../kit/useDebounced.ts';
import { PageHeader } from '../kit/crud.tsx';
import type { CallRow } from './call-record.ts';

const CallDetail = lazy(() => import('./CallDetail.tsx').then((m) => ({ default: m.CallDetail })));

/** What the list shows of GET /api/voice/calls rows. */
export interface CallFilters {
  /** datetime-local values (the browser's time zone). */
  readonly from: string;
  readonly to: string;
  readonly direction: string;
  readonly did: string;
  readonly outcome: string;
  readonly routeId: string;
}

const NO_FILTERS: CallFilters = { from: '', to: '', direction: '', did: '', outcome: '', routeId: '' };
const PAGE_SIZE = 25;
const TYPING_PAUSE_MS = 250;
const DETAIL = /^\/admin\/voice\/calls\/(\d+)$/;

/** A datetime-local value as the API's ISO date-time (with offset), or nothing when empty or invalid. */
function isoOf(local: string): string | undefined {
  if (local === '') return undefined;
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** The API path for the filters and the table's state (pure, so the page and its tests agree). */
export function callsPath(filters: CallFilters, caller: string, pagination: PaginationState): string {
  const params = new URLSearchParams();
  const from = isoOf(filters.from);
  const to = isoOf(filters.to);
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  if (filters.direction) params.set('direction', filters.direction);
  if (filters.did.trim()) params.set('did', filters.did.trim());
  if (caller.trim()) params.set('caller', caller.trim());
  if (filters.outcome) params.set('outcome', filters.outcome);
  if (filters.routeId) params.set('routeId', filters.routeId);
  params.set('limit', String(pagination.pageSize));
  params.set('offset', String(pagination.pageIndex * pagination.pageSize));
  return `/api/voice/calls?${params.toString()}`;
}

/** Seconds between two instants, or null while the call has not ended. */
export function durationSeconds(startedAt: string, endedAt: string | null): number | null {
  if (endedAt === null) return null;
  return Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000));
}

export function CallsPage({ path }: { path: string }) {
  const detail = DETAIL.exec(path);
  if (detail !== null)
    return (
      <Suspense fallback={null}>
        <CallDetail id={Number(detail[1])} />
      </Suspense>
    );
  return <CallList />;
}

interface RouteOption {
  readonly id: number;
  readonly name: string;
  readonly kind: string;
}

function CallList() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<CallFilters>(NO_FILTERS);
  const [caller, setCaller] = useState('');
  const [sorting, setSorting] = useState<SortingState>([]);
  const [pagination, setPagination] = useState<PaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE });
  // The path (a string) waits for typing to pause; filters and paging change it alike.
  const page = useApiPage<CallRow>(useDebounced(callsPath(filters, caller, pagination), TYPING_PAUSE_MS));
  const routes = useApiQuery<RouteOption[]>('/api/voice/routes');
  const routeName = useMemo(() => new Map((routes.data ?? []).map((r) => [r.id, r.name])), [routes.data]);

  const set = (key: keyof CallFilters) => (value: string) => {
    setFilters((f) => ({ ...f, [key]: value }));
    setPagination((p) => ({ ...p, pageIndex: 0 }));
  };

  const columns = useMemo<ColumnDef<CallRow>[]>(
    () => [
      { id: 'startedAt', header: t('calls.started'), enableSorting: false, enableHiding: false, cell: (c) => formatDateTime(c.row.original.startedAt) },
      { id: 'direction', header: t('calls.direction'), enableSorting: false, accessorFn: (r) => r.direction },
      { id: 'caller', header: t('calls.caller'), enableSorting: false, accessorFn: (r) => (r.callerName ? `${r.callerName} <${r.callerNumber}>` : r.callerNumber) },
      { id: 'did', header: t('calls.did'), enableSorting: false, accessorFn: (r) => r.did },
      { id: 'route', header: t('calls.route'), enableSorting: false, accessorFn: (r) => (r.routeId === null ? '' : (routeName.get(r.routeId) ?? `#${r.routeId}`)) },
      { id: 'outcome', header: t('calls.outcome'), enableSorting: false, accessorFn: (r) => r.outcome ?? '' },
      {
        id: 'duration',
        header: t('calls.duration'),
        enableSorting: false,
        accessorFn: (r) => {
          const s = durationSeconds(r.startedAt, r.endedAt);
          return s === null ? '' : `${s} s`;
        },
      },
      {
        id: 'open',
        header: t('calls.open'),
        enableSorting: false,
        enableHiding: false,
        cell: (c) => (
          <AppLink href={`/admin/voice/calls/${c.row.original.id}`} aria-label={t('calls.openLabel', { id: c.row.original.id })}>
            {t('calls.open')}
          </AppLink>
        ),
      },
    ],
    [t, routeName],
  );

  return (
    <div className="page" data-testid="calls-page">
      <PageHeader title={t('calls.title')} intro={t('calls.intro')} />
      <form className="admin-inline-form" aria-label={t('calls.filters')} onSubmit={(e) => e.preventDefault()} data-testid="call-filters">
        <Field label={t('common.from')}>
          {(props) => (
            <input {...props} type="datetime-local" name="from" value={filters.from} onChange={(e) => set('from')(e.target.value)} />
          )}
        </Field>
        <Field label={t('common.to')}>
          {(props) => (
            <input {...props} type="datetime-local" name="to" value={filters.to} onChange={(e) => set('to')(e.target.value)} />
          )}
        </Field>
        <Field label={t('calls.direction')}>
          {(props) => (
            <select {...props} name="direction" value={filters.direction} onChange={(e) => set('direction')(e.target.value)}>
              <option value="">{t('calls.any')}</option>
              {ROUTE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('calls.did')}>
          {(props) => (
            <input {...props} name="did" value={filters.did} onChange={(e) => set('did')(e.target.value)} size={12} />
          )}
        </Field>
        <Field label={t('calls.outcome')}>
          {(props) => (
            <select {...props} name="outcome" value={filters.outcome} onChange={(e) => set('outcome')(e.target.value)}>
              <option value="">{t('calls.any')}</option>
              {CALL_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('calls.route')}>
          {(props) => (
            <select {...props} name="routeId" value={filters.routeId} onChange={(e) => set('routeId')(e.target.value)}>
              <option value="">{t('calls.any')}</option>
              {(routes.data ?? []).map((r) => (
                <option key={r.id} value={String(r.id)}>
                  {r.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      {page.error ? <FormError message={describeError(page.error)} /> : null}
      <DataTable
        label={t('calls.title')}
        columns={columns}
        rows={page.data?.rows ?? []}
        rowId={(r) => String(r.id)}
        loading={page.isPending}
        testId="calls-table"
        server={{
          total: page.data?.total ?? 0,
          pagination,
          onPaginationChange: setPagination,
          // The table's search box searches the caller (number or name).
          search: caller,
          onSearchChange: setCaller,
          sorting,
          onSortingChange: setSorting,
        }}
      />
    </div>
  );
}
