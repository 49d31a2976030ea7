// Staff → Service users & API keys: the accounts integrations run as, and their keys
// (GET/POST /api/users/:id/api-keys, POST /api/api-keys/:id/rotate, DELETE /api/api-keys/:id).
// The server keeps only a hash of a key's secret, so the page shows the whole key once, right after
// issuing or rotating it, and from then on only its prefix.
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiKeyIssueSchema, userCreateSchema } from '../../../../contracts/staff.ts';
import { describeError } from '../../api/client.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { ConfirmDialog } from '../kit/ConfirmDialog.tsx';
import { DataTable } from '../kit/DataTable.tsx';
import { formatDateTime } from '../kit/format.ts';
import { checkAgainst, Field, FormError, formErrorsOf, type FormErrors } from '../kit/forms.tsx';
import { useApiMutation, useApiQuery } from '../kit/query.tsx';
import { PageHeader } from '../kit/crud.tsx';
import type { User } from './UsersPage.tsx';

/** A key as the API lists it: never its secret. */
export interface ApiKey {
  readonly id: number;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** Issue and rotation answers: the key and, this once, its whole secret. */
type IssuedKey = ApiKey & { readonly key: string };

const SERVICE_USERS = '/api/users?role=service&limit=1000';
const keysOf = (userId: number) => `/api/users/${userId}/api-keys`;
const INVALIDATES = ['/api/users', '/api/api-keys'];

/** How a key is named on screen once its secret is gone: the format's start and the prefix. */
export const shownKey = (prefix: string): string => `tdk_${prefix}_…`;

export function ApiKeysPage() {
  const { t } = useTranslation();
  const users = useApiQuery<User[]>(SERVICE_USERS);
  const [chosen, setChosen] = useState<number | null>(null);
  const owner = users.data?.find((u) => u.id === chosen) ?? users.data?.[0] ?? null;

  return (
    <div className="page" data-testid="api-keys-page">
      <PageHeader title={t('apiKeys.title')} intro={t('apiKeys.intro')} />
      <CreateServiceUser onCreated={setChosen} />
      {users.error ? <FormError message={describeError(users.error)} /> : null}
      {users.data !== undefined && users.data.length === 0 ? <p className="muted">{t('apiKeys.noServiceUsers')}</p> : null}
      {users.data !== undefined && users.data.length > 0 && owner !== null ? (
        <>
          <label className="field">
            <span className="field-label">{t('apiKeys.serviceUser')}</span>
            <select value={owner.id} onChange={(e) => setChosen(Number(e.target.value))} data-testid="service-user">
              {users.data.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.fullName} ({u.username})
                </option>
              ))}
            </select>
          </label>
          <KeysOf owner={owner} />
        </>
      ) : null}
    </div>
  );
}

/** A service user is an account with no password: it signs in with its API keys only. */
function CreateServiceUser({ onCreated }: { onCreated: (id: number) => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [username, setUsername] = useState('');
  const [fullName, setFullName] = useState('');
  const [local, setLocal] = useState<FormErrors | null>(null);
  const create = useApiMutation((api, body: { role: 'service'; username: string; fullName: string }) => api.post<User>('/api/users', body), INVALIDATES);
  const errors = local ?? formErrorsOf(create.error, ['username', 'fullName']);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.reset();
    const body = { role: 'service' as const, username, fullName };
    const checked = checkAgainst(userCreateSchema, body);
    setLocal(checked.ok ? null : checked.errors);
    if (!checked.ok) return;
    create.mutate(body, {
      onSuccess: (user) => {
        setUsername('');
        setFullName('');
        toast('success', t('users.created_toast', { name: user.fullName }));
        onCreated(user.id);
      },
    });
  };
  return (
    <form className="admin-inline-form" onSubmit={submit} aria-label={t('apiKeys.addServiceUser')} noValidate>
      <Field label={t('users.username')} error={errors.fields.username} required>
        {(props) => <input {...props} name="username" autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />}
      </Field>
      <Field label={t('users.fullName')} error={errors.fields.fullName} required>
        {(props) => <input {...props} name="fullName" value={fullName} onChange={(e) => setFullName(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-primary" disabled={create.isPending}>
        {t('apiKeys.addServiceUser')}
      </button>
      <FormError message={errors.form} />
    </form>
  );
}

function KeysOf({ owner }: { owner: User }) {
  const { t } = useTranslation();
  const toast = useToast();
  const keys = useApiQuery<ApiKey[]>(keysOf(owner.id));
  // The secret of the key just issued or rotated: held only while its dialog is open.
  const [secret, setSecret] = useState<IssuedKey | null>(null);
  const [confirming, setConfirming] = useState<{ action: 'rotate' | 'revoke'; key: ApiKey } | null>(null);
  const act = useApiMutation(
    (api, c: { action: 'rotate' | 'revoke'; key: ApiKey }) => (c.action === 'rotate' ? api.post<IssuedKey>(`/api/api-keys/${c.key.id}/rotate`) : api.delete<undefined>(`/api/api-keys/${c.key.id}`)),
    INVALIDATES,
  );

  const columns = useMemo<ColumnDef<ApiKey>[]>(
    () => [
      { id: 'name', header: t('apiKeys.name'), accessorFn: (k) => k.name, enableHiding: false },
      { id: 'prefix', header: t('apiKeys.prefix'), accessorFn: (k) => k.prefix, cell: (c) => <code className="mono">{shownKey(c.row.original.prefix)}</code> },
      { id: 'createdAt', header: t('common.created'), accessorFn: (k) => k.createdAt, cell: (c) => formatDateTime(c.row.original.createdAt), enableGlobalFilter: false },
      { id: 'expiresAt', header: t('apiKeys.expires'), accessorFn: (k) => k.expiresAt ?? '', cell: (c) => (c.row.original.expiresAt ? formatDateTime(c.row.original.expiresAt) : t('apiKeys.never')), enableGlobalFilter: false },
      { id: 'lastUsedAt', header: t('apiKeys.lastUsed'), accessorFn: (k) => k.lastUsedAt ?? '', cell: (c) => (c.row.original.lastUsedAt ? formatDateTime(c.row.original.lastUsedAt) : '—'), enableGlobalFilter: false },
      {
        id: 'status',
        header: t('apiKeys.status'),
        accessorFn: (k) => (k.revokedAt ? 'revoked' : 'active'),
        cell: (c) => (c.row.original.revokedAt ? <span className="chip chip-warn">{t('apiKeys.revoked')}</span> : <span className="chip chip-ok">{t('apiKeys.active')}</span>),
      },
      {
        id: 'actions',
        header: t('common.actions'),
        enableSorting: false,
        enableHiding: false,
        cell: (c) =>
          c.row.original.revokedAt ? null : (
            <div className="row-gap">
              <button type="button" className="btn btn-sm" onClick={() => setConfirming({ action: 'rotate', key: c.row.original })} aria-label={`${t('apiKeys.rotate')} ${c.row.original.name}`}>
                {t('apiKeys.rotate')}
              </button>
              <button type="button" className="btn btn-sm btn-danger-text" onClick={() => setConfirming({ action: 'revoke', key: c.row.original })} aria-label={`${t('apiKeys.revoke')} ${c.row.original.name}`}>
                {t('apiKeys.revoke')}
              </button>
            </div>
          ),
      },
    ],
    [t],
  );

  return (
    <section className="form-stack" aria-label={t('apiKeys.keysOf', { name: owner.fullName })}>
      <h2>{t('apiKeys.keysOf', { name: owner.fullName })}</h2>
      <IssueKey ownerId={owner.id} onIssued={setSecret} />
      {keys.error ? <FormError message={describeError(keys.error)} /> : null}
      <DataTable label={t('apiKeys.keysOf', { name: owner.fullName })} columns={columns} rows={keys.data ?? []} rowId={(k) => String(k.id)} loading={keys.isPending} testId="api-keys-table" />
      {secret === null ? null : <ShownOnce issued={secret} onDone={() => setSecret(null)} />}
      {confirming === null ? null : (
        <ConfirmDialog
          title={t(confirming.action === 'rotate' ? 'apiKeys.rotateTitle' : 'apiKeys.revokeTitle', { name: confirming.key.name })}
          confirmLabel={t(confirming.action === 'rotate' ? 'apiKeys.rotate' : 'apiKeys.revoke')}
          busy={act.isPending}
          error={act.error ? describeError(act.error) : null}
          onCancel={() => {
            act.reset();
            setConfirming(null);
          }}
          onConfirm={() =>
            act.mutate(confirming, {
              onSuccess: (answer) => {
                setConfirming(null);
                if (confirming.action === 'rotate' && answer) setSecret(answer);
                else toast('success', t('apiKeys.revoked_toast', { name: confirming.key.name }));
              },
            })
          }
        >
          <p>{t(confirming.action === 'rotate' ? 'apiKeys.rotateBody' : 'apiKeys.revokeBody')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function IssueKey({ ownerId, onIssued }: { ownerId: number; onIssued: (issued: IssuedKey) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [local, setLocal] = useState<FormErrors | null>(null);
  const issue = useApiMutation((api, body: { name: string; expiresAt: string | null }) => api.post<IssuedKey>(keysOf(ownerId), body), INVALIDATES);
  const errors = local ?? formErrorsOf(issue.error, ['name', 'expiresAt']);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    issue.reset();
    // A date input gives the day; the key stops working at the end of it, in the browser's time zone.
    const expiresAt = expires === '' ? null : new Date(`${expires}T23:59:59`).toISOString();
    const body = { name, expiresAt };
    const checked = checkAgainst(apiKeyIssueSchema, body);
    setLocal(checked.ok ? null : checked.errors);
    if (!checked.ok) return;
    issue.mutate(body, {
      onSuccess: (issued) => {
        setName('');
        setExpires('');
        onIssued(issued);
      },
    });
  };
  return (
    <form className="admin-inline-form" onSubmit={submit} aria-label={t('apiKeys.issue')} noValidate>
      <Field label={t('apiKeys.name')} error={errors.fields.name} required>
        {(props) => <input {...props} name="name" value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label={t('apiKeys.expiresOn')} error={errors.fields.expiresAt}>
        {(props) => <input {...props} name="expiresAt" type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-primary" disabled={issue.isPending}>
        {t('apiKeys.issue')}
      </button>
      <FormError message={errors.form} />
    </form>
  );
}

/** The whole key, once: copy it now, it cannot be shown again. */
function ShownOnce({ issued, onDone }: { issued: IssuedKey; onDone: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(issued.key).then(
      () => setCopied('yes'),
      // Clipboard access can be refused (permissions, insecure origin): the field stays selectable.
      () => setCopied('failed'),
    );
  };
  return (
    <Dialog
      title={t('apiKeys.shownOnceTitle', { name: issued.name })}
      onClose={onDone}
      width={560}
      testId="api-key-secret"
      footer={
        <button type="button" className="btn btn-primary" onClick={onDone}>
          {t('apiKeys.done')}
        </button>
      }
    >
      <div className="form-stack">
        <p className="banner banner-warn" role="alert">
          {t('apiKeys.shownOnce')}
        </p>
        <label className="field">
          <span className="field-label">{t('apiKeys.secret')}</span>
          <input className="mono" readOnly value={issued.key} onFocus={(e) => e.target.select()} data-testid="api-key-value" />
        </label>
        <div className="row-gap">
          <button type="button" className="btn" onClick={copy}>
            {t('apiKeys.copy')}
          </button>
          <span role="status" className="muted small">
            {copied === 'yes' ? t('apiKeys.copied') : copied === 'failed' ? t('apiKeys.copyFailed') : ''}
          </span>
        </div>
      </div>
    </Dialog>
  );
}
