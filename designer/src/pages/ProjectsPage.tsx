// The list of IVR projects, one tab per channel kind: create, import, export, delete, open.
import { useCallback, useEffect, useState } from 'react';
import type { ChannelKind } from '../../../flows/index.ts';
import { describeError } from '../api/client.ts';
import type { ProjectSummary } from '../api/types.ts';
import { CHANNEL_KINDS, CHANNEL_LABELS, isChannel } from '../app/channels.ts';
import { can } from '../app/permissions.ts';
import { editorPath, navigate, projectsPath } from '../app/router.ts';
import { useSession } from '../app/session.tsx';
import { exportFileName, exportText } from '../editor/model/import-export.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { Icon } from '../ui/Icon.tsx';
import { useToast } from '../ui/Toasts.tsx';
import { downloadText, formatDate } from '../ui/download.ts';
import { CreateProjectDialog } from './CreateProjectDialog.tsx';
import { ImportDialog } from './ImportDialog.tsx';

export function ProjectsPage({ channel: channelParam }: { channel: string | null }) {
  const { ivr, account } = useSession();
  const toast = useToast();
  const channel: ChannelKind | null = isChannel(channelParam) ? channelParam : null;
  const [projects, setProjects] = useState<ProjectSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'create' | 'import' | null>(null);
  const [deleting, setDeleting] = useState<ProjectSummary | null>(null);
  const canRead = can(account, 'ivr', 'read');
  const canEdit = can(account, 'ivr', 'edit');
  const canDelete = can(account, 'ivr', 'delete');

  const reload = useCallback(() => {
    if (!canRead) return;
    ivr
      .list()
      .then((list) => {
        setProjects(list);
        setError(null);
      })
      .catch((err: unknown) => setError(describeError(err)));
  }, [ivr, canRead]);
  useEffect(() => {
    reload();
  }, [reload]);

  if (!canRead) {
    return (
      <div className="empty-page" data-testid="no-ivr-access">
        <Icon name="lock" size={28} />
        <h1>No access to IVR projects</h1>
        <p>Your account does not have the IVR permission. Ask an administrator for read or edit access.</p>
      </div>
    );
  }

  const shown = (projects ?? []).filter((p) => channel === null || p.channel === channel);
  const count = (c: ChannelKind | null) => (projects ?? []).filter((p) => c === null || p.channel === c).length;

  const exportProject = async (p: ProjectSummary) => {
    try {
      const detail = await ivr.get(p.id);
      downloadText(exportFileName(detail.draft), exportText(detail.draft));
    } catch (err) {
      toast('error', describeError(err));
    }
  };

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>IVR projects</h1>
          <p className="muted">Call and message flows: build them on the canvas, test them in the simulator, publish a version.</p>
        </div>
        {canEdit ? (
          <div className="row-gap">
            <button type="button" className="btn" onClick={() => setDialog('import')}>
              <Icon name="upload" /> Import
            </button>
            <button type="button" className="btn btn-primary" onClick={() => setDialog('create')}>
              <Icon name="plus" /> New project
            </button>
          </div>
        ) : null}
      </div>

      <nav className="tabs" aria-label="Channel">
        {[null, ...CHANNEL_KINDS].map((c) => (
          <a
            key={c ?? 'all'}
            href={projectsPath(c)}
            className={`tab${c === channel ? ' tab-active' : ''}`}
            aria-current={c === channel ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate(projectsPath(c));
            }}
          >
            {c === null ? 'All' : CHANNEL_LABELS[c]}
            <span className="tab-count">{projects === null ? '' : count(c)}</span>
          </a>
        ))}
      </nav>

      {error === null ? null : (
        <div className="banner banner-error" role="alert">
          <Icon name="error" /> {error}
        </div>
      )}

      {projects === null ? (
        <div className="table-placeholder" aria-busy="true">
          Loading projects…
        </div>
      ) : shown.length === 0 ? (
        <div className="empty-state" data-testid="empty-projects">
          <Icon name="file" size={28} />
          <h2>No {channel === null ? '' : `${CHANNEL_LABELS[channel].toLowerCase()} `}projects yet</h2>
          <p className="muted">{canEdit ? 'Create one, or import a project exported from another Tandem.' : 'Nobody has created one yet.'}</p>
        </div>
      ) : (
        <table className="table" data-testid="project-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Channel</th>
              <th scope="col">Draft</th>
              <th scope="col">Published</th>
              <th scope="col">Last change</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.id} data-testid="project-row" data-project-id={p.id}>
                <td>
                  <a
                    className="table-title"
                    href={editorPath(p.id)}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(editorPath(p.id));
                    }}
                  >
                    {p.name}
                  </a>
                  {p.description === '' ? null : <div className="table-sub">{p.description}</div>}
                </td>
                <td>
                  <span className={`chip chip-${p.channel}`}>{CHANNEL_LABELS[p.channel]}</span>
                </td>
                <td className="num">rev. {p.revision}</td>
                <td>{p.publishedVersion === null ? <span className="muted">Not published</span> : <span className="chip chip-ok">v{p.publishedVersion}</span>}</td>
                <td className="muted">{formatDate(p.updatedAt)}</td>
                <td className="actions">
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => exportProject(p)} aria-label={`Export ${p.name}`}>
                    <Icon name="download" /> Export
                  </button>
                  {canDelete ? (
                    <button type="button" className="btn btn-ghost btn-sm btn-danger-text" onClick={() => setDeleting(p)} aria-label={`Delete ${p.name}`}>
                      <Icon name="trash" /> Delete
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {dialog === 'create' ? (
        <CreateProjectDialog
          defaultChannel={channel ?? 'voice'}
          onClose={() => setDialog(null)}
          onCreated={(id) => {
            setDialog(null);
            navigate(editorPath(id));
          }}
        />
      ) : null}
      {dialog === 'import' ? (
        <ImportDialog
          onClose={() => setDialog(null)}
          onImported={(id, name) => {
            setDialog(null);
            toast('success', `Imported “${name}”`);
            navigate(editorPath(id));
          }}
        />
      ) : null}
      {deleting === null ? null : (
        <ConfirmDelete
          project={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            toast('success', `Deleted “${deleting.name}”`);
            setDeleting(null);
            reload();
          }}
        />
      )}
    </div>
  );
}

function ConfirmDelete({ project, onClose, onDeleted }: { project: ProjectSummary; onClose: () => void; onDeleted: () => void }) {
  const { ivr } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      title="Delete project"
      onClose={onClose}
      testId="delete-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await ivr.remove(project.id);
                onDeleted();
              } catch (err) {
                setError(describeError(err));
                setBusy(false);
              }
            }}
          >
            Delete project
          </button>
        </>
      }
    >
      <p>
        Delete <strong>{project.name}</strong> with its draft and all {project.publishedVersion ?? 0} published version(s)? Calls routed to it will no longer find it.
      </p>
      {error === null ? null : (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
