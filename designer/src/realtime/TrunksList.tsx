// Trunks and what Asterisk says of their endpoints, with the calls through each now.
import { memo } from 'react';
import type { BoardTrunk } from '../../../contracts/realtime-board.ts';
import { deviceStateLabel, deviceStateTone } from './format.ts';

export const TrunksList = memo(function TrunksList({ trunks }: { trunks: readonly BoardTrunk[] }) {
  return (
    <section className="rt-section" aria-labelledby="rt-trunks-title">
      <div className="rt-section-header">
        <h2 id="rt-trunks-title">Trunks</h2>
        <span className="muted small">{trunks.length} trunks</span>
      </div>
      {trunks.length === 0 ? (
        <p className="rt-empty-box muted">No trunks configured.</p>
      ) : (
        <ul className="rt-trunks" data-testid="trunks-list">
          {trunks.map((t) => (
            <li key={t.id} className="rt-trunk" data-testid={`trunk-${t.id}`}>
              <span className={`rt-device rt-device-${t.enabled ? deviceStateTone(t.state) : 'unknown'}`}>{t.enabled ? deviceStateLabel(t.state) : 'Disabled'}</span>
              <span className="rt-trunk-name">{t.name}</span>
              <span className="mono small muted">{t.endpoint}</span>
              <span className="rt-trunk-calls">
                {t.activeCalls} {t.activeCalls === 1 ? 'call' : 'calls'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
});
