// Published versions: the list, a block-level comparison of any two (or of a version and the
// current draft), and rollback (the version becomes the draft again; publishing it makes a new one).
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Project } from '../../../../flows/index.ts';
import { describeError } from '../../api/client.ts';
import type { ProjectDetail, VersionView } from '../../api/types.ts';
import { useSession } from '../../app/session.tsx';
import { Icon } from '../../ui/Icon.tsx';
import { formatDateTime } from '../../admin/kit/format.ts';
import { diffProjects } from '../model/diff.ts';
import { DiffView } from './DiffView.tsx';

type Side = 'draft' | number;

export interface VersionsPanelProps {
  readonly projectId: string;
  readonly draft: Project;
  readonly publishedVersion: number | null;
  readonly canEdit: boolean;
  readonly dirty: boolean;
  onRolledBack(detail: ProjectDetail, version: number): void;
  onSelectBlock(id: string): void;
}

export function VersionsPanel({ projectId, draft, publishedVersion, canEdit, dirty, onRolledBack, onSelectBlock }: VersionsPanelProps) {
  const { t } = useTranslation();
  const { ivr } = useSession();
  const [versions, setVersions] = useState<VersionView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<ReadonlyMap<number, Project>>(new Map());
  const [left, setLeft] = useState<Side | null>(null);
  const [right, setRight] = useState<Side>('draft');
  const [confirm, setConfirm] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    ivr
      .versions(projectId)
      .then((list) => {
        if (!live) return;
        setVersions(list);
        setLeft((current) => current ?? list[0]?.version ?? null);
      })
      .catch((err: unknown) => live && setError(describeError(err)));
    return () => {
      live = false;
    };
  }, [ivr, projectId, publishedVersion]);

  // Fetch the versions being compared (each once).
  useEffect(() => {
    for (const side of [left, right]) {
      if (typeof side !== 'number' || loaded.has(side)) continue;
      ivr
        .version(projectId, side)
        .then((v) => setLoaded((m) => new Map(m).set(side, v.project)))
        .catch((err: unknown) => setError(describeError(err)));
    }
  }, [ivr, projectId, left, right, loaded]);

  const docOf = (side: Side | null): Project | undefined => (side === null ? undefined : side === 'draft' ? draft : loaded.get(side));
  const before = docOf(left);
  const after = docOf(right);
  const diff = useMemo(() => (before !== undefined && after !== undefined ? diffProjects(before, after) : null), [before, after]);

  const rollback = async (version: number) => {
    setBusy(true);
    try {
      const detail = await ivr.rollback(projectId, version);
      setConfirm(null);
      onRolledBack(detail, version);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const sideLabel = (side: Side) => (side === 'draft' ? t('designer.versions.draft') : t('designer.versions.version', { version: side }));
  const options: Side[] = ['draft', ...(versions ?? []).map((v) => v.version)];

  return (
    <div className="versions" data-testid="versions-panel">
      {error === null ? null : (
        <div className="banner banner-error" role="alert">
          <Icon name="error" /> {error}
        </div>
      )}
      <section className="inspector-section">
        <div className="inspector-section-title">
          <h3>{t('designer.versions.title')}</h3>
        </div>
        {versions === null ? <p className="muted small">{t('common.loading')}</p> : null}
        {versions !== null && versions.length === 0 ? <p className="muted small">{t('designer.versions.none')}</p> : null}
        <ol className="version-list">
          {(versions ?? []).map((v) => (
            <li key={v.version} className="version-item" data-testid="version-item" data-version={v.version}>
              <div className="version-head">
                <span className={`chip ${v.version === publishedVersion ? 'chip-ok' : ''}`}>{t('designer.projects.version', { version: v.version })}</span>
                <span className="version-message">{v.message === '' ? <span className="muted">{t('designer.versions.noMessage')}</span> : v.message}</span>
              </div>
              <div className="version-meta muted small">
                {formatDateTime(v.publishedAt)}
                {v.publishedBy === null ? '' : ` · ${t('designer.versions.by', { id: v.publishedBy })}`} · <span className="mono">{v.hash.slice(0, 8)}</span>
              </div>
              {canEdit ? (
                confirm === v.version ? (
                  <div className="version-confirm" role="group" aria-label={t('designer.versions.confirmLabel', { version: v.version })}>
                    <span className="small">
                      {dirty ? `${t('designer.versions.replaced')} ` : ''}
                      {t('designer.versions.confirm', { version: v.version })}
                    </span>
                    <button type="button" className="btn btn-sm btn-primary" disabled={busy} onClick={() => void rollback(v.version)}>
                      {t('designer.versions.rollback')}
                    </button>
                    <button type="button" className="btn btn-sm" onClick={() => setConfirm(null)}>
                      {t('common.cancel')}
                    </button>
                  </div>
                ) : (
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => setConfirm(v.version)} aria-label={t('designer.versions.rollbackLabel', { version: v.version })}>
                    <Icon name="rollback" size={14} /> {t('designer.versions.rollbackToThis')}
                  </button>
                )
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      {versions !== null && versions.length > 0 ? (
        <section className="inspector-section">
          <div className="inspector-section-title">
            <h3>{t('designer.versions.compare')}</h3>
          </div>
          <div className="compare-pickers">
            <label className="field">
              <span className="field-label">{t('common.from')}</span>
              <select aria-label={t('designer.versions.compareFrom')} value={left === null ? '' : String(left)} onChange={(e) => setLeft(e.target.value === 'draft' ? 'draft' : Number(e.target.value))}>
                {options.map((o) => (
                  <option key={String(o)} value={String(o)}>
                    {sideLabel(o)}
                  </option>
                ))}
              </select>
            </label>
            <Icon name="chevronRight" />
            <label className="field">
              <span className="field-label">{t('common.to')}</span>
              <select aria-label={t('designer.versions.compareTo')} value={String(right)} onChange={(e) => setRight(e.target.value === 'draft' ? 'draft' : Number(e.target.value))}>
                {options.map((o) => (
                  <option key={String(o)} value={String(o)}>
                    {sideLabel(o)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {diff === null ? <p className="muted small">{t('designer.versions.loading')}</p> : <DiffView diff={diff} onSelectBlock={(id) => (Object.hasOwn(draft.blocks, id) ? onSelectBlock(id) : undefined)} />}
        </section>
      ) : null}
    </div>
  );
}
