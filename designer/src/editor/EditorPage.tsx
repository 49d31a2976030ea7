// Loads a project and hands it to the editor; says clearly when it cannot (gone, no access).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ReactFlowProvider } from '@xyflow/react';
import { ApiError, describeError } from '../api/client.ts';
import type { ProjectDetail } from '../api/types.ts';
import { navigate, projectsPath } from '../app/router.ts';
import { useSession } from '../app/session.tsx';
import { Icon } from '../ui/Icon.tsx';
import { Editor } from './Editor.tsx';

export function EditorPage({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const { ivr } = useSession();
  const [detail, setDetail] = useState<ProjectDetail | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);

  useEffect(() => {
    let live = true;
    ivr
      .get(projectId)
      .then((d) => {
        performance.mark('tandem:project-loaded');
        if (live) setDetail(d);
      })
      .catch((err: unknown) => live && setError({ status: err instanceof ApiError ? err.status : 0, message: describeError(err) }));
    return () => {
      live = false;
    };
  }, [ivr, projectId]);

  if (error !== null) {
    return (
      <div className="empty-page" data-testid="editor-error">
        <Icon name={error.status === 403 ? 'lock' : 'warning'} size={28} />
        <h1>{error.status === 404 ? t('designer.editor.notFound') : error.status === 403 ? t('designer.editor.noAccess') : t('designer.editor.cannotOpen')}</h1>
        <p>{error.message}</p>
        <button type="button" className="btn" onClick={() => navigate(projectsPath())}>
          {t('designer.editor.backToProjects')}
        </button>
      </div>
    );
  }
  if (detail === null) {
    return (
      <div className="editor-loading" aria-busy="true">
        {t('designer.editor.opening')}
      </div>
    );
  }
  return (
    <ReactFlowProvider>
      <Editor initial={detail} />
    </ReactFlowProvider>
  );
}
