import { useState, type FormEvent } from 'react';
import type { ChannelKind } from '../../../flows/index.ts';
import { describeError } from '../api/client.ts';
import { CHANNEL_KINDS, CHANNEL_LABELS } from '../app/channels.ts';
import { useSession } from '../app/session.tsx';
import { Dialog } from '../ui/Dialog.tsx';

export function CreateProjectDialog({ defaultChannel, onClose, onCreated }: { defaultChannel: ChannelKind; onClose: () => void; onCreated: (id: string) => void }) {
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
    <Dialog title="New IVR project" onClose={onClose} testId="create-dialog">
      <form onSubmit={submit} className="form-stack">
        <label className="field">
          <span className="field-label">Name</span>
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required autoFocus />
        </label>
        <label className="field">
          <span className="field-label">Channel</span>
          <select name="channel" value={channel} onChange={(e) => setChannel(e.target.value as ChannelKind)}>
            {CHANNEL_KINDS.map((c) => (
              <option key={c} value={c}>
                {CHANNEL_LABELS[c]}
              </option>
            ))}
          </select>
          <span className="field-hint">Blocks offered in the palette depend on the channel; it cannot change later.</span>
        </label>
        <label className="field">
          <span className="field-label">Description</span>
          <textarea name="description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
        </label>
        {error === null ? null : (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="row-end">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || name.trim() === ''}>
            Create project
          </button>
        </div>
      </form>
    </Dialog>
  );
}
