// Staff → Users: administrators, supervisors and service users (GET/POST/PATCH/DELETE /api/users).
// A supervisor's or service user's reach is a grid of module levels, and a supervisor's scope over
// agents is the queues they are enabled on (PUT /api/users/:id/queues). Edits carry the version they
// were read at (If-Match), so a save after someone else's is refused and the person chooses.
import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountView } from '../../../../contracts/api.ts';
import { MODULES, USER_ROLES, setPasswordSchema, userCreateSchema, userUpdateSchema } from '../../../../contracts/staff.ts';
import { describeError } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { draftOfPreferences, PreferencesFields, preferencesOfDraft, type PreferencesDraft } from '../../app/PreferencesDialog.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { ActionConfirm } from '../kit/crud.tsx';
import { useDependents } from '../kit/dependents.ts';
import { FormDialog } from '../kit/FormDialog.tsx';
import { isStaleEdit, StaleSave, useVersioned } from '../kit/versioned.tsx';
import { DataTable } from '../kit/DataTable.tsx';
import { formatDateTime } from '../kit/format.ts';
import { checkAgainst, Field, FormError, formErrorsOf, type FormErrors } from '../kit/forms.tsx';
import { useApiMutation, useApiQuery } from '../kit/query.tsx';
import { PermissionGrid, permissionsToSend, type Permissions } from './PermissionGrid.tsx';

export type User = AccountView;
type UserRole = (typeof USER_ROLES)[number];

/** What the queue picker shows of GET /api/queues rows. */
interface QueueOption {
  readonly id: number;
  readonly name: string;
  readonly channel: string;
}

const USERS = '/api/users';
// The API answers at most 1000 users a page; a node has tens of administrators, not thousands.
const LIST = `${USERS}?limit=1000`;
const FORM_FIELDS = ['role', 'username', 'fullName', 'email', 'description', 'password', 'permissions', ...MODULES.map((m) => `permissions.${m}`), 'preferences.language', 'preferences.locale', 'preferences.timeZone'];
const INVALIDATES = [USERS, '/api/dependents'];

const blankToNull = (s: string): string | null => (s.trim() === '' ? null : s);

export function UsersPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const toast = useToast();
  const list = useApiQuery<User[]>(LIST);
  const [editing, setEditing] = useState<{ id: number | null } | null>(null);
  const [confirming, setConfirming] = useState<{ action: 'delete' | 'disable'; user: User } | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const unlock = useApiMutation((api, user: User) => api.post<User>(`${USERS}/${user.id}/unlock`), INVALIDATES);
  const enable = useApiMutation((api, user: User) => api.patch<User>(`${USERS}/${user.id}`, { disabled: false }), INVALIDATES);

  const columns = useMemo<ColumnDef<User>[]>(
    () => [
      { id: 'fullName', header: t('users.fullName'), accessorFn: (u) => u.fullName, enableHiding: false },
      { id: 'username', header: t('users.username'), accessorFn: (u) => u.username },
      { id: 'role', header: t('users.role'), accessorFn: (u) => t(`users.roles.${u.role as UserRole}`) },
      {
        id: 'status',
        header: t('users.status'),
        accessorFn: (u) => statusOf(u),
        cell: (c) => <span className={`chip ${statusOf(c.row.original) === 'active' ? 'chip-ok' : 'chip-warn'}`}>{t(`users.statuses.${statusOf(c.row.original)}`)}</span>,
      },
      { id: 'lastLoginAt', header: t('users.lastLogin'), accessorFn: (u) => u.lastLoginAt ?? '', cell: (c) => (c.row.original.lastLoginAt ? formatDateTime(c.row.original.lastLoginAt) : '—'), enableGlobalFilter: false },
      {
        id: 'actions',
        header: t('common.actions'),
        enableSorting: false,
        enableHiding: false,
        cell: (c) => {
          const u = c.row.original;
          const named = (label: string) => `${label} ${u.fullName}`;
          return (
            <div className="row-gap">
              <button type="button" className="btn btn-sm" onClick={() => setEditing({ id: u.id })} aria-label={named(t('common.edit'))}>
                {t('common.edit')}
              </button>
              {u.role !== 'service' ? (
                <button type="button" className="btn btn-sm" onClick={() => setResetting(u)} aria-label={named(t('users.resetPassword'))}>
                  {t('users.resetPassword')}
                </button>
              ) : null}
              {u.locked ? (
                <button
                  type="button"
                  className="btn btn-sm"
                  aria-label={named(t('users.unlock'))}
                  onClick={() => unlock.mutate(u, { onSuccess: () => toast('success', t('users.unlocked_toast', { name: u.fullName })), onError: (e) => toast('error', describeError(e)) })}
                >
                  {t('users.unlock')}
                </button>
              ) : null}
              {u.id === account.id ? null : u.disabled ? (
                <button
                  type="button"
                  className="btn btn-sm"
                  aria-label={named(t('users.enable'))}
                  onClick={() => enable.mutate(u, { onSuccess: () => toast('success', t('users.enabled_toast', { name: u.fullName })), onError: (e) => toast('error', describeError(e)) })}
                >
                  {t('users.enable')}
                </button>
              ) : (
                <button type="button" className="btn btn-sm" onClick={() => setConfirming({ action: 'disable', user: u })} aria-label={named(t('users.disable'))}>
                  {t('users.disable')}
                </button>
              )}
              {u.id === account.id ? null : (
                <button type="button" className="btn btn-sm btn-danger-text" onClick={() => setConfirming({ action: 'delete', user: u })} aria-label={named(t('common.delete'))}>
                  {t('common.delete')}
                </button>
              )}
            </div>
          );
        },
      },
    ],
    [t, account.id, unlock, enable, toast],
  );

  return (
    <div className="page" data-testid="users-page">
      <header className="page-header">
        <div>
          <h1>{t('users.title')}</h1>
          <p className="muted">{t('users.intro')}</p>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setEditing({ id: null })}>
          {t('users.add')}
        </button>
      </header>
      {list.error ? <FormError message={describeError(list.error)} /> : null}
      <DataTable label={t('users.title')} columns={columns} rows={list.data ?? []} rowId={(u) => String(u.id)} loading={list.isPending} testId="users-table" />
      {editing === null ? null : <UserDialog id={editing.id} onDone={() => setEditing(null)} />}
      {resetting === null ? null : <ResetPassword user={resetting} onDone={() => setResetting(null)} />}
      {confirming === null ? null : <ConfirmUserAction action={confirming.action} user={confirming.user} onDone={() => setConfirming(null)} />}
    </div>
  );
}

type Status = 'active' | 'disabled' | 'locked';
const statusOf = (u: User): Status => (u.disabled ? 'disabled' : u.locked ? 'locked' : 'active');

/** The form's fields, as typed (strings as in their inputs). */
interface Draft {
  role: UserRole;
  username: string;
  fullName: string;
  email: string;
  description: string;
  password: string;
  mustChangePassword: boolean;
  permissions: Permissions;
  queueIds: readonly number[];
  preferences: PreferencesDraft;
}

const EMPTY: Draft = { role: 'supervisor', username: '', fullName: '', email: '', description: '', password: '', mustChangePassword: true, permissions: {}, queueIds: [], preferences: draftOfPreferences(undefined) };

const draftOf = (u: User, queueIds: readonly number[]): Draft => ({
  role: u.role as UserRole,
  username: u.username,
  fullName: u.fullName,
  email: u.email ?? '',
  description: u.description ?? '',
  password: '',
  mustChangePassword: false,
  permissions: u.permissions as Permissions,
  queueIds,
  preferences: draftOfPreferences(u.preferences),
});

/** What a save sends: the user's fields, the version it was read at, and a supervisor's queues. */
interface Save {
  readonly id: number | null;
  readonly body: Record<string, unknown>;
  readonly etag: string | null;
  readonly queueIds: readonly number[] | null;
}

/** Create (id null) or edit one user, with a supervisor's queues saved after the user itself. */
function UserDialog({ id, onDone }: { id: number | null; onDone: () => void }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const toast = useToast();
  const queues = useApiQuery<QueueOption[]>('/api/queues');
  const user = useVersioned<User>(id === null ? null : `${USERS}/${id}`);
  const [draft, setDraft] = useState<Draft | null>(id === null ? EMPTY : null);
  const [local, setLocal] = useState<FormErrors | null>(null);
  const save = useApiMutation(async (client, s: Save): Promise<User> => {
    const saved = s.id === null ? await client.post<User>(USERS, s.body) : (await client.patch<User>(`${USERS}/${s.id}`, s.body, s.etag)).body;
    if (s.queueIds !== null) await client.put(`${USERS}/${saved.id}/queues`, { queueIds: s.queueIds });
    return saved;
  }, INVALIDATES);
  // The form shows the user as read, and as read again after a conflict (the other person's save),
  // with a supervisor's queues read alongside.
  const loaded = user.loaded?.body;
  const [queuesError, setQueuesError] = useState<unknown>(null);
  useEffect(() => {
    if (loaded === undefined) return;
    if (loaded.role !== 'supervisor') {
      setDraft(draftOf(loaded, []));
      return;
    }
    let current = true;
    api.get<{ queueIds: number[] }>(`${USERS}/${loaded.id}/queues`).then(
      (answer) => current && setDraft(draftOf(loaded, answer.queueIds)),
      (error: unknown) => current && setQueuesError(error),
    );
    return () => {
      current = false;
    };
  }, [api, loaded]);
  const etag = user.loaded?.etag ?? null;
  const failed = user.error ?? queuesError;
  const loadError = failed === null ? null : describeError(failed);

  const errors = local ?? formErrorsOf(isStaleEdit(save.error) ? null : save.error, FORM_FIELDS);
  const permissionError = Object.entries(errors.fields).find(([field]) => field.startsWith('permissions'))?.[1];
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => (d === null ? d : { ...d, [key]: value }));

  const submit = (overwrite: boolean) => {
    if (draft === null) return;
    save.reset();
    const permissions = draft.role === 'admin' ? {} : permissionsToSend(draft.permissions);
    const common = { fullName: draft.fullName, email: blankToNull(draft.email), description: blankToNull(draft.description), permissions };
    const body =
      id === null
        ? { ...common, role: draft.role, username: draft.username, mustChangePassword: draft.mustChangePassword, ...(draft.role === 'service' ? {} : { password: draft.password }) }
        : { ...common, ...(draft.role === 'service' ? {} : { role: draft.role }), preferences: preferencesOfDraft(draft.preferences) };
    const checked = id === null ? checkAgainst(userCreateSchema, body) : checkAgainst(userUpdateSchema, body);
    setLocal(checked.ok ? null : checked.errors);
    if (!checked.ok) return;
    save.mutate(
      { id, body, etag: overwrite ? null : etag, queueIds: draft.role === 'supervisor' ? draft.queueIds : null },
      {
        onSuccess: (user) => {
          toast('success', t(id === null ? 'users.created_toast' : 'users.saved_toast', { name: user.fullName }));
          onDone();
        },
      },
    );
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit(false);
  };

  const title = id === null ? t('users.add') : t('users.editTitle', { name: draft?.fullName ?? '' });
  const roles = id === null ? USER_ROLES : draft?.role === 'service' ? (['service'] as const) : (['admin', 'supervisor'] as const);
  return (
    <FormDialog title={title} onClose={onDone} width={720} testId="user-dialog" formId="user-form" submitLabel={t('common.save')} submitDisabled={save.isPending || draft === null}>
      {loadError !== null ? <FormError message={loadError} /> : null}
      {draft === null ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : (
        <form id="user-form" className="form-stack" onSubmit={onSubmit} noValidate aria-label={title}>
          <StaleSave save={save} onReload={() => void user.reload()} onOverwrite={() => submit(true)} />
          <Field label={t('users.role')} error={errors.fields.role} required>
            {(props) => (
              <select {...props} name="role" value={draft.role} disabled={roles.length === 1} onChange={(e) => set('role', e.target.value as UserRole)}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {t(`users.roles.${r}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {id === null ? (
            <Field label={t('users.username')} error={errors.fields.username} required>
              {(props) => <input {...props} name="username" autoComplete="off" value={draft.username} onChange={(e) => set('username', e.target.value)} />}
            </Field>
          ) : null}
          <Field label={t('users.fullName')} error={errors.fields.fullName} required>
            {(props) => <input {...props} name="fullName" value={draft.fullName} onChange={(e) => set('fullName', e.target.value)} />}
          </Field>
          <Field label={t('users.email')} error={errors.fields.email}>
            {(props) => <input {...props} name="email" type="email" value={draft.email} onChange={(e) => set('email', e.target.value)} />}
          </Field>
          <Field label={t('common.description')} error={errors.fields.description}>
            {(props) => <input {...props} name="description" value={draft.description} onChange={(e) => set('description', e.target.value)} />}
          </Field>
          {id === null && draft.role !== 'service' ? (
            <>
              <Field label={t('users.password')} error={errors.fields.password} required>
                {(props) => <input {...props} name="password" type="password" autoComplete="new-password" value={draft.password} onChange={(e) => set('password', e.target.value)} />}
              </Field>
              <label className="check">
                <input type="checkbox" checked={draft.mustChangePassword} onChange={(e) => set('mustChangePassword', e.target.checked)} />
                {t('users.mustChangePassword')}
              </label>
            </>
          ) : null}
          {draft.role === 'service' && id === null ? <p className="muted">{t('users.serviceHint')}</p> : null}
          {draft.role === 'admin' ? (
            <p className="muted">{t('users.adminHint')}</p>
          ) : (
            <PermissionGrid value={draft.permissions} onChange={(next) => set('permissions', next)} error={permissionError} />
          )}
          {draft.role === 'supervisor' ? (
            <fieldset className="field staff-fieldset" data-testid="supervisor-queues">
              <legend className="field-label">{t('users.queues')}</legend>
              <p className="field-hint">{t('users.queuesHint')}</p>
              {queues.data === undefined ? (
                <p className="muted">{queues.error ? describeError(queues.error) : t('common.loading')}</p>
              ) : queues.data.length === 0 ? (
                <p className="muted">{t('users.noQueues')}</p>
              ) : (
                <div className="staff-pick-list">
                  {queues.data.map((q) => (
                    <label key={q.id} className="check">
                      <input
                        type="checkbox"
                        checked={draft.queueIds.includes(q.id)}
                        onChange={(e) => set('queueIds', e.target.checked ? [...draft.queueIds, q.id] : draft.queueIds.filter((x) => x !== q.id))}
                      />
                      {q.name} <span className="muted small">({q.channel})</span>
                    </label>
                  ))}
                </div>
              )}
            </fieldset>
          ) : null}
          {id === null ? null : (
            <fieldset className="field staff-fieldset" data-testid="user-preferences">
              <legend className="field-label">{t('preferences.legend')}</legend>
              <PreferencesFields value={draft.preferences} onChange={(next) => set('preferences', next)} errors={errors} prefix="preferences." />
            </fieldset>
          )}
          <FormError message={errors.form} />
        </form>
      )}
    </FormDialog>
  );
}

/** An administrator sets a new password (the person may be asked to change it at next login). */
function ResetPassword({ user, onDone }: { user: User; onDone: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [password, setPassword] = useState('');
  const [mustChange, setMustChange] = useState(true);
  const [local, setLocal] = useState<FormErrors | null>(null);
  const reset = useApiMutation((api, body: { password: string; mustChangePassword: boolean }) => api.put<void>(`${USERS}/${user.id}/password`, body), INVALIDATES);
  const errors = local ?? formErrorsOf(reset.error, ['password']);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reset.reset();
    const checked = checkAgainst(setPasswordSchema, { password, mustChangePassword: mustChange });
    setLocal(checked.ok ? null : checked.errors);
    if (!checked.ok) return;
    reset.mutate(checked.data, {
      onSuccess: () => {
        toast('success', t('users.passwordSet_toast', { name: user.fullName }));
        onDone();
      },
    });
  };
  return (
    <FormDialog
      title={t('users.resetTitle', { name: user.fullName })}
      onClose={onDone}
      testId="reset-password-dialog"
      formId="reset-password-form"
      submitLabel={t('users.setPassword')}
      submitDisabled={reset.isPending}
    >
      <form id="reset-password-form" className="form-stack" onSubmit={submit} noValidate>
        <Field label={t('users.newPassword')} error={errors.fields.password} required>
          {(props) => <input {...props} name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <label className="check">
          <input type="checkbox" checked={mustChange} onChange={(e) => setMustChange(e.target.checked)} />
          {t('users.mustChangePassword')}
        </label>
        <FormError message={errors.form} />
      </form>
    </FormDialog>
  );
}

function ConfirmUserAction({ action, user, onDone }: { action: 'delete' | 'disable'; user: User; onDone: () => void }) {
  const { t } = useTranslation();
  // What goes with the account: memberships, API keys in force, the projects and sounds it created.
  const dependents = useDependents('user', user.id);
  return (
    <ActionConfirm
      title={t(action === 'delete' ? 'users.deleteTitle' : 'users.disableTitle', { name: user.fullName })}
      confirmLabel={action === 'delete' ? t('common.delete') : t('users.disable')}
      dependents={dependents}
      body={<p>{t(action === 'delete' ? 'users.deleteBody' : 'users.disableBody')}</p>}
      run={(api) => (action === 'delete' ? api.delete<void>(`${USERS}/${user.id}`) : api.patch<User>(`${USERS}/${user.id}`, { disabled: true }))}
      invalidates={INVALIDATES}
      doneToast={t(action === 'delete' ? 'users.deleted_toast' : 'users.disabled_toast', { name: user.fullName })}
      onDone={onDone}
    />
  );
}
