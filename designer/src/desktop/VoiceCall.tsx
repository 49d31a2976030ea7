// An accepted call: who and which queue, and after the call the disposition form. Answer and hang-up
// happen on the agent's own phone (phone bar / external phone ring by themselves; WebRTC comes later),
// so the desktop only records the outcome through POST /api/me/entries/:id/finish.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/client.ts';
import type { DesktopApi } from './desktopApi.ts';
import type { Work } from './model.ts';
import { DispositionPicker } from './DispositionPicker.tsx';
import { NO_DISPOSITIONS, type ApplicableDispositions } from './dispositions.ts';

export function VoiceCall({ desk, work, queueLabel, onFinished, onError }: { desk: DesktopApi; work: Work; queueLabel: string; onFinished: () => void; onError: (text: string) => void }) {
  const { t } = useTranslation();
  const [disposition, setDisposition] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [applicable, setApplicable] = useState<ApplicableDispositions>(NO_DISPOSITIONS);

  useEffect(() => {
    let live = true;
    desk.entryDispositions(work.entryId).then((d) => live && setApplicable(d)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [desk, work.entryId]);

  const finish = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await desk.finish(work.entryId, disposition, note);
      onFinished();
    } catch (err) {
      onError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="voice-call" aria-label={t('desktop.call.label', { id: work.entryId })} data-testid={`call-${work.entryId}`}>
      <header className="chat-header">
        <div>
          <strong>{t('desktop.call.from', { caller: work.caller || t('desktop.call.unknownCaller') })}</strong>
          <span className="muted small"> · {queueLabel}</span>
        </div>
      </header>
      <p className="muted small">{t('desktop.call.hint')}</p>
      <form className="voice-finish" onSubmit={finish} aria-label={t('desktop.call.after')}>
        <DispositionPicker tree={applicable.tree} value={disposition} onChange={setDisposition} />
        <label className="presence-field">
          <span>{t('desktop.note')}</span>
          <textarea value={note} maxLength={2000} rows={2} onChange={(e) => setNote(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary btn-sm" disabled={busy || !disposition.trim()}>
          {t('desktop.call.finish')}
        </button>
      </form>
    </section>
  );
}
