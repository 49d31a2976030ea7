import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelKind } from '../../../flows/index.ts';
import { describeError } from '../api/client.ts';
import { CHANNEL_KINDS, channelLabel } from '../app/channels.ts';
import { useSession } from '../app/session.tsx';
import { Dialog } from '../ui/Dialog.tsx';

export function CreateProjectDialog({ defaultChannel, onClose, onCreated }: { defaultChannel: ChannelKind; onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const { ivr } = useSession();
  const [name, setName] = useState('');
  const [channel, setChannel] = useState<ChannelKind>(defaultChannel);
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await ivr.create({ name: name.trim(), channel, description });
      onCreated(created.id);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('designer.createProject.title')} onClose={onClose} testId="create-dialog">
      <form onSubmit={submit} className="form-stack">
        <label className="field">
          <span className="field-label">{t('common.name')}</span>
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required autoFocus />
        </label>
        <label className="field">
          <span className="field-label">{t('designer.createProject.channel')}</span>
          <select name="channel" value={channel} onChange={(e) => setChannel(e.target.value as ChannelKind)}>
            {CHANNEL_KINDS.map((c) => (
              <option key={c} value={c}>
                {channelLabel(c)}
              </option>
            ))}
          </select>
          <span className="field-hint">{t('designer.createProject.channelHint')}</span>
        </label>
        <label className="field">
          <span className="field-label">{t('common.description')}</span>
          <textarea name="description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
        </label>
        {error === null ? null : (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="row-end">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || name.trim() === ''}>
            {t('designer.createProject.create')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
