// The editor's document state as a reducer: the undo history of the project and the selection.
// Pure, so undo/redo, drags and selection can be tested without a browser.
import type { Project } from '../../../../flows/index.ts';
import { record, redo, replace, startHistory, undo, type History } from './history.ts';

export interface Selection {
  readonly nodes: ReadonlySet<string>;
  readonly edges: ReadonlySet<string>;
}

export const EMPTY_SELECTION: Selection = { nodes: new Set(), edges: new Set() };

export interface EditorState {
  readonly history: History<Project>;
  readonly selection: Selection;
}

export type EditorAction =
  /** An edit that can be undone; the same `key` in quick succession is one step (typing). */
  | { readonly type: 'edit'; readonly doc: Project; readonly key?: string; readonly select?: Selection }
  /** Marks the current document as an undo point without changing it (a drag starts). */
  | { readonly type: 'checkpoint' }
  /** Changes the document without an undo step (a drag in progress). */
  | { readonly type: 'replace'; readonly doc: Project }
  | { readonly type: 'undo' }
  | { readonly type: 'redo' }
  | { readonly type: 'select'; readonly selection: Selection }
  /** Selection changes as React Flow reports them (click, box select), applied to the latest state. */
  | { readonly type: 'select-delta'; readonly nodes: ReadonlyArray<readonly [string, boolean]>; readonly edges: ReadonlyArray<readonly [string, boolean]> }
  /** A document from elsewhere (server reload, rollback): history starts over. */
  | { readonly type: 'reset'; readonly doc: Project };

export function initialEditorState(doc: Project): EditorState {
  return { history: startHistory(doc), selection: EMPTY_SELECTION };
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case 'edit': {
      const history = record(state.history, action.doc, action.key ?? null);
      const selection = pruneSelection(action.select ?? state.selection, action.doc);
      return history === state.history && selection === state.selection ? state : { history, selection };
    }
    case 'checkpoint': {
      const h = state.history;
      return { ...state, history: { past: [...h.past, h.present], present: h.present, future: [], lastKey: null, lastAt: 0 } };
    }
    case 'replace': {
      const history = replace(state.history, action.doc);
      return history === state.history ? state : { ...state, history };
    }
    case 'undo':
    case 'redo': {
      const history = action.type === 'undo' ? undo(state.history) : redo(state.history);
      if (history === state.history) return state;
      return { history, selection: pruneSelection(state.selection, history.present) };
    }
    case 'select':
      return sameSelection(state.selection, action.selection) ? state : { ...state, selection: action.selection };
    case 'select-delta': {
      const nodes = new Set(state.selection.nodes);
      const edges = new Set(state.selection.edges);
      for (const [id, on] of action.nodes) {
        if (on) nodes.add(id);
        else nodes.delete(id);
      }
      for (const [id, on] of action.edges) {
        if (on) edges.add(id);
        else edges.delete(id);
      }
      const selection = pruneSelection({ nodes, edges }, state.history.present);
      return sameSelection(state.selection, selection) ? state : { ...state, selection };
    }
    case 'reset':
      return initialEditorState(action.doc);
  }
}

/** Drops selected blocks and wires that no longer exist. */
export function pruneSelection(selection: Selection, doc: Project): Selection {
  const nodes = [...selection.nodes].filter((id) => Object.hasOwn(doc.blocks, id));
  const edges = [...selection.edges].filter((id) => {
    const wire = parseEdgeId(id);
    return wire !== null && doc.blocks[wire.source]?.exits[wire.exit] != null;
  });
  if (nodes.length === selection.nodes.size && edges.length === selection.edges.size) return selection;
  return { nodes: new Set(nodes), edges: new Set(edges) };
}

function sameSelection(a: Selection, b: Selection): boolean {
  if (a.nodes.size !== b.nodes.size || a.edges.size !== b.edges.size) return false;
  for (const id of a.nodes) if (!b.nodes.has(id)) return false;
  for (const id of a.edges) if (!b.edges.has(id)) return false;
  return true;
}

/** Wire ids: `source:exit`. Block ids never contain ':', exit names may. */
export function edgeId(source: string, exit: string): string {
  return `${source}:${exit}`;
}

export function parseEdgeId(id: string): { source: string; exit: string } | null {
  const at = id.indexOf(':');
  if (at <= 0) return null;
  return { source: id.slice(0, at), exit: id.slice(at + 1) };
}
