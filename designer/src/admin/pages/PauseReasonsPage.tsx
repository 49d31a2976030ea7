// Tools → Pause reasons: the pattern every admin list follows. The list through the data layer,
// the table through DataTable, the create form showing the API's field errors next to the field,
// and delete behind ConfirmDialog.
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { ConfirmDialog } from '../kit/ConfirmDialog.tsx';
import { DataTable } from '../kit/DataTable.tsx';
import { formatDateTime } from '../kit/format.ts';
import { pauseReasonCreateSchema } from '../../../../contracts/staff.ts';
import { checkAgainst, Field, FormError, formErrorsOf, type FormErrors } from '../kit/forms.tsx';
import { useApiMutation, useApiQuery } from '../kit/query.tsx';

/** A row of GET /api/pause-reasons. */
export interface PauseReason {
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: string;
}

const LIST = '/api/pause-reasons';
const FORM_FIELDS = ['name', 'description'] as const;

export function PauseReasonsPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const toast = useToast();
  const list = useApiQuery<PauseReason[]>(LIST);
  const canChange = account.role === 'admin';
  const [deleting, setDeleting] = useState<PauseReason | null>(null);
  const remove = useApiMutation((api, reason: PauseReason) => api.delete<void>(`${LIST}/${reason.id}`), [LIST]);

  const columns = useMemo<ColumnDef<PauseReason>[]>(
    () => [
      { id: 'name', header: t('pauseReasons.name'), accessorFn: (r) => r.name, enableHiding: false },
      { id: 'description', header: t('pauseReasons.description'), accessorFn: (r) => r.description ?? '' },
      { id: 'createdAt', header: t('pauseReasons.created'), accessorFn: (r) => r.createdAt, cell: (c) => formatDateTime(c.row.original.createdAt), enableGlobalFilter: false },
      ...(canChange
        ? [
            {
              id: 'actions',
              header: t('pauseReasons.actions'),
              enableSorting: false,
              enableHiding: false,
              cell: (c) => (
                <button type="button" className="btn btn-sm btn-danger-text" onClick={() => setDeleting(c.row.original)} aria-label={`${t('pauseReasons.delete')} ${c.row.original.name}`}>
                  {t('pauseReasons.delete')}
                </button>
              ),
            } satisfies ColumnDef<PauseReason>,
          ]
        : []),
    ],
    [t, canChange],
  );

  return (
    <div className="page" data-testid="pause-reasons-page">
      <header className="page-header">
        <div>
          <h1>{t('pauseReasons.title')}</h1>
          <p className="muted">{t('pauseReasons.intro')}</p>
        </div>
      </header>
      {canChange ? <CreatePauseReason onCreated={(name) => toast('success', t('pauseReasons.created_toast', { name }))} /> : <p className="muted">{t('pauseReasons.readOnly')}</p>}
      {list.error ? <FormError message={describeError(list.error)} /> : null}
      <DataTable label={t('pauseReasons.title')} columns={columns} rows={list.data ?? []} rowId={(r) => String(r.id)} loading={list.isPending} testId="pause-reasons-table" />
      {deleting === null ? null : (
        <ConfirmDialog
          title={t('pauseReasons.deleteTitle', { name: deleting.name })}
          confirmLabel={t('pauseReasons.deleteConfirm')}
          busy={remove.isPending}
          error={remove.error ? describeError(remove.error) : null}
          onCancel={() => {
            remove.reset();
            setDeleting(null);
          }}
          onConfirm={() =>
            remove.mutate(deleting, {
              onSuccess: () => {
                toast('success', t('pauseReasons.deleted_toast', { name: deleting.name }));
                setDeleting(null);
              },
            })
          }
        >
          <p>{t('pauseReasons.deleteBody')}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function CreatePauseReason({ onCreated }: { onCreated: (name: string) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useApiMutation((api, body: { name: string; description: string | null }) => api.post<PauseReason>(LIST, body), [LIST]);
  // Checked in the browser with the API's own schema first; what only the server can tell (a name
  // already taken) comes back from it, and either way each message lands next to its field.
  const [local, setLocal] = useState<FormErrors | null>(null);
  const errors = local ?? formErrorsOf(create.error, FORM_FIELDS);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.reset();
    const checked = checkAgainst(pauseReasonCreateSchema, { name, description: description.trim() === '' ? null : description });
    setLocal(checked.ok ? null : checked.errors);
    if (!checked.ok) return;
    create.mutate(
      { name: checked.data.name, description: checked.data.description ?? null },
      {
        onSuccess: (created) => {
          setName('');
          setDescription('');
          onCreated(created.name);
        },
      },
    );
  };
  return (
    <form className="admin-inline-form" onSubmit={submit} aria-label={t('pauseReasons.add')} noValidate>
      <Field label={t('pauseReasons.name')} error={errors.fields.name} required>
        {(props) => <input {...props} name="name" value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label={t('pauseReasons.description')} error={errors.fields.description}>
        {(props) => <input {...props} name="description" value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-primary" disabled={create.isPending}>
        {t('pauseReasons.save')}
      </button>
      <FormError message={errors.form} />
    </form>
  );
}
