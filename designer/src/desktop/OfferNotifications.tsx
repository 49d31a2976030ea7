// Offers as notifications at the top of the desktop: an incoming call shows the caller and the queue;
// auto-answered offers show no buttons (the engine accepts them and they open as tabs).
import { useTranslation } from 'react-i18next';
import { channelName } from '../app/channels.ts';
import type { Offer } from './model.ts';

export function OfferNotifications({ offers, queueLabel, onAccept, onReject }: { offers: readonly Offer[]; queueLabel: (queueId: number) => string; onAccept: (o: Offer) => void; onReject: (o: Offer) => void }) {
  const { t } = useTranslation();
  if (offers.length === 0) return null;
  return (
    <section className="offers" aria-label={t('desktop.offers.label')}>
      {offers.map((o) => {
        const what = o.channel === 'voice' ? t('desktop.offers.call') : o.channel ? t('desktop.offers.newOf', { channel: channelName(o.channel).toLocaleLowerCase() }) : t('desktop.offers.new');
        const from = o.caller || t('desktop.offers.unknown');
        return (
          <article key={o.offerId} className={`offer offer-${o.channel || 'other'}`} role="alert" aria-label={t('desktop.offers.from', { what, from })} data-testid="offer">
            <div className="offer-text">
              <strong>{what}</strong>
              <span>
                {t('desktop.offers.fromWord')} <span data-testid="offer-caller">{from}</span>
              </span>
              <span className="muted small" data-testid="offer-queue">
                {queueLabel(o.queueId)}
              </span>
            </div>
            {o.autoAnswer && o.channel !== 'voice' ? (
              <span className="muted small">{t('desktop.offers.autoAnswer')}</span>
            ) : (
              <div className="offer-actions">
                <button type="button" className="btn btn-success btn-sm" onClick={() => onAccept(o)}>
                  {t('desktop.offers.accept')}
                </button>
                <button type="button" className="btn btn-danger btn-sm" onClick={() => onReject(o)}>
                  {t('desktop.offers.reject')}
                </button>
              </div>
            )}
          </article>
        );
      })}
    </section>
  );
}
