// The editor's toolbar: back to the projects, the project's name, channel, published version and
// save state; undo/redo, arrange, find, fit, shortcuts; the problem count; export, save and publish.
import { useTranslation } from 'react-i18next';
import type { Project } from '../../../../flows/index.ts';
import { channelLabel } from '../../app/channels.ts';
import { navigate, projectsPath } from '../../app/router.ts';
import { Icon } from '../../ui/Icon.tsx';
import { downloadText } from '../../ui/download.ts';
import { exportFileName, exportText } from '../model/import-export.ts';

export interface EditorToolbarProps {
  readonly doc: Project;
  readonly readOnly: boolean;
  readonly publishedVersion: number | null;
  readonly baseRevision: number;
  readonly dirty: boolean;
  readonly saving: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly problemsOpen: boolean;
  readonly onUndo: () => void;
  readonly onRedo: () => void;
  readonly onArrange: () => void;
  readonly onFind: () => void;
  readonly onFit: () => void;
  readonly onShortcuts: () => void;
  readonly onToggleProblems: () => void;
  readonly onSave: () => void;
  readonly onPublish: () => void;
}

export function EditorToolbar(props: EditorToolbarProps) {
  const { t } = useTranslation();
  const { doc, readOnly, errorCount, warningCount: warnings } = props;
  return (
    <div className="editor-toolbar" role="toolbar" aria-label={t('designer.toolbar.label')}>
      <div className="toolbar-left">
        <button type="button" className="icon-button" aria-label={t('designer.editor.backToProjects')} title={t('designer.editor.backToProjects')} onClick={() => navigate(projectsPath(doc.channel))}>
          <Icon name="chevronLeft" />
        </button>
        <div className="toolbar-title">
          <h1 data-testid="project-name">{doc.name}</h1>
          <div className="toolbar-meta">
            <span className={`chip chip-${doc.channel}`}>{channelLabel(doc.channel)}</span>
            {props.publishedVersion === null ? (
              <span className="chip">{t('designer.toolbar.notPublished')}</span>
            ) : (
              <span className="chip chip-ok" data-testid="published-version">
                {t('designer.toolbar.published', { version: props.publishedVersion })}
              </span>
            )}
            <SaveState readOnly={readOnly} saving={props.saving} dirty={props.dirty} baseRevision={props.baseRevision} />
          </div>
        </div>
      </div>
      <div className="toolbar-right">
        {readOnly ? null : (
          <div className="button-group">
            <button type="button" className="icon-button" disabled={!props.canUndo} onClick={props.onUndo} aria-label={t('designer.toolbar.undo')} title={t('designer.toolbar.undoHint')}>
              <Icon name="undo" />
            </button>
            <button type="button" className="icon-button" disabled={!props.canRedo} onClick={props.onRedo} aria-label={t('designer.toolbar.redo')} title={t('designer.toolbar.redoHint')}>
              <Icon name="redo" />
            </button>
          </div>
        )}
        <div className="button-group">
          {readOnly ? null : (
            <button type="button" className="btn btn-ghost btn-sm" onClick={props.onArrange} title={t('designer.toolbar.arrangeHint')}>
              <Icon name="layout" /> {t('designer.toolbar.arrange')}
            </button>
          )}
          <button type="button" className="icon-button" onClick={props.onFind} aria-label={t('designer.toolbar.find')} title={t('designer.toolbar.findHint')}>
            <Icon name="search" />
          </button>
          <button type="button" className="icon-button" onClick={props.onFit} aria-label={t('designer.toolbar.fit')} title={t('designer.toolbar.fitHint')}>
            <Icon name="fit" />
          </button>
          <button type="button" className="icon-button" onClick={props.onShortcuts} aria-label={t('designer.toolbar.shortcuts')} title={t('designer.toolbar.shortcutsHint')}>
            <Icon name="keyboard" />
          </button>
        </div>
        <button
          type="button"
          className={`problem-pill${errorCount > 0 ? ' has-errors' : warnings > 0 ? ' has-warnings' : ''}`}
          data-testid="problem-pill"
          data-errors={errorCount}
          data-warnings={warnings}
          aria-expanded={props.problemsOpen}
          title={t('designer.toolbar.problemsHint')}
          onClick={props.onToggleProblems}
        >
          {errorCount === 0 && warnings === 0 ? (
            <>
              <Icon name="check" size={14} /> {t('designer.toolbar.noProblems')}
            </>
          ) : (
            <>
              <Icon name={errorCount > 0 ? 'error' : 'warning'} size={14} /> {t('designer.toolbar.errors', { count: errorCount })} · {t('designer.toolbar.warnings', { count: warnings })}
            </>
          )}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => downloadText(exportFileName(doc), exportText(doc))} data-testid="export">
          <Icon name="download" /> {t('designer.toolbar.export')}
        </button>
        {readOnly ? null : (
          <>
            <button type="button" className="btn btn-sm" disabled={!props.dirty || props.saving} onClick={props.onSave} data-testid="save" title={t('designer.toolbar.saveHint')}>
              <Icon name="save" /> {t('common.save')}
            </button>
            <button type="button" className="btn btn-primary btn-sm" onClick={props.onPublish} data-testid="publish">
              <Icon name="publish" /> {t('designer.toolbar.publish')}
            </button>
          </>
        )}
      </div>
    </div>
  );
}

function SaveState({ readOnly, saving, dirty, baseRevision }: { readOnly: boolean; saving: boolean; dirty: boolean; baseRevision: number }) {
  const { t } = useTranslation();
  return (
    <span className="save-state" data-testid="save-state" data-dirty={dirty}>
      {readOnly ? (
        <>
          <Icon name="lock" size={12} /> {t('designer.toolbar.readOnly')}
        </>
      ) : saving ? (
        t('designer.toolbar.saving')
      ) : dirty ? (
        <>
          <span className="dot dot-warn" aria-hidden /> {t('designer.toolbar.unsaved')}
        </>
      ) : (
        t('designer.toolbar.saved', { revision: baseRevision })
      )}
    </span>
  );
}
