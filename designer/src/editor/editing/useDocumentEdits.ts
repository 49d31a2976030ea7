// The edits of one project document: its undo history and selection (model/editor-state.ts), the
// commands of the toolbar, keyboard and inspector (add, delete, copy/paste, arrange, undo/redo), and
// the canvas's gestures (drag, connect, drop, select). A read-only editor refuses every change.
import { useCallback, useMemo, useReducer, useRef, type Dispatch } from 'react';
import type { Position, Project } from '../../../../flows/index.ts';
import type { CanvasProps } from '../canvas/Canvas.tsx';
import { autoLayout } from '../model/auto-layout.ts';
import { addBlock, connect, copyBlocks, deletable, moveBlocks, pasteBlocks, removeBlocks, removeWires, type Clipboard } from '../model/document.ts';
import { EMPTY_SELECTION, editorReducer, initialEditorState, parseEdgeId, type EditorAction, type EditorState, type Selection } from '../model/editor-state.ts';
import { useLatest } from '../useLatest.ts';

/** Shared by every editor instance: copy in one project, paste in another. */
let clipboard: Clipboard | null = null;

/** How far each paste of the same copy lands from the previous one. */
const PASTE_STEP = 32;

/** The canvas's callbacks: what a user's gesture on it changes. */
export type CanvasGestures = Omit<CanvasProps, 'doc' | 'selection' | 'readOnly'>;

export interface DocumentEdits {
  readonly state: EditorState;
  readonly doc: Project;
  readonly dispatch: Dispatch<EditorAction>;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** An undoable change; the same `key` in quick succession is one step (typing). */
  edit(next: Project, key?: string, select?: Selection): void;
  undo(): void;
  redo(): void;
  selectBlocks(ids: Iterable<string>): void;
  selectAll(): void;
  clearSelection(): void;
  /** Adds a block of `type` at `position`, selected. */
  addBlockAt(type: string, position: Position): void;
  deleteSelection(): void;
  /** Copies the selected blocks; false when nothing was copied. */
  copySelection(): boolean;
  paste(): void;
  /** Lays the blocks out automatically (one undo step). */
  arrange(): void;
  readonly canvas: CanvasGestures;
}

export function useDocumentEdits(start: Project, readOnly: boolean): DocumentEdits {
  const [state, dispatch] = useReducer(editorReducer, start, initialEditorState);
  const doc = state.history.present;
  // The latest values for callbacks bound once (keyboard handler, canvas events).
  const live = useLatest({ doc, state, readOnly });
  const pasteCount = useRef(0);
  const dragging = useRef(false);

  const edit = useCallback(
    (next: Project, key?: string, select?: Selection) => {
      if (live.current.readOnly) return;
      dispatch({ type: 'edit', doc: next, ...(key === undefined ? {} : { key }), ...(select === undefined ? {} : { select }) });
    },
    [live],
  );

  const selectBlocks = useCallback((ids: Iterable<string>) => dispatch({ type: 'select', selection: { nodes: new Set(ids), edges: new Set() } }), []);

  const addBlockAt = useCallback(
    (type: string, position: Position) => {
      const { doc: next, id } = addBlock(live.current.doc, type, position);
      edit(next, undefined, { nodes: new Set([id]), edges: new Set() });
    },
    [edit, live],
  );

  const deleteSelection = useCallback(() => {
    const { doc: current, state: s } = live.current;
    const blocks = deletable(current, s.selection.nodes);
    const wires = [...s.selection.edges].map(parseEdgeId).filter((w) => w !== null);
    if (blocks.length === 0 && wires.length === 0) return;
    edit(removeBlocks(removeWires(current, wires), blocks), undefined, EMPTY_SELECTION);
  }, [edit, live]);

  const copySelection = useCallback(() => {
    const copied = copyBlocks(live.current.doc, live.current.state.selection.nodes);
    if (copied === null) return false;
    clipboard = copied;
    pasteCount.current = 0;
    navigator.clipboard?.writeText(JSON.stringify(copied)).catch(() => undefined);
    return true;
  }, [live]);

  const paste = useCallback(() => {
    if (clipboard === null) return;
    pasteCount.current++;
    const offset = PASTE_STEP * pasteCount.current;
    const { doc: next, ids } = pasteBlocks(live.current.doc, clipboard, { x: offset, y: offset });
    if (ids.length > 0) edit(next, undefined, { nodes: new Set(ids), edges: new Set() });
  }, [edit, live]);

  const arrange = useCallback(() => edit(autoLayout(live.current.doc)), [edit, live]);
  const undo = useCallback(() => dispatch({ type: 'undo' }), []);
  const redo = useCallback(() => dispatch({ type: 'redo' }), []);
  const selectAll = useCallback(() => dispatch({ type: 'select', selection: { nodes: new Set(Object.keys(live.current.doc.blocks)), edges: new Set() } }), [live]);
  const clearSelection = useCallback(() => dispatch({ type: 'select', selection: EMPTY_SELECTION }), []);

  const canvas = useMemo<CanvasGestures>(
    () => ({
      onMove: (positions, done) => {
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
      },
      onDragStart: () => {
        if (live.current.readOnly) return;
        dragging.current = true;
        dispatch({ type: 'checkpoint' });
      },
      onSelectDelta: (nodes, edges) => dispatch({ type: 'select-delta', nodes, edges }),
      onConnect: (source, exit, target) => edit(connect(live.current.doc, source, exit, target)),
      onDropBlock: addBlockAt,
    }),
    [edit, addBlockAt, live],
  );

  return {
    state,
    doc,
    dispatch,
    canUndo: state.history.past.length > 0,
    canRedo: state.history.future.length > 0,
    edit,
    undo,
    redo,
    selectBlocks,
    selectAll,
    clearSelection,
    addBlockAt,
    deleteSelection,
    copySelection,
    paste,
    arrange,
    canvas,
  };
}
