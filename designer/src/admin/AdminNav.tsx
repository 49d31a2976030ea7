// The sidebar: Home, then one group per area with the pages the account may open. The current page
// is marked with aria-current; groups are lists labelled by their area name (not headings, so page
// headings stay the page's own).
import { useTranslation } from 'react-i18next';
import { useSession } from '../app/session.tsx';
import { AppLink } from '../ui/AppLink.tsx';
import { ADMIN_HOME, menuFor } from './nav.ts';

export function AdminNav({ location }: { location: string }) {
  const { t } = useTranslation();
  const { account } = useSession();
  const url = new URL(location, 'http://app.invalid');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const current = (active: boolean) => (active ? ('page' as const) : undefined);
  return (
    <nav className="admin-nav" aria-label={t('shell.navLabel')} data-testid="admin-nav">
      <AppLink href={ADMIN_HOME} className="admin-nav-link" aria-current={current(path === ADMIN_HOME || path === '/')}>
        {t('shell.home')}
      </AppLink>
      {menuFor(account).map(({ area, pages }) => (
        <div key={area} className="admin-nav-area" data-testid={`nav-area-${area}`}>
          <span className="admin-nav-area-name" id={`nav-area-${area}`}>
            {t(`shell.areas.${area}`)}
          </span>
          <ul aria-labelledby={`nav-area-${area}`}>
            {pages.map((page) => (
              <li key={page.id}>
                <AppLink href={page.href} className="admin-nav-link" aria-current={current(page.match(path, url.searchParams))}>
                  {t(`shell.pages.${page.id}`)}
                </AppLink>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
