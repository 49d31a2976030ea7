// Login with a device, ready / pause with a reason (all channels or one), unpause, logout.
import { useState, type FormEvent } from 'react';
import { DESKTOP_CHANNELS, DEVICES, presenceLabel, type Device, type PauseReason, type Presence } from './model.ts';

export interface PresenceActions {
  login(device: Device): void;
  logout(): void;
  pause(reason: string, channel: string | null): void;
  unpause(channel: string | null): void;
}

const FREE_TEXT = '__other__';

export function PresenceBar({ presence, reasons, busy, actions }: { presence: Presence | null; reasons: readonly PauseReason[]; busy: boolean; actions: PresenceActions }) {
  const [device, setDevice] = useState<Device>('web');
  const [reason, setReason] = useState('');
  const [otherReason, setOtherReason] = useState('');
  const [channel, setChannel] = useState('');
  const loggedIn = presence?.loggedIn === true;
  const label = presenceLabel(presence);
  const state = !loggedIn ? 'out' : label === 'Ready' ? 'ready' : 'paused';

  const chosenReason = reason === FREE_TEXT ? otherReason.trim() : reason;
  const submitPause = (e: FormEvent) => {
    e.preventDefault();
    if (chosenReason) actions.pause(chosenReason, channel || null);
  };

  return (
    <section className="presence-bar" aria-label="Presence">
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
            <span>Device</span>
            <select aria-label="Device" value={device} onChange={(e) => setDevice(DEVICES.find((d) => d === e.target.value) ?? 'web')}>
              {DEVICES.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn btn-primary btn-sm" disabled={busy}>
            Log in
          </button>
        </form>
      ) : (
        <>
          <button type="button" className="btn btn-success btn-sm" disabled={busy || state === 'ready'} onClick={() => actions.unpause(null)}>
            Ready
          </button>
          <form className="presence-form" onSubmit={submitPause}>
            <label className="presence-field">
              <span>Pause reason</span>
              <select aria-label="Pause reason" value={reason} onChange={(e) => setReason(e.target.value)}>
                <option value="">Choose…</option>
                {reasons.map((r) => (
                  <option key={r.id} value={r.name}>
                    {r.name}
                  </option>
                ))}
                <option value={FREE_TEXT}>Other…</option>
              </select>
            </label>
            {reason === FREE_TEXT ? (
              <label className="presence-field">
                <span>Other reason</span>
                <input aria-label="Other reason" value={otherReason} maxLength={100} onChange={(e) => setOtherReason(e.target.value)} />
              </label>
            ) : null}
            <label className="presence-field">
              <span>Channel</span>
              <select aria-label="Pause channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
                <option value="">All channels</option>
                {DESKTOP_CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="btn btn-sm" disabled={busy || !chosenReason}>
              Pause
            </button>
          </form>
          <ul className="presence-channels" aria-label="Channels">
            {(presence?.channels ?? []).map((c) => (
              <li key={c.channel} className={c.paused ? 'paused' : 'ready'} data-testid={`channel-${c.channel}`}>
                <span>{c.channel}</span>
                {c.paused ? (
                  <button type="button" className="link-button" aria-label={`Unpause ${c.channel}`} disabled={busy} onClick={() => actions.unpause(c.channel)}>
                    {c.pauseReason ?? 'paused'} ✕
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          <button type="button" className="btn btn-ghost btn-sm presence-logout" disabled={busy} onClick={actions.logout}>
            Log out of queues
          </button>
        </>
      )}
    </section>
  );
}
