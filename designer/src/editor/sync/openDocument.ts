// What the editor opens: the server's draft, or the browser's unsaved edits when they continue it,
// and what to tell the user about that choice.
import type { Project } from '../../../../flows/index.ts';
import type { ProjectDetail } from '../../api/types.ts';
import { autoLayout, needsLayout } from '../model/auto-layout.ts';
import { decideLocalDraft, type LocalDraft } from '../model/local-draft.ts';

export type Notice =
  | { readonly kind: 'restored'; readonly savedAt: string }
  | { readonly kind: 'local-conflict'; readonly draft: LocalDraft; readonly serverRevision: number }
  | { readonly kind: 'arranged' };

export interface OpenedDocument {
  /** What the canvas shows first. */
  readonly doc: Project;
  /** What the server has (unsaved changes are `doc` against this). */
  readonly saved: Project;
  readonly baseRevision: number;
  readonly notice: Notice | null;
}

export function openDocument(detail: ProjectDetail, local: LocalDraft | null): OpenedDocument {
  const decision = decideLocalDraft(local, detail.revision);
  if (decision.kind === 'restore') {
    return { doc: decision.draft.project, saved: detail.draft, baseRevision: detail.revision, notice: { kind: 'restored', savedAt: decision.draft.savedAt } };
  }
  const notice: Notice | null = decision.kind === 'conflict' ? { kind: 'local-conflict', draft: decision.draft, serverRevision: decision.serverRevision } : null;
  if (needsLayout(detail.draft)) {
    return { doc: autoLayout(detail.draft), saved: detail.draft, baseRevision: detail.revision, notice: notice ?? { kind: 'arranged' } };
  }
  return { doc: detail.draft, saved: detail.draft, baseRevision: detail.revision, notice };
}
