// An admin list of named things with an optional description (hot-desk phones, pause reasons): the
// table through DataTable, an inline create form checked first with the API's own schema (what only
// the server can tell, a name already taken, comes back from it; either way each message lands next
// to its field), and delete behind the confirmation. Each page brings its strings, ids and rights.
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { describeError } from '../../api/client.ts';
import { useToast } from '../../ui/Toasts.tsx';
import { DataTable } from './DataTable.tsx';
import { deleteColumn, DeleteDialog, PageHeader, useDeletion } from './crud.tsx';
import { formatDateTime } from './format.ts';
import { checkAgainst, Field, FormError, formErrorsOf, type FormErrors } from './forms.tsx';
import { useApiMutation, useApiQuery } from './query.tsx';

/** A row of such a list, as the API returns it. */
export interface NamedRow {
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: string;
}

/** The page's words, already translated (the ones naming a row take its name). */
export interface NameListText {
  title: string;
  intro: string;
  readOnly: string;
  name: string;
  description: string;
  created: string;
  actions: string;
  delete: string;
  deleteLabel: (name: string) => string;
  deleteTitle: (name: string) => string;
  deleteConfirm: string;
  deleteBody: string;
  createdToast: (name: string) => string;
  deletedToast: (name: string) => string;
  add: string;
  save: string;
}

const FORM_FIELDS = ['name', 'description'] as const;

export function NameListPage({
  list: listPath,
  schema,
  text,
  mayAdd,
  mayDelete,
  trimName = false,
  testId,
  tableTestId,
}: {
  /** GET lists, POST creates, DELETE {list}/{id} removes. */
  list: string;
  /** The API's create schema, so the browser refuses what the server would. */
  schema: z.ZodType<{ name: string; description?: string | null | undefined }>;
  text: NameListText;
  mayAdd: boolean;
  mayDelete: boolean;
  /** Whether spaces around the typed name are dropped before checking it. */
  trimName?: boolean;
  testId: string;
  tableTestId: string;
}) {
  const toast = useToast();
  const list = useApiQuery<NamedRow[]>(listPath);
  const deletion = useDeletion<NamedRow>(listPath);
  const { setDeleting } = deletion;

  const columns = useMemo<ColumnDef<NamedRow>[]>(
    () => [
      { id: 'name', header: text.name, accessorFn: (r) => r.name, enableHiding: false },
      { id: 'description', header: text.description, accessorFn: (r) => r.description ?? '' },
      { id: 'createdAt', header: text.created, accessorFn: (r) => r.createdAt, cell: (c) => formatDateTime(c.row.original.createdAt), enableGlobalFilter: false },
      ...(mayDelete ? [deleteColumn<NamedRow>(text.actions, (r) => ({ label: text.deleteLabel(r.name), text: text.delete }), setDeleting)] : []),
    ],
    [text, mayDelete, setDeleting],
  );

  return (
    <div className="page" data-testid={testId}>
      <PageHeader title={text.title} intro={text.intro} />
      {mayAdd ? (
        <CreateNamed list={listPath} schema={schema} text={text} trimName={trimName} onCreated={(name) => toast('success', text.createdToast(name))} />
      ) : (
        <p className="muted">{text.readOnly}</p>
      )}
      {list.error ? <FormError message={describeError(list.error)} /> : null}
      <DataTable label={text.title} columns={columns} rows={list.data ?? []} rowId={(r) => String(r.id)} loading={list.isPending} testId={tableTestId} />
      <DeleteDialog
        deletion={deletion}
        title={(r) => text.deleteTitle(r.name)}
        confirmLabel={text.deleteConfirm}
        deletedToast={(r) => text.deletedToast(r.name)}
        body={<p>{text.deleteBody}</p>}
      />
    </div>
  );
}

function CreateNamed({
  list,
  schema,
  text,
  trimName,
  onCreated,
}: {
  list: string;
  schema: z.ZodType<{ name: string; description?: string | null | undefined }>;
  text: NameListText;
  trimName: boolean;
  onCreated: (name: string) => void;
}) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useApiMutation((api, body: { name: string; description: string | null }) => api.post<NamedRow>(list, body), [list]);
  const [local, setLocal] = useState<FormErrors | null>(null);
  const errors = local ?? formErrorsOf(create.error, FORM_FIELDS);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.reset();
    const checked = checkAgainst(schema, { name: trimName ? name.trim() : name, description: description.trim() === '' ? null : description });
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
    <form className="admin-inline-form" onSubmit={submit} aria-label={text.add} noValidate>
      <Field label={text.name} error={errors.fields.name} required>
        {(props) => <input {...props} name="name" value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label={text.description} error={errors.fields.description}>
        {(props) => <input {...props} name="description" value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-primary" disabled={create.isPending}>
        {text.save}
      </button>
      <FormError message={errors.form} />
    </form>
  );
}
