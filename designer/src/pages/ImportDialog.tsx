// Import a project file: read and check it in the browser first (size, JSON, schema, block types),
// show what it is, and only then create the project. A refused file changes nothing.
import { useState, type FormEvent } from 'react';
import type { Project } from '../../../flows/index.ts';
import { describeError } from '../api/client.ts';
import { CHANNEL_LABELS } from '../app/channels.ts';
import { useSession } from '../app/session.tsx';
import { autoLayout, needsLayout } from '../editor/model/auto-layout.ts';
import { checkImportSize, parseImport, type ImportResult } from '../editor/model/import-export.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { Icon } from '../ui/Icon.tsx';

export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: (id: string, name: string) => void }) {
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
      setResult({ ok: false, message: `The file could not be read: ${describeError(err)}`, details: [] });
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
    <Dialog title="Import a project" onClose={onClose} testId="import-dialog" width={520}>
      <form onSubmit={submit} className="form-stack">
        <label className="dropzone">
          <Icon name="upload" size={22} />
          <span>
            <strong>Choose a project file</strong> (.json, exported from Tandem)
          </span>
          <span className="muted">{fileName === '' ? 'No file chosen' : fileName}</span>
          <input type="file" accept=".json,application/json" className="sr-only" aria-label="Project file" onChange={(e) => void pick(e.target.files?.[0])} data-testid="import-file" />
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
              <div className="muted">Nothing was imported.</div>
            </div>
          </div>
        ) : null}

        {project === null ? null : (
          <>
            <div className="import-summary" data-testid="import-summary">
              <div>
                <span className="muted">Channel</span> {CHANNEL_LABELS[project.channel]}
              </div>
              <div>
                <span className="muted">Blocks</span> {Object.keys(project.blocks).length}
              </div>
              <div>
                <span className="muted">Variables</span> {Object.keys(project.variables).length}
              </div>
            </div>
            <label className="field">
              <span className="field-label">Project name</span>
              <input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required />
              <span className="field-hint">Names are unique; pick another one if a project with this name exists.</span>
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
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={project === null || busy || name.trim() === ''}>
            Import project
          </button>
        </div>
      </form>
    </Dialog>
  );
}
