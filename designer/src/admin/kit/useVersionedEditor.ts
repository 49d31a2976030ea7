// The state of an editor dialog over one resource of a list (create when id is null, else edit with
// If-Match): the form loaded from the server, errors from the browser's check or the server's answer,
// and saving (with the saved toast), reloading and overwriting after someone else saved first.
import { useState, type FormEvent } from 'react';
import { useToast } from '../../ui/Toasts.tsx';
import { formErrorsOf, NO_ERRORS, type FormErrors } from './forms.tsx';
import { useApiMutation } from './query.tsx';
import { isStaleEdit, useVersioned, type Versioned } from './versioned.tsx';

/** What checking the form against the API's schema gave: the body to send, or the errors to show. */
export type Checked = { ok: true; data: unknown } | { ok: false; errors: FormErrors };

export function useVersionedEditor<Row extends { readonly name: string }, Form extends object>({
  list,
  id,
  blank,
  formOf,
  fields,
  check,
  savedToast,
  onSaved,
  invalidates = [list],
}: {
  /** POST here creates; PATCH {list}/{id} saves an edit. */
  list: string;
  id: number | null;
  /** The form a new one starts from. */
  blank: Form;
  formOf: (row: Row) => Form;
  /** The form's fields, so the server's errors for them land next to them. */
  fields: readonly string[];
  check: (form: Form) => Checked;
  savedToast: (name: string) => string;
  onSaved: (saved: Versioned<Row>) => void;
  /** What a save makes stale besides the list itself. */
  invalidates?: readonly string[];
}) {
  const toast = useToast();
  const path = id === null ? null : `${list}/${id}`;
  const current = useVersioned<Row>(path);
  const [form, setForm] = useState<Form | null>(id === null ? blank : null);
  if (form === null && current.loaded !== null) setForm(formOf(current.loaded.body));
  const [local, setLocal] = useState<FormErrors | null>(null);
  const save = useApiMutation(
    (api, { body, etag }: { body: Record<string, unknown>; etag: string | null }) =>
      path === null ? api.post<Row>(list, body).then((b) => ({ body: b, etag: null })) : api.patch<Row>(path, body, etag),
    invalidates,
  );
  // A stale save says so in its own notice, not as a form error.
  const errors = local ?? (isStaleEdit(save.error) ? NO_ERRORS : formErrorsOf(save.error, fields));

  const send = (etag: string | null) => {
    if (form === null) return;
    save.reset();
    const checked = check(form);
    setLocal(checked.ok ? null : checked.errors);
    if (!checked.ok) return;
    save.mutate(
      { body: checked.data as Record<string, unknown>, etag },
      {
        onSuccess: (saved) => {
          toast('success', savedToast(saved.body.name));
          onSaved(saved);
        },
      },
    );
  };
  return {
    current,
    form,
    setForm,
    set: <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => (f === null ? f : { ...f, [key]: value })),
    errors,
    save,
    submit: (e: FormEvent) => {
      e.preventDefault();
      send(current.loaded?.etag ?? null);
    },
    /** Someone else saved first: read theirs and start the form over from it. */
    reload: () => void current.reload().then((fresh) => fresh && setForm(formOf(fresh.body))),
    /** Someone else saved first: save this form over theirs. */
    overwrite: () => send(null),
  };
}
