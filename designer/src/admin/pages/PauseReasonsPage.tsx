// Tools → Pause reasons: the plainest admin list (NameListPage): the list through the data layer,
// the create form showing the API's field errors next to the field, and delete behind the
// confirmation. Only administrators change them.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { pauseReasonCreateSchema } from '../../../../contracts/staff.ts';
import { useSession } from '../../app/session.tsx';
import { NameListPage, type NamedRow, type NameListText } from '../kit/NameListPage.tsx';

/** A row of GET /api/pause-reasons. */
export type PauseReason = NamedRow;

export function PauseReasonsPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const canChange = account.role === 'admin';
  const text = useMemo<NameListText>(
    () => ({
      title: t('pauseReasons.title'),
      intro: t('pauseReasons.intro'),
      readOnly: t('pauseReasons.readOnly'),
      name: t('pauseReasons.name'),
      description: t('pauseReasons.description'),
      created: t('pauseReasons.created'),
      actions: t('pauseReasons.actions'),
      delete: t('pauseReasons.delete'),
      deleteLabel: (name) => `${t('pauseReasons.delete')} ${name}`,
      deleteTitle: (name) => t('pauseReasons.deleteTitle', { name }),
      deleteConfirm: t('pauseReasons.deleteConfirm'),
      deleteBody: t('pauseReasons.deleteBody'),
      createdToast: (name) => t('pauseReasons.created_toast', { name }),
      deletedToast: (name) => t('pauseReasons.deleted_toast', { name }),
      add: t('pauseReasons.add'),
      save: t('pauseReasons.save'),
    }),
    [t],
  );
  return (
    <NameListPage
      list="/api/pause-reasons"
      schema={pauseReasonCreateSchema}
      text={text}
      mayAdd={canChange}
      mayDelete={canChange}
      testId="pause-reasons-page"
      tableTestId="pause-reasons-table"
    />
  );
}
