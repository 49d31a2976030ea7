// Import a project file: read and check it in the browser first (size, JSON, schema, block types),
// show what it is, and only then create the project. A refused file changes nothing.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Project } from '../../../flows/index.ts';
import { describeError } from '../api/client.ts';
import { channelLabel } from '../app/channels.ts';
import { useSession } from '../app/session.tsx';
import { autoLayout, needsLayout } from '../editor/model/auto-layout.ts';
import { checkImportSize, parseImport, type ImportResult } from '../editor/model/import-export.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { Icon } from '../ui/Icon.tsx';
import { formatNumber } from '../admin/kit/format.ts';

export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: (id: string, name: string) => void }) {
  const { t } = useTranslation();
  const { ivr } = useSession();
  const [result, setResult] = useState<ImportResult | null>(null);
  const [fileName, setFileName] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const pick = async (file: File | undefined) => {
    setError(null);
    setResult(null);
    if (file === undefined) return;
    setFileName(file.name);
    const tooLarge = checkImportSize(file.size);
    if (tooLarge !== null) {
      setResult(tooLarge);
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch (err) {
      setResult({ ok: false, message: t('designer.importProject.unreadable', { reason: describeError(err) }), details: [] });
      return;
    }
    const parsed = parseImport(text);
    setResult(parsed);
    if (parsed.ok) setName(parsed.project.name);
  };

  const project: Project | null = result?.ok === true ? result.project : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (project === null) return;
    setBusy(true);
    setError(null);
    try {
      // Documents whose blocks overlap (generated, hand-written) are arranged before they land.
      const laidOut = needsLayout(project) ? autoLayout(project) : project;
      const created = await ivr.create({ name: name.trim(), channel: project.channel, description: project.description, project: { ...laidOut, name: name.trim() } });
      onImported(created.id, created.name);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('designer.importProject.title')} onClose={onClose} testId="import-dialog" width={520}>
      <form onSubmit={submit} className="form-stack">
        <label className="dropzone">
          <Icon name="upload" size={22} />
          <span>
            <strong>{t('designer.importProject.choose')}</strong> {t('designer.importProject.chooseHint')}
          </span>
          <span className="muted">{fileName === '' ? t('designer.importProject.noFile') : fileName}</span>
          <input type="file" accept=".json,application/json" className="sr-only" aria-label={t('designer.importProject.file')} onChange={(e) => void pick(e.target.files?.[0])} data-testid="import-file" />
        </label>

        {result !== null && !result.ok ? (
          <div className="banner banner-error" role="alert" data-testid="import-error">
            <Icon name="error" />
            <div>
              <div>{result.message}</div>
              {result.details.length === 0 ? null : (
                <ul className="plain-list">
                  {result.details.map((d, i) => (
                    <li key={i}>{d}</li>
                  ))}
                </ul>
              )}
              <div className="muted">{t('designer.importProject.nothingImported')}</div>
            </div>
          </div>
        ) : null}

        {project === null ? null : (
          <>
            <div className="import-summary" data-testid="import-summary">
              <div>
                <span className="muted">{t('designer.importProject.channel')}</span> {channelLabel(project.channel)}
              </div>
              <div>
                <span className="muted">{t('designer.importProject.blocks')}</span> {formatNumber(Object.keys(project.blocks).length)}
              </div>
              <div>
                <span className="muted">{t('designer.importProject.variables')}</span> {formatNumber(Object.keys(project.variables).length)}
              </div>
            </div>
            <label className="field">
              <span className="field-label">{t('designer.importProject.name')}</span>
              <input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required />
              <span className="field-hint">{t('designer.importProject.nameHint')}</span>
            </label>
          </>
        )}
        {error === null ? null : (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="row-end">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={project === null || busy || name.trim() === ''}>
            {t('designer.importProject.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
