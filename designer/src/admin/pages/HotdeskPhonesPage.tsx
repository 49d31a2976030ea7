// Voice → Hot-desk phones: the telephones (PJSIP endpoints) hot-desk agents pick from at login
// (server/acd/hotdesk.ts). Listed, added with the API's field errors next to the field, deleted
// behind a confirmation. Changing them takes the staff permission, as the API asks.
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { phoneCreateSchema } from '../../../../contracts/staff.ts';
import { describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { ConfirmDialog } from '../kit/ConfirmDialog.tsx';
import { DataTable } from '../kit/DataTable.tsx';
import { formatDateTime } from '../kit/format.ts';
import { checkAgainst, Field, FormError, formErrorsOf, type FormErrors } from '../kit/forms.tsx';
import { useApiMutation, useApiQuery } from '../kit/query.tsx';

/** A row of GET /api/phones. */
export interface HotdeskPhone {
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: string;
}

const LIST = '/api/phones';
const FORM_FIELDS = ['name', 'description'] as const;

export function HotdeskPhonesPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const toast = useToast();
  const list = useApiQuery<HotdeskPhone[]>(LIST);
  const mayAdd = can(account, 'staff', 'edit');
  const mayDelete = can(account, 'staff', 'delete');
  const [deleting, setDeleting] = useState<HotdeskPhone | null>(null);
  const remove = useApiMutation((api, phone: HotdeskPhone) => api.delete<void>(`${LIST}/${phone.id}`), [LIST]);

  const columns = useMemo<ColumnDef<HotdeskPhone>[]>(
    () => [
      { id: 'name', header: t('hotdeskPhones.name'), accessorFn: (r) => r.name, enableHiding: false },
      { id: 'description', header: t('hotdeskPhones.description'), accessorFn: (r) => r.description ?? '' },
      { id: 'createdAt', header: t('hotdeskPhones.created'), accessorFn: (r) => r.createdAt, cell: (c) => formatDateTime(c.row.original.createdAt), enableGlobalFilter: false },
      ...(mayDelete
        ? [
            {
              id: 'actions',
              header: t('hotdeskPhones.actions'),
              enableSorting: false,
              enableHiding: false,
              cell: (c) => (
                <button type="button" className="btn btn-sm btn-danger-text" onClick={() => setDeleting(c.row.original)} aria-label={t('hotdeskPhones.deleteLabel', { name: c.row.original.name })}>
                  {t('hotdeskPhones.delete')}
                </button>
              ),
            } satisfies ColumnDef<HotdeskPhone>,
          ]
        : []),
    ],
    [t, mayDelete],
  );

  return (
    <div className="page" data-testid="hotdesk-phones-page">
      <header className="page-header">
        <div>
          <h1>{t('hotdeskPhones.title')}</h1>
          <p className="muted">{t('hotdeskPhones.intro')}</p>
        </div>
      </header>
      {mayAdd ? <CreatePhone onCreated={(name) => toast('success', t('hotdeskPhones.created_toast', { name }))} /> : <p className="muted">{t('hotdeskPhones.readOnly')}</p>}
      {list.error ? <FormError message={describeError(list.error)} /> : null}
      <DataTable label={t('hotdeskPhones.title')} columns={columns} rows={list.data ?? []} rowId={(r) => String(r.id)} loading={list.isPending} testId="hotdesk-phones-table" />
      {deleting === null ? null : (
        <ConfirmDialog
          title={t('hotdeskPhones.deleteTitle', { name: deleting.name })}
          confirmLabel={t('hotdeskPhones.delete')}
          busy={remove.isPending}
          error={remove.error ? describeError(remove.error) : null}
          onCancel={() => {
            remove.reset();
            setDeleting(null);
          }}
          onConfirm={() =>
            remove.mutate(deleting, {
              onSuccess: () => {
                toast('success', t('hotdeskPhones.deleted_toast', { name: deleting.name }));
                setDeleting(null);
              },
            })
          }
        >
          <p>{t('hotdeskPhones.deleteBody')}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function CreatePhone({ onCreated }: { onCreated: (name: string) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useApiMutation((api, body: { name: string; description: string | null }) => api.post<HotdeskPhone>(LIST, body), [LIST]);
  // The shared schema refuses a malformed endpoint name here; a name already taken comes from the server.
  const [local, setLocal] = useState<FormErrors | null>(null);
  const errors = local ?? formErrorsOf(create.error, FORM_FIELDS);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.reset();
    const checked = checkAgainst(phoneCreateSchema, { name: name.trim(), description: description.trim() === '' ? null : description });
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
    <form className="admin-inline-form" onSubmit={submit} aria-label={t('hotdeskPhones.add')} noValidate>
      <Field label={t('hotdeskPhones.name')} error={errors.fields.name} required>
        {(props) => <input {...props} name="name" value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label={t('hotdeskPhones.description')} error={errors.fields.description}>
        {(props) => <input {...props} name="description" value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-primary" disabled={create.isPending}>
        {t('hotdeskPhones.save')}
      </button>
      <FormError message={errors.form} />
    </form>
  );
}
