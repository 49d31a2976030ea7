// Tools → Audit trail: GET /api/audit one page at a time (the DataTable in server mode), filtered by
// actor, the beginning of the action, the subject and a time range. The filters go to the server as
// typed once typing pauses; the time fields are the user's local time, sent as instants.
import type { ColumnDef, PaginationState, SortingState } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../../contracts/audit.ts';
import { describeError } from '../../api/client.ts';
import { DataTable } from '../kit/DataTable.tsx';
import { formatDateTime } from '../kit/format.ts';
import { Field, FormError, formErrorsOf } from '../kit/forms.tsx';
import { useApiPage } from '../kit/query.tsx';
import { useDebounced } from '../kit/useDebounced.ts';
import { PageHeader } from '../kit/crud.tsx';
import { auditPath, type AuditFilters } from './audit-query.ts';
import './chat-tools.css';

const NO_FILTERS: AuditFilters = { actor: '', action: '', subject: '', from: '', to: '' };
const PAGE_SIZE = 50;
const TYPING_PAUSE_MS = 300;
const FILTER_FIELDS = ['actor', 'action', 'subject', 'from', 'to'] as const;

const NO_SORTING: SortingState = [];

export function AuditPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [pagination, setPagination] = useState<PaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE });
  const page = useApiPage<AuditEntry>(auditPath(useDebounced(filters, TYPING_PAUSE_MS), pagination));
  const errors = formErrorsOf(page.error, FILTER_FIELDS);
  const set = (key: keyof AuditFilters) => (value: string) => {
    setFilters((f) => ({ ...f, [key]: value }));
    setPagination((p) => ({ ...p, pageIndex: 0 }));
  };

  const columns = useMemo<ColumnDef<AuditEntry>[]>(
    () => [
      { id: 'at', header: t('audit.when'), accessorFn: (e) => e.at, cell: (c) => formatDateTime(c.row.original.at), enableSorting: false, enableHiding: false },
      {
        id: 'actor',
        header: t('audit.who'),
        accessorFn: (e) => e.actorName ?? (e.actorId === null ? t('audit.system') : t('audit.deletedActor', { id: e.actorId })),
        enableSorting: false,
      },
      { id: 'action', header: t('audit.what'), accessorFn: (e) => e.action, cell: (c) => <span className="mono">{c.row.original.action}</span>, enableSorting: false, enableHiding: false },
      { id: 'subject', header: t('audit.on'), accessorFn: (e) => e.subject ?? '', cell: (c) => <span className="mono">{c.row.original.subject ?? ''}</span>, enableSorting: false },
      {
        id: 'details',
        header: t('audit.details'),
        accessorFn: (e) => (Object.keys(e.details).length === 0 ? '' : JSON.stringify(e.details)),
        cell: (c) => <span className="mono small audit-details">{Object.keys(c.row.original.details).length === 0 ? '' : JSON.stringify(c.row.original.details)}</span>,
        enableSorting: false,
      },
    ],
    [t],
  );

  const input = (key: keyof AuditFilters, type: 'text' | 'datetime-local' = 'text') => (
    <Field key={key} label={t(`audit.${key}`)} error={errors.fields[key]}>
      {(props) => <input {...props} type={type} name={key} value={filters[key]} onChange={(e) => set(key)(e.target.value)} />}
    </Field>
  );

  return (
    <div className="page" data-testid="audit-page">
      <PageHeader title={t('audit.title')} intro={t('audit.intro')} />
      <form className="admin-inline-form" aria-label={t('audit.filters')} role="search" onSubmit={(e) => e.preventDefault()}>
        {input('actor')}
        {input('action')}
        {input('subject')}
        {input('from', 'datetime-local')}
        {input('to', 'datetime-local')}
        <button
          type="button"
          className="btn"
          onClick={() => {
            setFilters(NO_FILTERS);
            setPagination((p) => ({ ...p, pageIndex: 0 }));
          }}
        >
          {t('audit.clear')}
        </button>
      </form>
      <FormError message={page.error ? (errors.form ?? (Object.keys(errors.fields).length > 0 ? null : describeError(page.error))) : null} />
      <DataTable
        label={t('audit.title')}
        columns={columns}
        rows={page.data?.rows ?? []}
        rowId={(e) => String(e.id)}
        loading={page.isPending}
        testId="audit-table"
        searchable={false}
        pageSize={PAGE_SIZE}
        server={{
          total: page.data?.total ?? 0,
          pagination,
          onPaginationChange: setPagination,
          search: '',
          onSearchChange: () => undefined,
          sorting: NO_SORTING,
          onSortingChange: () => undefined,
        }}
      />
    </div>
  );
}
