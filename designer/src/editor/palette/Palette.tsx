// The block palette, generated from the flows catalogue: grouped by category, filtered by the
// project's channel, searchable. A combobox: type to filter, ↑/↓ to move, Enter to add the block
// at the centre of the view; or drag a block onto the canvas.
import { forwardRef, useId, useImperativeHandle, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BlockDescription, ChannelKind } from '../../../../flows/index.ts';
import { Icon, PathIcon } from '../../ui/Icon.tsx';
import { paletteGroups } from '../blocks/catalogue.ts';
import { CATEGORY_STYLES, categoryLabel } from '../blocks/categories.ts';
import { BLOCK_DRAG_TYPE } from '../canvas/Canvas.tsx';

export interface PaletteHandle {
  focusSearch(): void;
}

export const Palette = forwardRef<PaletteHandle, { channel: ChannelKind; onAdd: (type: string) => void }>(function Palette({ channel, onAdd }, ref) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const search = useRef<HTMLInputElement>(null);
  const listId = useId();
  useImperativeHandle(ref, () => ({ focusSearch: () => search.current?.focus() }), []);

  const groups = useMemo(() => paletteGroups(channel, query), [channel, query]);
  const flat = useMemo(() => groups.flatMap((g) => g.blocks), [groups]);
  const current = Math.min(active, Math.max(0, flat.length - 1));
  const optionId = (d: BlockDescription) => `${listId}-${d.type}`;

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => Math.min(flat.length - 1, i + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (e.key === 'Home') {
      setActive(0);
    } else if (e.key === 'End') {
      setActive(flat.length - 1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const block = flat[current];
      if (block !== undefined) onAdd(block.type);
    } else if (e.key === 'Escape') {
      if (query !== '') {
        e.stopPropagation();
        setQuery('');
      } else search.current?.blur();
    }
  };

  return (
    <aside className="palette" aria-label={t('designer.palette.label')}>
      <div className="palette-search">
        <Icon name="search" className="palette-search-icon" />
        <input
          ref={search}
          type="search"
          placeholder={t('designer.palette.search')}
          aria-label={t('designer.palette.search')}
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={flat[current] === undefined ? undefined : optionId(flat[current]!)}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          data-testid="palette-search"
        />
        <kbd className="kbd palette-kbd" aria-hidden>
          /
        </kbd>
      </div>
      <div className="palette-list" id={listId} role="listbox" aria-label={t('designer.palette.list')}>
        {groups.length === 0 ? <p className="palette-empty">{t('designer.palette.noMatch', { query })}</p> : null}
        {groups.map((group) => {
          const style = CATEGORY_STYLES[group.category];
          return (
            <div key={group.category} role="group" aria-label={categoryLabel(group.category)} className="palette-group">
              <div className="palette-group-title">
                <span className="dot" style={{ background: style.color }} aria-hidden />
                {categoryLabel(group.category)}
              </div>
              {group.blocks.map((d) => {
                const index = flat.indexOf(d);
                const isActive = index === current;
                return (
                  <div
                    key={d.type}
                    id={optionId(d)}
                    role="option"
                    aria-selected={isActive}
                    className={`palette-item${isActive ? ' is-active' : ''}`}
                    draggable
                    title={d.description}
                    data-testid={`palette-${d.type}`}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(BLOCK_DRAG_TYPE, d.type);
                      e.dataTransfer.effectAllowed = 'copy';
                    }}
                    onMouseEnter={() => setActive(index)}
                    onDoubleClick={() => onAdd(d.type)}
                  >
                    <span className="palette-icon" style={{ background: style.tint }}>
                      <PathIcon d={style.icon} size={14} color={style.color} />
                    </span>
                    <span className="palette-text">
                      <span className="palette-label">{d.label}</span>
                      <span className="palette-desc">{d.description}</span>
                    </span>
                    <button type="button" className="palette-add" tabIndex={-1} aria-label={t('designer.palette.add', { block: d.label })} onClick={() => onAdd(d.type)}>
                      <Icon name="plus" size={14} />
                    </button>
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
      <p className="palette-footer">{t('designer.palette.footer')}</p>
    </aside>
  );
});
