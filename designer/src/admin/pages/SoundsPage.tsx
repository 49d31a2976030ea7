// Voice → Sounds: the library of prompts, one row per sound and language. Upload sends the file
// with XMLHttpRequest so the page can show how much has gone; play uses an <audio> element on the
// public media URL (the very file Asterisk fetches); delete first asks where the sound is used.
import { useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { ConfirmDialog } from '../kit/ConfirmDialog.tsx';
import { useDependents } from '../kit/dependents.ts';
import { DataTable } from '../kit/DataTable.tsx';
import { formatDateTime, formatNumber } from '../kit/format.ts';
import { Field, FormError, formErrorsOf } from '../kit/forms.tsx';
import { useApiMutation, useApiQuery } from '../kit/query.tsx';
import { uploadWithProgress } from '../kit/upload.ts';

/** A row of GET /api/sounds (one language variant of a sound). */
export interface SoundRow {
  readonly name: string;
  readonly language: string;
  readonly description: string;
  readonly durationMs: number;
  readonly version: string;
  readonly mediaPath: string;
  readonly updatedAt: string;
}

const LIST = '/api/sounds';
const FORM_FIELDS = ['name', 'language', 'file', 'description'] as const;

/** The address the browser plays: the media URL with the content version, so a new upload is not served from cache. */
export const playUrl = (s: Pick<SoundRow, 'mediaPath' | 'version'>): string => `${s.mediaPath}?v=${encodeURIComponent(s.version)}`;

export function SoundsPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const list = useApiQuery<SoundRow[]>(LIST);
  const mayEdit = can(account, 'voice', 'edit');
  const mayDelete = can(account, 'voice', 'delete');
  const [deleting, setDeleting] = useState<SoundRow | null>(null);

  const columns = useMemo<ColumnDef<SoundRow>[]>(
    () => [
      { id: 'name', header: t('common.name'), accessorFn: (s) => s.name, enableHiding: false },
      { id: 'language', header: t('sounds.language'), accessorFn: (s) => s.language },
      { id: 'description', header: t('common.description'), accessorFn: (s) => s.description },
      {
        id: 'duration',
        header: t('sounds.duration'),
        accessorFn: (s) => s.durationMs,
        cell: (c) => `${formatNumber(c.row.original.durationMs / 1000, undefined, { maximumFractionDigits: 1 })} s`,
        enableGlobalFilter: false,
      },
      {
        id: 'play',
        header: t('sounds.listen'),
        enableSorting: false,
        enableGlobalFilter: false,
        cell: (c) => <audio controls preload="none" src={playUrl(c.row.original)} aria-label={t('sounds.play', { name: c.row.original.name, language: c.row.original.language })} data-testid={`play-${c.row.original.name}-${c.row.original.language}`} />,
      },
      { id: 'updatedAt', header: t('sounds.updated'), accessorFn: (s) => s.updatedAt, cell: (c) => formatDateTime(c.row.original.updatedAt), enableGlobalFilter: false },
      ...(mayDelete
        ? [
            {
              id: 'actions',
              header: t('common.actions'),
              enableSorting: false,
              enableHiding: false,
              cell: (c) => (
                <button type="button" className="btn btn-sm btn-danger-text" onClick={() => setDeleting(c.row.original)} aria-label={t('sounds.deleteLabel', { name: c.row.original.name, language: c.row.original.language })}>
                  {t('common.delete')}
                </button>
              ),
            } satisfies ColumnDef<SoundRow>,
          ]
        : []),
    ],
    [t, mayDelete],
  );

  return (
    <div className="page" data-testid="sounds-page">
      <header className="page-header">
        <div>
          <h1>{t('sounds.title')}</h1>
          <p className="muted">{t('sounds.intro')}</p>
        </div>
      </header>
      {mayEdit ? <UploadSound /> : <p className="muted">{t('sounds.readOnly')}</p>}
      {list.error ? <FormError message={describeError(list.error)} /> : null}
      <DataTable label={t('sounds.title')} columns={columns} rows={list.data ?? []} rowId={(s) => `${s.name}/${s.language}`} loading={list.isPending} testId="sounds-table" />
      {deleting === null ? null : <DeleteSound sound={deleting} onDone={() => setDeleting(null)} />}
    </div>
  );
}

function UploadSound() {
  const { t } = useTranslation();
  const { api } = useSession();
  const toast = useToast();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [language, setLanguage] = useState('en');
  const [description, setDescription] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fileKey, setFileKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const errors = formErrorsOf(error, FORM_FIELDS);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (file === null) {
      setError(new ApiError(400, 'VALIDATION_FAILED', 'Invalid file', { fields: [{ field: 'file', message: 'choose a WAV or MP3 file' }] }));
      return;
    }
    const form = new FormData();
    form.append('file', file);
    if (description.trim() !== '') form.append('description', description.trim());
    setPercent(0);
    setBusy(true);
    try {
      const path = `${LIST}/${encodeURIComponent(name.trim())}/${encodeURIComponent(language.trim())}`;
      const saved = await uploadWithProgress<SoundRow>(api, 'PUT', path, form, setPercent);
      toast('success', t('sounds.uploaded_toast', { name: saved.name, language: saved.language }));
      setName('');
      setDescription('');
      setFile(null);
      setFileKey((k) => k + 1);
      await client.invalidateQueries({ predicate: (q) => typeof q.queryKey[0] === 'string' && (q.queryKey[0] === LIST || q.queryKey[0].startsWith(`${LIST}?`)) });
    } catch (err) {
      setError(err);
      setPercent(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="admin-inline-form" onSubmit={(e) => void submit(e)} aria-label={t('sounds.upload')} noValidate data-testid="sound-upload">
      <Field label={t('common.name')} error={errors.fields.name} required>
        {(props) => <input {...props} name="name" value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label={t('sounds.language')} error={errors.fields.language} required>
        {(props) => <input {...props} name="language" value={language} onChange={(e) => setLanguage(e.target.value)} size={6} />}
      </Field>
      <Field label={t('common.description')} error={errors.fields.description}>
        {(props) => <input {...props} name="description" value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <Field label={t('sounds.file')} error={errors.fields.file} required>
        {(props) => <input {...props} key={fileKey} type="file" name="file" accept="audio/wav,audio/x-wav,audio/mpeg,.wav,.mp3" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
      </Field>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {t('sounds.upload')}
      </button>
      {percent === null ? null : (
        <span className="upload-progress" style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
          <progress max={100} value={percent} aria-label={t('sounds.progress')} data-testid="upload-progress" />
          <span role="status">{busy ? t('sounds.uploading', { percent }) : t('sounds.uploaded')}</span>
        </span>
      )}
      <FormError message={errors.form} />
    </form>
  );
}

/** Delete one language variant, behind a confirmation listing the projects whose prompts name the sound. */
function DeleteSound({ sound, onDone }: { sound: SoundRow; onDone: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const dependents = useDependents('sound', sound.name);
  const remove = useApiMutation((api, s: SoundRow) => api.delete<void>(`${LIST}/${encodeURIComponent(s.name)}/${encodeURIComponent(s.language)}`), [LIST, '/api/dependents']);
  const vars = { name: sound.name, language: sound.language };
  return (
    <ConfirmDialog
      title={t('sounds.deleteTitle', vars)}
      confirmLabel={t('common.delete')}
      dependents={dependents}
      busy={remove.isPending}
      error={remove.error ? describeError(remove.error) : null}
      onCancel={onDone}
      onConfirm={() =>
        remove.mutate(sound, {
          onSuccess: () => {
            toast('success', t('sounds.deleted_toast', vars));
            onDone();
          },
        })
      }
    >
      <p>{t('sounds.deleteBody')}</p>
    </ConfirmDialog>
  );
}
