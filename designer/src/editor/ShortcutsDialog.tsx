import { useTranslation } from 'react-i18next';
import { Dialog } from '../ui/Dialog.tsx';

/** The shortcuts in the order shown; keys and what they do are in the catalogue (designer.shortcuts.items). */
const SHORTCUTS = ['save', 'undo', 'redo', 'clipboard', 'duplicate', 'selectAll', 'delete', 'boxSelect', 'addToSelection', 'find', 'palette', 'paletteAdd', 'fit', 'arrange', 'move', 'clear', 'help'] as const;

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('designer.shortcuts.title')} onClose={onClose} width={460}>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((id) => (
            <tr key={id}>
              <th scope="row">
                {t(`designer.shortcuts.items.${id}.keys`)
                  .split(/(, | \/ )/)
                  .map((part, i) =>
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
              <td>{t(`designer.shortcuts.items.${id}.what`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
