// The IVR editor: palette, canvas and side panel (inspector, simulator, versions) around one
// project document, with undo/redo, keyboard shortcuts, validation as you edit, versioned saves
// (a stale save is a conflict to resolve, never an overwrite), a local draft that survives
// reloads, and publish. This file puts the parts together: the document's edits
// (editing/useDocumentEdits.ts), the server (sync/useServerSync.ts), the browser's copy
// (sync/useLocalDraft.ts), the view (canvas/useViewport.ts), the keys (keyboard/useShortcuts.ts),
// the toolbar and the banners.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { safeStorage } from '../api/client.ts';
import type { ProjectDetail } from '../api/types.ts';
import { can } from '../app/permissions.ts';
import { useSession } from '../app/session.tsx';
import { Icon } from '../ui/Icon.tsx';
import { useToast } from '../ui/Toasts.tsx';
import { Canvas } from './canvas/Canvas.tsx';
import { useViewport } from './canvas/useViewport.ts';
import { useDocumentEdits } from './editing/useDocumentEdits.ts';
import { Inspector } from './inspector/Inspector.tsx';
import { useShortcuts } from './keyboard/useShortcuts.ts';
import { clearLocalDraft, readLocalDraft, type LocalDraft } from './model/local-draft.ts';
import { EditorNotices } from './notices/EditorNotices.tsx';
import { Palette, type PaletteHandle } from './palette/Palette.tsx';
import { ProblemsBar } from './problems/ProblemsBar.tsx';
import { useValidation } from './problems/validation.ts';
import { PublishDialog } from './PublishDialog.tsx';
import { ShortcutsDialog } from './ShortcutsDialog.tsx';
import { FindBlockDialog } from './FindBlockDialog.tsx';
import { SimulatorPanel } from './simulator/SimulatorPanel.tsx';
import { EditorStoresContext, ProblemsStore, SimulationStore, type EditorStores } from './stores.tsx';
import { openDocument, type Notice } from './sync/openDocument.ts';
import { useLocalDraft } from './sync/useLocalDraft.ts';
import { useServerSync } from './sync/useServerSync.ts';
import { EditorToolbar } from './toolbar/EditorToolbar.tsx';
import { VersionsPanel } from './versions/VersionsPanel.tsx';

type Tab = 'inspector' | 'simulator' | 'versions';
const TABS: readonly Tab[] = ['inspector', 'simulator', 'versions'];

export function Editor({ initial }: { initial: ProjectDetail }) {
  const { t } = useTranslation();
  const { account } = useSession();
  const toast = useToast();
  const projectId = initial.id;
  const readOnly = !can(account, 'ivr', 'edit');
  const storage = useMemo(() => safeStorage(), []);

  // --- document, server, browser copy, view --------------------------------------------------------
  const opened = useMemo(() => openDocument(initial, readOnly ? null : readLocalDraft(storage, projectId)), [initial, readOnly, storage, projectId]);
  const edits = useDocumentEdits(opened.doc, readOnly);
  const { doc, state } = edits;
  const [notice, setNotice] = useState<Notice | null>(opened.notice);
  const sync = useServerSync({
    initial,
    opened,
    doc,
    readOnly,
    storage,
    dispatch: edits.dispatch,
    // Saved changes are no longer "restored from this browser"; a draft from the server ends any notice.
    onSaved: () => setNotice((n) => (n?.kind === 'restored' ? null : n)),
    onReplaced: () => setNotice(null),
  });
  const { storageFailed } = useLocalDraft({ storage, projectId, doc, dirty: sync.dirty, baseRevision: sync.baseRevision, readOnly });
  const viewport = useViewport(doc);

  const [tab, setTab] = useState<Tab>('inspector');
  const [dialog, setDialog] = useState<'publish' | 'shortcuts' | 'find' | null>(null);
  const [problemsOpen, setProblemsOpen] = useState(false);
  const palette = useRef<PaletteHandle>(null);

  const stores = useMemo<EditorStores>(() => ({ problems: new ProblemsStore(), simulation: new SimulationStore() }), []);
  const validation = useValidation(doc, stores.problems, sync.serverProblems);
  const errorCount = validation.problems.filter((p) => p.severity === 'error').length;

  useEffect(() => {
    document.title = t('designer.editor.documentTitle', { name: doc.name });
  }, [doc.name, t]);

  // --- commands that span the parts ---------------------------------------------------------------
  const { selectBlocks, addBlockAt, edit, arrange: arrangeBlocks } = edits;
  const { focusBlock, freeSpotAtCenter, fitAfterLayout } = viewport;
  const revealBlock = useCallback(
    (id: string) => {
      selectBlocks([id]);
      setTab('inspector');
      focusBlock(id, true);
    },
    [selectBlocks, focusBlock],
  );
  const addAtCenter = useCallback((type: string) => addBlockAt(type, freeSpotAtCenter()), [addBlockAt, freeSpotAtCenter]);
  const arrange = useCallback(() => {
    arrangeBlocks();
    fitAfterLayout();
  }, [arrangeBlocks, fitAfterLayout]);
  const pick = (id: string) => {
    setDialog(null);
    revealBlock(id);
  };

  useShortcuts({
    readOnly,
    save: () => void sync.save(),
    find: () => setDialog('find'),
    showShortcuts: () => setDialog('shortcuts'),
    undo: edits.undo,
    redo: edits.redo,
    copy: edits.copySelection,
    deleteSelection: edits.deleteSelection,
    paste: edits.paste,
    selectAll: edits.selectAll,
    clearSelection: edits.clearSelection,
    focusPaletteSearch: () => palette.current?.focusSearch(),
    fit: viewport.fit,
    arrange,
  });

  return (
    <EditorStoresContext.Provider value={stores}>
      <div className={`editor${readOnly ? ' is-readonly' : ''}`} data-testid="editor" data-project-id={projectId}>
        <EditorToolbar
          doc={doc}
          readOnly={readOnly}
          publishedVersion={sync.publishedVersion}
          baseRevision={sync.baseRevision}
          dirty={sync.dirty}
          saving={sync.saving}
          canUndo={edits.canUndo}
          canRedo={edits.canRedo}
          errorCount={errorCount}
          warningCount={validation.problems.length - errorCount}
          problemsOpen={problemsOpen}
          onUndo={edits.undo}
          onRedo={edits.redo}
          onArrange={arrange}
          onFind={() => setDialog('find')}
          onFit={viewport.fit}
          onShortcuts={() => setDialog('shortcuts')}
          onToggleProblems={() => setProblemsOpen(!problemsOpen)}
          onSave={() => void sync.save()}
          onPublish={() => setDialog('publish')}
        />
        <EditorNotices
          doc={doc}
          readOnly={readOnly}
          baseRevision={sync.baseRevision}
          conflict={sync.conflict}
          notice={notice}
          storageFailed={storageFailed}
          onLoadTheirs={() => void sync.loadTheirs()}
          onOverwriteTheirs={() => void sync.overwriteTheirs()}
          onDiscardRestored={sync.revert}
          onRestoreLocal={(draft: LocalDraft) => {
            // Restored on their old base: saving them then asks to resolve the conflict.
            edits.dispatch({ type: 'edit', doc: draft.project });
            sync.rebase(draft.baseRevision);
            setNotice(null);
          }}
          onDiscardLocal={() => {
            clearLocalDraft(storage, projectId);
            setNotice(null);
          }}
          onDismiss={() => setNotice(null)}
        />

        <div className="editor-body">
          {readOnly ? null : <Palette ref={palette} channel={doc.channel} onAdd={addAtCenter} />}
          <div className="canvas-area">
            <Canvas doc={doc} selection={state.selection} readOnly={readOnly} {...edits.canvas} />
            <ProblemsBar open={problemsOpen} onToggle={() => setProblemsOpen(!problemsOpen)} onSelectBlock={revealBlock} />
          </div>
          <aside className="side-panel" aria-label={t('designer.editor.details')}>
            <div
              className="side-tabs"
              role="tablist"
              aria-label={t('designer.editor.panels')}
              onKeyDown={(e) => {
                if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
                const next = TABS[(TABS.indexOf(tab) + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
                setTab(next);
                document.getElementById(`tab-${next}`)?.focus();
              }}
            >
              {TABS.map((name) => (
                <button
                  key={name}
                  type="button"
                  role="tab"
                  id={`tab-${name}`}
                  aria-selected={tab === name}
                  tabIndex={tab === name ? 0 : -1}
                  aria-controls={`panel-${name}`}
                  className={`side-tab${tab === name ? ' is-active' : ''}`}
                  onClick={() => setTab(name)}
                  data-testid={`tab-${name}`}
                >
                  <Icon name={name === 'inspector' ? 'sliders' : name === 'simulator' ? 'play' : 'history'} size={14} />
                  {t(`designer.editor.tabs.${name}`)}
                </button>
              ))}
            </div>
            <div className="side-content" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
              {tab === 'inspector' ? (
                <Inspector doc={doc} selection={state.selection} readOnly={readOnly} onEdit={edit} onDelete={edits.deleteSelection} onSelectBlock={revealBlock} />
              ) : null}
              {/* Kept mounted while hidden so a running call survives a look at the properties. */}
              <div hidden={tab !== 'simulator'}>
                <SimulatorPanel doc={doc} errorCount={errorCount} onFocusBlock={focusBlock} />
              </div>
              {tab === 'versions' ? (
                <VersionsPanel
                  projectId={projectId}
                  draft={doc}
                  publishedVersion={sync.publishedVersion}
                  canEdit={!readOnly}
                  dirty={sync.dirty}
                  onSelectBlock={revealBlock}
                  onRolledBack={(detail, version) => {
                    sync.applyServerDraft(detail);
                    toast('success', t('designer.editor.rolledBack_toast', { version, revision: detail.revision }));
                  }}
                />
              ) : null}
            </div>
          </aside>
        </div>

        {dialog === 'publish' ? (
          <PublishDialog
            nextVersion={(sync.publishedVersion ?? 0) + 1}
            dirty={sync.dirty}
            errorCount={errorCount}
            onClose={() => setDialog(null)}
            onPublish={async (message) => {
              const outcome = await sync.publish(message);
              if (outcome.ok) setDialog(null);
              return outcome;
            }}
            onSelectBlock={pick}
          />
        ) : null}
        {dialog === 'shortcuts' ? <ShortcutsDialog onClose={() => setDialog(null)} /> : null}
        {dialog === 'find' ? <FindBlockDialog doc={doc} onClose={() => setDialog(null)} onPick={pick} /> : null}
      </div>
    </EditorStoresContext.Provider>
  );
}
