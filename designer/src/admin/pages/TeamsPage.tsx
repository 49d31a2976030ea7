// Staff → Teams: named groups of agents (GET/POST/PATCH/DELETE /api/teams, members through
// PUT /api/teams/:id/agents). The name is edited with the version it was read at (If-Match); delete
// first lists the queues that still route to the team.
import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { teamCreateSchema, teamUpdateSchema } from '../../../../contracts/staff.ts';
import { describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { ActionConfirm } from '../kit/crud.tsx';
import { FormDialog } from '../kit/FormDialog.tsx';
import { isStaleEdit, StaleSave, useVersioned } from '../kit/versioned.tsx';
import { DataTable } from '../kit/DataTable.tsx';
import { useDependents } from '../kit/dependents.ts';
import { formatNumber } from '../kit/format.ts';
import { checkAgainst, Field, FormError, formErrorsOf, type FormErrors } from '../kit/forms.tsx';
import { useApiMutation, useApiQuery } from '../kit/query.tsx';
import type { AgentRow } from './AgentsPage.tsx';
import { AgentCombobox } from '../kit/AgentCombobox.tsx';
import './staff.css';

/** A row of GET /api/teams. */
export interface Team {
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
  readonly agentIds: readonly number[];
}

const TEAMS = '/api/teams';
const FORM_FIELDS = ['name', 'description'];
const INVALIDATES = [TEAMS, '/api/dependents'];
// Members are picked from every agent the account may see; the API pages at most 10 000.
// The team's own agents, for their names; others are found through the picker's server-side search.
const agentsOfTeam = (id: number) => `/api/agents?teamId=${id}&limit=10000&sort=fullName&order=asc`;

export function TeamsPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const list = useApiQuery<Team[]>(TEAMS);
  const mayEdit = can(account, 'staff', 'edit');
  const mayDelete = can(account, 'staff', 'delete');
  const [editing, setEditing] = useState<{ id: number | null } | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);

  const columns = useMemo<ColumnDef<Team>[]>(
    () => [
      { id: 'name', header: t('common.name'), accessorFn: (r) => r.name, enableHiding: false },
      { id: 'description', header: t('common.description'), accessorFn: (r) => r.description ?? '' },
      { id: 'members', header: t('teams.members'), accessorFn: (r) => r.agentIds.length, cell: (c) => formatNumber(c.row.original.agentIds.length), enableGlobalFilter: false },
      ...(mayEdit || mayDelete
        ? [
            {
              id: 'actions',
              header: t('common.actions'),
              enableSorting: false,
              enableHiding: false,
              cell: (c) => (
                <div className="row-gap">
                  {mayEdit ? (
                    <button type="button" className="btn btn-sm" onClick={() => setEditing({ id: c.row.original.id })} aria-label={`${t('common.edit')} ${c.row.original.name}`}>
                      {t('common.edit')}
                    </button>
                  ) : null}
                  {mayDelete ? (
                    <button type="button" className="btn btn-sm btn-danger-text" onClick={() => setDeleting(c.row.original)} aria-label={`${t('common.delete')} ${c.row.original.name}`}>
                      {t('common.delete')}
                    </button>
                  ) : null}
                </div>
              ),
            } satisfies ColumnDef<Team>,
          ]
        : []),
    ],
    [t, mayEdit, mayDelete],
  );

  return (
    <div className="page" data-testid="teams-page">
      <header className="page-header">
        <div>
          <h1>{t('teams.title')}</h1>
          <p className="muted">{t('teams.intro')}</p>
        </div>
        {mayEdit ? (
          <button type="button" className="btn btn-primary" onClick={() => setEditing({ id: null })}>
            {t('teams.add')}
          </button>
        ) : null}
      </header>
      {list.error ? <FormError message={describeError(list.error)} /> : null}
      <DataTable label={t('teams.title')} columns={columns} rows={list.data ?? []} rowId={(r) => String(r.id)} loading={list.isPending} testId="teams-table" />
      {editing === null ? null : <TeamDialog id={editing.id} onDone={() => setEditing(null)} />}
      {deleting === null ? null : <DeleteTeam team={deleting} onDone={() => setDeleting(null)} />}
    </div>
  );
}

interface Draft {
  name: string;
  description: string;
  agentIds: readonly number[];
}

interface Save {
  readonly id: number | null;
  readonly body: { name: string; description: string | null };
  readonly etag: string | null;
  readonly agentIds: readonly number[];
}

/** Create (id null) or edit a team: its name, then its members. */
function TeamDialog({ id, onDone }: { id: number | null; onDone: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const memberRows = useApiQuery<AgentRow[]>(agentsOfTeam(id ?? 0), { enabled: id !== null });
  // Names of the agents picked in this dialog, which the list above has not read.
  const [picked, setPicked] = useState<ReadonlyMap<number, string>>(new Map());
  const team = useVersioned<Team>(id === null ? null : `${TEAMS}/${id}`);
  const [draft, setDraft] = useState<Draft | null>(id === null ? { name: '', description: '', agentIds: [] } : null);
  const [local, setLocal] = useState<FormErrors | null>(null);
  const save = useApiMutation(async (client, s: Save): Promise<Team> => {
    const saved = s.id === null ? await client.post<Team>(TEAMS, s.body) : (await client.patch<Team>(`${TEAMS}/${s.id}`, s.body, s.etag)).body;
    return client.put<Team>(`${TEAMS}/${saved.id}/agents`, { agentIds: s.agentIds });
  }, INVALIDATES);
  // The form shows the team as read, and as read again after a conflict (the other person's save).
  const loaded = team.loaded?.body;
  useEffect(() => {
    if (loaded !== undefined) setDraft({ name: loaded.name, description: loaded.description ?? '', agentIds: loaded.agentIds });
  }, [loaded]);
  const etag = team.loaded?.etag ?? null;
  const loadError = team.error === null ? null : describeError(team.error);

  const errors = local ?? formErrorsOf(isStaleEdit(save.error) ? null : save.error, FORM_FIELDS);
  const submit = (overwrite: boolean) => {
    if (draft === null) return;
    save.reset();
    const body = { name: draft.name, description: draft.description.trim() === '' ? null : draft.description };
    const checked = id === null ? checkAgainst(teamCreateSchema, body) : checkAgainst(teamUpdateSchema, body);
    setLocal(checked.ok ? null : checked.errors);
    if (!checked.ok) return;
    save.mutate(
      { id, body, etag: overwrite ? null : etag, agentIds: draft.agentIds },
      {
        onSuccess: (team) => {
          toast('success', t(id === null ? 'teams.created_toast' : 'teams.saved_toast', { name: team.name }));
          onDone();
        },
      },
    );
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit(false);
  };

  const nameOf = (agentId: number) => picked.get(agentId) ?? memberRows.data?.find((a) => a.id === agentId)?.fullName ?? `#${agentId}`;
  const title = id === null ? t('teams.add') : t('teams.editTitle', { name: draft?.name ?? '' });
  return (
    <FormDialog title={title} onClose={onDone} width={600} testId="team-dialog" formId="team-form" submitLabel={t('common.save')} submitDisabled={save.isPending || draft === null}>
      {loadError !== null ? <FormError message={loadError} /> : null}
      {draft === null ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : (
        <form id="team-form" className="form-stack" onSubmit={onSubmit} noValidate aria-label={title}>
          <StaleSave save={save} onReload={() => void team.reload()} onOverwrite={() => submit(true)} />
          <Field label={t('common.name')} error={errors.fields.name} required>
            {(props) => <input {...props} name="name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />}
          </Field>
          <Field label={t('common.description')} error={errors.fields.description}>
            {(props) => <input {...props} name="description" value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />}
          </Field>
          <fieldset className="field staff-fieldset" data-testid="team-members">
            <legend className="field-label">{t('teams.membersChosen', { count: draft.agentIds.length })}</legend>
            {memberRows.error ? <FormError message={describeError(memberRows.error)} /> : null}
            {draft.agentIds.length === 0 ? (
              <p className="muted">{t('agentPicker.none')}</p>
            ) : (
              <ul className="plain-list staff-pick-list">
                {draft.agentIds.map((agentId) => (
                  <li key={agentId} className="row-actions" data-testid="team-member">
                    <span>{nameOf(agentId)}</span>
                    <button
                      type="button"
                      className="btn btn-sm btn-danger-text"
                      onClick={() => setDraft({ ...draft, agentIds: draft.agentIds.filter((x) => x !== agentId) })}
                      aria-label={t('agentPicker.removeMember', { name: nameOf(agentId) })}
                    >
                      {t('agentPicker.remove')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <AgentCombobox
              label={t('agentPicker.addMember')}
              value={null}
              exclude={draft.agentIds}
              onChange={(a) => {
                if (a === null) return;
                setPicked((m) => new Map(m).set(a.id, a.fullName));
                setDraft({ ...draft, agentIds: [...draft.agentIds, a.id] });
              }}
            />
          </fieldset>
          <FormError message={errors.form} />
        </form>
      )}
    </FormDialog>
  );
}

function DeleteTeam({ team, onDone }: { team: Team; onDone: () => void }) {
  const { t } = useTranslation();
  const dependents = useDependents('team', team.id);
  return (
    <ActionConfirm
      title={t('teams.deleteTitle', { name: team.name })}
      confirmLabel={t('common.delete')}
      dependents={dependents}
      body={<p>{t('teams.deleteBody')}</p>}
      run={(api) => api.delete<void>(`${TEAMS}/${team.id}`)}
      invalidates={INVALIDATES}
      doneToast={t('teams.deleted_toast', { name: team.name })}
      onDone={onDone}
    />
  );
}
