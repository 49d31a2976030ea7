// Trunks and what Asterisk says of their endpoints, with the calls through each now.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../admin/kit/format.ts';
import type { BoardTrunk } from '../../../contracts/realtime-board.ts';
import { deviceStateLabel, deviceStateTone } from './format.ts';

export const TrunksList = memo(function TrunksList({ trunks }: { trunks: readonly BoardTrunk[] }) {
  const { t } = useTranslation();
  return (
    <section className="rt-section" aria-labelledby="rt-trunks-title">
      <div className="rt-section-header">
        <h2 id="rt-trunks-title">{t('board.trunks.title')}</h2>
        <span className="muted small">{t('board.trunks.count', { count: trunks.length, formatted: formatNumber(trunks.length) })}</span>
      </div>
      {trunks.length === 0 ? (
        <p className="rt-empty-box muted">{t('board.trunks.none')}</p>
      ) : (
        <ul className="rt-trunks" data-testid="trunks-list">
          {trunks.map((trunk) => (
            <li key={trunk.id} className="rt-trunk" data-testid={`trunk-${trunk.id}`}>
              <span className={`rt-device rt-device-${trunk.enabled ? deviceStateTone(trunk.state) : 'unknown'}`}>{trunk.enabled ? deviceStateLabel(trunk.state) : t('board.trunks.disabled')}</span>
              <span className="rt-trunk-name">{trunk.name}</span>
              <span className="mono small muted">{trunk.endpoint}</span>
              <span className="rt-trunk-calls">{t('board.trunks.calls', { count: trunk.activeCalls, formatted: formatNumber(trunk.activeCalls) })}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
});
