// The disposition of a close form as cascading selects: the first level, then the next as soon as
// the choice made has children, down to a leaf, whose path ("Sale / Upgrade") is the value. With no
// dispositions configured for the work, a text field (the server takes any text then).
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DispositionChoice } from '../../../contracts/dispositions.ts';

export function DispositionPicker({ tree, value, onChange }: { tree: readonly DispositionChoice[]; value: string; onChange: (path: string) => void }) {
  const { t } = useTranslation();
  // The ids chosen at each level so far.
  const [chosen, setChosen] = useState<number[]>([]);
  // Labels point at their selects (not wrapping them), so each select's name is its level alone.
  const id = useId();
  if (tree.length === 0) {
    return (
      <label className="presence-field">
        <span>{t('desktop.disposition')}</span>
        <input value={value} maxLength={100} required onChange={(e) => onChange(e.target.value)} />
      </label>
    );
  }
  const levels: { options: readonly DispositionChoice[]; selected: DispositionChoice | undefined }[] = [];
  let options: readonly DispositionChoice[] = tree;
  for (let level = 0; options.length > 0; level++) {
    const selected = options.find((o) => o.id === chosen[level]);
    levels.push({ options, selected });
    if (!selected) break;
    options = selected.children;
  }
  const choose = (level: number, id: number | undefined) => {
    const next = [...chosen.slice(0, level), ...(id === undefined ? [] : [id])];
    setChosen(next);
    const node = levels[level]?.options.find((o) => o.id === id);
    onChange(node && node.children.length === 0 ? node.path : '');
  };
  return (
    <>
      {levels.map(({ options: opts, selected }, level) => (
        <div className="presence-field" key={level}>
          <label htmlFor={`${id}-${level}`}>{level === 0 ? t('desktop.disposition') : t('dispositions.levelLabel', { level: level + 1 })}</label>
          <select id={`${id}-${level}`} value={selected ? String(selected.id) : ''} required onChange={(e) => choose(level, e.target.value ? Number(e.target.value) : undefined)}>
            <option value="">{t('dispositions.choose')}</option>
            {opts.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      ))}
    </>
  );
}
