// Forms against the API's validation: a refused body comes back as VALIDATION_FAILED with
// `details.fields: [{field, message}]` (dotted paths, '(body)' for the whole body), and a duplicate
// as CONFLICT naming its field the same way. These helpers put each message next to its field; what names no field goes on top.
import { useId, type ReactNode } from 'react';
import type { z } from 'zod';
import { ApiError, describeError } from '../../api/client.ts';
import { Icon } from '../../ui/Icon.tsx';

export interface FormErrors {
  /** Message per field path ('name', 'settings.timeout'). */
  readonly fields: Readonly<Record<string, string>>;
  /** What belongs to no field of this form (a conflict, the network, a 403). */
  readonly form: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, form: null };

/** Splits an error into per-field messages (for the fields the form has) and one for the form. */
export function formErrorsOf(error: unknown, formFields: readonly string[]): FormErrors {
  if (error === null || error === undefined) return NO_ERRORS;
  if (error instanceof ApiError && Array.isArray(error.details.fields)) {
    const fields: Record<string, string> = {};
    const rest: string[] = [];
    for (const item of error.details.fields as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const { field, message } = item as { field?: unknown; message?: unknown };
      if (typeof field !== 'string' || typeof message !== 'string') continue;
      if (formFields.includes(field) && fields[field] === undefined) fields[field] = message;
      else rest.push(`${field}: ${message}`);
    }
    return { fields, form: rest.length > 0 ? rest.join('; ') : null };
  }
  return { fields: {}, form: describeError(error) };
}

/** The same per-field shape from a zod schema shared with the API, to refuse a form before sending it. */
export function checkAgainst<S extends z.ZodType>(schema: S, values: unknown): { ok: true; data: z.output<S> } | { ok: false; errors: FormErrors } {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.') || '(body)';
    fields[path] ??= issue.message;
  }
  return { ok: false, errors: { fields, form: null } };
}

/** A labelled input with its error underneath, tied by aria-describedby and aria-invalid. */
export function Field({
  label,
  error,
  hint,
  required = false,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined; 'aria-required': boolean }) => ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
        {required ? (
          <span className="required" aria-hidden>
            *
          </span>
        ) : null}
      </label>
      {children({ id, 'aria-invalid': error !== undefined, 'aria-describedby': describedBy, 'aria-required': required })}
      {hint ? (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={errorId} data-testid="field-error">
          <Icon name="error" size={14} />
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** The end of a whole-page form: its own error, then Save for an account that may change it. */
export function SaveFooter({ error, mayEdit, busy, label }: { error: string | null; mayEdit: boolean; busy: boolean; label: string }) {
  return (
    <>
      <FormError message={error} />
      {mayEdit ? (
        <div>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {label}
          </button>
        </div>
      ) : null}
    </>
  );
}

export function FormError({ message }: { message: string | null }) {
  if (message === null) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}
