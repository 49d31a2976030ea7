// Voice → Trunks: the Asterisk endpoints outbound routes dial through. List, create, edit (with
// If-Match) and delete behind a confirmation naming the routes that still go through the trunk
// (the server refuses that delete too, and the dialog shows its refusal).
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { trunkCreateSchema, trunkUpdateSchema } from '../../../../contracts/voice.ts';
import { describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { ConfirmDialog } from '../kit/ConfirmDialog.tsx';
import { useDependents } from '../kit/dependents.ts';
import { DataTable } from '../kit/DataTable.tsx';
import { checkAgainst, Field, FormError, formErrorsOf, type FormErrors } from '../kit/forms.tsx';
import { useApiMutation, useApiQuery } from '../kit/query.tsx';
import { isStaleEdit, StaleEditNotice, useVersioned } from '../kit/versioned.tsx';

/** A trunk as GET /api/voice/trunks answers it. */
export interface TrunkRow {
  readonly id: number;
  readonly name: string;
  readonly endpoint: string;
  readonly callerId: string | null;
  readonly enabled: boolean;
  readonly description: string | null;
}

const LIST = '/api/voice/trunks';
const FORM_FIELDS = ['name', 'endpoint', 'callerId', 'enabled', 'description'];

export function TrunksPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const list = useApiQuery<TrunkRow[]>(LIST);
  const mayEdit = can(account, 'voice', 'edit');
  const mayDelete = can(account, 'voice', 'delete');
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [deleting, setDeleting] = useState<TrunkRow | null>(null);

  const columns = useMemo<ColumnDef<TrunkRow>[]>(
    () => [
      { id: 'name', header: t('trunks.name'), accessorFn: (x) => x.name, enableHiding: false },
      { id: 'endpoint', header: t('trunks.endpoint'), accessorFn: (x) => x.endpoint },
      { id: 'callerId', header: t('trunks.callerId'), accessorFn: (x) => x.callerId ?? '' },
      { id: 'enabled', header: t('trunks.enabled'), accessorFn: (x) => (x.enabled ? t('trunks.yes') : t('trunks.no')) },
      {
        id: 'actions',
        header: t('trunks.actions'),
        enableSorting: false,
        enableHiding: false,
        cell: (c) => (
          <span className="row-actions">
            <button type="button" className="btn btn-sm" onClick={() => setEditing(c.row.original.id)} aria-label={`${mayEdit ? t('trunks.edit') : t('trunks.view')} ${c.row.original.name}`}>
              {mayEdit ? t('trunks.edit') : t('trunks.view')}
            </button>
            {mayDelete ? (
              <button type="button" className="btn btn-sm btn-danger-text" onClick={() => setDeleting(c.row.original)} aria-label={`${t('trunks.delete')} ${c.row.original.name}`}>
                {t('trunks.delete')}
              </button>
            ) : null}
          </span>
        ),
      },
    ],
    [t, mayEdit, mayDelete],
  );

  return (
    <div className="page" data-testid="trunks-page">
      <header className="page-header">
        <div>
          <h1>{t('trunks.title')}</h1>
          <p className="muted">{t('trunks.intro')}</p>
        </div>
        {mayEdit ? (
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            {t('trunks.add')}
          </button>
        ) : null}
      </header>
      {list.error ? <FormError message={describeError(list.error)} /> : null}
      <DataTable label={t('trunks.title')} columns={columns} rows={list.data ?? []} rowId={(x) => String(x.id)} loading={list.isPending} testId="trunks-table" />
      {editing === null ? null : <TrunkEditor id={editing === 'new' ? null : editing} readOnly={!mayEdit} onClose={() => setEditing(null)} />}
      {deleting === null ? null : <DeleteTrunk trunk={deleting} onDone={() => setDeleting(null)} />}
    </div>
  );
}

function DeleteTrunk({ trunk, onDone }: { trunk: TrunkRow; onDone: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const dependents = useDependents('trunk', trunk.id);
  const remove = useApiMutation((api, id: number) => api.delete<void>(`${LIST}/${id}`), [LIST, '/api/dependents']);
  return (
    <ConfirmDialog
      title={t('trunks.deleteTitle', { name: trunk.name })}
      confirmLabel={t('trunks.delete')}
      dependents={dependents}
      busy={remove.isPending}
      error={remove.error ? describeError(remove.error) : null}
      onCancel={onDone}
      onConfirm={() =>
        remove.mutate(trunk.id, {
          onSuccess: () => {
            toast('success', t('trunks.deleted_toast', { name: trunk.name }));
            onDone();
          },
        })
      }
    >
      <p>{t('trunks.deleteBody')}</p>
    </ConfirmDialog>
  );
}

interface TrunkForm {
  name: string;
  endpoint: string;
  callerId: string;
  enabled: boolean;
  description: string;
}

const formOf = (x: TrunkRow | null): TrunkForm => ({ name: x?.name ?? '', endpoint: x?.endpoint ?? '', callerId: x?.callerId ?? '', enabled: x?.enabled ?? true, description: x?.description ?? '' });

function TrunkEditor({ id, readOnly, onClose }: { id: number | null; readOnly: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const path = id === null ? null : `${LIST}/${id}`;
  const current = useVersioned<TrunkRow>(path);
  const [form, setForm] = useState<TrunkForm | null>(id === null ? formOf(null) : null);
  if (form === null && current.loaded !== null) setForm(formOf(current.loaded.body));
  const [local, setLocal] = useState<FormErrors | null>(null);
  const save = useApiMutation(
    (api, { body, etag }: { body: Record<string, unknown>; etag: string | null }) =>
      path === null ? api.post<TrunkRow>(LIST, body).then((b) => ({ body: b, etag: null })) : api.patch<TrunkRow>(path, body, etag),
    [LIST],
  );
  const errors = local ?? (isStaleEdit(save.error) ? { fields: {}, form: null } : formErrorsOf(save.error, FORM_FIELDS));
  const set = <K extends keyof TrunkForm>(key: K, value: TrunkForm[K]) => setForm((f) => (f === null ? f : { ...f, [key]: value }));

  const send = (etag: string | null) => {
    if (form === null) return;
    save.reset();
    const body = { ...form, callerId: form.callerId.trim() === '' ? null : form.callerId.trim(), description: form.description.trim() === '' ? null : form.description };
    const checked = checkAgainst(id === null ? trunkCreateSchema : trunkUpdateSchema, body);
    setLocal(checked.ok ? null : checked.errors);
    if (!checked.ok) return;
    save.mutate(
      { body: checked.data as Record<string, unknown>, etag },
      {
        onSuccess: (saved) => {
          toast('success', t('trunks.saved_toast', { name: saved.body.name }));
          onClose();
        },
      },
    );
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send(current.loaded?.etag ?? null);
  };

  return (
    <Dialog title={id === null ? t('trunks.addTitle') : t('trunks.editTitle', { name: current.loaded?.body.name ?? '' })} onClose={onClose} width={560} testId="trunk-editor">
      {current.error ? <FormError message={describeError(current.error)} /> : null}
      {form === null ? (
        <p role="status">{t('shell.loading')}</p>
      ) : (
        <form className="form-stack" onSubmit={submit} aria-label={t('trunks.settings')} noValidate>
          <Field label={t('trunks.name')} error={errors.fields.name} required>
            {(props) => <input {...props} name="name" value={form.name} onChange={(e) => set('name', e.target.value)} disabled={readOnly} />}
          </Field>
          <Field label={t('trunks.endpoint')} error={errors.fields.endpoint} hint={t('trunks.hints.endpoint')} required>
            {(props) => <input {...props} name="endpoint" value={form.endpoint} onChange={(e) => set('endpoint', e.target.value)} disabled={readOnly} />}
          </Field>
          <Field label={t('trunks.callerId')} error={errors.fields.callerId} hint={t('trunks.hints.callerId')}>
            {(props) => <input {...props} name="callerId" value={form.callerId} onChange={(e) => set('callerId', e.target.value)} disabled={readOnly} />}
          </Field>
          <Field label={t('trunks.description')} error={errors.fields.description}>
            {(props) => <input {...props} name="description" value={form.description} onChange={(e) => set('description', e.target.value)} disabled={readOnly} />}
          </Field>
          <label className="field-inline">
            <input type="checkbox" name="enabled" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} disabled={readOnly} />
            {t('trunks.enabled')}
          </label>
          {isStaleEdit(save.error) ? (
            <StaleEditNotice
              busy={save.isPending}
              onReload={() => {
                save.reset();
                void current.reload().then((fresh) => fresh && setForm(formOf(fresh.body)));
              }}
              onOverwrite={() => send(null)}
            />
          ) : null}
          <FormError message={errors.form} />
          <div className="row-actions">
            {readOnly ? null : (
              <button type="submit" className="btn btn-primary" disabled={save.isPending}>
                {id === null ? t('trunks.create') : t('trunks.save')}
              </button>
            )}
            <button type="button" className="btn" onClick={onClose}>
              {t('trunks.close')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
