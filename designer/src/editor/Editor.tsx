// The IVR editor: palette, canvas and side panel (inspector, simulator, versions) around one
// project document, with undo/redo, keyboard shortcuts, validation as you edit, versioned saves
// (a stale save is a conflict to resolve, never an overwrite), a local draft that survives
// reloads, and publish.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { Position, Problem, Project } from '../../../flows/index.ts';
import { ApiError, describeError, safeStorage } from '../api/client.ts';
import type { ProjectDetail } from '../api/types.ts';
import { CHANNEL_LABELS } from '../app/channels.ts';
import { can } from '../app/permissions.ts';
import { navigate, projectsPath } from '../app/router.ts';
import { useSession } from '../app/session.tsx';
import { Icon } from '../ui/Icon.tsx';
import { useToast } from '../ui/Toasts.tsx';
import { downloadText, formatDate } from '../ui/download.ts';
import { Canvas } from './canvas/Canvas.tsx';
import { Inspector } from './inspector/Inspector.tsx';
import { autoLayout, needsLayout } from './model/auto-layout.ts';
import { addBlock, connect, copyBlocks, deletable, moveBlocks, pasteBlocks, removeBlocks, removeWires, type Clipboard } from './model/document.ts';
import { EMPTY_SELECTION, editorReducer, initialEditorState, parseEdgeId, type Selection } from './model/editor-state.ts';
import { NODE_WIDTH, estimateHeight } from './model/geometry.ts';
import { exportFileName, exportText } from './model/import-export.ts';
import { clearLocalDraft, decideLocalDraft, readLocalDraft, writeLocalDraft, type LocalDraft } from './model/local-draft.ts';
import { Palette, type PaletteHandle } from './palette/Palette.tsx';
import { ProblemsBar } from './problems/ProblemsBar.tsx';
import { useValidation } from './problems/validation.ts';
import { PublishDialog } from './PublishDialog.tsx';
import { ShortcutsDialog } from './ShortcutsDialog.tsx';
import { FindBlockDialog } from './FindBlockDialog.tsx';
import { SimulatorPanel } from './simulator/SimulatorPanel.tsx';
import { EditorStoresContext, ProblemsStore, SimulationStore, type EditorStores } from './stores.tsx';
import { VersionsPanel } from './versions/VersionsPanel.tsx';

type Tab = 'inspector' | 'simulator' | 'versions';

type Notice =
  | { readonly kind: 'restored'; readonly savedAt: string }
  | { readonly kind: 'local-conflict'; readonly draft: LocalDraft; readonly serverRevision: number }
  | { readonly kind: 'arranged' };

/** Shared by every editor instance: copy in one project, paste in another. */
let clipboard: Clipboard | null = null;

export function Editor({ initial }: { initial: ProjectDetail }) {
  const { ivr, account } = useSession();
  const toast = useToast();
  const flow = useReactFlow();
  const projectId = initial.id;
  const readOnly = !can(account, 'ivr', 'edit');
  const storage = useMemo(() => safeStorage(), []);

  // --- document, history, server state ---------------------------------------------------------
  const start = useMemo(() => openDocument(initial, readOnly ? null : readLocalDraft(storage, projectId)), [initial, readOnly, storage, projectId]);
  const [state, dispatch] = useReducer(editorReducer, start.doc, initialEditorState);
  const doc = state.history.present;
  const [savedDoc, setSavedDoc] = useState<Project>(start.saved);
  const [baseRevision, setBaseRevision] = useState(start.baseRevision);
  const [publishedVersion, setPublishedVersion] = useState(initial.publishedVersion);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<{ currentRevision: number | null } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(start.notice);
  const [serverProblems, setServerProblems] = useState<readonly Problem[]>([]);
  const [tab, setTab] = useState<Tab>('inspector');
  const [dialog, setDialog] = useState<'publish' | 'shortcuts' | 'find' | null>(null);
  const [storageFailed, setStorageFailed] = useState(false);
  const [problemsOpen, setProblemsOpen] = useState(false);
  const dirty = doc !== savedDoc;

  const stores = useMemo<EditorStores>(() => ({ problems: new ProblemsStore(), simulation: new SimulationStore() }), []);
  const validation = useValidation(doc, stores.problems, serverProblems);
  const errorCount = validation.problems.filter((p) => p.severity === 'error').length;

  // The latest values for callbacks bound once (keyboard handler, canvas events).
  const live = useRef({ doc, state, savedDoc, baseRevision, readOnly, saving });
  live.current = { doc, state, savedDoc, baseRevision, readOnly, saving };
  const palette = useRef<PaletteHandle>(null);
  const pasteCount = useRef(0);

  useEffect(() => {
    document.title = `${doc.name} · Tandem designer`;
  }, [doc.name]);

  // Problems the server reported at publish are shown until the document changes.
  useEffect(() => {
    setServerProblems((p) => (p.length === 0 ? p : []));
  }, [doc]);

  // --- local draft: kept while there are unsaved changes ----------------------------------------
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
    const timer = window.setTimeout(flushDraft, 400);
    return () => window.clearTimeout(timer);
  }, [doc, dirty, baseRevision, readOnly, storage, projectId, flushDraft]);
  useEffect(() => {
    window.addEventListener('pagehide', flushDraft);
    return () => {
      window.removeEventListener('pagehide', flushDraft);
      flushDraft();
    };
  }, [flushDraft]);

  // --- edits ------------------------------------------------------------------------------------
  const edit = useCallback((next: Project, key?: string, select?: Selection) => {
    if (live.current.readOnly) return;
    dispatch({ type: 'edit', doc: next, ...(key === undefined ? {} : { key }), ...(select === undefined ? {} : { select }) });
  }, []);

  const selectBlocks = useCallback((ids: Iterable<string>) => dispatch({ type: 'select', selection: { nodes: new Set(ids), edges: new Set() } }), []);

  const focusBlock = useCallback(
    (id: string, center: boolean) => {
      const block = live.current.doc.blocks[id];
      if (block === undefined || !center) return;
      const internal = flow.getInternalNode(id);
      const width = internal?.measured.width ?? NODE_WIDTH;
      const height = internal?.measured.height ?? estimateHeight(block);
      const { x, y, zoom } = flow.getViewport();
      const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
      if (pane !== undefined) {
        const left = block.position.x * zoom + x;
        const top = block.position.y * zoom + y;
        const inside = left >= 0 && top >= 0 && left + width * zoom <= pane.width && top + height * zoom <= pane.height;
        if (inside) return;
      }
      void flow.setCenter(block.position.x + width / 2, block.position.y + height / 2, { zoom: Math.max(zoom, 0.6), duration: 250 });
    },
    [flow],
  );

  const revealBlock = useCallback(
    (id: string) => {
      selectBlocks([id]);
      setTab('inspector');
      focusBlock(id, true);
    },
    [selectBlocks, focusBlock],
  );

  const addAtCenter = useCallback(
    (type: string) => {
      const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
      const center = pane === undefined ? { x: 0, y: 0 } : flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 });
      let at: Position = { x: Math.round(center.x - NODE_WIDTH / 2), y: Math.round(center.y - 40) };
      // Never drop exactly on top of another block: step down-right until the spot is free.
      const taken = new Set(Object.values(live.current.doc.blocks).map((b) => `${b.position.x},${b.position.y}`));
      for (let i = 0; i < 50 && taken.has(`${at.x},${at.y}`); i++) at = { x: at.x + 32, y: at.y + 32 };
      const { doc: next, id } = addBlock(live.current.doc, type, at);
      edit(next, undefined, { nodes: new Set([id]), edges: new Set() });
    },
    [flow, edit],
  );

  const deleteSelection = useCallback(() => {
    const { doc: current, state: s } = live.current;
    const blocks = deletable(current, s.selection.nodes);
    const wires = [...s.selection.edges].map(parseEdgeId).filter((w) => w !== null);
    if (blocks.length === 0 && wires.length === 0) return;
    edit(removeBlocks(removeWires(current, wires), blocks), undefined, EMPTY_SELECTION);
  }, [edit]);

  const copySelection = useCallback(() => {
    const copied = copyBlocks(live.current.doc, live.current.state.selection.nodes);
    if (copied === null) return false;
    clipboard = copied;
    pasteCount.current = 0;
    navigator.clipboard?.writeText(JSON.stringify(copied)).catch(() => undefined);
    return true;
  }, []);

  const paste = useCallback(() => {
    if (clipboard === null) return;
    pasteCount.current++;
    const offset = 32 * pasteCount.current;
    const { doc: next, ids } = pasteBlocks(live.current.doc, clipboard, { x: offset, y: offset });
    if (ids.length > 0) edit(next, undefined, { nodes: new Set(ids), edges: new Set() });
  }, [edit]);

  const fit = useCallback(() => void flow.fitView({ padding: 0.12, maxZoom: 1, duration: 250 }), [flow]);
  const arrange = useCallback(() => {
    edit(autoLayout(live.current.doc));
    // Fit once React Flow has the new positions (next frame).
    window.requestAnimationFrame(() => window.requestAnimationFrame(fit));
  }, [edit, fit]);

  // --- saving and conflicts ---------------------------------------------------------------------
  const applyServerDraft = useCallback(
    (detail: ProjectDetail) => {
      dispatch({ type: 'reset', doc: detail.draft });
      setSavedDoc(detail.draft);
      setBaseRevision(detail.revision);
      setPublishedVersion(detail.publishedVersion);
      setConflict(null);
      setNotice(null);
      clearLocalDraft(storage, projectId);
    },
    [storage, projectId],
  );

  /** Saves the draft; the new revision, or null when it was not saved (conflict, error). */
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
      if (notice?.kind === 'restored') setNotice(null);
      clearLocalDraft(storage, projectId);
      toast('success', `Saved · revision ${detail.revision}`);
      return detail.revision;
    } catch (err) {
      // A stale revision is a conflict between editors; any other 409 (a name another project
      // already has) is an ordinary error to fix.
      if (isRevisionConflict(err)) {
        setConflict({ currentRevision: err.details.currentRevision as number });
      } else {
        toast('error', `Not saved: ${describeError(err)}`);
      }
      return null;
    } finally {
      setSaving(false);
    }
  }, [ivr, projectId, storage, toast, notice]);

  const loadTheirs = useCallback(async () => {
    try {
      applyServerDraft(await ivr.get(projectId));
      toast('info', 'Loaded the saved version; your changes were discarded');
    } catch (err) {
      toast('error', describeError(err));
    }
  }, [ivr, projectId, applyServerDraft, toast]);

  const overwriteTheirs = useCallback(async () => {
    try {
      const latest = await ivr.get(projectId);
      setBaseRevision(latest.revision);
      live.current = { ...live.current, baseRevision: latest.revision };
      await save();
    } catch (err) {
      toast('error', describeError(err));
    }
  }, [ivr, projectId, save, toast]);

  // --- keyboard shortcuts -----------------------------------------------------------------------
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        void save();
        return;
      }
      if (mod && key === 'k' && document.querySelector('dialog[open]') === null) {
        e.preventDefault();
        setDialog('find');
        return;
      }
      if (e.defaultPrevented || isTyping(e.target) || document.querySelector('dialog[open]') !== null) return;
      const ro = live.current.readOnly;
      if (mod && key === 'z' && !e.shiftKey) {
        e.preventDefault();
        if (!ro) dispatch({ type: 'undo' });
      } else if ((mod && key === 'z' && e.shiftKey) || (mod && key === 'y')) {
        e.preventDefault();
        if (!ro) dispatch({ type: 'redo' });
      } else if (mod && key === 'c') {
        if (copySelection()) e.preventDefault();
      } else if (mod && key === 'x') {
        if (!ro && copySelection()) {
          e.preventDefault();
          deleteSelection();
        }
      } else if (mod && key === 'v') {
        if (!ro) {
          e.preventDefault();
          paste();
        }
      } else if (mod && key === 'd') {
        e.preventDefault();
        if (!ro && copySelection()) paste();
      } else if (mod && key === 'a') {
        e.preventDefault();
        dispatch({ type: 'select', selection: { nodes: new Set(Object.keys(live.current.doc.blocks)), edges: new Set() } });
      } else if ((key === 'delete' || key === 'backspace') && !mod) {
        if (!ro) {
          e.preventDefault();
          deleteSelection();
        }
      } else if (key === 'escape') {
        dispatch({ type: 'select', selection: EMPTY_SELECTION });
      } else if (key === '/' && !mod) {
        e.preventDefault();
        palette.current?.focusSearch();
      } else if (key === 'f' && !mod && !e.altKey) {
        fit();
      } else if (key === 'l' && e.shiftKey && !mod) {
        if (!ro) arrange();
      } else if (key === '?' || (key === '/' && e.shiftKey)) {
        setDialog('shortcuts');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save, copySelection, deleteSelection, paste, fit, arrange]);

  // --- canvas callbacks -------------------------------------------------------------------------
  const dragging = useRef(false);
  const onMove = useCallback((positions: ReadonlyMap<string, Position>, done: boolean) => {
    if (live.current.readOnly) return;
    const next = moveBlocks(live.current.doc, positions);
    if (dragging.current) {
      // The drag's start was the undo point; the moves in between are not steps of their own.
      dispatch({ type: 'replace', doc: next });
      if (done) dragging.current = false;
    } else {
      // Arrow keys on a selected block: one undo step per burst of key presses.
      dispatch({ type: 'edit', doc: next, key: 'keyboard-move' });
    }
  }, []);
  const onDragStart = useCallback(() => {
    if (live.current.readOnly) return;
    dragging.current = true;
    dispatch({ type: 'checkpoint' });
  }, []);
  const onSelectDelta = useCallback((nodes: ReadonlyArray<readonly [string, boolean]>, edges: ReadonlyArray<readonly [string, boolean]>) => dispatch({ type: 'select-delta', nodes, edges }), []);
  const onConnect = useCallback((source: string, exit: string, target: string) => edit(connect(live.current.doc, source, exit, target)), [edit]);
  const onDropBlock = useCallback(
    (type: string, position: Position) => {
      const { doc: next, id } = addBlock(live.current.doc, type, position);
      edit(next, undefined, { nodes: new Set([id]), edges: new Set() });
    },
    [edit],
  );

  const canUndo = state.history.past.length > 0;
  const canRedo = state.history.future.length > 0;
  const warnings = validation.problems.length - errorCount;

  return (
    <EditorStoresContext.Provider value={stores}>
      <div className={`editor${readOnly ? ' is-readonly' : ''}`} data-testid="editor" data-project-id={projectId}>
        <div className="editor-toolbar" role="toolbar" aria-label="Editor">
          <div className="toolbar-left">
            <button type="button" className="icon-button" aria-label="Back to projects" title="Back to projects" onClick={() => navigate(projectsPath(doc.channel))}>
              <Icon name="chevronLeft" />
            </button>
            <div className="toolbar-title">
              <h1 data-testid="project-name">{doc.name}</h1>
              <div className="toolbar-meta">
                <span className={`chip chip-${doc.channel}`}>{CHANNEL_LABELS[doc.channel]}</span>
                {publishedVersion === null ? <span className="chip">Not published</span> : <span className="chip chip-ok" data-testid="published-version">Published v{publishedVersion}</span>}
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
              </div>
            </div>
          </div>
          <div className="toolbar-right">
            {readOnly ? null : (
              <div className="button-group">
                <button type="button" className="icon-button" disabled={!canUndo} onClick={() => dispatch({ type: 'undo' })} aria-label="Undo" title="Undo (Ctrl+Z)">
                  <Icon name="undo" />
                </button>
                <button type="button" className="icon-button" disabled={!canRedo} onClick={() => dispatch({ type: 'redo' })} aria-label="Redo" title="Redo (Ctrl+Shift+Z)">
                  <Icon name="redo" />
                </button>
              </div>
            )}
            <div className="button-group">
              {readOnly ? null : (
                <button type="button" className="btn btn-ghost btn-sm" onClick={arrange} title="Arrange blocks automatically (Shift+L)">
                  <Icon name="layout" /> Arrange
                </button>
              )}
              <button type="button" className="icon-button" onClick={() => setDialog('find')} aria-label="Find a block" title="Find a block (Ctrl+K)">
                <Icon name="search" />
              </button>
              <button type="button" className="icon-button" onClick={fit} aria-label="Fit view" title="Fit view (F)">
                <Icon name="fit" />
              </button>
              <button type="button" className="icon-button" onClick={() => setDialog('shortcuts')} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
                <Icon name="keyboard" />
              </button>
            </div>
            <button
              type="button"
              className={`problem-pill${errorCount > 0 ? ' has-errors' : warnings > 0 ? ' has-warnings' : ''}`}
              data-testid="problem-pill"
              data-errors={errorCount}
              data-warnings={warnings}
              aria-expanded={problemsOpen}
              title="Show the problem list"
              onClick={() => setProblemsOpen(!problemsOpen)}
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
                <button type="button" className="btn btn-sm" disabled={!dirty || saving} onClick={() => void save()} data-testid="save" title="Save draft (Ctrl+S)">
                  <Icon name="save" /> Save
                </button>
                <button type="button" className="btn btn-primary btn-sm" onClick={() => setDialog('publish')} data-testid="publish">
                  <Icon name="publish" /> Publish
                </button>
              </>
            )}
          </div>
        </div>

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
              {conflict.currentRevision === null ? '' : ` (now revision ${conflict.currentRevision}; yours was based on ${baseRevision})`}. Your changes are kept in this browser; nothing was overwritten.
            </span>
            <span className="banner-actions">
              <button type="button" className="btn btn-sm" onClick={() => downloadText(exportFileName(doc), exportText(doc))}>
                Download mine
              </button>
              <button type="button" className="btn btn-sm" onClick={() => void loadTheirs()} data-testid="conflict-load-theirs">
                Load their version
              </button>
              <button type="button" className="btn btn-sm btn-danger" onClick={() => void overwriteTheirs()} data-testid="conflict-overwrite">
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
              <button type="button" className="btn btn-sm" onClick={() => applyServerDraft({ ...initial, draft: savedDoc, revision: baseRevision, publishedVersion })}>
                Discard them
              </button>
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>
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
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => {
                  // Restored on their old base: saving them then asks to resolve the conflict.
                  dispatch({ type: 'edit', doc: notice.draft.project });
                  setBaseRevision(notice.draft.baseRevision);
                  setNotice(null);
                }}
              >
                Restore my changes
              </button>
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => {
                  clearLocalDraft(storage, projectId);
                  setNotice(null);
                }}
              >
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
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>
                <Icon name="close" size={14} />
              </button>
            </span>
          </div>
        ) : null}
        {storageFailed ? (
          <div className="banner banner-warn editor-banner">
            <Icon name="warning" /> This browser does not let the designer keep unsaved changes; save before leaving the page.
          </div>
        ) : null}

        <div className="editor-body">
          {readOnly ? null : <Palette ref={palette} channel={doc.channel} onAdd={addAtCenter} />}
          <div className="canvas-area">
            <Canvas
              doc={doc}
              selection={state.selection}
              readOnly={readOnly}
              onMove={onMove}
              onDragStart={onDragStart}
              onSelectDelta={onSelectDelta}
              onConnect={onConnect}
              onDropBlock={onDropBlock}
            />
            <ProblemsBar open={problemsOpen} onToggle={() => setProblemsOpen(!problemsOpen)} onSelectBlock={revealBlock} />
          </div>
          <aside className="side-panel" aria-label="Details">
            <div
              className="side-tabs"
              role="tablist"
              aria-label="Panels"
              onKeyDown={(e) => {
                if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
                const order: Tab[] = ['inspector', 'simulator', 'versions'];
                const next = order[(order.indexOf(tab) + (e.key === 'ArrowRight' ? 1 : order.length - 1)) % order.length]!;
                setTab(next);
                document.getElementById(`tab-${next}`)?.focus();
              }}
            >
              {(['inspector', 'simulator', 'versions'] as const).map((t) => (
                <button
                  key={t}
                  type="button"
                  role="tab"
                  id={`tab-${t}`}
                  aria-selected={tab === t}
                  tabIndex={tab === t ? 0 : -1}
                  aria-controls={`panel-${t}`}
                  className={`side-tab${tab === t ? ' is-active' : ''}`}
                  onClick={() => setTab(t)}
                  data-testid={`tab-${t}`}
                >
                  <Icon name={t === 'inspector' ? 'sliders' : t === 'simulator' ? 'play' : 'history'} size={14} />
                  {t === 'inspector' ? 'Properties' : t === 'simulator' ? 'Simulator' : 'Versions'}
                </button>
              ))}
            </div>
            <div className="side-content" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
              {tab === 'inspector' ? (
                <Inspector doc={doc} selection={state.selection} readOnly={readOnly} onEdit={edit} onDelete={deleteSelection} onSelectBlock={revealBlock} />
              ) : null}
              {/* Kept mounted while hidden so a running call survives a look at the properties. */}
              <div hidden={tab !== 'simulator'}>
                <SimulatorPanel doc={doc} errorCount={errorCount} onFocusBlock={focusBlock} />
              </div>
              {tab === 'versions' ? (
                <VersionsPanel
                  projectId={projectId}
                  draft={doc}
                  publishedVersion={publishedVersion}
                  canEdit={!readOnly}
                  dirty={dirty}
                  onSelectBlock={revealBlock}
                  onRolledBack={(detail, version) => {
                    applyServerDraft(detail);
                    toast('success', `Version ${version} is the draft again (revision ${detail.revision})`);
                  }}
                />
              ) : null}
            </div>
          </aside>
        </div>

        {dialog === 'publish' ? (
          <PublishDialog
            nextVersion={(publishedVersion ?? 0) + 1}
            dirty={dirty}
            errorCount={errorCount}
            onClose={() => setDialog(null)}
            onPublish={async (message) => {
              if (live.current.doc !== live.current.savedDoc && (await save()) === null) return { ok: false, message: 'The draft could not be saved, so it was not published.' };
              try {
                const version = await ivr.publish(projectId, live.current.baseRevision, message);
                setPublishedVersion(version.version);
                setDialog(null);
                if (version.unchanged) toast('info', `Nothing to publish: the draft is the same as version ${version.version}, which stays live`);
                else toast('success', `Published version ${version.version}`);
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
            }}
            onSelectBlock={(id) => {
              setDialog(null);
              revealBlock(id);
            }}
          />
        ) : null}
        {dialog === 'shortcuts' ? <ShortcutsDialog onClose={() => setDialog(null)} /> : null}
        {dialog === 'find' ? (
          <FindBlockDialog
            doc={doc}
            onClose={() => setDialog(null)}
            onPick={(id) => {
              setDialog(null);
              revealBlock(id);
            }}
          />
        ) : null}
      </div>
    </EditorStoresContext.Provider>
  );
}

/** What the editor opens: the server draft, or the local one when it continues it. */
function openDocument(detail: ProjectDetail, local: LocalDraft | null): { doc: Project; saved: Project; baseRevision: number; notice: Notice | null } {
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

function isRevisionConflict(err: unknown): err is ApiError {
  return err instanceof ApiError && err.status === 409 && typeof err.details.currentRevision === 'number';
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'range', 'color'].includes(type);
}
