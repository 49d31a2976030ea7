// Listen / Whisper / Barge on one agent's call: in the agent's row and in the call's row. Shown only
// when the board says the supervisor may (`can.chanspy`) and the agent allows it (`agent.chanspy`).
import { useTranslation } from 'react-i18next';
import type { SpyMode } from './boardApi.ts';

export function SpyButtons({ agentName, disabled, onSpy }: { agentName: string; disabled: boolean; onSpy: (mode: SpyMode) => void }) {
  const { t } = useTranslation();
  return (
    <div className="rt-spy-buttons" role="group" aria-label={t('board.spy.group', { name: agentName })}>
      <button type="button" className="btn btn-ghost btn-sm" disabled={disabled} aria-label={t('board.spy.listenTo', { name: agentName })} onClick={() => onSpy('listen')}>
        {t('board.spy.modes.listen')}
      </button>
      <button type="button" className="btn btn-ghost btn-sm" disabled={disabled} aria-label={t('board.spy.whisperTo', { name: agentName })} onClick={() => onSpy('whisper')}>
        {t('board.spy.modes.whisper')}
      </button>
      <button type="button" className="btn btn-ghost btn-sm" disabled={disabled} aria-label={t('board.spy.bargeOn', { name: agentName })} onClick={() => onSpy('barge')}>
        {t('board.spy.modes.barge')}
      </button>
    </div>
  );
}
