// Staff → Agents: the DataTable in server mode. The search, the sort and the page go to
// GET /api/agents as q, sort, order, limit and offset; the server answers one page and the total
// (X-Total-Count), so a list of thousands never comes to the browser whole.
import type { PaginationState, SortingState, ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AGENT_SORTS, type AgentSort } from '../../../../contracts/staff.ts';
import { describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { ConfirmDialog } from '../kit/ConfirmDialog.tsx';
import { useDependents } from '../kit/dependents.ts';
import { DataTable } from '../kit/DataTable.tsx';
import { formatDateTime } from '../kit/format.ts';
import { FormError } from '../kit/forms.tsx';
import { useApiMutation, useApiPage } from '../kit/query.tsx';
import { useDebounced } from '../kit/useDebounced.ts';

/** What the list shows of GET /api/agents rows. */
export interface AgentRow {
  readonly id: number;
  readonly fullName: string;
  readonly username: string;
  readonly extension: string;
  readonly typology: string;
  readonly createdAt: string;
}

const PAGE_SIZE = 25;
const SEARCH_PAUSE_MS = 250;
const isSort = (id: string): id is AgentSort => (AGENT_SORTS as readonly string[]).includes(id);

/** The API path for the table's state (pure, so the page and its test agree on it). */
export function agentsPath(search: string, sorting: SortingState, pagination: PaginationState): string {
  const params = new URLSearchParams();
  if (search.trim() !== '') params.set('q', search.trim());
  const sort = sorting[0];
  if (sort !== undefined && isSort(sort.id)) {
    params.set('sort', sort.id);
    params.set('order', sort.desc ? 'desc' : 'asc');
  }
  params.set('limit', String(pagination.pageSize));
  params.set('offset', String(pagination.pageIndex * pagination.pageSize));
  return `/api/agents?${params.toString()}`;
}

export function AgentsPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [sorting, setSorting] = useState<SortingState>([]);
  const [pagination, setPagination] = useState<PaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE });
  const page = useApiPage<AgentRow>(agentsPath(useDebounced(search, SEARCH_PAUSE_MS), sorting, pagination));
  const { account } = useSession();
  const mayDelete = can(account, 'staff', 'delete');
  const [deleting, setDeleting] = useState<AgentRow | null>(null);

  const columns = useMemo<ColumnDef<AgentRow>[]>(
    () => [
      { id: 'fullName', header: t('agents.fullName'), accessorFn: (a) => a.fullName, enableHiding: false },
      { id: 'username', header: t('agents.username'), accessorFn: (a) => a.username },
      { id: 'extension', header: t('agents.extension'), accessorFn: (a) => a.extension },
      { id: 'typology', header: t('agents.typology'), accessorFn: (a) => a.typology },
      { id: 'createdAt', header: t('agents.created'), accessorFn: (a) => a.createdAt, cell: (c) => formatDateTime(c.row.original.createdAt) },
      ...(mayDelete
        ? [
            {
              id: 'actions',
              header: t('agents.actions'),
              enableSorting: false,
              enableHiding: false,
              cell: (c) => (
                <button type="button" className="btn btn-sm btn-danger-text" onClick={() => setDeleting(c.row.original)} aria-label={`${t('agents.delete')} ${c.row.original.fullName}`}>
                  {t('agents.delete')}
                </button>
              ),
            } satisfies ColumnDef<AgentRow>,
          ]
        : []),
    ],
    [t, mayDelete],
  );

  return (
    <div className="page" data-testid="agents-page">
      <header className="page-header">
        <div>
          <h1>{t('agents.title')}</h1>
          <p className="muted">{t('agents.intro')}</p>
        </div>
      </header>
      {page.error ? <FormError message={describeError(page.error)} /> : null}
      <DataTable
        label={t('agents.title')}
        columns={columns}
        rows={page.data?.rows ?? []}
        rowId={(a) => String(a.id)}
        loading={page.isPending}
        testId="agents-table"
        server={{
          total: page.data?.total ?? 0,
          pagination,
          onPaginationChange: setPagination,
          search,
          onSearchChange: setSearch,
          sorting,
          onSortingChange: setSorting,
        }}
      />
      {deleting === null ? null : <DeleteAgent agent={deleting} onDone={() => setDeleting(null)} />}
    </div>
  );
}

/** Delete behind a confirmation that first asks the server where the agent is still used. */
function DeleteAgent({ agent, onDone }: { agent: AgentRow; onDone: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const dependents = useDependents('agent', agent.id);
  const remove = useApiMutation((api, id: number) => api.delete<void>(`/api/agents/${id}`), ['/api/agents', '/api/dependents']);
  return (
    <ConfirmDialog
      title={t('agents.deleteTitle', { name: agent.fullName })}
      confirmLabel={t('agents.delete')}
      dependents={dependents}
      busy={remove.isPending}
      error={remove.error ? describeError(remove.error) : null}
      onCancel={onDone}
      onConfirm={() =>
        remove.mutate(agent.id, {
          onSuccess: () => {
            toast('success', t('agents.deleted_toast', { name: agent.fullName }));
            onDone();
          },
        })
      }
    >
      <p>{t('agents.deleteBody')}</p>
    </ConfirmDialog>
  );
}
