// Filters of the board (queue, team, channel, a name or number) and the counters of what they show.
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../admin/kit/format.ts';
import { channelLabel } from '../app/channels.ts';
import type { Named } from './boardState.ts';
import { BOARD_CHANNELS, NO_FILTERS, isBoardChannel, type AgentCounters, type BoardFilters, type QueueDirectory } from './boardView.ts';

export function FiltersBar({
  filters,
  onChange,
  directory,
  teams,
  counters,
  waiting,
  calls,
}: {
  filters: BoardFilters;
  onChange: (filters: BoardFilters) => void;
  directory: QueueDirectory;
  teams: readonly Named[];
  counters: AgentCounters;
  waiting: number;
  calls: number;
}) {
  const { t } = useTranslation();
  const active = filters.queueId !== null || filters.teamId !== null || filters.channel !== null || filters.text.trim() !== '';
  const queues = filters.channel === null ? directory.list : directory.list.filter((q) => q.channel === filters.channel);
  return (
    <div className="rt-toolbar">
      <form className="rt-filters" role="search" aria-label={t('board.filters.label')} onSubmit={(e) => e.preventDefault()}>
        <label className="rt-field">
          <span>{t('board.filters.queue')}</span>
          <select aria-label={t('board.filters.queue')} value={filters.queueId ?? ''} onChange={(e) => onChange({ ...filters, queueId: e.target.value === '' ? null : Number(e.target.value) })}>
            <option value="">{t('board.filters.allQueues')}</option>
            {queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name} ({channelLabel(q.channel)})
              </option>
            ))}
          </select>
        </label>
        <label className="rt-field">
          <span>{t('board.filters.team')}</span>
          <select aria-label={t('board.filters.team')} value={filters.teamId ?? ''} onChange={(e) => onChange({ ...filters, teamId: e.target.value === '' ? null : Number(e.target.value) })}>
            <option value="">{t('board.filters.allTeams')}</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <label className="rt-field">
          <span>{t('board.filters.channel')}</span>
          <select aria-label={t('board.filters.channel')}
            value={filters.channel ?? ''}
            onChange={(e) => {
              const channel = isBoardChannel(e.target.value) ? e.target.value : null;
              // A queue of another channel would hide everything: drop it with the channel change.
              const queueId = channel !== null && filters.queueId !== null && directory.get(filters.queueId)?.channel !== channel ? null : filters.queueId;
              onChange({ ...filters, channel, queueId });
            }}
          >
            <option value="">{t('board.filters.allChannels')}</option>
            {BOARD_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {channelLabel(c)}
              </option>
            ))}
          </select>
        </label>
        <label className="rt-field rt-field-grow">
          <span>{t('board.filters.find')}</span>
          <input aria-label={t('board.filters.find')} type="search" placeholder={t('board.filters.findPlaceholder')} value={filters.text} onChange={(e) => onChange({ ...filters, text: e.target.value })} />
        </label>
        <button type="button" className="btn btn-ghost btn-sm" disabled={!active} onClick={() => onChange(NO_FILTERS)}>
          {t('board.filters.clear')}
        </button>
      </form>
      <dl className="rt-counters" aria-label={t('board.counters.label')} data-testid="counters">
        <Counter id="logged-in" label={t('board.counters.loggedIn')} value={counters.loggedIn} of={counters.total} />
        <Counter id="ready" label={t('board.counters.ready')} value={counters.ready} tone="ready" />
        <Counter id="busy" label={t('board.counters.busy')} value={counters.busy} tone="busy" />
        <Counter id="wrap-up" label={t('board.counters.wrapUp')} value={counters.wrapUp} tone="wrap-up" />
        <Counter id="paused" label={t('board.counters.paused')} value={counters.paused} tone="paused" />
        <Counter id="waiting" label={t('board.counters.waiting')} value={waiting} tone={waiting > 0 ? 'waiting' : undefined} />
        <Counter id="calls" label={t('board.counters.calls')} value={calls} />
      </dl>
    </div>
  );
}

function Counter({ id, label, value, of, tone }: { id: string; label: string; value: number; of?: number; tone?: string }) {
  return (
    <div className={`rt-counter${tone ? ` rt-counter-${tone}` : ''}`} data-testid={`counter-${id}`}>
      <dt>{label}</dt>
      <dd>
        {formatNumber(value)}
        {of !== undefined ? <span className="muted small"> / {formatNumber(of)}</span> : null}
      </dd>
    </div>
  );
}
