// Unsaved edits kept in the browser (localStorage), so a reload, a crash or a closed tab loses
// nothing. Each entry remembers the server revision it was based on: restoring it over a newer
// server draft would be the silent overwrite that versioned saves exist to prevent.
import { tryLoadProject, type Project } from '../../../../flows/index.ts';

export interface LocalDraft {
  readonly projectId: string;
  /** Server revision the edits started from. */
  readonly baseRevision: number;
  readonly savedAt: string;
  readonly project: Project;
}

export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PREFIX = 'tandem.designer.draft.';

export function draftKey(projectId: string): string {
  return PREFIX + projectId;
}

export function readLocalDraft(storage: DraftStorage | null, projectId: string): LocalDraft | null {
  if (storage === null) return null;
  let text: string | null;
  try {
    text = storage.getItem(draftKey(projectId));
  } catch {
    return null;
  }
  if (text === null) return null;
  try {
    const raw = JSON.parse(text) as unknown;
    if (typeof raw !== 'object' || raw === null) throw new Error('not an object');
    const r = raw as Record<string, unknown>;
    const loaded = tryLoadProject(r.project);
    if (r.projectId !== projectId || typeof r.baseRevision !== 'number' || typeof r.savedAt !== 'string' || !loaded.ok) {
      throw new Error('not a draft of this project');
    }
    return { projectId, baseRevision: r.baseRevision, savedAt: r.savedAt, project: loaded.project };
  } catch {
    // A damaged entry must not block the editor; it cannot be restored either.
    clearLocalDraft(storage, projectId);
    return null;
  }
}

/** False when the browser refused (quota, privacy mode): the caller warns that edits are not kept. */
export function writeLocalDraft(storage: DraftStorage | null, draft: LocalDraft): boolean {
  if (storage === null) return false;
  try {
    storage.setItem(draftKey(draft.projectId), JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function clearLocalDraft(storage: DraftStorage | null, projectId: string): void {
  try {
    storage?.removeItem(draftKey(projectId));
  } catch {
    // nothing to do: the entry stays until the browser lets us remove it
  }
}

export type DraftDecision =
  | { readonly kind: 'none' }
  /** Same base revision as the server: the local edits simply continue. */
  | { readonly kind: 'restore'; readonly draft: LocalDraft }
  /** Someone saved since: the user must choose (keep mine and resolve, or discard). */
  | { readonly kind: 'conflict'; readonly draft: LocalDraft; readonly serverRevision: number };

export function decideLocalDraft(draft: LocalDraft | null, serverRevision: number): DraftDecision {
  if (draft === null) return { kind: 'none' };
  if (draft.baseRevision === serverRevision) return { kind: 'restore', draft };
  return { kind: 'conflict', draft, serverRevision };
}
