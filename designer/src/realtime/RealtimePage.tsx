// The supervisor's realtime board: agents, queues, calls and trunks live from the `/supervisor`
// namespace (snapshot, then deltas), filters and sorting, actions on agents and listen / whisper /
// barge on calls. What the supervisor may see and do is the server's decision (`snapshot.can`); the
// page only hides what the server would refuse.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoardAgent, BoardQueue } from '../../../contracts/realtime-board.ts';
import { describeError, ApiError } from '../api/client.ts';
import { can } from '../app/permissions.ts';
import { navigate, realtimePath, useLocation } from '../app/router.ts';
import { useSession } from '../app/session.tsx';
import { channelName } from '../app/channels.ts';
import { i18next } from '../i18n/index.ts';
import { Icon } from '../ui/Icon.tsx';
import { useToast } from '../ui/Toasts.tsx';
import type { AgentActions } from './AgentActionsMenu.tsx';
import { AgentsTable, type AgentRowContext } from './AgentsTable.tsx';
import { BoardApi, type SpyMode, type SpySession } from './boardApi.ts';
import { agentCounters, isBoardChannel, queueDirectory, linePositions, sortedAgents, sortedCalls, sortedQueues, NO_FILTERS, type AgentSortKey, type BoardFilters, type CallSortKey, type QueueDirectory, type QueueSortKey } from './boardView.ts';
import { CallsTable, type CallRowContext } from './CallsTable.tsx';
import { ServerClockOffset } from './clock.tsx';
import { FiltersBar } from './FiltersBar.tsx';
import { QueuesTable } from './QueuesTable.tsx';
import { useSortOrder } from './SortHeader.tsx';
import { SpyPanel, phoneFromChoice, type PhoneChoice } from './SpyPanel.tsx';
import { TrunksList } from './TrunksList.tsx';
import type { ReadonlyIdMap } from './idMap.ts';
import { useBoardSocket, type BoardConnection } from './useBoardSocket.ts';
import '../styles/realtime.css';

export function RealtimePage() {
  const { t } = useTranslation();
  const { account } = useSession();
  if (!can(account, 'realtime', 'read')) {
    return (
      <div className="empty-page" data-testid="no-realtime-access">
        <Icon name="lock" size={28} />
        <h1>{t('board.noAccessTitle')}</h1>
        <p>{t('board.noAccessBody')}</p>
      </div>
    );
  }
  return <RealtimeBoard />;
}

/** How often a session whose phone still rings is asked for news. */
const SPY_POLL_MS = 1000;

const connectionLabel = (connection: BoardConnection): string => i18next.t(`board.connection.${connection}`);

/** Queue, team and channel live in the URL, so a filtered board can be bookmarked and reloaded. */
function filtersFromLocation(location: string): BoardFilters {
  const params = new URL(location, 'http://app.invalid').searchParams;
  const id = (name: string): number | null => {
    const n = Number(params.get(name));
    return Number.isInteger(n) && n > 0 ? n : null;
  };
  const channel = params.get('channel') ?? '';
  return { ...NO_FILTERS, queueId: id('queue'), teamId: id('team'), channel: isBoardChannel(channel) ? channel : null };
}

function locationOf(filters: BoardFilters): string {
  const params = new URLSearchParams();
  if (filters.queueId !== null) params.set('queue', String(filters.queueId));
  if (filters.teamId !== null) params.set('team', String(filters.teamId));
  if (filters.channel !== null) params.set('channel', filters.channel);
  const query = params.toString();
  return query === '' ? realtimePath : `${realtimePath}?${query}`;
}

/** The queue directory changes identity only when a queue's name or channel does, not its counters. */
function useQueueDirectory(queues: ReadonlyIdMap<BoardQueue> | undefined): QueueDirectory {
  const fresh = useMemo(() => queueDirectory(queues ?? new Map<number, BoardQueue>()), [queues]);
  // Keyed on the signature on purpose: a new queues map with the same names keeps the old directory.
  return useMemo(() => fresh, [fresh.signature]);
}

function RealtimeBoard() {
  const { t } = useTranslation();
  const { api, account } = useSession();
  const toast = useToast();
  const feed = useBoardSocket(api);
  const board = feed.board;
  const actionsApi = useMemo(() => new BoardApi(api), [api]);
  const location = useLocation();
  const [filters, setFilters] = useState<BoardFilters>(() => filtersFromLocation(location));
  const [agentOrder, sortAgents] = useSortOrder<AgentSortKey>({ key: 'name', direction: 'ascending' });
  const [queueOrder, sortQueues] = useSortOrder<QueueSortKey>({ key: 'name', direction: 'ascending' });
  const [callOrder, sortCalls] = useSortOrder<CallSortKey>({ key: 'duration', direction: 'descending' });
  const [openMenuFor, setOpenMenuFor] = useState<number | null>(null);
  const [session, setSession] = useState<SpySession | null>(null);
  const [phone, setPhone] = useState<PhoneChoice>({ kind: 'profile' });
  const [spyBusy, setSpyBusy] = useState(false);

  const changeFilters = useCallback((next: BoardFilters) => {
    setFilters(next);
    navigate(locationOf(next), { replace: true });
  }, []);

  const directory = useQueueDirectory(board?.queues);
  const teamNames = useMemo(() => new Map((board?.teams ?? []).map((t) => [t.id, t.name])), [board?.teams]);
  const agents = useMemo(() => (board === null ? [] : sortedAgents(board.agents.values(), filters, directory, agentOrder)), [board?.agents, filters, directory, agentOrder]);
  const queues = useMemo(() => (board === null ? [] : sortedQueues(board.queues.values(), board.agents.values(), filters, queueOrder)), [board?.queues, board?.agents, filters, queueOrder]);
  const calls = useMemo(() => (board === null ? [] : sortedCalls(board.calls.values(), board.agents, directory, filters, callOrder)), [board?.calls, board?.agents, directory, filters, callOrder]);
  const counters = useMemo(() => agentCounters(agents, directory, filters.channel), [agents, directory, filters.channel]);
  const waiting = useMemo(() => queues.reduce((sum, q) => sum + q.waiting, 0), [queues]);

  // The handlers read the latest toast through a ref, so the rows' context object stays the same.
  const toastRef = useRef(toast);
  toastRef.current = toast;
  const attempt = useCallback(async (work: () => Promise<void>, success: string): Promise<boolean> => {
    try {
      await work();
      toastRef.current('success', success);
      return true;
    } catch (error) {
      toastRef.current('error', describeError(error));
      return false;
    }
  }, []);
  const queueName = useCallback((id: number) => directory.get(id)?.name ?? t('board.queueId', { id }), [directory, t]);
  const actions = useMemo<AgentActions>(
    () => ({
      pause: (agent, reason, channel) =>
        attempt(
          () => actionsApi.pause(agent.id, reason, channel),
          channel ? t('board.toasts.pausedOn', { name: agent.name, reason, channel: channelName(channel) }) : t('board.toasts.paused', { name: agent.name, reason }),
        ),
      unpause: (agent, channel) => attempt(() => actionsApi.unpause(agent.id, channel), t('board.toasts.unpaused', { name: agent.name })),
      logout: (agent) => attempt(() => actionsApi.logout(agent.id), t('board.toasts.loggedOut', { name: agent.name })),
      addToQueue: (agent, queueId) => attempt(() => actionsApi.addToQueue(queueId, agent.id), t('board.toasts.added', { name: agent.name, queue: queueName(queueId) })),
      removeFromQueue: (agent, queueId) => attempt(() => actionsApi.removeFromQueue(queueId, agent.id), t('board.toasts.removed', { name: agent.name, queue: queueName(queueId) })),
    }),
    [actionsApi, attempt, queueName, t],
  );

  // A click outside the open actions panel closes it, as menus do.
  useEffect(() => {
    if (openMenuFor === null) return;
    const onPointerDown = (e: PointerEvent) => {
      const target = e.target instanceof Element ? e.target : null;
      const inPanel = target?.closest(`#agent-actions-${openMenuFor}`) != null;
      const onToggle = target?.closest(`[data-testid="agent-row-${openMenuFor}"] td.actions`) != null;
      if (!inPanel && !onToggle) setOpenMenuFor(null);
    };
    // Escape closes it wherever the focus is (a button disabled while its request runs drops the focus).
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpenMenuFor(null);
      document.querySelector<HTMLElement>(`[data-testid="agent-row-${openMenuFor}"] td.actions button[aria-expanded]`)?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [openMenuFor]);

  // --- listen / whisper / barge
  const phoneRef = useRef(phone);
  // Whether the board has shown the running session on its agent (see the effect below).
  const seenOnBoard = useRef(false);
  /** The session the supervisor stopped: its end on the board is no news to them. */
  const stoppedByMe = useRef<number | null>(null);
  phoneRef.current = phone;
  const onSpy = useCallback(
    (agent: BoardAgent, mode: SpyMode) => {
      const target = phoneFromChoice(phoneRef.current);
      if (target !== null && target.value === '') {
        toastRef.current('error', target.kind === 'extension' ? t('board.spy.extensionFirst') : t('board.spy.numberFirst'));
        return;
      }
      setSpyBusy(true);
      actionsApi
        .startSpy(agent.id, mode, target)
        .then((started) => setSession(started))
        .catch((error: unknown) => toastRef.current('error', describeError(error)))
        .finally(() => setSpyBusy(false));
    },
    [actionsApi, t],
  );
  const rowContext = useMemo<AgentRowContext>(
    () => ({
      directory,
      teamNames,
      channel: filters.channel,
      canEdit: board?.can.editAgents === true,
      canSpy: board?.can.chanspy === true,
      spyBusy: session !== null || spyBusy,
      onSpy,
      pauseReasons: board?.pauseReasons ?? [],
      actions,
      myUserId: account.id,
      onToggleMenu: setOpenMenuFor,
    }),
    [directory, teamNames, filters.channel, board?.can.editAgents, board?.can.chanspy, session, spyBusy, onSpy, board?.pauseReasons, actions, account.id],
  );

  const switchSpy = (mode: SpyMode) => {
    if (session === null) return;
    setSpyBusy(true);
    actionsApi
      .switchSpy(session, mode)
      .then((next) => setSession(next))
      .catch((error: unknown) => {
        toast('error', describeError(error));
        // The session is gone on the server (the call ended meanwhile): the panel goes too.
        if (error instanceof ApiError && error.status === 404) setSession(null);
      })
      .finally(() => setSpyBusy(false));
  };
  const stopSpy = () => {
    if (session === null) return;
    stoppedByMe.current = session.id;
    setSpyBusy(true);
    actionsApi
      .stopSpy(session)
      .then(() => setSession(null))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) setSession(null);
        toast('error', describeError(error));
      })
      .finally(() => setSpyBusy(false));
  };
  // The board says when the session ends by itself (the agent or the caller hung up): the agent's
  // `spiedBy` drops this session once the server had shown it.
  const spied = session === null ? undefined : board?.agents.get(session.agentId)?.spiedBy;
  const lastSpied = useRef(spied);
  useEffect(() => {
    // Only a change on the board is news: right after a switch the board may still show the old mode.
    const boardChanged = lastSpied.current !== spied;
    lastSpied.current = spied;
    if (session === null) {
      seenOnBoard.current = false;
      return;
    }
    if (spied?.sessionId === session.id) {
      seenOnBoard.current = true;
      // A switch made with the phone's keys (DTMF) shows up here.
      if (boardChanged && spied.mode !== session.mode) setSession({ ...session, mode: spied.mode });
    } else if (seenOnBoard.current) {
      seenOnBoard.current = false;
      setSession(null);
      if (stoppedByMe.current !== session.id) toast('info', t('board.spy.ended'));
    }
  }, [session, spied, toast, t]);

  // While the supervisor's phone rings the board has nothing to say: ask the session until it is
  // answered, or has failed (the phone did not answer, the call ended during setup).
  const sessionId = session?.id ?? null;
  const calling = session?.status === 'calling';
  useEffect(() => {
    if (sessionId === null || !calling) return;
    let live = true;
    const timer = setInterval(() => {
      actionsApi
        .spyProgress(sessionId)
        .then((progress) => {
          if (!live || progress.status === null || progress.status === 'calling') return;
          if (progress.status === 'active') setSession((s) => (s?.id === sessionId ? { ...s, status: 'active' } : s));
          else {
            setSession((s) => (s?.id === sessionId ? null : s));
            if (stoppedByMe.current !== sessionId) toastRef.current('error', progress.endReason ? t('board.spy.endedEarlyWhy', { reason: progress.endReason }) : t('board.spy.endedEarly'));
          }
        })
        .catch(() => undefined); // a missed poll is retried by the next tick
    }, SPY_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [sessionId, calling, actionsApi, t]);

  // Places in line over every call of a queue, not only those the filters show.
  const positions = useMemo(() => (board === null ? new Map<number, number>() : linePositions(board.calls.values())), [board?.calls]);
  const callContext = useMemo<CallRowContext>(
    () => ({ agents: board?.agents ?? new Map(), directory, positions, canSpy: board?.can.chanspy === true, spyBusy: session !== null || spyBusy, onSpy }),
    [board?.agents, directory, positions, board?.can.chanspy, session, spyBusy, onSpy],
  );
  const trunks = useMemo(() => (board === null ? [] : [...board.trunks.values()].sort((a, b) => a.name.localeCompare(b.name))), [board?.trunks]);

  return (
    <ServerClockOffset.Provider value={feed.clockOffsetMs}>
      <div className="page rt-page">
        <div className="page-header">
          <div>
            <h1>{t('board.title')}</h1>
            <p className="muted">{t('board.intro')}</p>
          </div>
          <span className={`chip ${feed.connection === 'live' ? 'chip-ok' : 'chip-warn'}`} data-testid="board-connection" role="status">
            {connectionLabel(feed.connection)}
          </span>
        </div>
        {feed.problem !== null ? (
          <div className="banner banner-warn" role="alert">
            {feed.problem}
          </div>
        ) : null}
        {board === null ? (
          <div className="table-placeholder" aria-busy="true">
            {t('board.loading')}
          </div>
        ) : (
          <>
            <FiltersBar filters={filters} onChange={changeFilters} directory={directory} teams={board.teams} counters={counters} waiting={waiting} calls={calls.length} />
            {board.can.chanspy ? (
              <SpyPanel
                session={session}
                agentName={session === null ? null : (board.agents.get(session.agentId)?.name ?? null)}
                phone={phone}
                onPhoneChange={setPhone}
                busy={spyBusy}
                onSwitch={switchSpy}
                onStop={stopSpy}
              />
            ) : null}
            <AgentsTable agents={agents} total={board.agents.size} order={agentOrder} onSort={sortAgents} openMenuFor={openMenuFor} context={rowContext} />
            <div className="rt-columns">
              <QueuesTable queues={queues} total={board.queues.size} order={queueOrder} onSort={sortQueues} />
              <div className="rt-column">
                <CallsTable calls={calls} total={board.calls.size} order={callOrder} onSort={sortCalls} context={callContext} />
                <TrunksList trunks={trunks} />
              </div>
            </div>
          </>
        )}
      </div>
    </ServerClockOffset.Provider>
  );
}
