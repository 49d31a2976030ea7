// Offers as notifications at the top of the desktop: an incoming call shows the caller and the queue;
// auto-answered offers show no buttons (the engine accepts them and they open as tabs).
import type { Offer } from './model.ts';

export function OfferNotifications({ offers, queueLabel, onAccept, onReject }: { offers: readonly Offer[]; queueLabel: (queueId: number) => string; onAccept: (o: Offer) => void; onReject: (o: Offer) => void }) {
  if (offers.length === 0) return null;
  return (
    <section className="offers" aria-label="Offers">
      {offers.map((o) => {
        const what = o.channel === 'voice' ? 'Incoming call' : o.channel ? `New ${o.channel}` : 'New interaction';
        const from = o.caller || 'unknown';
        return (
          <article key={o.offerId} className={`offer offer-${o.channel || 'other'}`} role="alert" aria-label={`${what} from ${from}`} data-testid="offer">
            <div className="offer-text">
              <strong>{what}</strong>
              <span>
                from <span data-testid="offer-caller">{from}</span>
              </span>
              <span className="muted small" data-testid="offer-queue">
                {queueLabel(o.queueId)}
              </span>
            </div>
            {o.autoAnswer && o.channel !== 'voice' ? (
              <span className="muted small">Answering automatically…</span>
            ) : (
              <div className="offer-actions">
                <button type="button" className="btn btn-success btn-sm" onClick={() => onAccept(o)}>
                  Accept
                </button>
                <button type="button" className="btn btn-danger btn-sm" onClick={() => onReject(o)}>
                  Reject
                </button>
              </div>
            )}
          </article>
        );
      })}
    </section>
  );
}
