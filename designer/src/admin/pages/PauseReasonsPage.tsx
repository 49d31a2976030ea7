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
      name: t('common.name'),
      description: t('common.description'),
      created: t('common.created'),
      actions: t('common.actions'),
      delete: t('common.delete'),
      deleteLabel: (name) => `${t('common.delete')} ${name}`,
      deleteTitle: (name) => t('pauseReasons.deleteTitle', { name }),
      deleteConfirm: t('common.delete'),
      deleteBody: t('pauseReasons.deleteBody'),
      createdToast: (name) => t('pauseReasons.created_toast', { name }),
      deletedToast: (name) => t('pauseReasons.deleted_toast', { name }),
      add: t('pauseReasons.add'),
      save: t('common.add'),
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
