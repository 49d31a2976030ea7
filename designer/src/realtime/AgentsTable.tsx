// The agents of the board, one memoised row each: a delta that changes one agent re-renders one row
// (its object is the only new one), and the ticking counters re-render only their own <Elapsed>.
import { memo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { channelLabel } from '../app/channels.ts';
import { formatNumber } from '../admin/kit/format.ts';
import type { BoardAgent, BoardAgentChannel } from '../../../contracts/realtime-board.ts';
import type { Channel } from '../../../contracts/channels.ts';
import { AgentActionsMenu, type AgentActions } from './AgentActionsMenu.tsx';
import type { Named } from './boardState.ts';
import { agentChannels, agentOpen, agentOverallStatus, type AgentSortKey, type QueueDirectory, type SortOrder } from './boardView.ts';
import { Elapsed } from './clock.tsx';
import { deviceStateLabel, deviceStateTone, statusLabel } from './format.ts';
import { SortHeader } from './SortHeader.tsx';
import { SpyButtons } from './SpyButtons.tsx';
import type { SpyMode } from './boardApi.ts';

export interface AgentRowContext {
  readonly directory: QueueDirectory;
  readonly teamNames: ReadonlyMap<number, string>;
  readonly channel: Channel | null;
  readonly canEdit: boolean;
  /** The supervisor may listen / whisper / barge (`can.chanspy`). */
  readonly canSpy: boolean;
  /** A session of the supervisor's runs: one at a time. */
  readonly spyBusy: boolean;
  readonly onSpy: (agent: BoardAgent, mode: SpyMode) => void;
  readonly pauseReasons: readonly Named[];
  readonly actions: AgentActions;
  readonly myUserId: number;
  readonly onToggleMenu: (agentId: number | null) => void;
}

export function AgentsTable({ agents, total, order, onSort, openMenuFor, context }: { agents: readonly BoardAgent[]; total: number; order: SortOrder<AgentSortKey>; onSort: (key: AgentSortKey) => void; openMenuFor: number | null; context: AgentRowContext }) {
  const { t } = useTranslation();
  return (
    <section className="rt-section" aria-labelledby="rt-agents-title">
      <div className="rt-section-header">
        <h2 id="rt-agents-title">{t('board.agents.title')}</h2>
        <span className="muted small" data-testid="agents-count">
          {agents.length === total
            ? t('board.agents.count', { count: total, formatted: formatNumber(total) })
            : t('board.agents.countOf', { count: total, shown: formatNumber(agents.length), formatted: formatNumber(total) })}
        </span>
      </div>
      <div className="rt-table-wrap">
        <table className="table rt-table rt-agents-table" data-testid="agents-table">
          <caption className="sr-only">{t('board.agents.caption')}</caption>
          {/* Fixed column widths: with hundreds of rows, a ticking counter must not make the browser
              measure every cell again to size the columns. */}
          <colgroup>
            <col className="rt-col-agent" />
            <col className="rt-col-typology" />
            <col className="rt-col-phone" />
            <col className="rt-col-state" />
            <col className="rt-col-open" />
            <col className="rt-col-since" />
            {context.canEdit || context.canSpy ? <col className={context.canSpy ? 'rt-col-actions-spy' : 'rt-col-actions'} /> : null}
          </colgroup>
          <thead>
            <tr>
              <SortHeader label={t('board.agents.agent')} sortKey="name" order={order} onSort={onSort} />
              <SortHeader label={t('board.agents.typology')} sortKey="typology" order={order} onSort={onSort} />
              <SortHeader label={t('board.agents.phone')} sortKey="phone" order={order} onSort={onSort} />
              <SortHeader label={t('board.agents.state')} sortKey="status" order={order} onSort={onSort} />
              <SortHeader label={t('board.agents.open')} sortKey="open" order={order} onSort={onSort} numeric />
              <SortHeader label={t('board.agents.loggedIn')} sortKey="loggedIn" order={order} onSort={onSort} />
              {context.canEdit || context.canSpy ? (
                <th scope="col" className="actions">
                  <span className="sr-only">{t('common.actions')}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {agents.length === 0 ? (
              <tr>
                <td colSpan={context.canEdit || context.canSpy ? COLUMNS_WITH_ACTIONS : COLUMNS_WITH_ACTIONS - 1} className="rt-empty">
                  {total === 0 ? t('board.agents.none') : t('board.agents.noMatch')}
                </td>
              </tr>
            ) : (
              agents.map((agent) => <AgentRow key={agent.id} agent={agent} menuOpen={openMenuFor === agent.id} context={context} />)
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const AgentRow = memo(function AgentRow({ agent, menuOpen, context }: { agent: BoardAgent; menuOpen: boolean; context: AgentRowContext }) {
  const { t } = useTranslation();
  const toggle = useRef<HTMLButtonElement>(null);
  const channels = agentChannels(agent, context.directory, context.channel);
  const status = agentOverallStatus(agent, channels);
  const { open, capacity } = agentOpen(channels);
  const capacityTitle = channels
    .map((c) => t('board.agents.capacityOf', { channel: channelLabel(c.channel), open: formatNumber(c.open), capacity: c.capacity === 0 ? t('board.agents.noLimit') : formatNumber(c.capacity) }))
    .join(', ');
  const teams = agent.teamIds.map((id) => context.teamNames.get(id)).filter((n): n is string => n !== undefined);
  const tone = deviceStateTone(agent.phone.state);
  // On a voice call (the spy sessions snoop on the agent's call channel).
  const spyable = context.canSpy && agent.chanspy && agent.channels.some((c) => c.channel === 'voice' && c.status === 'busy');
  const closeMenu = () => {
    context.onToggleMenu(null);
    toggle.current?.focus();
  };
  return (
    <>
      <tr data-testid={`agent-row-${agent.id}`} data-status={status} className={`rt-agent rt-agent-${status}${menuOpen ? ' rt-agent-open' : ''}`}>
        <th scope="row" className="rt-agent-name">
          <div className="table-title">{agent.name}</div>
          <div className="table-sub">
            {t('board.agents.extension', { extension: agent.extension })} · {agent.username}
            {teams.length > 0 ? ` · ${teams.join(', ')}` : ''}
          </div>
          {agent.spiedBy !== null ? (
            <span className={`chip rt-spied rt-spied-${agent.spiedBy.mode}`} data-testid={`spied-${agent.id}`}>
              {agent.spiedBy.supervisorId === context.myUserId
                ? t(`board.agents.spiedByYou.${agent.spiedBy.mode}`)
                : t(`board.agents.spiedBy.${agent.spiedBy.mode}`, { id: agent.spiedBy.supervisorId })}
            </span>
          ) : null}
        </th>
        <td className="rt-typology">{agent.typology}</td>
        <td>
          <span className={`rt-device rt-device-${tone}`}>{deviceStateLabel(agent.phone.state)}</span>
          {agent.phone.target !== null ? <div className="table-sub mono">{agent.phone.target}</div> : null}
        </td>
        <td data-testid={`agent-state-${agent.id}`}>
          {!agent.loggedIn ? (
            <span className="rt-status rt-status-offline">{statusLabel('offline')}</span>
          ) : channels.length === 0 ? (
            <span className="rt-status rt-status-ready">{t('board.agents.loggedIn')}</span>
          ) : (
            <ul className="rt-channel-states">
              {channels.map((c) => (
                <ChannelState key={c.channel} agent={agent} state={c} />
              ))}
            </ul>
          )}
        </td>
        <td className="num" title={capacityTitle}>
          <span className={capacity !== null && capacity > 0 && open >= capacity ? 'rt-full' : undefined}>
            {formatNumber(open)} / {capacity === null ? <span aria-label={t('board.agents.noLimit')}>∞</span> : formatNumber(capacity)}
          </span>
        </td>
        <td>
          {agent.loggedIn ? (
            <>
              <Elapsed since={agent.loggedInAt} label={t('board.agents.loggedInFor')} />
              {agent.loginDevice !== null ? <div className="table-sub">{agent.loginDevice}</div> : null}
            </>
          ) : (
            <span className="muted">—</span>
          )}
        </td>
        {context.canEdit || context.canSpy ? (
          <td className="actions">
            {spyable ? <SpyButtons agentName={agent.name} disabled={context.spyBusy} onSpy={(mode) => context.onSpy(agent, mode)} /> : null}
            {context.canEdit ? (
              <button
                ref={toggle}
                type="button"
                className="btn btn-ghost btn-sm"
                aria-expanded={menuOpen}
                aria-controls={menuOpen ? `agent-actions-${agent.id}` : undefined}
                aria-label={t('board.agents.actionsFor', { name: agent.name })}
                onClick={() => context.onToggleMenu(menuOpen ? null : agent.id)}
              >
                {t('common.actions')} {menuOpen ? '▴' : '▾'}
              </button>
            ) : null}
          </td>
        ) : null}
      </tr>
      {menuOpen ? (
        // A row of its own under the agent: the panel scrolls with the table and is never clipped by it.
        <tr className="rt-menu-tr">
          <td colSpan={COLUMNS_WITH_ACTIONS}>
            <AgentActionsMenu
              agent={agent}
              channels={channels.length > 0 ? channels.map((c) => c.channel) : agent.channels.map((c) => c.channel)}
              pauseReasons={context.pauseReasons}
              directory={context.directory}
              actions={context.actions}
              onClose={closeMenu}
            />
          </td>
        </tr>
      ) : null}
    </>
  );
});

const COLUMNS_WITH_ACTIONS = 7;

function ChannelState({ agent, state }: { agent: BoardAgent; state: BoardAgentChannel }) {
  const { t } = useTranslation();
  const work = state.status === 'busy' ? agent.interactions.filter((i) => i.channel === state.channel) : [];
  const withWhom = work.map((i) => i.with).filter((w): w is string => w !== null && w !== '');
  return (
    <li className={`rt-status rt-status-${state.status}`} data-testid={`agent-${agent.id}-${state.channel}`}>
      <span className="rt-status-channel">{channelLabel(state.channel)}</span>
      <span className="rt-status-label">
        {state.status === 'paused' && state.pauseReason !== null ? t('board.agents.pausedWhy', { status: statusLabel(state.status), reason: state.pauseReason }) : statusLabel(state.status)}
        {withWhom.length === 1 ? ` ${t('board.agents.with', { who: withWhom[0] ?? '' })}` : ''}
        {withWhom.length > 1 ? ` ${t('board.agents.withMore', { who: withWhom[0] ?? '', more: withWhom.length - 1 })}` : ''}
      </span>
      {state.status !== 'offline' ? <Elapsed since={state.since} label={t('board.agents.statusFor', { status: statusLabel(state.status) })} /> : null}
    </li>
  );
}
