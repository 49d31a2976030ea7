import { Dialog } from '../ui/Dialog.tsx';

const SHORTCUTS: ReadonlyArray<readonly [string, string]> = [
  ['Ctrl + S', 'Save the draft'],
  ['Ctrl + Z', 'Undo'],
  ['Ctrl + Shift + Z, Ctrl + Y', 'Redo'],
  ['Ctrl + C / X / V', 'Copy, cut, paste blocks'],
  ['Ctrl + D', 'Duplicate the selection'],
  ['Ctrl + A', 'Select all blocks'],
  ['Delete, Backspace', 'Delete the selection'],
  ['Shift + drag', 'Select blocks in a box'],
  ['Ctrl + click', 'Add to the selection'],
  ['Ctrl + K', 'Find a block of the project'],
  ['/', 'Search the block palette'],
  ['↑ ↓ Enter', 'Pick a block in the palette and add it'],
  ['F', 'Fit the flow in view'],
  ['Shift + L', 'Arrange blocks automatically'],
  ['Arrow keys', 'Move the selected blocks'],
  ['Esc', 'Clear the selection'],
  ['?', 'This list'],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} width={460}>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <th scope="row">
                {keys.split(/(, | \/ )/).map((part, i) =>
                  part === ', ' || part === ' / ' ? (
                    <span key={i} className="muted">
                      {part}
                    </span>
                  ) : (
                    <kbd key={i} className="kbd">
                      {part}
                    </kbd>
                  ),
                )}
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
