// The contact's earlier interactions (all channels, newest first) beside the open conversation.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/client.ts';
import { formatDateTime } from '../admin/kit/format.ts';
import { channelName } from '../app/channels.ts';
import type { DesktopApi } from './desktopApi.ts';
import type { JourneyItem } from './model.ts';

export function JourneyPanel({ desk, contactId }: { desk: DesktopApi; contactId: number | null }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<JourneyItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setItems(null);
    setError(null);
    if (contactId === null) return;
    let live = true;
    desk
      .journey(contactId)
      .then((j) => live && setItems(j))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [desk, contactId]);

  return (
    <aside className="journey" aria-label={t('desktop.journey.label')} data-testid="journey">
      <h2>{t('desktop.journey.title')}</h2>
      {contactId === null ? <p className="muted small">{t('desktop.journey.noContact')}</p> : null}
      {error !== null ? <p className="muted small">{t('desktop.journey.failed', { reason: error })}</p> : null}
      {items !== null && items.length === 0 ? <p className="muted small">{t('desktop.journey.none')}</p> : null}
      <ol className="journey-list">
        {(items ?? []).map((item) => (
          <li key={item.id}>
            <span className={`chip chip-${item.channel}`}>{channelName(item.channel)}</span> <span className="small">{formatDateTime(item.at)}</span>
            <div className="small">
              {item.status}
              {item.disposition ? ` · ${item.disposition}` : ''}
              {item.summary ? ` · ${item.summary}` : ''}
            </div>
          </li>
        ))}
      </ol>
    </aside>
  );
}
