// Filters of the board (queue, team, channel, a name or number) and the counters of what they show.
import type { Named } from './boardState.ts';
import { BOARD_CHANNELS, CHANNEL_NAMES, NO_FILTERS, isBoardChannel, type AgentCounters, type BoardFilters, type QueueDirectory } from './boardView.ts';

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
  const active = filters.queueId !== null || filters.teamId !== null || filters.channel !== null || filters.text.trim() !== '';
  const queues = filters.channel === null ? directory.list : directory.list.filter((q) => q.channel === filters.channel);
  return (
    <div className="rt-toolbar">
      <form className="rt-filters" role="search" aria-label="Filter the board" onSubmit={(e) => e.preventDefault()}>
        <label className="rt-field">
          <span>Queue</span>
          <select aria-label="Queue" value={filters.queueId ?? ''} onChange={(e) => onChange({ ...filters, queueId: e.target.value === '' ? null : Number(e.target.value) })}>
            <option value="">All queues</option>
            {queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name} ({CHANNEL_NAMES[q.channel]})
              </option>
            ))}
          </select>
        </label>
        <label className="rt-field">
          <span>Team</span>
          <select aria-label="Team" value={filters.teamId ?? ''} onChange={(e) => onChange({ ...filters, teamId: e.target.value === '' ? null : Number(e.target.value) })}>
            <option value="">All teams</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label className="rt-field">
          <span>Channel</span>
          <select aria-label="Channel"
            value={filters.channel ?? ''}
            onChange={(e) => {
              const channel = isBoardChannel(e.target.value) ? e.target.value : null;
              // A queue of another channel would hide everything: drop it with the channel change.
              const queueId = channel !== null && filters.queueId !== null && directory.get(filters.queueId)?.channel !== channel ? null : filters.queueId;
              onChange({ ...filters, channel, queueId });
            }}
          >
            <option value="">All channels</option>
            {BOARD_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {CHANNEL_NAMES[c]}
              </option>
            ))}
          </select>
        </label>
        <label className="rt-field rt-field-grow">
          <span>Find</span>
          <input aria-label="Find" type="search" placeholder="Agent, extension or caller" value={filters.text} onChange={(e) => onChange({ ...filters, text: e.target.value })} />
        </label>
        <button type="button" className="btn btn-ghost btn-sm" disabled={!active} onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      </form>
      <dl className="rt-counters" aria-label="Counters" data-testid="counters">
        <Counter label="Logged in" value={counters.loggedIn} of={counters.total} />
        <Counter label="Ready" value={counters.ready} tone="ready" />
        <Counter label="Busy" value={counters.busy} tone="busy" />
        <Counter label="Wrap-up" value={counters.wrapUp} tone="wrap-up" />
        <Counter label="Paused" value={counters.paused} tone="paused" />
        <Counter label="Waiting" value={waiting} tone={waiting > 0 ? 'waiting' : undefined} />
        <Counter label="Calls" value={calls} />
      </dl>
    </div>
  );
}

function Counter({ label, value, of, tone }: { label: string; value: number; of?: number; tone?: string }) {
  return (
    <div className={`rt-counter${tone ? ` rt-counter-${tone}` : ''}`} data-testid={`counter-${label.toLowerCase().replace(/\W+/g, '-')}`}>
      <dt>{label}</dt>
      <dd>
        {value}
        {of !== undefined ? <span className="muted small"> / {of}</span> : null}
      </dd>
    </div>
  );
}
