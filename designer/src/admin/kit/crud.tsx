// The parts every admin list page repeats: its heading, the delete button in a row, and the delete
// flow (which row is being deleted, the DELETE call, the confirmation that stays open with the
// server's refusal, the toast once it is gone). Pages keep their own strings and test ids.
import type { ColumnDef } from '@tanstack/react-table';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/client.ts';
import { useToast } from '../../ui/Toasts.tsx';
import type { ApiClient } from '../../api/client.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { useDependents } from './dependents.ts';
import type { DependentTarget } from '../../../../contracts/admin.ts';
import { useApiMutation } from './query.tsx';

/** The title and one-line introduction at the top of an admin page, with its "Add" button when given. */
export function PageHeader({ title, intro, add }: { title: string; intro: string; add?: { label: string; onClick: () => void } | null }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
      </div>
      {add ? (
        <button type="button" className="btn btn-primary" onClick={add.onClick}>
          {add.label}
        </button>
      ) : null}
    </header>
  );
}

/** The row's delete button, named after the row so a screen reader (and a test) can tell them apart. */
export function DeleteButton({ label, text, onClick }: { label: string; text: string; onClick: () => void }) {
  return (
    <button type="button" className="btn btn-sm btn-danger-text" onClick={onClick} aria-label={label}>
      {text}
    </button>
  );
}

/** The "actions" column holding only the delete button, for tables whose rows can just be deleted. */
export function deleteColumn<T>(header: string, button: (row: T) => { label: string; text: string }, onDelete: (row: T) => void): ColumnDef<T> {
  return {
    id: 'actions',
    header,
    enableSorting: false,
    enableHiding: false,
    cell: (c) => <DeleteButton {...button(c.row.original)} onClick={() => onDelete(c.row.original)} />,
  };
}

/** The "actions" column of a table whose rows open in an editor and may be deleted (see EditDeleteActions). */
export function editDeleteColumn<T extends { readonly name: string }>(
  header: string,
  actions: Omit<Parameters<typeof EditDeleteActions>[0], 'name' | 'onEdit' | 'onDelete' | 'children'> & { onEdit: (row: T) => void; onDelete: (row: T) => void },
): ColumnDef<T> {
  return {
    id: 'actions',
    header,
    enableSorting: false,
    enableHiding: false,
    cell: (c) => <EditDeleteActions {...actions} name={c.row.original.name} onEdit={() => actions.onEdit(c.row.original)} onDelete={() => actions.onDelete(c.row.original)} />,
  };
}

/** Which row is about to be deleted and the DELETE {list}/{id} that does it (refreshing the list). */
export function useDeletion<T extends { readonly id: number }>(list: string) {
  const [deleting, setDeleting] = useState<T | null>(null);
  const remove = useApiMutation((api, row: T) => api.delete<void>(`${list}/${row.id}`), [list]);
  return { deleting, setDeleting, remove };
}

/** The confirmation for the row useDeletion holds; nothing while no row is chosen. */
export function DeleteDialog<T extends { readonly id: number }>({
  deletion,
  title,
  confirmLabel,
  deletedToast,
  body,
  onDeleted,
  whereUsed,
}: {
  deletion: ReturnType<typeof useDeletion<T>>;
  title: (row: T) => string;
  confirmLabel: string;
  deletedToast: (row: T) => string;
  body: ReactNode;
  /** Anything more to do once the row is gone (before the dialog closes). */
  onDeleted?: (row: T) => void;
  /** The GET /api/dependents kind to list in the dialog (asked with the row's id). */
  whereUsed?: DependentTarget;
}) {
  const toast = useToast();
  const { deleting, setDeleting, remove } = deletion;
  const dependents = useDependents(whereUsed ?? 'queue', whereUsed === undefined || deleting === null ? null : deleting.id);
  if (deleting === null) return null;
  return (
    <ConfirmDialog
      title={title(deleting)}
      dependents={whereUsed === undefined ? [] : dependents}
      confirmLabel={confirmLabel}
      busy={remove.isPending}
      error={remove.error ? describeError(remove.error) : null}
      onCancel={() => {
        remove.reset();
        setDeleting(null);
      }}
      onConfirm={() =>
        remove.mutate(deleting, {
          onSuccess: () => {
            toast('success', deletedToast(deleting));
            onDeleted?.(deleting);
            setDeleting(null);
          },
        })
      }
    >
      {body}
    </ConfirmDialog>
  );
}

/** A row's "Edit" (or "View", for an account that may only read) and, when allowed, "Delete". */
export function EditDeleteActions({
  name,
  mayEdit,
  mayDelete,
  onEdit,
  onDelete,
  children,
}: {
  /** The row's name, added to each button's accessible name. */
  name: string;
  mayEdit: boolean;
  mayDelete: boolean;
  onEdit: () => void;
  onDelete: () => void;
  /** Buttons of the page's own placed before Edit (moving a row up or down). */
  children?: ReactNode;
}) {
  // The catalogue's common words: every list names these buttons alike.
  const { t } = useTranslation();
  const open = mayEdit ? t('common.edit') : t('common.view');
  const remove = t('common.delete');
  return (
    <span className="row-actions">
      {children}
      <button type="button" className="btn btn-sm" onClick={onEdit} aria-label={`${open} ${name}`}>
        {open}
      </button>
      {mayDelete ? <DeleteButton label={`${remove} ${name}`} text={remove} onClick={onDelete} /> : null}
    </span>
  );
}

/**
 * A confirmed action on one thing (delete, disable) that lists what still uses it: runs `run` on
 * confirm, refreshes the listed paths, toasts and closes; a refusal stays in the dialog.
 */
export function ActionConfirm({
  title,
  confirmLabel,
  dependents,
  body,
  run,
  invalidates,
  doneToast,
  onDone,
}: {
  title: string;
  confirmLabel: string;
  dependents: readonly string[] | null;
  body: ReactNode;
  run: (api: ApiClient) => Promise<unknown>;
  invalidates: readonly string[];
  doneToast: string;
  onDone: () => void;
}) {
  const toast = useToast();
  const action = useApiMutation((api, _: void) => run(api), invalidates);
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={confirmLabel}
      dependents={dependents}
      busy={action.isPending}
      error={action.error ? describeError(action.error) : null}
      onCancel={onDone}
      onConfirm={() =>
        action.mutate(undefined, {
          onSuccess: () => {
            toast('success', doneToast);
            onDone();
          },
        })
      }
    >
      {body}
    </ConfirmDialog>
  );
}
