// The app shell: restores the session from the stored token, shows the login page without one,
// and picks the screen from the URL.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../i18n/index.ts';
import { ApiClient, ApiError } from '../api/client.ts';
import { IvrApi } from '../api/ivr.ts';
import type { Account } from '../api/types.ts';
import { LoginPage, ChangePasswordPage } from '../pages/LoginPage.tsx';
import { AdminNav } from '../admin/AdminNav.tsx';
import { NotFoundPage } from '../admin/StatusPages.tsx';
import { QueryProvider } from '../admin/kit/query.tsx';
import { ToastProvider } from '../ui/Toasts.tsx';
import { AppHeader } from './AppHeader.tsx';
import { LocalePreferences } from './LocalePreferences.tsx';
import { desktopPath, homePath, navigate, parseRoute, useLocation, type Route } from './router.ts';
import { SessionContext, type Session } from './session.tsx';

// One chunk per area, loaded when first opened: the editor (React Flow, the block catalogue), the
// desktop, the realtime board, the admin pages. The login page and the shell stay in the entry.
const ProjectsPage = lazy(() => import('../pages/ProjectsPage.tsx').then((m) => ({ default: m.ProjectsPage })));
const EditorPage = lazy(() => import('../editor/EditorPage.tsx').then((m) => ({ default: m.EditorPage })));
const DesktopPage = lazy(() => import('../desktop/DesktopPage.tsx').then((m) => ({ default: m.DesktopPage })));
const RealtimePage = lazy(() => import('../realtime/RealtimePage.tsx').then((m) => ({ default: m.RealtimePage })));
const AdminArea = lazy(() => import('../admin/AdminArea.tsx').then((m) => ({ default: m.AdminArea })));

export function App() {
  const [api] = useState(() => new ApiClient());
  const ivr = useMemo(() => new IvrApi(api), [api]);
  const [account, setAccount] = useState<Account | null>(null);
  const [checking, setChecking] = useState(() => api.tokens.get() !== null);
  const location = useLocation();
  const route = parseRoute(location);
  const { t } = useTranslation();

  useEffect(() => {
    api.onUnauthenticated = () => {
      api.tokens.set(null);
      setAccount(null);
    };
    if (api.tokens.get() === null) return;
    let live = true;
    api
      .get<Account>('/api/me')
      .then((me) => live && setAccount(me))
      .catch((error: unknown) => {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) api.tokens.set(null);
      })
      .finally(() => live && setChecking(false));
    return () => {
      live = false;
    };
  }, [api]);

  const logout = useCallback(() => {
    api.post('/api/auth/logout').catch(() => undefined);
    api.tokens.set(null);
    setAccount(null);
    navigate('/login', { replace: true });
  }, [api]);

  const setPreferences = useCallback((preferences: Account['preferences']) => setAccount((a) => (a === null ? a : { ...a, preferences })), []);
  const session = useMemo<Session | null>(() => (account === null ? null : { api, ivr, account, logout, setPreferences }), [account, api, ivr, logout, setPreferences]);

  if (checking) {
    return <div className="splash" aria-busy="true">{t('shell.loadingApp')}</div>;
  }
  if (session === null) {
    return (
      <LoginPage
        api={api}
        onLoggedIn={(me, token) => {
          api.tokens.set(token);
          setAccount(me);
          // Agents land on their desktop unless the login was for a specific page.
          const home = me.role === 'agent' ? desktopPath : homePath;
          if (route.name === 'login') navigate(route.next.startsWith('/') && route.next !== '/ivr' ? route.next : home, { replace: true });
          else if ((route.name === 'projects' || route.name === 'admin') && me.role === 'agent') navigate(desktopPath, { replace: true });
        }}
      />
    );
  }
  if (session.account.mustChangePassword) {
    return <ChangePasswordPage api={api} onChanged={(me) => setAccount(me)} onCancel={logout} />;
  }

  // Agents have their desktop and nothing of the shell; everyone else gets the sidebar, except in
  // the editor, whose canvas needs the whole width.
  const withNav = session.account.role !== 'agent' && route.name !== 'editor';
  return (
    <SessionContext.Provider value={session}>
      <LocalePreferences preferences={session.account.preferences}>
        <QueryProvider>
          <ToastProvider>
            <div className="app">
              <a className="skip-link" href="#main">
                {t('shell.skipToContent')}
              </a>
              <AppHeader />
              <div className={withNav ? 'app-body app-body-nav' : 'app-body'}>
                {withNav ? <AdminNav location={location} /> : null}
                <main className="app-main" id="main" tabIndex={-1}>
                  <Suspense fallback={<div className="splash" aria-busy="true">{t('common.loading')}</div>}>
                    <Screen route={route} agent={session.account.role === 'agent'} />
                  </Suspense>
                </main>
              </div>
            </div>
          </ToastProvider>
        </QueryProvider>
      </LocalePreferences>
    </SessionContext.Provider>
  );
}

function Screen({ route, agent }: { route: Route; agent: boolean }) {
  switch (route.name) {
    case 'projects':
      return <ProjectsPage channel={route.channel} />;
    case 'editor':
      return <EditorPage key={route.projectId} projectId={route.projectId} />;
    case 'desktop':
      return <DesktopPage />;
    case 'realtime':
      return <RealtimePage />;
    case 'admin':
      // The root is Home, shown under its own address so that the URL names the page.
      return agent || route.path === '/' ? <Redirect to={agent ? desktopPath : homePath} /> : <AdminArea path={route.path} />;
    case 'login':
      return <Redirect to={route.next} />;
    case 'not-found':
      return <NotFoundPage path={route.path} />;
  }
}

function Redirect({ to }: { to: string }) {
  useEffect(() => {
    navigate(to.startsWith('/') && !to.startsWith('//') ? to : homePath, { replace: true });
  }, [to]);
  return null;
}
