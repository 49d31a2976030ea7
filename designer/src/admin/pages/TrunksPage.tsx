// Voice → Trunks: the Asterisk endpoints outbound routes dial through. List, create, edit (with
// If-Match) and delete behind a confirmation naming the routes that still go through the trunk
// (the server refuses that delete too, and the dialog shows its refusal).
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { trunkCreateSchema, trunkUpdateSchema } from '../../../../contracts/voice.ts';
import { describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ActionConfirm, editDeleteColumn, PageHeader } from '../kit/crud.tsx';
import { useDependents } from '../kit/dependents.ts';
import { DataTable } from '../kit/DataTable.tsx';
import { checkAgainst, Field, FormError } from '../kit/forms.tsx';
import { useApiQuery } from '../kit/query.tsx';
import { EditorFooter } from '../kit/versioned.tsx';
import { useVersionedEditor } from '../kit/useVersionedEditor.ts';

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
      { id: 'name', header: t('common.name'), accessorFn: (x) => x.name, enableHiding: false },
      { id: 'endpoint', header: t('trunks.endpoint'), accessorFn: (x) => x.endpoint },
      { id: 'callerId', header: t('trunks.callerId'), accessorFn: (x) => x.callerId ?? '' },
      { id: 'enabled', header: t('common.enabled'), accessorFn: (x) => (x.enabled ? t('common.yes') : t('common.no')) },
      editDeleteColumn<TrunkRow>(t('common.actions'), {
        mayEdit,
        mayDelete,
        onEdit: (row) => setEditing(row.id),
        onDelete: setDeleting,
      }),
    ],
    [t, mayEdit, mayDelete],
  );

  return (
    <div className="page" data-testid="trunks-page">
      <PageHeader title={t('trunks.title')} intro={t('trunks.intro')} add={mayEdit ? { label: t('trunks.add'), onClick: () => setEditing('new') } : null} />
      {list.error ? <FormError message={describeError(list.error)} /> : null}
      <DataTable label={t('trunks.title')} columns={columns} rows={list.data ?? []} rowId={(x) => String(x.id)} loading={list.isPending} testId="trunks-table" />
      {editing === null ? null : <TrunkEditor id={editing === 'new' ? null : editing} readOnly={!mayEdit} onClose={() => setEditing(null)} />}
      {deleting === null ? null : <DeleteTrunk trunk={deleting} onDone={() => setDeleting(null)} />}
    </div>
  );
}

function DeleteTrunk({ trunk, onDone }: { trunk: TrunkRow; onDone: () => void }) {
  const { t } = useTranslation();
  const dependents = useDependents('trunk', trunk.id);
  return (
    <ActionConfirm
      title={t('trunks.deleteTitle', { name: trunk.name })}
      confirmLabel={t('common.delete')}
      dependents={dependents}
      body={<p>{t('trunks.deleteBody')}</p>}
      run={(api) => api.delete<void>(`${LIST}/${trunk.id}`)}
      invalidates={[LIST, '/api/dependents']}
      doneToast={t('trunks.deleted_toast', { name: trunk.name })}
      onDone={onDone}
    />
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
  const editor = useVersionedEditor<TrunkRow, TrunkForm>({
    list: LIST,
    id,
    blank: formOf(null),
    formOf,
    fields: FORM_FIELDS,
    check: (form) => {
      const body = { ...form, callerId: form.callerId.trim() === '' ? null : form.callerId.trim(), description: form.description.trim() === '' ? null : form.description };
      return checkAgainst(id === null ? trunkCreateSchema : trunkUpdateSchema, body);
    },
    savedToast: (name) => t('trunks.saved_toast', { name }),
    onSaved: onClose,
  });
  const { current, form, set, errors, submit } = editor;

  return (
    <Dialog title={id === null ? t('trunks.addTitle') : t('trunks.editTitle', { name: current.loaded?.body.name ?? '' })} onClose={onClose} width={560} testId="trunk-editor">
      {current.error ? <FormError message={describeError(current.error)} /> : null}
      {form === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <form className="form-stack" onSubmit={submit} aria-label={t('trunks.settings')} noValidate>
          <Field label={t('common.name')} error={errors.fields.name} required>
            {(props) => <input {...props} name="name" value={form.name} onChange={(e) => set('name', e.target.value)} disabled={readOnly} />}
          </Field>
          <Field label={t('trunks.endpoint')} error={errors.fields.endpoint} hint={t('trunks.hints.endpoint')} required>
            {(props) => <input {...props} name="endpoint" value={form.endpoint} onChange={(e) => set('endpoint', e.target.value)} disabled={readOnly} />}
          </Field>
          <Field label={t('trunks.callerId')} error={errors.fields.callerId} hint={t('trunks.hints.callerId')}>
            {(props) => <input {...props} name="callerId" value={form.callerId} onChange={(e) => set('callerId', e.target.value)} disabled={readOnly} />}
          </Field>
          <Field label={t('common.description')} error={errors.fields.description}>
            {(props) => <input {...props} name="description" value={form.description} onChange={(e) => set('description', e.target.value)} disabled={readOnly} />}
          </Field>
          <label className="field-inline">
            <input type="checkbox" name="enabled" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} disabled={readOnly} />
            {t('common.enabled')}
          </label>
          <EditorFooter
            editor={editor}
            readOnly={readOnly}
            submitLabel={id === null ? t('trunks.create') : t('common.save')}
            close={{ label: t('common.close'), onClick: onClose }}
          />
        </form>
      )}
    </Dialog>
  );
}
