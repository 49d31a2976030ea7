// Published versions: the list, a block-level comparison of any two (or of a version and the
// current draft), and rollback (the version becomes the draft again; publishing it makes a new one).
import { useEffect, useMemo, useState } from 'react';
import type { Project } from '../../../../flows/index.ts';
import { describeError } from '../../api/client.ts';
import type { ProjectDetail, VersionView } from '../../api/types.ts';
import { useSession } from '../../app/session.tsx';
import { Icon } from '../../ui/Icon.tsx';
import { formatDate } from '../../ui/download.ts';
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

  const sideLabel = (side: Side) => (side === 'draft' ? 'Current draft' : `Version ${side}`);
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
          <h3>Published versions</h3>
        </div>
        {versions === null ? <p className="muted small">Loading…</p> : null}
        {versions !== null && versions.length === 0 ? <p className="muted small">Nothing published yet. Publish the draft to create version 1; calls always run a published version.</p> : null}
        <ol className="version-list">
          {(versions ?? []).map((v) => (
            <li key={v.version} className="version-item" data-testid="version-item" data-version={v.version}>
              <div className="version-head">
                <span className={`chip ${v.version === publishedVersion ? 'chip-ok' : ''}`}>v{v.version}</span>
                <span className="version-message">{v.message === '' ? <span className="muted">No message</span> : v.message}</span>
              </div>
              <div className="version-meta muted small">
                {formatDate(v.publishedAt)}
                {v.publishedBy === null ? '' : ` · user #${v.publishedBy}`} · <span className="mono">{v.hash.slice(0, 8)}</span>
              </div>
              {canEdit ? (
                confirm === v.version ? (
                  <div className="version-confirm" role="group" aria-label={`Confirm rollback to version ${v.version}`}>
                    <span className="small">{dirty ? 'Unsaved changes will be replaced. ' : ''}Make v{v.version} the draft?</span>
                    <button type="button" className="btn btn-sm btn-primary" disabled={busy} onClick={() => void rollback(v.version)}>
                      Roll back
                    </button>
                    <button type="button" className="btn btn-sm" onClick={() => setConfirm(null)}>
                      Cancel
                    </button>
                  </div>
                ) : (
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => setConfirm(v.version)} aria-label={`Roll back to version ${v.version}`}>
                    <Icon name="rollback" size={14} /> Roll back to this
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
            <h3>Compare</h3>
          </div>
          <div className="compare-pickers">
            <label className="field">
              <span className="field-label">From</span>
              <select aria-label="Compare from" value={left === null ? '' : String(left)} onChange={(e) => setLeft(e.target.value === 'draft' ? 'draft' : Number(e.target.value))}>
                {options.map((o) => (
                  <option key={String(o)} value={String(o)}>
                    {sideLabel(o)}
                  </option>
                ))}
              </select>
            </label>
            <Icon name="chevronRight" />
            <label className="field">
              <span className="field-label">To</span>
              <select aria-label="Compare to" value={String(right)} onChange={(e) => setRight(e.target.value === 'draft' ? 'draft' : Number(e.target.value))}>
                {options.map((o) => (
                  <option key={String(o)} value={String(o)}>
                    {sideLabel(o)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {diff === null ? <p className="muted small">Loading versions…</p> : <DiffView diff={diff} onSelectBlock={(id) => (Object.hasOwn(draft.blocks, id) ? onSelectBlock(id) : undefined)} />}
        </section>
      ) : null}
    </div>
  );
}
