// Ctrl+K: find a block of the project by label, id or type, and jump to it. On a 500-block canvas
// this is how a designer gets anywhere.
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Project } from '../../../flows/index.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { PathIcon } from '../ui/Icon.tsx';
import { describe } from './blocks/catalogue.ts';
import { findBlocks } from './model/find.ts';
import { categoryStyle } from './blocks/categories.ts';

export function FindBlockDialog({ doc, onClose, onPick }: { doc: Project; onClose: () => void; onPick: (id: string) => void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const results = useMemo(() => findBlocks(doc, query), [doc, query]);
  const current = Math.min(active, Math.max(0, results.length - 1));
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive(Math.min(results.length - 1, current + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(Math.max(0, current - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const id = results[current];
      if (id !== undefined) onPick(id);
    }
  };
  return (
    <Dialog title={t('designer.find.title')} onClose={onClose} width={520} testId="find-dialog">
      <input
        type="search"
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={results[current] === undefined ? undefined : `${listId}-${results[current]}`}
        aria-label={t('designer.find.label')}
        placeholder={t('designer.find.placeholder')}
        value={query}
        autoFocus
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul className="find-results" id={listId} role="listbox" aria-label={t('designer.find.results')}>
        {results.length === 0 ? <li className="muted small find-empty">{t('designer.find.none')}</li> : null}
        {results.map((id, i) => {
          const block = doc.blocks[id]!;
          const description = describe(block.type);
          const style = categoryStyle(description?.category);
          return (
            <li
              key={id}
              id={`${listId}-${id}`}
              role="option"
              aria-selected={i === current}
              className={`find-result${i === current ? ' is-active' : ''}`}
              onMouseEnter={() => setActive(i)}
              onClick={() => onPick(id)}
            >
              <span className="palette-icon" style={{ background: style.tint }}>
                <PathIcon d={style.icon} size={14} color={style.color} />
              </span>
              <span className="find-text">
                <span className="find-label">{block.label || description?.label || block.type}</span>
                <span className="muted small">
                  <span className="mono">{id}</span> · {description?.label ?? block.type}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
    </Dialog>
  );
}
