// The list of IVR projects, one tab per channel kind: create, import, export, delete, open.
import { useCallback, useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { ChannelKind } from '../../../flows/index.ts';
import { describeError } from '../api/client.ts';
import type { ProjectSummary } from '../api/types.ts';
import { CHANNEL_KINDS, channelLabel, isChannel } from '../app/channels.ts';
import { formatDateTime, formatNumber } from '../admin/kit/format.ts';
import { can } from '../app/permissions.ts';
import { editorPath, navigate, projectsPath } from '../app/router.ts';
import { useSession } from '../app/session.tsx';
import { exportFileName, exportText } from '../editor/model/import-export.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { Icon } from '../ui/Icon.tsx';
import { useToast } from '../ui/Toasts.tsx';
import { downloadText } from '../ui/download.ts';
import { CreateProjectDialog } from './CreateProjectDialog.tsx';
import { ImportDialog } from './ImportDialog.tsx';

export function ProjectsPage({ channel: channelParam }: { channel: string | null }) {
  const { t } = useTranslation();
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
        <h1>{t('designer.projects.noAccessTitle')}</h1>
        <p>{t('designer.projects.noAccessBody')}</p>
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
          <h1>{t('designer.projects.title')}</h1>
          <p className="muted">{t('designer.projects.intro')}</p>
        </div>
        {canEdit ? (
          <div className="row-gap">
            <button type="button" className="btn" onClick={() => setDialog('import')}>
              <Icon name="upload" /> {t('designer.projects.import')}
            </button>
            <button type="button" className="btn btn-primary" onClick={() => setDialog('create')}>
              <Icon name="plus" /> {t('designer.projects.add')}
            </button>
          </div>
        ) : null}
      </div>

      <nav className="tabs" aria-label={t('designer.projects.channel')}>
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
            {c === null ? t('common.all') : channelLabel(c)}
            <span className="tab-count">{projects === null ? '' : formatNumber(count(c))}</span>
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
          {t('designer.projects.loading')}
        </div>
      ) : shown.length === 0 ? (
        <div className="empty-state" data-testid="empty-projects">
          <Icon name="file" size={28} />
          <h2>{channel === null ? t('designer.projects.empty') : t('designer.projects.emptyOfChannel', { channel: channelLabel(channel).toLocaleLowerCase() })}</h2>
          <p className="muted">{canEdit ? t('designer.projects.emptyHint') : t('designer.projects.emptyReadOnly')}</p>
        </div>
      ) : (
        <table className="table" data-testid="project-table">
          <thead>
            <tr>
              <th scope="col">{t('common.name')}</th>
              <th scope="col">{t('designer.projects.channel')}</th>
              <th scope="col">{t('designer.projects.draft')}</th>
              <th scope="col">{t('designer.projects.published')}</th>
              <th scope="col">{t('designer.projects.lastChange')}</th>
              <th scope="col">
                <span className="sr-only">{t('common.actions')}</span>
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
                  <span className={`chip chip-${p.channel}`}>{channelLabel(p.channel)}</span>
                </td>
                <td className="num">{t('designer.projects.revision', { revision: p.revision })}</td>
                <td>{p.publishedVersion === null ? <span className="muted">{t('designer.projects.notPublished')}</span> : <span className="chip chip-ok">{t('designer.projects.version', { version: p.publishedVersion })}</span>}</td>
                <td className="muted">{formatDateTime(p.updatedAt)}</td>
                <td className="actions">
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => exportProject(p)} aria-label={t('designer.projects.exportLabel', { name: p.name })}>
                    <Icon name="download" /> {t('designer.projects.export')}
                  </button>
                  {canDelete ? (
                    <button type="button" className="btn btn-ghost btn-sm btn-danger-text" onClick={() => setDeleting(p)} aria-label={t('designer.projects.deleteLabel', { name: p.name })}>
                      <Icon name="trash" /> {t('common.delete')}
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
            toast('success', t('designer.projects.imported_toast', { name }));
            navigate(editorPath(id));
          }}
        />
      ) : null}
      {deleting === null ? null : (
        <ConfirmDelete
          project={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            toast('success', t('designer.projects.deleted_toast', { name: deleting.name }));
            setDeleting(null);
            reload();
          }}
        />
      )}
    </div>
  );
}

function ConfirmDelete({ project, onClose, onDeleted }: { project: ProjectSummary; onClose: () => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const { ivr } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      title={t('designer.projects.deleteTitle')}
      onClose={onClose}
      testId="delete-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
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
            {t('designer.projects.deleteConfirm')}
          </button>
        </>
      }
    >
      <p>
        <Trans i18nKey="designer.projects.deleteBody" count={project.publishedVersion ?? 0} values={{ name: project.name }} components={{ b: <strong /> }} />
      </p>
      {error === null ? null : (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
