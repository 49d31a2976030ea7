// The supervisor's listen / whisper / barge session: which phone the server rings first, and once a
// session runs, its mode (switchable without hanging up, as ChanSpy's DTMF does) and a Stop button.
import { useId } from 'react';
import { SPY_MODES, type SpyMode, type SpySession, type SupervisorPhone } from './boardApi.ts';

const MODE_LABELS: Readonly<Record<SpyMode, string>> = { listen: 'Listen', whisper: 'Whisper', barge: 'Barge' };
const ACTIVE_LABELS: Readonly<Record<SpyMode, string>> = { listen: 'Listening to', whisper: 'Whispering to', barge: 'Barged into the call of' };
const MODE_HINTS: Readonly<Record<SpyMode, string>> = {
  listen: 'You hear both sides; nobody hears you.',
  whisper: 'Only the agent hears you.',
  barge: 'Agent and caller both hear you.',
};

export type PhoneChoice = { kind: 'profile' } | { kind: 'extension' | 'external'; value: string };

export function phoneFromChoice(choice: PhoneChoice): SupervisorPhone {
  if (choice.kind === 'profile') return null;
  return { kind: choice.kind, value: choice.value.trim() };
}

export function SpyPanel({
  session,
  agentName,
  phone,
  onPhoneChange,
  busy,
  onSwitch,
  onStop,
}: {
  session: SpySession | null;
  agentName: string | null;
  phone: PhoneChoice;
  onPhoneChange: (phone: PhoneChoice) => void;
  busy: boolean;
  onSwitch: (mode: SpyMode) => void;
  onStop: () => void;
}) {
  const hintId = useId();
  return (
    <section className={`rt-spy${session !== null ? ' rt-spy-active' : ''}`} aria-label="Listen, whisper and barge" data-testid="spy-panel">
      {session === null ? (
        <div className="rt-spy-row">
          <span className="muted small">Listen, whisper or barge from the calls list. Ring me on</span>
          <label className="rt-field">
            <select
              aria-label="Phone to ring"
              value={phone.kind}
              onChange={(e) => {
                const kind = e.target.value;
                onPhoneChange(kind === 'extension' || kind === 'external' ? { kind, value: phone.kind === 'profile' ? '' : phone.value } : { kind: 'profile' });
              }}
            >
              <option value="profile">my phone (profile)</option>
              <option value="extension">an extension</option>
              <option value="external">an external number</option>
            </select>
          </label>
          {phone.kind !== 'profile' ? (
            <label className="rt-field">
              <input
                aria-label={phone.kind === 'extension' ? 'Extension to ring' : 'External number to ring'}
                value={phone.value}
                inputMode="tel"
                maxLength={40}
                placeholder={phone.kind === 'extension' ? '1001' : '+39 055 123456'}
                onChange={(e) => onPhoneChange({ kind: phone.kind, value: e.target.value })}
              />
            </label>
          ) : null}
        </div>
      ) : (
        <div className="rt-spy-row" role="status">
          <strong data-testid="spy-state">
            {session.status === 'calling' ? 'Calling your phone · ' : ''}
            {ACTIVE_LABELS[session.mode]} {agentName ?? `agent #${session.agentId}`}
          </strong>
          <div className="rt-spy-modes" role="group" aria-label="Mode" aria-describedby={hintId}>
            {SPY_MODES.map((mode) => (
              <button key={mode} type="button" className={`btn btn-sm${session.mode === mode ? ' btn-primary' : ''}`} aria-pressed={session.mode === mode} disabled={busy} onClick={() => session.mode !== mode && onSwitch(mode)}>
                {MODE_LABELS[mode]}
              </button>
            ))}
          </div>
          <span id={hintId} className="muted small">
            {MODE_HINTS[session.mode]}
          </span>
          <button type="button" className="btn btn-sm btn-danger" disabled={busy} onClick={onStop}>
            Stop
          </button>
        </div>
      )}
    </section>
  );
}
