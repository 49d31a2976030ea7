// A block-level diff: counts, then one card per added / removed / changed / moved block with its
// params and exits before → after.
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../admin/kit/format.ts';
import { describe } from '../blocks/catalogue.ts';
import type { BlockChange, ProjectDiff } from '../model/diff.ts';
import { isEmptyDiff } from '../model/diff.ts';

export function DiffView({ diff, onSelectBlock }: { diff: ProjectDiff; onSelectBlock: (id: string) => void }) {
  const { t } = useTranslation();
  const kindLabel = (kind: BlockChange['kind']) => t(`designer.diff.kinds.${kind}`);
  if (isEmptyDiff(diff)) {
    return (
      <p className="diff-empty" data-testid="diff-empty">
        {t('designer.diff.none')}
      </p>
    );
  }
  const { counts } = diff;
  return (
    <div className="diff" data-testid="diff">
      <div className="diff-counts">
        {counts.added > 0 ? <span className="chip chip-added">{t('designer.diff.added', { count: counts.added, formatted: formatNumber(counts.added) })}</span> : null}
        {counts.removed > 0 ? <span className="chip chip-removed">{t('designer.diff.removed', { count: counts.removed, formatted: formatNumber(counts.removed) })}</span> : null}
        {counts.changed > 0 ? <span className="chip chip-changed">{t('designer.diff.changed', { count: counts.changed, formatted: formatNumber(counts.changed) })}</span> : null}
        {counts.moved > 0 ? <span className="chip chip-moved">{t('designer.diff.moved', { count: counts.moved, formatted: formatNumber(counts.moved) })}</span> : null}
        <span className="chip">{t('designer.diff.unchanged', { count: counts.unchanged, formatted: formatNumber(counts.unchanged) })}</span>
      </div>
      {diff.project.length === 0 ? null : (
        <div className="diff-card diff-changed">
          <div className="diff-card-head">
            <span className="chip chip-changed">{t('designer.diff.project')}</span>
          </div>
          <FieldTable rows={diff.project.map((c) => ({ name: c.path, before: c.before, after: c.after }))} />
        </div>
      )}
      {diff.blocks.map((change) => (
        <div key={change.id} className={`diff-card diff-${change.kind}`} data-testid="diff-block" data-kind={change.kind} data-block-id={change.id}>
          <div className="diff-card-head">
            <span className={`chip chip-${change.kind}`}>{kindLabel(change.kind)}</span>
            <button type="button" className="link-button mono" onClick={() => onSelectBlock(change.id)}>
              {change.id}
            </button>
            <span className="muted small">
              {describe(change.type)?.label ?? change.type}
              {change.label === '' ? '' : ` · ${change.label}`}
            </span>
            {change.moved && change.kind === 'changed' ? <span className="chip chip-moved">{t('designer.diff.alsoMoved')}</span> : null}
          </div>
          {change.typeChange === undefined ? null : <FieldTable rows={[{ name: 'type', before: change.typeChange.before, after: change.typeChange.after }]} />}
          {change.labelChange === undefined ? null : <FieldTable rows={[{ name: 'label', before: change.labelChange.before, after: change.labelChange.after }]} />}
          {change.params.length === 0 ? null : <FieldTable caption={t('designer.diff.settings')} rows={change.params.map((c) => ({ name: c.path, before: c.before, after: c.after }))} />}
          {change.exits.length === 0 ? null : <FieldTable caption={t('designer.diff.exits')} rows={change.exits.map((c) => ({ name: c.exit, before: c.before, after: c.after }))} />}
        </div>
      ))}
    </div>
  );
}

function FieldTable({ rows, caption }: { rows: ReadonlyArray<{ name: string; before: unknown; after: unknown }>; caption?: string }) {
  return (
    <table className="diff-table">
      {caption === undefined ? null : <caption>{caption}</caption>}
      <tbody>
        {rows.map((row) => (
          <tr key={row.name}>
            <th scope="row" className="mono">
              {row.name}
            </th>
            <td className="diff-before">{show(row.before)}</td>
            <td className="diff-arrow" aria-hidden>
              →
            </td>
            <td className="diff-after">{show(row.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string') return value === '' ? '""' : value;
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
