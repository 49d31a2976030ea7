// The banners above the canvas: read-only access, a save conflict with another editor, unsaved
// changes restored from this browser (or found stale), a layout done on opening, and a browser that
// cannot keep unsaved changes. Each offers its way out; none decides anything itself.
import { Trans, useTranslation } from 'react-i18next';
import type { Project } from '../../../../flows/index.ts';
import { formatDateTime } from '../../admin/kit/format.ts';
import { Icon } from '../../ui/Icon.tsx';
import { downloadText } from '../../ui/download.ts';
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
  const { t } = useTranslation();
  const { doc, readOnly, conflict, notice } = props;
  return (
    <>
      {readOnly ? (
        <div className="banner banner-info editor-banner" data-testid="readonly-banner">
          <Icon name="lock" /> {t('designer.notices.readOnly')}
        </div>
      ) : null}
      {conflict === null ? null : (
        <div className="banner banner-error editor-banner" role="alert" data-testid="conflict-banner">
          <Icon name="warning" />
          <span>
            {conflict.currentRevision === null ? (
              <Trans i18nKey="designer.notices.conflict" components={{ b: <strong /> }} />
            ) : (
              <Trans i18nKey="designer.notices.conflictAt" values={{ current: conflict.currentRevision, base: props.baseRevision }} components={{ b: <strong /> }} />
            )}
          </span>
          <span className="banner-actions">
            <button type="button" className="btn btn-sm" onClick={() => downloadText(exportFileName(doc), exportText(doc))}>
              {t('designer.notices.downloadMine')}
            </button>
            <button type="button" className="btn btn-sm" onClick={props.onLoadTheirs} data-testid="conflict-load-theirs">
              {t('designer.notices.loadTheirs')}
            </button>
            <button type="button" className="btn btn-sm btn-danger" onClick={props.onOverwriteTheirs} data-testid="conflict-overwrite">
              {t('designer.notices.overwrite')}
            </button>
          </span>
        </div>
      )}
      {notice?.kind === 'restored' ? (
        <div className="banner banner-info editor-banner" data-testid="restored-banner">
          <Icon name="info" />
          <span>{t('designer.notices.restored', { when: formatDateTime(notice.savedAt) })}</span>
          <span className="banner-actions">
            <button type="button" className="btn btn-sm" onClick={props.onDiscardRestored}>
              {t('designer.notices.discard')}
            </button>
            <button type="button" className="icon-button" aria-label={t('common.dismiss')} onClick={props.onDismiss}>
              <Icon name="close" size={14} />
            </button>
          </span>
        </div>
      ) : null}
      {notice?.kind === 'local-conflict' ? (
        <div className="banner banner-warn editor-banner" data-testid="local-conflict-banner">
          <Icon name="warning" />
          <span>
            {t('designer.notices.localConflict', { when: formatDateTime(notice.draft.savedAt), base: notice.draft.baseRevision, current: notice.serverRevision })}
          </span>
          <span className="banner-actions">
            <button type="button" className="btn btn-sm" onClick={() => props.onRestoreLocal(notice.draft)}>
              {t('designer.notices.restore')}
            </button>
            <button type="button" className="btn btn-sm" onClick={props.onDiscardLocal}>
              {t('designer.notices.discard')}
            </button>
          </span>
        </div>
      ) : null}
      {notice?.kind === 'arranged' && !readOnly ? (
        <div className="banner banner-info editor-banner">
          <Icon name="layout" />
          <span>{t('designer.notices.arranged')}</span>
          <span className="banner-actions">
            <button type="button" className="icon-button" aria-label={t('common.dismiss')} onClick={props.onDismiss}>
              <Icon name="close" size={14} />
            </button>
          </span>
        </div>
      ) : null}
      {props.storageFailed ? (
        <div className="banner banner-warn editor-banner">
          <Icon name="warning" /> {t('designer.notices.storageFailed')}
        </div>
      ) : null}
    </>
  );
}
