// Voice → Hot-desk phones: the telephones (PJSIP endpoints) hot-desk agents pick from at login
// (server/acd/hotdesk.ts). Listed, added with the API's field errors next to the field, deleted
// behind a confirmation. Changing them takes the staff permission, as the API asks.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { phoneCreateSchema } from '../../../../contracts/staff.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { NameListPage, type NamedRow, type NameListText } from '../kit/NameListPage.tsx';

/** A row of GET /api/phones. */
export type HotdeskPhone = NamedRow;

export function HotdeskPhonesPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const text = useMemo<NameListText>(
    () => ({
      title: t('hotdeskPhones.title'),
      intro: t('hotdeskPhones.intro'),
      readOnly: t('hotdeskPhones.readOnly'),
      name: t('hotdeskPhones.name'),
      description: t('common.description'),
      created: t('common.created'),
      actions: t('common.actions'),
      delete: t('common.delete'),
      deleteLabel: (name) => t('hotdeskPhones.deleteLabel', { name }),
      deleteTitle: (name) => t('hotdeskPhones.deleteTitle', { name }),
      deleteConfirm: t('common.delete'),
      deleteBody: t('hotdeskPhones.deleteBody'),
      createdToast: (name) => t('hotdeskPhones.created_toast', { name }),
      deletedToast: (name) => t('hotdeskPhones.deleted_toast', { name }),
      add: t('hotdeskPhones.add'),
      save: t('common.add'),
    }),
    [t],
  );
  return (
    <NameListPage
      list="/api/phones"
      // The shared schema refuses a malformed endpoint name here (spaces around it dropped first).
      schema={phoneCreateSchema}
      trimName
      text={text}
      mayAdd={can(account, 'staff', 'edit')}
      mayDelete={can(account, 'staff', 'delete')}
      testId="hotdesk-phones-page"
      tableTestId="hotdesk-phones-table"
    />
  );
}
