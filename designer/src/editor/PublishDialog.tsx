// Publish with a message. The server validates again and refuses a project with errors; its list
// of problems is shown here and on the canvas.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../../../flows/index.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { Icon } from '../ui/Icon.tsx';

export type PublishOutcome = { ok: true } | { ok: false; message: string; problems?: readonly Problem[] };

export function PublishDialog({
  nextVersion,
  dirty,
  errorCount,
  onClose,
  onPublish,
  onSelectBlock,
}: {
  nextVersion: number;
  dirty: boolean;
  errorCount: number;
  onClose: () => void;
  onPublish: (message: string) => Promise<PublishOutcome>;
  onSelectBlock: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Exclude<PublishOutcome, { ok: true }> | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    const outcome = await onPublish(message.trim());
    if (!outcome.ok) {
      setFailure(outcome);
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('designer.publish.title', { version: nextVersion })} onClose={onClose} testId="publish-dialog" width={520}>
      <form onSubmit={submit} className="form-stack">
        <p className="muted">
          {t('designer.publish.intro')}
          {dirty ? ` ${t('designer.publish.savedFirst')}` : ''}
        </p>
        {errorCount > 0 ? (
          <div className="banner banner-warn small">
            <Icon name="warning" /> {t('designer.publish.hasErrors', { count: errorCount })}
          </div>
        ) : null}
        <label className="field">
          <span className="field-label">{t('designer.publish.message')}</span>
          <textarea
            name="message"
            rows={3}
            maxLength={1000}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            placeholder={t('designer.publish.messagePlaceholder')}
            autoFocus
          />
        </label>
        {failure === null ? null : (
          <div className="banner banner-error" role="alert" data-testid="publish-error">
            <Icon name="error" />
            <div>
              <div>{failure.message}</div>
              {failure.problems === undefined ? null : (
                <ul className="plain-list problem-links">
                  {failure.problems.slice(0, 12).map((p, i) => (
                    <li key={i}>
                      {p.blockId === null ? (
                        <span className="mono">{t('designer.publish.project')}</span>
                      ) : (
                        <button type="button" className="link-button mono" onClick={() => onSelectBlock(p.blockId!)}>
                          {p.blockId}
                        </button>
                      )}{' '}
                      {p.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        )}
        <div className="row-end">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="publish-confirm">
            <Icon name="publish" /> {busy ? t('designer.publish.publishing') : t('designer.publish.submit', { version: nextVersion })}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
