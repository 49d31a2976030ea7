// Login with a device, ready / pause with a reason (all channels or one), unpause, logout.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { channelLabel, channelName } from '../app/channels.ts';
import { DESKTOP_CHANNELS, DEVICES, presenceLabel, presenceState, type Device, type PauseReason, type Presence } from './model.ts';

export interface PresenceActions {
  login(device: Device): void;
  logout(): void;
  pause(reason: string, channel: string | null): void;
  unpause(channel: string | null): void;
}

const FREE_TEXT = '__other__';

export function PresenceBar({ presence, reasons, busy, actions }: { presence: Presence | null; reasons: readonly PauseReason[]; busy: boolean; actions: PresenceActions }) {
  const { t } = useTranslation();
  const [device, setDevice] = useState<Device>('web');
  const [reason, setReason] = useState('');
  const [otherReason, setOtherReason] = useState('');
  const [channel, setChannel] = useState('');
  const loggedIn = presence?.loggedIn === true;
  const label = presenceLabel(presence);
  const state = presenceState(presence);

  const chosenReason = reason === FREE_TEXT ? otherReason.trim() : reason;
  const submitPause = (e: FormEvent) => {
    e.preventDefault();
    if (chosenReason) actions.pause(chosenReason, channel || null);
  };

  return (
    <section className="presence-bar" aria-label={t('desktop.presence.label')}>
      <span className={`presence-state presence-${state}`} data-testid="presence-state" role="status">
        {label}
      </span>
      {!loggedIn ? (
        <form
          className="presence-form"
          onSubmit={(e) => {
            e.preventDefault();
            actions.login(device);
          }}
        >
          <label className="presence-field">
            <span>{t('desktop.presence.device')}</span>
            <select aria-label={t('desktop.presence.device')} value={device} onChange={(e) => setDevice(DEVICES.find((d) => d === e.target.value) ?? 'web')}>
              {DEVICES.map((d) => (
                <option key={d} value={d}>
                  {t(`desktop.presence.devices.${d}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn btn-primary btn-sm" disabled={busy}>
            {t('desktop.presence.login')}
          </button>
        </form>
      ) : (
        <>
          <button type="button" className="btn btn-success btn-sm" disabled={busy || state === 'ready'} onClick={() => actions.unpause(null)}>
            {t('desktop.presence.ready')}
          </button>
          <form className="presence-form" onSubmit={submitPause}>
            <label className="presence-field">
              <span>{t('desktop.presence.reason')}</span>
              <select aria-label={t('desktop.presence.reason')} value={reason} onChange={(e) => setReason(e.target.value)}>
                <option value="">{t('common.choose')}</option>
                {reasons.map((r) => (
                  <option key={r.id} value={r.name}>
                    {r.name}
                  </option>
                ))}
                <option value={FREE_TEXT}>{t('desktop.presence.other')}</option>
              </select>
            </label>
            {reason === FREE_TEXT ? (
              <label className="presence-field">
                <span>{t('desktop.presence.otherReason')}</span>
                <input aria-label={t('desktop.presence.otherReason')} value={otherReason} maxLength={100} onChange={(e) => setOtherReason(e.target.value)} />
              </label>
            ) : null}
            <label className="presence-field">
              <span>{t('desktop.presence.channel')}</span>
              <select aria-label={t('desktop.presence.pauseChannel')} value={channel} onChange={(e) => setChannel(e.target.value)}>
                <option value="">{t('desktop.presence.allChannels')}</option>
                {DESKTOP_CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {channelLabel(c)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="btn btn-sm" disabled={busy || !chosenReason}>
              {t('desktop.presence.pause')}
            </button>
          </form>
          <ul className="presence-channels" aria-label={t('desktop.presence.channels')}>
            {(presence?.channels ?? []).map((c) => (
              <li key={c.channel} className={c.paused ? 'paused' : 'ready'} data-testid={`channel-${c.channel}`}>
                <span>{channelName(c.channel)}</span>
                {c.paused ? (
                  <button type="button" className="link-button" aria-label={t('desktop.presence.unpause', { channel: channelName(c.channel) })} disabled={busy} onClick={() => actions.unpause(c.channel)}>
                    {c.pauseReason ?? t('desktop.presence.paused_short')} ✕
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          <button type="button" className="btn btn-ghost btn-sm presence-logout" disabled={busy} onClick={actions.logout}>
            {t('desktop.presence.logout')}
          </button>
        </>
      )}
    </section>
  );
}
