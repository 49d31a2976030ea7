// Staff → Agents: the DataTable in server mode. The search, the type filter, the sort and the page go to
// GET /api/agents as q, typology, sort, order, limit and offset; the server answers one page and the
// total (X-Total-Count), so a list of thousands never comes to the browser whole. The CSV export asks
// for the same list whole. Rows are selected across pages for the bulk actions (add to a queue or a
// team); the form (AgentForm.tsx) creates and edits.
import type { PaginationState, SortingState, ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AGENT_TYPOLOGIES, type AgentTypology } from '../../../../contracts/agents.ts';
import { AGENT_SORTS, type AgentSort } from '../../../../contracts/staff.ts';
import { describeError, type ApiClient } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { ActionConfirm } from '../kit/crud.tsx';
import { useDependents } from '../kit/dependents.ts';
import { DataTable } from '../kit/DataTable.tsx';
import { formatDateTime } from '../kit/format.ts';
import { FormError } from '../kit/forms.tsx';
import { useApiMutation, useApiPage, useApiQuery } from '../kit/query.tsx';
import { useDebounced } from '../kit/useDebounced.ts';
import { AgentForm } from './AgentForm.tsx';
import { addAgentsToQueue, addAgentsToTeam, type QueueRow, type TeamRow } from './agentMembership.ts';

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

/** The list's search, filters and order as query parameters (pure): the page and the export share them. */
function listParams(search: string, sorting: SortingState, typology: AgentTypology | ''): URLSearchParams {
  const params = new URLSearchParams();
  if (search.trim() !== '') params.set('q', search.trim());
  if (typology !== '') params.set('typology', typology);
  const sort = sorting[0];
  if (sort !== undefined && isSort(sort.id)) {
    params.set('sort', sort.id);
    params.set('order', sort.desc ? 'desc' : 'asc');
  }
  return params;
}

/** The API path for the table's state (pure, so the page and its test agree on it). */
export function agentsPath(search: string, sorting: SortingState, pagination: PaginationState, typology: AgentTypology | '' = ''): string {
  const params = listParams(search, sorting, typology);
  params.set('limit', String(pagination.pageSize));
  params.set('offset', String(pagination.pageIndex * pagination.pageSize));
  return `/api/agents?${params.toString()}`;
}

/** The CSV of every agent the list matches, in its order (pure). */
export function agentsExportPath(search: string, sorting: SortingState, typology: AgentTypology | ''): string {
  const params = listParams(search, sorting, typology).toString();
  return `/api/agents/export.csv${params === '' ? '' : `?${params}`}`;
}

/** Saves the export under agents.csv, through a link to the fetched file (the API wants the session's token). */
async function downloadCsv(api: ApiClient, path: string): Promise<void> {
  const url = URL.createObjectURL(await api.download(path));
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = 'agents.csv';
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // Revoked after the click has handed the file to the browser's download.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

export function AgentsPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [sorting, setSorting] = useState<SortingState>([]);
  const [pagination, setPagination] = useState<PaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE });
  const [typology, setTypology] = useState<AgentTypology | ''>('');
  const searched = useDebounced(search, SEARCH_PAUSE_MS);
  const page = useApiPage<AgentRow>(agentsPath(searched, sorting, pagination, typology));
  const { account, api } = useSession();
  const toast = useToast();
  const mayEdit = can(account, 'staff', 'edit');
  const mayDelete = can(account, 'staff', 'delete');
  const [deleting, setDeleting] = useState<AgentRow | null>(null);
  // null: no form open; 'new': a new agent; a number: that agent's form.
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  // Kept by id across pages and searches, so a selection can be built from several of them.
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [exportError, setExportError] = useState<string | null>(null);
  const shownRows = page.data?.rows ?? [];
  const allShownSelected = shownRows.length > 0 && shownRows.every((a) => selected.has(a.id));

  const toggle = (rows: readonly AgentRow[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const a of rows) {
        if (on) next.add(a.id);
        else next.delete(a.id);
      }
      return next;
    });

  const columns = useMemo<ColumnDef<AgentRow>[]>(
    () => [
      {
        id: 'fullName',
        header: t('agents.fullName'),
        accessorFn: (a) => a.fullName,
        enableHiding: false,
        // The selection box sits in the name's cell, so the name stays the row's first text.
        cell: (c) =>
          mayEdit ? (
            <span className="row-gap">
              <input
                type="checkbox"
                aria-label={t('agents.selectRow', { name: c.row.original.fullName })}
                checked={selected.has(c.row.original.id)}
                onChange={(e) => toggle([c.row.original], e.target.checked)}
              />
              {c.row.original.fullName}
            </span>
          ) : (
            c.row.original.fullName
          ),
      },
      { id: 'username', header: t('agents.username'), accessorFn: (a) => a.username },
      { id: 'extension', header: t('agents.extension'), accessorFn: (a) => a.extension },
      { id: 'typology', header: t('agents.typology'), accessorFn: (a) => a.typology },
      { id: 'createdAt', header: t('common.created'), accessorFn: (a) => a.createdAt, cell: (c) => formatDateTime(c.row.original.createdAt) },
      ...(mayEdit || mayDelete
        ? [
            {
              id: 'actions',
              header: t('common.actions'),
              enableSorting: false,
              enableHiding: false,
              cell: (c) => (
                <span className="row-gap">
                  {mayEdit ? (
                    <button type="button" className="btn btn-sm" onClick={() => setEditing(c.row.original.id)} aria-label={t('agents.editLabel', { name: c.row.original.fullName })}>
                      {t('common.edit')}
                    </button>
                  ) : null}
                  {mayDelete ? (
                    <button type="button" className="btn btn-sm btn-danger-text" onClick={() => setDeleting(c.row.original)} aria-label={`${t('common.delete')} ${c.row.original.fullName}`}>
                      {t('common.delete')}
                    </button>
                  ) : null}
                </span>
              ),
            } satisfies ColumnDef<AgentRow>,
          ]
        : []),
    ],
    [t, mayEdit, mayDelete, selected],
  );

  const exportCsv = () => {
    setExportError(null);
    downloadCsv(api, agentsExportPath(searched, sorting, typology)).catch((error: unknown) => setExportError(describeError(error)));
  };

  return (
    <div className="page" data-testid="agents-page">
      <header className="page-header">
        <div>
          <h1>{t('agents.title')}</h1>
          <p className="muted">{t('agents.intro')}</p>
        </div>
        <div className="row-gap">
          <button type="button" className="btn" onClick={exportCsv}>
            {t('agents.exportCsv')}
          </button>
          {mayEdit ? (
            <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
              {t('agents.add')}
            </button>
          ) : null}
        </div>
      </header>
      <div className="row-gap">
        <label className="field-inline">
          {t('agents.typologyFilter')}{' '}
          <select
            name="typology-filter"
            value={typology}
            onChange={(e) => {
              setTypology(e.target.value as AgentTypology | '');
              setPagination((p) => ({ ...p, pageIndex: 0 }));
            }}
          >
            <option value="">{t('agents.anyTypology')}</option>
            {AGENT_TYPOLOGIES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`agents.typologies.${ty}`)}
              </option>
            ))}
          </select>
        </label>
        {mayEdit ? (
          <label className="check">
            <input type="checkbox" checked={allShownSelected} disabled={shownRows.length === 0} onChange={(e) => toggle(shownRows, e.target.checked)} />
            {t('agents.selectPage')}
          </label>
        ) : null}
      </div>
      {selected.size > 0 ? <BulkActions selected={selected} onClear={() => setSelected(new Set())} onDone={(message) => toast('success', message)} /> : null}
      <FormError message={exportError} />
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
      {editing === null ? null : <AgentForm agentId={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

/** The selected agents added to a queue or a team; the selection stays for the next action. */
function BulkActions({ selected, onClear, onDone }: { selected: ReadonlySet<number>; onClear: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const queues = useApiQuery<QueueRow[]>('/api/queues');
  const teams = useApiQuery<TeamRow[]>('/api/teams');
  const ids = [...selected];
  const toQueue = useApiMutation((api, queue: QueueRow) => addAgentsToQueue(api, queue.id, ids), ['/api/queues', '/api/dependents', '/api/agents']);
  const toTeam = useApiMutation((api, team: TeamRow) => addAgentsToTeam(api, team, ids), ['/api/teams', '/api/dependents', '/api/agents']);
  const error = toQueue.error ?? toTeam.error ?? queues.error ?? teams.error;
  return (
    <section className="banner banner-info" aria-label={t('agents.selected', { count: selected.size })} data-testid="agents-bulk">
      <strong role="status">{t('agents.selected', { count: selected.size })}</strong>
      <div className="row-gap">
        <PickAndAdd
          label={t('agents.bulkQueue')}
          name="bulk-queue"
          options={queues.data ?? []}
          optionText={(q) => `${q.name} (${q.channel})`}
          action={t('agents.addToQueue')}
          busy={toQueue.isPending}
          onAdd={(queue) => toQueue.mutate(queue, { onSuccess: () => onDone(t('agents.addedToQueue_toast', { count: ids.length, name: queue.name })) })}
        />
        <PickAndAdd
          label={t('agents.bulkTeam')}
          name="bulk-team"
          options={teams.data ?? []}
          optionText={(x) => x.name}
          action={t('agents.addToTeam')}
          busy={toTeam.isPending}
          onAdd={(team) => toTeam.mutate(team, { onSuccess: () => onDone(t('agents.addedToTeam_toast', { count: ids.length, name: team.name })) })}
        />
        <button type="button" className="btn btn-sm btn-ghost" onClick={onClear}>
          {t('agents.clearSelection')}
        </button>
      </div>
      {error ? <FormError message={describeError(error)} /> : null}
    </section>
  );
}

/** One bulk target: a list to pick a queue (or team) from and the button that adds the selection to it. */
function PickAndAdd<T extends { readonly id: number }>({
  label,
  name,
  options,
  optionText,
  action,
  busy,
  onAdd,
}: {
  label: string;
  name: string;
  options: readonly T[];
  optionText: (option: T) => string;
  action: string;
  busy: boolean;
  onAdd: (option: T) => void;
}) {
  const { t } = useTranslation();
  const [pickedId, setPickedId] = useState('');
  const picked = options.find((o) => String(o.id) === pickedId);
  return (
    <>
      <label className="field-inline">
        {label}{' '}
        <select name={name} value={pickedId} onChange={(e) => setPickedId(e.target.value)}>
          <option value="">{t('common.choose')}</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {optionText(o)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="btn btn-sm" disabled={picked === undefined || busy} onClick={() => picked && onAdd(picked)}>
        {action}
      </button>
    </>
  );
}

/** Delete behind a confirmation that first asks the server where the agent is still used. */
function DeleteAgent({ agent, onDone }: { agent: AgentRow; onDone: () => void }) {
  const { t } = useTranslation();
  const dependents = useDependents('agent', agent.id);
  return (
    <ActionConfirm
      title={t('agents.deleteTitle', { name: agent.fullName })}
      confirmLabel={t('common.delete')}
      dependents={dependents}
      body={<p>{t('agents.deleteBody')}</p>}
      run={(api) => api.delete<void>(`/api/agents/${agent.id}`)}
      invalidates={['/api/agents', '/api/dependents']}
      doneToast={t('agents.deleted_toast', { name: agent.fullName })}
      onDone={onDone}
    />
  );
}
