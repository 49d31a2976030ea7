// The editor's keyboard shortcuts (listed for users in ShortcutsDialog). Ctrl/Cmd+S and Ctrl/Cmd+K
// work everywhere; the rest only when the user is not typing in a field and no dialog is open, so
// Backspace in a label never deletes a block.
import { useEffect } from 'react';
import { useLatest } from '../useLatest.ts';

export interface ShortcutCommands {
  /** Edits are refused: undo, cut, paste, delete and arrange do nothing. */
  readonly readOnly: boolean;
  save(): void;
  find(): void;
  showShortcuts(): void;
  undo(): void;
  redo(): void;
  /** Copies the selected blocks; false when nothing was copied (the browser's copy then runs). */
  copy(): boolean;
  deleteSelection(): void;
  paste(): void;
  selectAll(): void;
  clearSelection(): void;
  focusPaletteSearch(): void;
  fit(): void;
  arrange(): void;
}

export function useShortcuts(commands: ShortcutCommands): void {
  // Bound once; each key press sees the commands of the latest render.
  const latest = useLatest(commands);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => handleKey(e, latest.current);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [latest]);
}

function handleKey(e: KeyboardEvent, c: ShortcutCommands): void {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === 's') {
    e.preventDefault();
    c.save();
    return;
  }
  if (mod && key === 'k' && !dialogOpen()) {
    e.preventDefault();
    c.find();
    return;
  }
  if (e.defaultPrevented || isTyping(e.target) || dialogOpen()) return;
  const ro = c.readOnly;
  if (mod && key === 'z' && !e.shiftKey) {
    e.preventDefault();
    if (!ro) c.undo();
  } else if ((mod && key === 'z' && e.shiftKey) || (mod && key === 'y')) {
    e.preventDefault();
    if (!ro) c.redo();
  } else if (mod && key === 'c') {
    if (c.copy()) e.preventDefault();
  } else if (mod && key === 'x') {
    if (!ro && c.copy()) {
      e.preventDefault();
      c.deleteSelection();
    }
  } else if (mod && key === 'v') {
    if (!ro) {
      e.preventDefault();
      c.paste();
    }
  } else if (mod && key === 'd') {
    e.preventDefault();
    if (!ro && c.copy()) c.paste();
  } else if (mod && key === 'a') {
    e.preventDefault();
    c.selectAll();
  } else if ((key === 'delete' || key === 'backspace') && !mod) {
    if (!ro) {
      e.preventDefault();
      c.deleteSelection();
    }
  } else if (key === 'escape') {
    c.clearSelection();
  } else if (key === '/' && !mod) {
    e.preventDefault();
    c.focusPaletteSearch();
  } else if (key === 'f' && !mod && !e.altKey) {
    c.fit();
  } else if (key === 'l' && e.shiftKey && !mod) {
    if (!ro) c.arrange();
  } else if (key === '?' || (key === '/' && e.shiftKey)) {
    c.showShortcuts();
  }
}

function dialogOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

/** Whether a key press goes into a text field (not a checkbox, button or slider). */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'range', 'color'].includes(type);
}
