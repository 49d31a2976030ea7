// The 404 and "not allowed" pages: the address that was asked for, and a way home.
import { useTranslation } from 'react-i18next';
import { AppLink } from '../ui/AppLink.tsx';
import { ADMIN_HOME } from './nav.ts';

export function NotFoundPage({ path }: { path: string }) {
  const { t } = useTranslation();
  return (
    <div className="empty-page" data-testid="not-found">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body', { path })}</p>
      <AppLink href={ADMIN_HOME}>{t('notFound.home')}</AppLink>
    </div>
  );
}

export function ForbiddenPage({ path }: { path: string }) {
  const { t } = useTranslation();
  return (
    <div className="empty-page" data-testid="forbidden">
      <h1>{t('forbidden.title')}</h1>
      <p>{t('forbidden.body', { path })}</p>
      <AppLink href={ADMIN_HOME}>{t('forbidden.home')}</AppLink>
    </div>
  );
}
