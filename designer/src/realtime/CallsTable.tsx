// Calls in progress: caller, queue, agent, state and how long. On a call an agent is talking on, a
// supervisor with the chanspy permission may listen, whisper or barge (if the agent allows it).
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../admin/kit/format.ts';
import type { BoardAgent, BoardCall } from '../../../contracts/realtime-board.ts';
import type { SpyMode } from './boardApi.ts';
import type { CallSortKey, QueueDirectory, SortOrder } from './boardView.ts';
import { Elapsed } from './clock.tsx';
import { callStateLabel, ordinal } from './format.ts';
import type { ReadonlyIdMap } from './idMap.ts';
import { SortHeader } from './SortHeader.tsx';
import { SpyButtons } from './SpyButtons.tsx';

export interface CallRowContext {
  readonly agents: ReadonlyIdMap<BoardAgent>;
  readonly directory: QueueDirectory;
  /** Each call in line's place in its queue (1 = served next). */
  readonly positions: ReadonlyMap<number, number>;
  readonly canSpy: boolean;
  /** A session of the supervisor's runs (or is starting): one at a time. */
  readonly spyBusy: boolean;
  readonly onSpy: (agent: BoardAgent, mode: SpyMode) => void;
}

export function CallsTable({ calls, total, order, onSort, context }: { calls: readonly BoardCall[]; total: number; order: SortOrder<CallSortKey>; onSort: (key: CallSortKey) => void; context: CallRowContext }) {
  const { t } = useTranslation();
  return (
    <section className="rt-section" aria-labelledby="rt-calls-title">
      <div className="rt-section-header">
        <h2 id="rt-calls-title">{t('board.calls.title')}</h2>
        <span className="muted small" data-testid="calls-count">
          {calls.length === total
            ? t('board.calls.count', { count: total, formatted: formatNumber(total) })
            : t('board.calls.countOf', { count: total, shown: formatNumber(calls.length), formatted: formatNumber(total) })}
        </span>
      </div>
      <div className="rt-table-wrap">
        <table className="table rt-table" data-testid="calls-table">
          <caption className="sr-only">{t('board.calls.caption')}</caption>
          <thead>
            <tr>
              <SortHeader label={t('board.calls.caller')} sortKey="caller" order={order} onSort={onSort} />
              <SortHeader label={t('board.calls.queue')} sortKey="queue" order={order} onSort={onSort} />
              <SortHeader label={t('board.calls.agent')} sortKey="agent" order={order} onSort={onSort} />
              <SortHeader label={t('board.calls.state')} sortKey="state" order={order} onSort={onSort} />
              <SortHeader label={t('board.calls.duration')} sortKey="duration" order={order} onSort={onSort} numeric />
              {context.canSpy ? (
                <th scope="col" className="actions">
                  <span className="sr-only">{t('board.calls.spy')}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {calls.length === 0 ? (
              <tr>
                <td colSpan={context.canSpy ? 6 : 5} className="rt-empty">
                  {total === 0 ? t('board.calls.none') : t('board.calls.noMatch')}
                </td>
              </tr>
            ) : (
              calls.map((call) => (
                <CallRow
                  key={call.id}
                  call={call}
                  agent={call.agentId === null ? null : (context.agents.get(call.agentId) ?? null)}
                  queueName={call.queueId === null ? null : (context.directory.get(call.queueId)?.name ?? `#${call.queueId}`)}
                  position={context.positions.get(call.id) ?? null}
                  canSpy={context.canSpy}
                  spyBusy={context.spyBusy}
                  onSpy={context.onSpy}
                />
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const CallRow = memo(function CallRow({
  call,
  agent,
  queueName,
  position,
  canSpy,
  spyBusy,
  onSpy,
}: {
  call: BoardCall;
  agent: BoardAgent | null;
  queueName: string | null;
  position: number | null;
  canSpy: boolean;
  spyBusy: boolean;
  onSpy: CallRowContext['onSpy'];
}) {
  const { t } = useTranslation();
  const spyable = agent !== null && agent.chanspy && call.state === 'talking';
  const caller = call.callerName !== '' ? call.callerName : call.caller || t('board.calls.unknownCaller');
  return (
    <tr data-testid={`call-row-${call.id}`}>
      <th scope="row">
        <div className="table-title">{caller}</div>
        {call.callerName !== '' && call.caller !== '' ? <div className="table-sub mono">{call.caller}</div> : null}
        {call.did !== '' ? <div className="table-sub">{t('board.calls.to', { did: call.did })}</div> : null}
      </th>
      <td>{queueName ?? <span className="muted">—</span>}</td>
      <td>{agent?.name ?? (call.agentId !== null ? `#${call.agentId}` : <span className="muted">—</span>)}</td>
      <td>
        <span className={`rt-call-state rt-call-${call.state}`}>{callStateLabel(call.state)}</span>
        {position !== null ? (
          <div className="table-sub" data-testid={`call-position-${call.id}`}>
            {t('board.calls.inLine', { place: ordinal(position) })}
          </div>
        ) : null}
      </td>
      <td className="num">
        <Elapsed since={call.startedAt} label={t('board.calls.callDuration')} />
        {call.talkingSince !== null ? (
          <div className="table-sub">
            {t('board.calls.talking')} <Elapsed since={call.talkingSince} label={t('board.calls.talkingFor')} />
          </div>
        ) : null}
      </td>
      {canSpy ? (
        <td className="actions">
          {spyable ? (
            <SpyButtons agentName={agent.name} disabled={spyBusy} onSpy={(mode) => onSpy(agent, mode)} />
          ) : agent !== null && !agent.chanspy && call.state === 'talking' ? (
            <span className="muted small">{t('board.calls.notAllowed')}</span>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
});
