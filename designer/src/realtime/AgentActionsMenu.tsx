// What a supervisor may do to one agent from the board: pause with a reason (all channels or one),
// unpause, log out, add to or remove from a queue. A disclosure panel under the row's "Actions"
// button; Escape closes it and gives the focus back to the button.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { channelLabel } from '../app/channels.ts';
import type { BoardAgent } from '../../../contracts/realtime-board.ts';
import type { Channel } from '../../../contracts/channels.ts';
import type { Named } from './boardState.ts';
import { isBoardChannel, type QueueDirectory } from './boardView.ts';

export interface AgentActions {
  /** Each answers whether it worked; the page shows the toasts. */
  pause(agent: BoardAgent, reason: string, channel: Channel | null): Promise<boolean>;
  unpause(agent: BoardAgent, channel: Channel | null): Promise<boolean>;
  logout(agent: BoardAgent): Promise<boolean>;
  addToQueue(agent: BoardAgent, queueId: number): Promise<boolean>;
  removeFromQueue(agent: BoardAgent, queueId: number): Promise<boolean>;
}

const OTHER_REASON = '__other__';

export function AgentActionsMenu({
  agent,
  channels,
  pauseReasons,
  directory,
  actions,
  onClose,
}: {
  agent: BoardAgent;
  /** The channels shown in the agent's row: the ones a pause may target. */
  channels: readonly Channel[];
  pauseReasons: readonly Named[];
  directory: QueueDirectory;
  actions: AgentActions;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const panel = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState(pauseReasons[0]?.name ?? OTHER_REASON);
  const [otherReason, setOtherReason] = useState('');
  const [channel, setChannel] = useState<Channel | ''>('');
  const outside = directory.list.filter((q) => !agent.queueIds.includes(q.id));
  const inside = directory.list.filter((q) => agent.queueIds.includes(q.id));
  const [addChoice, setAddQueue] = useState<number | ''>(outside[0]?.id ?? '');
  const [removeChoice, setRemoveQueue] = useState<number | ''>(inside[0]?.id ?? '');
  // After an add or a remove the lists change with the next delta: fall back to their first queue.
  const addQueue = outside.some((q) => q.id === addChoice) ? addChoice : (outside[0]?.id ?? '');
  const removeQueue = inside.some((q) => q.id === removeChoice) ? removeChoice : (inside[0]?.id ?? '');
  const anyPaused = agent.channels.some((c) => c.status === 'paused');
  const chosenReason = reason === OTHER_REASON ? otherReason.trim() : reason;

  useEffect(() => {
    panel.current?.querySelector<HTMLElement>('select, input, button')?.focus();
  }, []);

  const run = async (action: () => Promise<boolean>, closeAfter: boolean) => {
    setBusy(true);
    const ok = await action();
    setBusy(false);
    if (ok && closeAfter) onClose();
  };
  const submitPause = (e: FormEvent) => {
    e.preventDefault();
    if (chosenReason !== '') void run(() => actions.pause(agent, chosenReason, channel === '' ? null : channel), true);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
  };

  return (
    <div ref={panel} className="rt-menu" role="group" aria-label={t('board.agents.actionsFor', { name: agent.name })} id={`agent-actions-${agent.id}`} onKeyDown={onKeyDown}>
      {agent.loggedIn ? (
        <>
          <form className="rt-menu-row" onSubmit={submitPause}>
            <label className="rt-field">
              <span>{t('board.menu.reason')}</span>
              <select aria-label={t('board.menu.reason')} value={reason} onChange={(e) => setReason(e.target.value)} disabled={busy}>
                {pauseReasons.map((r) => (
                  <option key={r.id} value={r.name}>
                    {r.name}
                  </option>
                ))}
                <option value={OTHER_REASON}>{t('board.menu.other')}</option>
              </select>
            </label>
            {reason === OTHER_REASON ? (
              <label className="rt-field">
                <span>{t('board.menu.otherReason')}</span>
                <input aria-label={t('board.menu.otherReason')} value={otherReason} maxLength={100} onChange={(e) => setOtherReason(e.target.value)} disabled={busy} />
              </label>
            ) : null}
            <label className="rt-field">
              <span>{t('board.menu.channel')}</span>
              <select aria-label={t('board.menu.pauseChannel')} value={channel} onChange={(e) => setChannel(isBoardChannel(e.target.value) ? e.target.value : '')} disabled={busy}>
                <option value="">{t('board.filters.allChannels')}</option>
                {channels.map((c) => (
                  <option key={c} value={c}>
                    {channelLabel(c)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="btn btn-sm" disabled={busy || chosenReason === ''}>
              {t('board.menu.pause')}
            </button>
          </form>
          <div className="rt-menu-row">
            <button type="button" className="btn btn-sm btn-success" disabled={busy || !anyPaused} onClick={() => void run(() => actions.unpause(agent, null), true)}>
              {t('board.menu.unpause')}
            </button>
            <button type="button" className="btn btn-sm btn-danger" disabled={busy} onClick={() => void run(() => actions.logout(agent), true)}>
              {t('board.menu.logout')}
            </button>
          </div>
        </>
      ) : (
        <p className="muted small">{t('board.menu.loggedOut')}</p>
      )}
      <form
        className="rt-menu-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (addQueue !== '') void run(() => actions.addToQueue(agent, addQueue), false);
        }}
      >
        <label className="rt-field">
          <span>{t('board.menu.addToQueue')}</span>
          <select aria-label={t('board.menu.addToQueue')} value={addQueue} onChange={(e) => setAddQueue(e.target.value === '' ? '' : Number(e.target.value))} disabled={busy || outside.length === 0}>
            {outside.length === 0 ? <option value="">{t('board.menu.noOtherQueue')}</option> : null}
            {outside.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name} ({channelLabel(q.channel)})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-sm" disabled={busy || addQueue === ''}>
          {t('common.add')}
        </button>
      </form>
      <form
        className="rt-menu-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (removeQueue !== '') void run(() => actions.removeFromQueue(agent, removeQueue), false);
        }}
      >
        <label className="rt-field">
          <span>{t('board.menu.removeFromQueue')}</span>
          <select aria-label={t('board.menu.removeFromQueue')} value={removeQueue} onChange={(e) => setRemoveQueue(e.target.value === '' ? '' : Number(e.target.value))} disabled={busy || inside.length === 0}>
            {inside.length === 0 ? <option value="">{t('board.menu.inNoQueue')}</option> : null}
            {inside.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name} ({channelLabel(q.channel)})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-sm" disabled={busy || removeQueue === ''}>
          {t('common.remove')}
        </button>
      </form>
      <div className="rt-menu-row rt-menu-end">
        <button type="button" className="btn btn-ghost btn-sm" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </div>
  );
}
