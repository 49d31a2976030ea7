// One call record: who, when, how it ended, and its IVR path drawn on the project version the call
// ran. The canvas is the designer's own (same nodes and wires), read-only; the blocks the call went
// through are marked as the simulator marks visited blocks, the wires it followed are selected, and
// the steps are listed in order with the time spent in each (from the trace's timings).
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Project } from '../../../../flows/index.ts';
import { describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { Canvas } from '../../editor/canvas/Canvas.tsx';
import { EditorStoresContext, ProblemsStore, SimulationStore, type EditorStores } from '../../editor/stores.tsx';
import { AppLink } from '../../ui/AppLink.tsx';
import { formatDateTime, formatNumber } from '../kit/format.ts';
import { FormError } from '../kit/forms.tsx';
import { useApiQuery } from '../kit/query.tsx';
import { callPathOf, type CallPath } from './call-path.ts';
import type { CallRow } from './call-record.ts';
import '../../styles/call-path.css';

interface VersionAnswer {
  readonly version: number;
  readonly project: Project;
}

const noop = () => undefined;

/** Milliseconds under a second (most blocks), seconds above; a dash when the trace has no time. */
export function timeSpent(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${formatNumber(Math.round(ms))} ms`;
  return `${formatNumber(ms / 1000, undefined, { maximumFractionDigits: 1 })} s`;
}

export function CallDetail({ id }: { id: number }) {
  const { t } = useTranslation();
  const { account } = useSession();
  const call = useApiQuery<CallRow>(`/api/voice/calls/${id}`);
  const record = call.data;
  const ran = record?.projectId && record.projectVersion !== null ? { projectId: record.projectId, version: record.projectVersion } : null;
  const mayReadProject = can(account, 'ivr', 'read');
  const version = useApiQuery<VersionAnswer>(ran ? `/api/ivr/projects/${ran.projectId}/versions/${ran.version}` : '/api/ivr/projects/-/versions/-', { enabled: ran !== null && mayReadProject });
  const doc = version.data?.project ?? null;
  const path = useMemo(() => callPathOf(record?.trace ?? [], doc), [record?.trace, doc]);

  return (
    <div className="page" data-testid="call-detail">
      <p>
        <AppLink href="/admin/voice/calls">{t('calls.back')}</AppLink>
      </p>
      <header className="page-header">
        <div>
          <h1>{t('calls.detailTitle', { id })}</h1>
          {record ? (
            <p className="muted">
              {formatDateTime(record.startedAt)} · {record.direction} · {t('calls.caller')} {record.callerNumber || '—'} · {t('calls.did')} {record.did || '—'} · {t('calls.outcome')} {record.outcome ?? '—'}
              {record.reason ? ` (${record.reason})` : ''}
            </p>
          ) : null}
        </div>
      </header>
      {call.error ? <FormError message={describeError(call.error)} /> : null}
      {version.error ? <FormError message={describeError(version.error)} /> : null}
      {record && ran === null ? <p className="muted">{t('calls.noProject')}</p> : null}
      {record && doc ? (
        <section aria-labelledby="call-path-title" className="call-path">
          <h2 id="call-path-title">{t('calls.path')}</h2>
          <p className="muted">
            {t('calls.pathIntro')} {t('calls.version', { name: doc.name, version: version.data?.version })}
          </p>
          <PathCanvas doc={doc} path={path} label={t('calls.canvas', { id })} />
          <Steps path={path} doc={doc} />
        </section>
      ) : null}
    </div>
  );
}

function PathCanvas({ doc, path, label }: { doc: Project; path: CallPath; label: string }) {
  // The blocks' own stores: no problems to show, and the path replayed as a finished simulation so
  // every traversed block carries the visited mark.
  const [stores] = useState<EditorStores>(() => ({ problems: new ProblemsStore(), simulation: new SimulationStore() }));
  useEffect(() => {
    stores.simulation.clear();
    for (const id of path.visited) stores.simulation.enter(id);
    stores.simulation.finish();
  }, [stores, path]);
  const selection = useMemo(() => ({ nodes: new Set<string>(), edges: path.edges }), [path]);
  return (
    <div className="call-path-canvas" role="group" aria-label={label} data-testid="call-path-canvas">
      <EditorStoresContext.Provider value={stores}>
        <ReactFlowProvider>
          <Canvas doc={doc} selection={selection} readOnly onMove={noop} onDragStart={noop} onSelectDelta={noop} onConnect={noop} onDropBlock={noop} />
        </ReactFlowProvider>
      </EditorStoresContext.Provider>
    </div>
  );
}

function Steps({ path, doc }: { path: CallPath; doc: Project }) {
  const { t } = useTranslation();
  if (path.steps.length === 0) return <p className="muted">{t('calls.noTrace')}</p>;
  return (
    <>
      {path.timed ? null : <p className="muted">{t('calls.noTimes')}</p>}
      <table className="table" data-testid="call-steps">
        <caption className="sr-only">{t('calls.path')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('calls.step')}</th>
            <th scope="col">{t('calls.block')}</th>
            <th scope="col">{t('calls.exit')}</th>
            <th scope="col">{t('calls.time')}</th>
          </tr>
        </thead>
        <tbody>
          {path.steps.map((s) => {
            const block = doc.blocks[s.blockId];
            const label = block?.label ? `${block.label} (${s.blockId})` : `${s.type} (${s.blockId})`;
            return (
              <tr key={s.step} data-testid="call-step" data-block-id={s.blockId}>
                <td>{formatNumber(s.step)}</td>
                <td>{label}</td>
                <td>{s.exit ?? '—'}</td>
                <td>{timeSpent(s.durationMs)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
