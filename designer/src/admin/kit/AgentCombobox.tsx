// Picks one agent out of any number (10,000 and more): a combobox (ARIA 1.2) whose list is a page of
// the server's search (GET /api/agents?q=…, sorted by name), asked as the user pauses typing, never
// the whole list. Keyboard: arrows move through the matches, Enter picks, Escape closes the list.
import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiPage } from './query.tsx';
import { useDebounced } from './useDebounced.ts';
import './combobox.css';

export interface AgentChoice {
  readonly id: number;
  readonly fullName: string;
  readonly username: string;
  readonly extension: string;
}

/** Matches shown at once; the rest are counted, and narrowed by typing more. */
const PAGE = 20;

export function agentSearchPath(query: string): string {
  const q = query.trim();
  return `/api/agents?sort=fullName&order=asc&limit=${PAGE}${q === '' ? '' : `&q=${encodeURIComponent(q)}`}`;
}

export function AgentCombobox({
  label,
  value,
  onChange,
  exclude = [],
  error,
  disabled = false,
}: {
  label: string;
  /** The agent picked, shown in the box; null while none is. */
  value: AgentChoice | null;
  onChange: (agent: AgentChoice | null) => void;
  /** Agents not to offer (already members). */
  exclude?: readonly number[];
  error?: string | undefined;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = useDebounced(text, 200);
  const page = useApiPage<AgentChoice>(agentSearchPath(query));
  const excluded = new Set(exclude);
  // Only matches of what is typed now: Enter right after typing must never pick from an older answer.
  const settled = query === text && !page.isPlaceholderData && page.data !== undefined;
  const options = settled && page.data !== undefined ? page.data.rows.filter((a) => !excluded.has(a.id)) : [];
  const hiddenCount = Math.max(0, (page.data?.total ?? 0) - (page.data?.rows.length ?? 0));
  const current = Math.min(active, Math.max(0, options.length - 1));
  const optionId = (a: AgentChoice) => `${id}-option-${a.id}`;

  const pick = (a: AgentChoice) => {
    onChange(a);
    setText('');
    setOpen(false);
    setActive(0);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) setOpen(true);
      else setActive(e.key === 'ArrowDown' ? Math.min(current + 1, options.length - 1) : Math.max(current - 1, 0));
    } else if (e.key === 'Enter' && open && options[current] !== undefined) {
      // Enter picks; it does not submit the form around the box.
      e.preventDefault();
      pick(options[current]);
    } else if (e.key === 'Escape' && open) {
      // Closes the list only, not the dialog the box sits in.
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    }
  };

  const status = !settled ? t('agentPicker.searching') : options.length === 0 && query.trim() !== '' ? t('agentPicker.noMatch', { query: query.trim() }) : hiddenCount > 0 ? t('agentPicker.more', { count: hiddenCount }) : t('agentPicker.hint');
  const describedBy = [error ? errorId : null, hintId].filter(Boolean).join(' ');
  return (
    <div className="field combobox">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && options[current] !== undefined ? optionId(options[current]) : undefined}
        aria-describedby={describedBy}
        aria-invalid={error !== undefined}
        disabled={disabled}
        value={open || value === null ? text : value.fullName}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
          if (value !== null) onChange(null);
        }}
        onClick={() => setOpen(true)}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <ul className="combobox-list" role="listbox" id={listId} aria-label={label} hidden={!open || options.length === 0}>
        {options.map((a, i) => (
          <li
            key={a.id}
            id={optionId(a)}
            role="option"
            aria-selected={i === current}
            className="combobox-option"
            // Keeps the focus in the box, so the click picks before the list closes.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(a)}
          >
            {t('agentPicker.option', { name: a.fullName, username: a.username, extension: a.extension })}
          </li>
        ))}
      </ul>
      <span className="field-hint" id={hintId} role="status">
        {status}
      </span>
      {error ? (
        <span className="field-error" id={errorId} data-testid="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
