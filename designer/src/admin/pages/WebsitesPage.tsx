// Chat → Websites: the sites that carry the chat widget (GET /api/chat/websites, as far as the
// account's chat scope reaches), a form to create one by name, and the editor of the one chosen,
// with its snippet and the widget's live preview (its id in the address, ?website=, so a reload or
// a shared link opens the same one). Delete sits behind ConfirmDialog.
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { navigate, useLocation } from '../../app/router.ts';
import { useSession } from '../../app/session.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { DeleteButton, DeleteDialog, PageHeader, useDeletion } from '../kit/crud.tsx';
import { DataTable } from '../kit/DataTable.tsx';
import { formatDateTime } from '../kit/format.ts';
import { Field, FormError, formErrorsOf } from '../kit/forms.tsx';
import { useApiMutation, useApiQuery } from '../kit/query.tsx';
import { WEBSITES, WebsiteEditor, type ChatWebsite } from './WebsiteEditor.tsx';
import './chat-tools.css';

const PAGE_PATH = '/admin/chat/websites';

/** The website the address names (?website=id), if any. */
function selectedIn(location: string): number | null {
  const id = Number(new URL(location, 'http://app.invalid').searchParams.get('website'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

export function WebsitesPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const toast = useToast();
  const list = useApiQuery<ChatWebsite[]>(WEBSITES);
  const mayEdit = can(account, 'chat', 'edit');
  const mayDelete = can(account, 'chat', 'delete');
  const selected = selectedIn(useLocation());
  const setSelected = (id: number | null) => navigate(id === null ? PAGE_PATH : `${PAGE_PATH}?website=${id}`);
  const deletion = useDeletion<ChatWebsite>(WEBSITES);
  const { setDeleting } = deletion;
  const editing = list.data?.find((w) => w.id === selected);

  const columns = useMemo<ColumnDef<ChatWebsite>[]>(
    () => [
      { id: 'name', header: t('common.name'), accessorFn: (w) => w.name, enableHiding: false },
      { id: 'key', header: t('websites.key'), accessorFn: (w) => w.key, cell: (c) => <span className="mono small">{c.row.original.key}</span> },
      { id: 'origins', header: t('websites.origins'), accessorFn: (w) => w.allowedOrigins.join(', ') },
      { id: 'createdAt', header: t('common.created'), accessorFn: (w) => w.createdAt, cell: (c) => formatDateTime(c.row.original.createdAt), enableGlobalFilter: false },
      {
        id: 'actions',
        header: t('common.actions'),
        enableSorting: false,
        enableHiding: false,
        cell: (c) => (
          <span className="row-gap" style={{ display: 'inline-flex' }}>
            <button type="button" className="btn btn-sm" onClick={() => setSelected(c.row.original.id)} aria-label={`${t('common.edit')} ${c.row.original.name}`} aria-pressed={selected === c.row.original.id}>
              {t('common.edit')}
            </button>
            {mayDelete ? (
              <DeleteButton label={`${t('common.delete')} ${c.row.original.name}`} text={t('common.delete')} onClick={() => setDeleting(c.row.original)} />
            ) : null}
          </span>
        ),
      },
    ],
    [t, mayDelete, selected, setDeleting],
  );

  return (
    <div className="page" data-testid="websites-page">
      <PageHeader title={t('websites.title')} intro={t('websites.intro')} />
      {mayEdit ? (
        <CreateWebsite
          onCreated={(w) => {
            toast('success', t('websites.created_toast', { name: w.name }));
            setSelected(w.id);
          }}
        />
      ) : null}
      {list.error ? <FormError message={describeError(list.error)} /> : null}
      <DataTable label={t('websites.title')} columns={columns} rows={list.data ?? []} rowId={(w) => String(w.id)} loading={list.isPending} testId="websites-table" />
      {editing === undefined ? (
        <p className="muted">{t('websites.noSelection')}</p>
      ) : (
        // Keyed by the saved version: after a save (or someone else's, on refetch) the form starts from what the server holds.
        <WebsiteEditor key={`${editing.id}@${editing.updatedAt}`} website={editing} mayEdit={mayEdit} onClose={() => setSelected(null)} />
      )}
      <DeleteDialog
        deletion={deletion}
        title={(w) => t('websites.deleteTitle', { name: w.name })}
        confirmLabel={t('common.delete')}
        deletedToast={(w) => t('websites.deleted_toast', { name: w.name })}
        body={<p>{t('websites.deleteBody')}</p>}
        whereUsed="website"
        onDeleted={(w) => {
          if (selected === w.id) setSelected(null);
        }}
      />
    </div>
  );
}

function CreateWebsite({ onCreated }: { onCreated: (w: ChatWebsite) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const create = useApiMutation((api, body: { name: string }) => api.post<ChatWebsite>(WEBSITES, body), [WEBSITES]);
  const errors = formErrorsOf(create.error, ['name']);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name: name.trim() },
      {
        onSuccess: (created) => {
          setName('');
          onCreated(created);
        },
      },
    );
  };
  return (
    <form className="admin-inline-form" onSubmit={submit} aria-label={t('websites.add')} noValidate>
      <Field label={t('common.name')} error={errors.fields.name} required>
        {(props) => <input {...props} name="new-website-name" value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-primary" disabled={create.isPending}>
        {t('common.create')}
      </button>
      <FormError message={errors.form} />
    </form>
  );
}
