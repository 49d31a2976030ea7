// Unsaved changes kept in the browser while there are any: written a moment after the last edit
// (and at once when the page goes away), removed once the document matches the server again.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Project } from '../../../../flows/index.ts';
import { clearLocalDraft, writeLocalDraft, type DraftStorage, type LocalDraft } from '../model/local-draft.ts';

const WRITE_DELAY_MS = 400;

export interface LocalDraftOptions {
  readonly storage: DraftStorage | null;
  readonly projectId: string;
  readonly doc: Project;
  readonly dirty: boolean;
  readonly baseRevision: number;
  readonly readOnly: boolean;
}

/** Keeps the draft; true when the browser refused to store it (the user must save before leaving). */
export function useLocalDraft({ storage, projectId, doc, dirty, baseRevision, readOnly }: LocalDraftOptions): { readonly storageFailed: boolean } {
  const [storageFailed, setStorageFailed] = useState(false);
  const pendingDraft = useRef<LocalDraft | null>(null);
  const flushDraft = useCallback(() => {
    const draft = pendingDraft.current;
    if (draft === null) return;
    pendingDraft.current = null;
    setStorageFailed(!writeLocalDraft(storage, draft));
  }, [storage]);
  useEffect(() => {
    if (readOnly) return;
    if (!dirty) {
      pendingDraft.current = null;
      clearLocalDraft(storage, projectId);
      return;
    }
    pendingDraft.current = { projectId, baseRevision, savedAt: new Date().toISOString(), project: doc };
    const timer = window.setTimeout(flushDraft, WRITE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [doc, dirty, baseRevision, readOnly, storage, projectId, flushDraft]);
  useEffect(() => {
    window.addEventListener('pagehide', flushDraft);
    return () => {
      window.removeEventListener('pagehide', flushDraft);
      flushDraft();
    };
  }, [flushDraft]);
  return { storageFailed };
}
