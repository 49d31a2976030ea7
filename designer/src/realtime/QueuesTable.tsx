// Queues per channel: who waits and for how long, the agents on the queue, today's answered and
// abandoned, and the service level.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoardQueue } from '../../../contracts/realtime-board.ts';
import { formatNumber } from '../admin/kit/format.ts';
import { channelLabel } from '../app/channels.ts';
import { type QueueSortKey, type SortOrder } from './boardView.ts';
import { Elapsed } from './clock.tsx';
import { percent } from './format.ts';
import { SortHeader } from './SortHeader.tsx';

export function QueuesTable({ queues, total, order, onSort }: { queues: readonly BoardQueue[]; total: number; order: SortOrder<QueueSortKey>; onSort: (key: QueueSortKey) => void }) {
  const { t } = useTranslation();
  return (
    <section className="rt-section" aria-labelledby="rt-queues-title">
      <div className="rt-section-header">
        <h2 id="rt-queues-title">{t('board.queues.title')}</h2>
        <span className="muted small" data-testid="queues-count">
          {queues.length === total
            ? t('board.queues.count', { count: total, formatted: formatNumber(total) })
            : t('board.queues.countOf', { count: total, shown: formatNumber(queues.length), formatted: formatNumber(total) })}
        </span>
      </div>
      <div className="rt-table-wrap">
        <table className="table rt-table" data-testid="queues-table">
          <caption className="sr-only">{t('board.queues.caption')}</caption>
          <thead>
            <tr>
              <SortHeader label={t('board.queues.queue')} sortKey="name" order={order} onSort={onSort} />
              <SortHeader label={t('board.queues.channel')} sortKey="channel" order={order} onSort={onSort} />
              <SortHeader label={t('board.queues.waiting')} sortKey="waiting" order={order} onSort={onSort} numeric />
              <SortHeader label={t('board.queues.longestWait')} sortKey="longestWait" order={order} onSort={onSort} numeric />
              <SortHeader label={t('board.queues.ready')} sortKey="ready" order={order} onSort={onSort} numeric />
              <SortHeader label={t('board.queues.busy')} sortKey="busy" order={order} onSort={onSort} numeric />
              <SortHeader label={t('board.queues.paused')} sortKey="paused" order={order} onSort={onSort} numeric />
              <SortHeader label={t('board.queues.answered')} sortKey="answered" order={order} onSort={onSort} numeric />
              <SortHeader label={t('board.queues.abandoned')} sortKey="abandoned" order={order} onSort={onSort} numeric />
              <SortHeader label={t('board.queues.serviceLevel')} sortKey="serviceLevel" order={order} onSort={onSort} numeric />
            </tr>
          </thead>
          <tbody>
            {queues.length === 0 ? (
              <tr>
                <td colSpan={10} className="rt-empty">
                  {total === 0 ? t('board.queues.none') : t('board.queues.noMatch')}
                </td>
              </tr>
            ) : (
              queues.map((q) => <QueueRow key={q.id} queue={q} />)
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const QueueRow = memo(function QueueRow({ queue }: { queue: BoardQueue }) {
  const { t } = useTranslation();
  const level = queue.serviceLevel;
  const tone = level === null ? '' : level >= 80 ? ' rt-good' : level >= 60 ? ' rt-fair' : ' rt-poor';
  return (
    <tr data-testid={`queue-row-${queue.id}`}>
      <th scope="row">
        <span className="table-title">{queue.name}</span>
      </th>
      <td>
        <span className={`chip chip-${queue.channel}`}>{channelLabel(queue.channel)}</span>
      </td>
      <td className={`num${queue.waiting > 0 ? ' rt-waiting' : ''}`} data-testid={`queue-${queue.id}-waiting`}>
        {formatNumber(queue.waiting)}
      </td>
      <td className="num">{queue.longestWaitingSince !== null ? <Elapsed since={queue.longestWaitingSince} label={t('board.queues.longestWait')} /> : <span className="muted">—</span>}</td>
      <td className="num">
        {formatNumber(queue.agents.ready)}
        <span className="muted small"> / {formatNumber(queue.agents.loggedIn)}</span>
      </td>
      <td className="num">{formatNumber(queue.agents.busy)}</td>
      <td className="num">{formatNumber(queue.agents.paused)}</td>
      <td className="num">{formatNumber(queue.today.answered)}</td>
      <td className="num">{formatNumber(queue.today.abandoned)}</td>
      <td className={`num${tone}`} title={t('board.queues.serviceLevelHint', { seconds: queue.serviceLevelSec })}>
        {percent(level)}
      </td>
    </tr>
  );
});
