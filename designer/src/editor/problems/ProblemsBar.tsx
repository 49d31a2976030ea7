// The problem list under the canvas: every error and warning of the project, each one a link to
// its block. Collapsed to one line until opened.
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../admin/kit/format.ts';
import { Icon } from '../../ui/Icon.tsx';
import { useAllProblems } from '../stores.tsx';

export function ProblemsBar({ open, onToggle, onSelectBlock }: { open: boolean; onToggle: () => void; onSelectBlock: (id: string) => void }) {
  const { t } = useTranslation();
  const problems = useAllProblems();
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const sorted = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return (
    <div className={`problems-bar${open ? ' is-open' : ''}`} data-testid="problems-bar">
      <button type="button" className="problems-toggle" aria-expanded={open} onClick={onToggle}>
        <Icon name={open ? 'chevronDown' : 'chevronRight'} size={14} />
        <span className="problems-title">{t('designer.problems.title')}</span>
        <span className={`count${errors > 0 ? ' count-error' : ''}`}>
          <Icon name="error" size={12} /> {formatNumber(errors)}
        </span>
        <span className={`count${warnings > 0 ? ' count-warning' : ''}`}>
          <Icon name="warning" size={12} /> {formatNumber(warnings)}
        </span>
      </button>
      {open ? (
        <ul className="problems-list" data-testid="problems-list">
          {sorted.length === 0 ? <li className="muted small problems-none">{t('designer.problems.none')}</li> : null}
          {sorted.map((p, i) => (
            <li key={i} className={`problem problem-${p.severity}`}>
              <Icon name={p.severity === 'error' ? 'error' : 'warning'} size={14} />
              {p.blockId === null ? (
                <span className="problem-where">{t('designer.problems.project')}</span>
              ) : (
                <button type="button" className="link-button mono problem-where" onClick={() => onSelectBlock(p.blockId!)}>
                  {p.blockId}
                </button>
              )}
              <span className="problem-message">
                {p.field === null ? null : <span className="problem-field">{p.field.replace(/^params\./, '')}</span>}
                {p.message}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
