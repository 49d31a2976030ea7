// Editing with optimistic concurrency: the editor reads the resource with its version (ETag), saves
// with If-Match, and when the server answers that someone else saved in between (409, reason
// "stale") says so and lets the user reload (losing their changes) or overwrite (keeping them).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { FormError } from './forms.tsx';

/** A 409 because the resource changed since it was read (not a duplicate name, which names its field). */
export function isStaleEdit(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.details.reason === 'stale';
}

export interface Versioned<T> {
  readonly body: T;
  readonly etag: string | null;
}

/** The resource at `path` (null: nothing to load, a new one) with its ETag; `reload` reads it again. */
export function useVersioned<T>(path: string | null) {
  const { api } = useSession();
  const [loaded, setLoaded] = useState<Versioned<T> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(async (): Promise<Versioned<T> | null> => {
    if (path === null) return null;
    try {
      const answer = await api.getVersioned<T>(path);
      setLoaded(answer);
      setError(null);
      return answer;
    } catch (e) {
      setError(e);
      return null;
    }
  }, [api, path]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { loaded, error, reload, setLoaded };
}

/** Shown when a save hit a stale version: what happened and the two ways out. */
export function StaleEditNotice({ onReload, onOverwrite, busy = false }: { onReload: () => void; onOverwrite: () => void; busy?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="form-error" role="alert" data-testid="stale-edit">
      <p>{t('versioned.stale')}</p>
      <div className="row-actions">
        <button type="button" className="btn btn-sm" onClick={onReload} disabled={busy}>
          {t('versioned.reload')}
        </button>
        <button type="button" className="btn btn-sm btn-danger" onClick={onOverwrite} disabled={busy}>
          {t('versioned.overwrite')}
        </button>
      </div>
    </div>
  );
}

/**
 * The stale-edit notice for a save, shown only while that save failed on a stale version; Reload
 * clears the failure before `onReload` reads the resource again.
 */
export function StaleSave({ save, onReload, onOverwrite }: { save: { error: unknown; isPending: boolean; reset: () => void }; onReload: () => void; onOverwrite: () => void }) {
  if (!isStaleEdit(save.error)) return null;
  return (
    <StaleEditNotice
      busy={save.isPending}
      onReload={() => {
        save.reset();
        onReload();
      }}
      onOverwrite={onOverwrite}
    />
  );
}

/** The end of an editor form (see useVersionedEditor): the stale-edit notice, the form's own error, then Save/Create and Close. */
export function EditorFooter({
  editor,
  readOnly,
  submitLabel,
  close,
}: {
  editor: { save: { error: unknown; isPending: boolean; reset: () => void }; errors: { form: string | null }; reload: () => void; overwrite: () => void };
  readOnly: boolean;
  submitLabel: string;
  /** A Close button beside Save, for editors that have none elsewhere. */
  close?: { label: string; onClick: () => void };
}) {
  const { save } = editor;
  return (
    <>
      <StaleSave save={save} onReload={editor.reload} onOverwrite={editor.overwrite} />
      <FormError message={editor.errors.form} />
      {readOnly && close === undefined ? null : (
        <div className="row-actions">
          {readOnly ? null : (
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>
              {submitLabel}
            </button>
          )}
          {close === undefined ? null : (
            <button type="button" className="btn" onClick={close.onClick}>
              {close.label}
            </button>
          )}
        </div>
      )}
    </>
  );
}
