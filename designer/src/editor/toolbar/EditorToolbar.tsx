// The editor's toolbar: back to the projects, the project's name, channel, published version and
// save state; undo/redo, arrange, find, fit, shortcuts; the problem count; export, save and publish.
import type { Project } from '../../../../flows/index.ts';
import { CHANNEL_LABELS } from '../../app/channels.ts';
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
  const { doc, readOnly, errorCount, warningCount: warnings } = props;
  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Editor">
      <div className="toolbar-left">
        <button type="button" className="icon-button" aria-label="Back to projects" title="Back to projects" onClick={() => navigate(projectsPath(doc.channel))}>
          <Icon name="chevronLeft" />
        </button>
        <div className="toolbar-title">
          <h1 data-testid="project-name">{doc.name}</h1>
          <div className="toolbar-meta">
            <span className={`chip chip-${doc.channel}`}>{CHANNEL_LABELS[doc.channel]}</span>
            {props.publishedVersion === null ? <span className="chip">Not published</span> : <span className="chip chip-ok" data-testid="published-version">Published v{props.publishedVersion}</span>}
            <SaveState readOnly={readOnly} saving={props.saving} dirty={props.dirty} baseRevision={props.baseRevision} />
          </div>
        </div>
      </div>
      <div className="toolbar-right">
        {readOnly ? null : (
          <div className="button-group">
            <button type="button" className="icon-button" disabled={!props.canUndo} onClick={props.onUndo} aria-label="Undo" title="Undo (Ctrl+Z)">
              <Icon name="undo" />
            </button>
            <button type="button" className="icon-button" disabled={!props.canRedo} onClick={props.onRedo} aria-label="Redo" title="Redo (Ctrl+Shift+Z)">
              <Icon name="redo" />
            </button>
          </div>
        )}
        <div className="button-group">
          {readOnly ? null : (
            <button type="button" className="btn btn-ghost btn-sm" onClick={props.onArrange} title="Arrange blocks automatically (Shift+L)">
              <Icon name="layout" /> Arrange
            </button>
          )}
          <button type="button" className="icon-button" onClick={props.onFind} aria-label="Find a block" title="Find a block (Ctrl+K)">
            <Icon name="search" />
          </button>
          <button type="button" className="icon-button" onClick={props.onFit} aria-label="Fit view" title="Fit view (F)">
            <Icon name="fit" />
          </button>
          <button type="button" className="icon-button" onClick={props.onShortcuts} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
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
          title="Show the problem list"
          onClick={props.onToggleProblems}
        >
          {errorCount === 0 && warnings === 0 ? (
            <>
              <Icon name="check" size={14} /> No problems
            </>
          ) : (
            <>
              <Icon name={errorCount > 0 ? 'error' : 'warning'} size={14} /> {errorCount} error{errorCount === 1 ? '' : 's'} · {warnings} warning{warnings === 1 ? '' : 's'}
            </>
          )}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => downloadText(exportFileName(doc), exportText(doc))} data-testid="export">
          <Icon name="download" /> Export
        </button>
        {readOnly ? null : (
          <>
            <button type="button" className="btn btn-sm" disabled={!props.dirty || props.saving} onClick={props.onSave} data-testid="save" title="Save draft (Ctrl+S)">
              <Icon name="save" /> Save
            </button>
            <button type="button" className="btn btn-primary btn-sm" onClick={props.onPublish} data-testid="publish">
              <Icon name="publish" /> Publish
            </button>
          </>
        )}
      </div>
    </div>
  );
}

function SaveState({ readOnly, saving, dirty, baseRevision }: { readOnly: boolean; saving: boolean; dirty: boolean; baseRevision: number }) {
  return (
    <span className="save-state" data-testid="save-state" data-dirty={dirty}>
      {readOnly ? (
        <>
          <Icon name="lock" size={12} /> Read only
        </>
      ) : saving ? (
        'Saving…'
      ) : dirty ? (
        <>
          <span className="dot dot-warn" aria-hidden /> Unsaved changes
        </>
      ) : (
        <>Saved · rev. {baseRevision}</>
      )}
    </span>
  );
}
