// Queues per channel: who waits and for how long, the agents on the queue, today's answered and
// abandoned, and the service level.
import { memo } from 'react';
import type { BoardQueue } from '../../../contracts/realtime-board.ts';
import { CHANNEL_NAMES, type QueueSortKey, type SortOrder } from './boardView.ts';
import { Elapsed } from './clock.tsx';
import { percent } from './format.ts';
import { SortHeader } from './SortHeader.tsx';

export function QueuesTable({ queues, total, order, onSort }: { queues: readonly BoardQueue[]; total: number; order: SortOrder<QueueSortKey>; onSort: (key: QueueSortKey) => void }) {
  return (
    <section className="rt-section" aria-labelledby="rt-queues-title">
      <div className="rt-section-header">
        <h2 id="rt-queues-title">Queues</h2>
        <span className="muted small" data-testid="queues-count">
          {queues.length === total ? `${total} queues` : `${queues.length} of ${total} queues`}
        </span>
      </div>
      <div className="rt-table-wrap">
        <table className="table rt-table" data-testid="queues-table">
          <caption className="sr-only">Queues, live</caption>
          <thead>
            <tr>
              <SortHeader label="Queue" sortKey="name" order={order} onSort={onSort} />
              <SortHeader label="Channel" sortKey="channel" order={order} onSort={onSort} />
              <SortHeader label="Waiting" sortKey="waiting" order={order} onSort={onSort} numeric />
              <SortHeader label="Longest wait" sortKey="longestWait" order={order} onSort={onSort} numeric />
              <SortHeader label="Ready" sortKey="ready" order={order} onSort={onSort} numeric />
              <SortHeader label="Busy" sortKey="busy" order={order} onSort={onSort} numeric />
              <SortHeader label="Paused" sortKey="paused" order={order} onSort={onSort} numeric />
              <SortHeader label="Answered" sortKey="answered" order={order} onSort={onSort} numeric />
              <SortHeader label="Abandoned" sortKey="abandoned" order={order} onSort={onSort} numeric />
              <SortHeader label="Service level" sortKey="serviceLevel" order={order} onSort={onSort} numeric />
            </tr>
          </thead>
          <tbody>
            {queues.length === 0 ? (
              <tr>
                <td colSpan={10} className="rt-empty">
                  {total === 0 ? 'No queues you supervise.' : 'No queue matches the filters.'}
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
  const level = queue.serviceLevel;
  const tone = level === null ? '' : level >= 80 ? ' rt-good' : level >= 60 ? ' rt-fair' : ' rt-poor';
  return (
    <tr data-testid={`queue-row-${queue.id}`}>
      <th scope="row">
        <span className="table-title">{queue.name}</span>
      </th>
      <td>
        <span className={`chip chip-${queue.channel}`}>{CHANNEL_NAMES[queue.channel]}</span>
      </td>
      <td className={`num${queue.waiting > 0 ? ' rt-waiting' : ''}`} data-testid={`queue-${queue.id}-waiting`}>
        {queue.waiting}
      </td>
      <td className="num">{queue.longestWaitingSince !== null ? <Elapsed since={queue.longestWaitingSince} label="Longest wait" /> : <span className="muted">—</span>}</td>
      <td className="num">
        {queue.agents.ready}
        <span className="muted small"> / {queue.agents.loggedIn}</span>
      </td>
      <td className="num">{queue.agents.busy}</td>
      <td className="num">{queue.agents.paused}</td>
      <td className="num">{queue.today.answered}</td>
      <td className="num">{queue.today.abandoned}</td>
      <td className={`num${tone}`} title={`Answered within ${queue.serviceLevelSec} s, of the answered today`}>
        {percent(level)}
      </td>
    </tr>
  );
});
