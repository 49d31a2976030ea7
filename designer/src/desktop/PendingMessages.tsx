// Messages visitors left through the offline form when nobody could take their chat: they wait here
// for an agent of the queue to take one (the server lets only one agent have it), after which it opens
// as a tab like any chat — history, tags, close with a disposition. Refreshed every 30 s and on demand.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/client.ts';
import type { DesktopApi } from './desktopApi.ts';
import type { Interaction } from './model.ts';

const REFRESH_MS = 30_000;

export function PendingMessages({ desk, onTaken, onError }: { desk: DesktopApi; onTaken: (i: Interaction) => void; onError: (text: string) => void }) {
  const { t } = useTranslation();
  const [pending, setPending] = useState<Interaction[]>([]);
  const [taking, setTaking] = useState<number | null>(null);

  const refresh = useCallback(() => {
    desk
      .pendingInteractions()
      .then(setPending)
      .catch(() => undefined); // the chat API may not be deployed: nothing to show
  }, [desk]);
  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);

  const take = async (i: Interaction) => {
    setTaking(i.id);
    try {
      onTaken(await desk.claim(i.id));
    } catch (e) {
      onError(describeError(e));
    } finally {
      setTaking(null);
      refresh();
    }
  };

  if (pending.length === 0) return null;
  return (
    <section className="pending-messages" aria-label={t('desktop.pending.label', { count: pending.length })}>
      <h2 className="small">{t('desktop.pending.title')}</h2>
      <ul>
        {pending.map((i) => (
          <li key={i.id} data-testid="pending-message">
            <span>
              <strong>{i.contact.name || t('desktop.chatTab', { id: i.id })}</strong> <span className="muted small">{[i.contact.email, i.contact.phone].filter(Boolean).join(' · ')}</span>
            </span>
            <button type="button" className="btn btn-sm" disabled={taking !== null} onClick={() => void take(i)} aria-label={t('desktop.pending.takeLabel', { name: i.contact.name || t('desktop.pending.chat', { id: i.id }) })}>
              {t('desktop.pending.take')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
