// The banners above the canvas: read-only access, a save conflict with another editor, unsaved
// changes restored from this browser (or found stale), a layout done on opening, and a browser that
// cannot keep unsaved changes. Each offers its way out; none decides anything itself.
import type { Project } from '../../../../flows/index.ts';
import { Icon } from '../../ui/Icon.tsx';
import { downloadText, formatDate } from '../../ui/download.ts';
import type { LocalDraft } from '../model/local-draft.ts';
import { exportFileName, exportText } from '../model/import-export.ts';
import type { Notice } from '../sync/openDocument.ts';
import type { Conflict } from '../sync/useServerSync.ts';

export interface EditorNoticesProps {
  readonly doc: Project;
  readonly readOnly: boolean;
  readonly baseRevision: number;
  readonly conflict: Conflict | null;
  readonly notice: Notice | null;
  readonly storageFailed: boolean;
  readonly onLoadTheirs: () => void;
  readonly onOverwriteTheirs: () => void;
  /** Drops the restored changes: back to the server's draft. */
  readonly onDiscardRestored: () => void;
  /** Takes up the stale local changes on their old base revision. */
  readonly onRestoreLocal: (draft: LocalDraft) => void;
  /** Forgets the stale local changes. */
  readonly onDiscardLocal: () => void;
  readonly onDismiss: () => void;
}

export function EditorNotices(props: EditorNoticesProps) {
  const { doc, readOnly, conflict, notice } = props;
  return (
    <>
      {readOnly ? (
        <div className="banner banner-info editor-banner" data-testid="readonly-banner">
          <Icon name="lock" /> You can view and test this project but not change it: your account has read access to IVR projects.
        </div>
      ) : null}
      {conflict === null ? null : (
        <div className="banner banner-error editor-banner" role="alert" data-testid="conflict-banner">
          <Icon name="warning" />
          <span>
            <strong>Someone else saved this project</strong>
            {conflict.currentRevision === null ? '' : ` (now revision ${conflict.currentRevision}; yours was based on ${props.baseRevision})`}. Your changes are kept in this browser; nothing was overwritten.
          </span>
          <span className="banner-actions">
            <button type="button" className="btn btn-sm" onClick={() => downloadText(exportFileName(doc), exportText(doc))}>
              Download mine
            </button>
            <button type="button" className="btn btn-sm" onClick={props.onLoadTheirs} data-testid="conflict-load-theirs">
              Load their version
            </button>
            <button type="button" className="btn btn-sm btn-danger" onClick={props.onOverwriteTheirs} data-testid="conflict-overwrite">
              Overwrite with mine
            </button>
          </span>
        </div>
      )}
      {notice?.kind === 'restored' ? (
        <div className="banner banner-info editor-banner" data-testid="restored-banner">
          <Icon name="info" />
          <span>Restored your unsaved changes from {formatDate(notice.savedAt)}.</span>
          <span className="banner-actions">
            <button type="button" className="btn btn-sm" onClick={props.onDiscardRestored}>
              Discard them
            </button>
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={props.onDismiss}>
              <Icon name="close" size={14} />
            </button>
          </span>
        </div>
      ) : null}
      {notice?.kind === 'local-conflict' ? (
        <div className="banner banner-warn editor-banner" data-testid="local-conflict-banner">
          <Icon name="warning" />
          <span>
            This browser has unsaved changes from {formatDate(notice.draft.savedAt)} (based on revision {notice.draft.baseRevision}), but the project was saved since (revision {notice.serverRevision}).
          </span>
          <span className="banner-actions">
            <button type="button" className="btn btn-sm" onClick={() => props.onRestoreLocal(notice.draft)}>
              Restore my changes
            </button>
            <button type="button" className="btn btn-sm" onClick={props.onDiscardLocal}>
              Discard them
            </button>
          </span>
        </div>
      ) : null}
      {notice?.kind === 'arranged' && !readOnly ? (
        <div className="banner banner-info editor-banner">
          <Icon name="layout" />
          <span>The blocks of this project overlapped, so they were arranged automatically. Save to keep the new layout, or undo.</span>
          <span className="banner-actions">
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={props.onDismiss}>
              <Icon name="close" size={14} />
            </button>
          </span>
        </div>
      ) : null}
      {props.storageFailed ? (
        <div className="banner banner-warn editor-banner">
          <Icon name="warning" /> This browser does not let the designer keep unsaved changes; save before leaving the page.
        </div>
      ) : null}
    </>
  );
}
