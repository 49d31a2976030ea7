// The supervisor's listen / whisper / barge session: which phone the server rings first, and once a
// session runs, its mode (switchable without hanging up, as ChanSpy's DTMF does) and a Stop button.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { SPY_MODES, type SpyMode, type SpySession, type SupervisorPhone } from './boardApi.ts';

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
  const { t } = useTranslation();
  const hintId = useId();
  return (
    <section className={`rt-spy${session !== null ? ' rt-spy-active' : ''}`} aria-label={t('board.spy.label')} data-testid="spy-panel">
      {session === null ? (
        <div className="rt-spy-row">
          <span className="muted small">{t('board.spy.intro')}</span>
          <label className="rt-field">
            <select
              aria-label={t('board.spy.phone')}
              value={phone.kind}
              onChange={(e) => {
                const kind = e.target.value;
                onPhoneChange(kind === 'extension' || kind === 'external' ? { kind, value: phone.kind === 'profile' ? '' : phone.value } : { kind: 'profile' });
              }}
            >
              <option value="profile">{t('board.spy.phones.profile')}</option>
              <option value="extension">{t('board.spy.phones.extension')}</option>
              <option value="external">{t('board.spy.phones.external')}</option>
            </select>
          </label>
          {phone.kind !== 'profile' ? (
            <label className="rt-field">
              <input
                aria-label={phone.kind === 'extension' ? t('board.spy.extensionToRing') : t('board.spy.numberToRing')}
                value={phone.value}
                inputMode="tel"
                maxLength={40}
                placeholder={phone.kind === 'extension' ? t('board.spy.extensionExample') : t('board.spy.numberExample')}
                onChange={(e) => onPhoneChange({ kind: phone.kind, value: e.target.value })}
              />
            </label>
          ) : null}
        </div>
      ) : (
        <div className="rt-spy-row" role="status">
          <strong data-testid="spy-state">
            {session.status === 'calling' ? `${t('board.spy.calling')} · ` : ''}
            {t(`board.spy.active.${session.mode}`, { name: agentName ?? t('board.spy.agentId', { id: session.agentId }) })}
          </strong>
          <div className="rt-spy-modes" role="group" aria-label={t('board.spy.mode')} aria-describedby={hintId}>
            {SPY_MODES.map((mode) => (
              <button key={mode} type="button" className={`btn btn-sm${session.mode === mode ? ' btn-primary' : ''}`} aria-pressed={session.mode === mode} disabled={busy} onClick={() => session.mode !== mode && onSwitch(mode)}>
                {t(`board.spy.modes.${mode}`)}
              </button>
            ))}
          </div>
          <span id={hintId} className="muted small">
            {t(`board.spy.hints.${session.mode}`)}
          </span>
          <button type="button" className="btn btn-sm btn-danger" disabled={busy} onClick={onStop}>
            {t('board.spy.stop')}
          </button>
        </div>
      )}
    </section>
  );
}
