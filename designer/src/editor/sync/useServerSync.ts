// The editor's side of the server's versioned drafts: save (a stale revision is a conflict to
// resolve, never an overwrite), load or overwrite the other editor's version, publish, and what the
// server last said about the document (revision, published version, problems found at publish).
import { useCallback, useEffect, useState, type Dispatch } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem, Project } from '../../../../flows/index.ts';
import { ApiError, describeError } from '../../api/client.ts';
import type { ProjectDetail } from '../../api/types.ts';
import { useSession } from '../../app/session.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import type { EditorAction } from '../model/editor-state.ts';
import { clearLocalDraft, type DraftStorage } from '../model/local-draft.ts';
import type { PublishOutcome } from '../PublishDialog.tsx';
import { useLatest } from '../useLatest.ts';
import type { OpenedDocument } from './openDocument.ts';

/** Someone else saved since our base revision (null when the server did not say which one). */
export interface Conflict {
  readonly currentRevision: number | null;
}

export interface ServerSyncOptions {
  readonly initial: ProjectDetail;
  readonly opened: OpenedDocument;
  /** The document being edited. */
  readonly doc: Project;
  readonly readOnly: boolean;
  readonly storage: DraftStorage | null;
  readonly dispatch: Dispatch<EditorAction>;
  /** A save went through. */
  readonly onSaved: () => void;
  /** The server's draft replaced the document (their version loaded, a rollback, edits discarded). */
  readonly onReplaced: () => void;
}

export interface ServerSync {
  readonly savedDoc: Project;
  readonly baseRevision: number;
  readonly publishedVersion: number | null;
  readonly saving: boolean;
  /** The document differs from what the server has. */
  readonly dirty: boolean;
  readonly conflict: Conflict | null;
  /** Problems the server reported at publish, shown until the document changes. */
  readonly serverProblems: readonly Problem[];
  /** Saves the draft; the new revision, or null when it was not saved (conflict, error). */
  save(): Promise<number | null>;
  publish(message: string): Promise<PublishOutcome>;
  loadTheirs(): Promise<void>;
  overwriteTheirs(): Promise<void>;
  /** A draft the server answered with (a rollback) becomes the document. */
  applyServerDraft(detail: ProjectDetail): void;
  /** Drops the unsaved changes: back to what the server has. */
  revert(): void;
  /** Edits made on an older revision continue from it: saving them then asks to resolve the conflict. */
  rebase(revision: number): void;
}

export function useServerSync({ initial, opened, doc, readOnly, storage, dispatch, onSaved, onReplaced }: ServerSyncOptions): ServerSync {
  const { t } = useTranslation();
  const { ivr } = useSession();
  const toast = useToast();
  const projectId = initial.id;
  const [savedDoc, setSavedDoc] = useState<Project>(opened.saved);
  const [baseRevision, setBaseRevision] = useState(opened.baseRevision);
  const [publishedVersion, setPublishedVersion] = useState(initial.publishedVersion);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [serverProblems, setServerProblems] = useState<readonly Problem[]>([]);
  const live = useLatest({ doc, savedDoc, baseRevision, readOnly, saving });
  const latestCallbacks = useLatest({ onSaved, onReplaced });

  useEffect(() => {
    setServerProblems((p) => (p.length === 0 ? p : []));
  }, [doc]);

  const applyServerDraft = useCallback(
    (detail: ProjectDetail) => {
      dispatch({ type: 'reset', doc: detail.draft });
      setSavedDoc(detail.draft);
      setBaseRevision(detail.revision);
      setPublishedVersion(detail.publishedVersion);
      setConflict(null);
      latestCallbacks.current.onReplaced();
      clearLocalDraft(storage, projectId);
    },
    [dispatch, storage, projectId, latestCallbacks],
  );

  const save = useCallback(async (): Promise<number | null> => {
    const { doc: current, baseRevision: revision, readOnly: ro, saving: busy } = live.current;
    if (ro || busy) return null;
    setSaving(true);
    try {
      const detail = await ivr.saveDraft(projectId, revision, current);
      // Callers continue before React re-renders: keep the ref current for them.
      live.current = { ...live.current, savedDoc: current, baseRevision: detail.revision };
      setSavedDoc(current);
      setBaseRevision(detail.revision);
      setConflict(null);
      latestCallbacks.current.onSaved();
      clearLocalDraft(storage, projectId);
      toast('success', t('designer.sync.saved_toast', { revision: detail.revision }));
      return detail.revision;
    } catch (err) {
      // A stale revision is a conflict between editors; any other 409 (a name another project
      // already has) is an ordinary error to fix.
      if (isRevisionConflict(err)) {
        setConflict({ currentRevision: err.details.currentRevision as number });
      } else {
        toast('error', t('designer.sync.notSaved', { reason: describeError(err) }));
      }
      return null;
    } finally {
      setSaving(false);
    }
  }, [ivr, projectId, storage, toast, live, latestCallbacks, t]);

  const loadTheirs = useCallback(async () => {
    try {
      applyServerDraft(await ivr.get(projectId));
      toast('info', t('designer.sync.reloaded_toast'));
    } catch (err) {
      toast('error', describeError(err));
    }
  }, [ivr, projectId, applyServerDraft, toast, t]);

  const overwriteTheirs = useCallback(async () => {
    try {
      const latest = await ivr.get(projectId);
      setBaseRevision(latest.revision);
      live.current = { ...live.current, baseRevision: latest.revision };
      await save();
    } catch (err) {
      toast('error', describeError(err));
    }
  }, [ivr, projectId, save, toast, live]);

  const publish = useCallback(
    async (message: string): Promise<PublishOutcome> => {
      if (live.current.doc !== live.current.savedDoc && (await save()) === null) return { ok: false, message: t('designer.sync.notSavedNotPublished') };
      try {
        const version = await ivr.publish(projectId, live.current.baseRevision, message);
        setPublishedVersion(version.version);
        if (version.unchanged) toast('info', t('designer.sync.unchanged_toast', { version: version.version }));
        else toast('success', t('designer.sync.published_toast', { version: version.version }));
        return { ok: true };
      } catch (err) {
        if (err instanceof ApiError && Array.isArray(err.details.problems)) {
          const problems = err.details.problems as Problem[];
          setServerProblems(problems);
          return { ok: false, message: err.message, problems };
        }
        if (isRevisionConflict(err)) setConflict({ currentRevision: err.details.currentRevision as number });
        return { ok: false, message: describeError(err) };
      }
    },
    [ivr, projectId, save, toast, live, t],
  );

  const revert = useCallback(() => {
    const { savedDoc: saved, baseRevision: revision } = live.current;
    applyServerDraft({ ...initial, draft: saved, revision, publishedVersion });
  }, [applyServerDraft, initial, publishedVersion, live]);

  const rebase = useCallback((revision: number) => setBaseRevision(revision), []);

  return {
    savedDoc,
    baseRevision,
    publishedVersion,
    saving,
    dirty: doc !== savedDoc,
    conflict,
    serverProblems,
    save,
    publish,
    loadTheirs,
    overwriteTheirs,
    applyServerDraft,
    revert,
    rebase,
  };
}

function isRevisionConflict(err: unknown): err is ApiError {
  return err instanceof ApiError && err.status === 409 && typeof err.details.currentRevision === 'number';
}
