// Listen / Whisper / Barge on one agent's call: in the agent's row and in the call's row. Shown only
// when the board says the supervisor may (`can.chanspy`) and the agent allows it (`agent.chanspy`).
import type { SpyMode } from './boardApi.ts';

export function SpyButtons({ agentName, disabled, onSpy }: { agentName: string; disabled: boolean; onSpy: (mode: SpyMode) => void }) {
  return (
    <div className="rt-spy-buttons" role="group" aria-label={`Supervise the call of ${agentName}`}>
      <button type="button" className="btn btn-ghost btn-sm" disabled={disabled} aria-label={`Listen to ${agentName}`} onClick={() => onSpy('listen')}>
        Listen
      </button>
      <button type="button" className="btn btn-ghost btn-sm" disabled={disabled} aria-label={`Whisper to ${agentName}`} onClick={() => onSpy('whisper')}>
        Whisper
      </button>
      <button type="button" className="btn btn-ghost btn-sm" disabled={disabled} aria-label={`Barge in on ${agentName}`} onClick={() => onSpy('barge')}>
        Barge
      </button>
    </div>
  );
}
