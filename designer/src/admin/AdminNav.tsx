// The sidebar: Home, then one group per area with the pages the account may open. The current page
// is marked with aria-current; groups are lists labelled by their area name (not headings, so page
// headings stay the page's own). On a narrow screen (a phone) the sidebar took half the width and
// squeezed every page: there the menu folds behind a Menu button (a disclosure: aria-expanded) that
// names the current page, and closes again once a page is chosen.
import { useEffect, useState } from 'react';
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
  const [open, setOpen] = useState(false);
  // A page chosen (or any move of the address) folds the menu again.
  useEffect(() => setOpen(false), [location]);
  const menu = menuFor(account);
  const here = menu.flatMap((a) => a.pages).find((p) => p.match(path, url.searchParams));
  return (
    <nav className={`admin-nav${open ? ' is-open' : ''}`} aria-label={t('shell.navLabel')} data-testid="admin-nav">
      <button type="button" className="admin-nav-toggle" aria-expanded={open} aria-controls="admin-nav-links" onClick={() => setOpen((o) => !o)}>
        <span aria-hidden="true">☰</span> {t('shell.menu')}
        <span className="admin-nav-here">{here === undefined ? t('shell.home') : t(`shell.pages.${here.id}`)}</span>
      </button>
      <div className="admin-nav-links" id="admin-nav-links">
      <AppLink href={ADMIN_HOME} className="admin-nav-link" aria-current={current(path === ADMIN_HOME || path === '/')}>
        {t('shell.home')}
      </AppLink>
      {menu.map(({ area, pages }) => (
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
      </div>
    </nav>
  );
}
