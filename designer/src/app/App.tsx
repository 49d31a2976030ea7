// The app shell: restores the session from the stored token, shows the login page without one,
// and picks the screen from the URL.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiClient, ApiError } from '../api/client.ts';
import { IvrApi } from '../api/ivr.ts';
import type { Account } from '../api/types.ts';
import { LoginPage, ChangePasswordPage } from '../pages/LoginPage.tsx';
import { ProjectsPage } from '../pages/ProjectsPage.tsx';
import { EditorPage } from '../editor/EditorPage.tsx';
import { DesktopPage } from '../desktop/DesktopPage.tsx';
import { RealtimePage } from '../realtime/RealtimePage.tsx';
import { ToastProvider } from '../ui/Toasts.tsx';
import { AppHeader } from './AppHeader.tsx';
import { desktopPath, navigate, parseRoute, projectsPath, useLocation } from './router.ts';
import { SessionContext, type Session } from './session.tsx';

export function App() {
  const [api] = useState(() => new ApiClient());
  const ivr = useMemo(() => new IvrApi(api), [api]);
  const [account, setAccount] = useState<Account | null>(null);
  const [checking, setChecking] = useState(() => api.tokens.get() !== null);
  const location = useLocation();
  const route = parseRoute(location);

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

  const session = useMemo<Session | null>(() => (account === null ? null : { api, ivr, account, logout }), [account, api, ivr, logout]);

  if (checking) {
    return <div className="splash" aria-busy="true">Loading Tandem…</div>;
  }
  if (session === null) {
    return (
      <LoginPage
        api={api}
        onLoggedIn={(me, token) => {
          api.tokens.set(token);
          setAccount(me);
          // Agents land on their desktop unless the login was for a specific page.
          const home = me.role === 'agent' ? desktopPath : '/ivr';
          if (route.name === 'login') navigate(route.next.startsWith('/') && route.next !== '/ivr' ? route.next : home, { replace: true });
          else if (route.name === 'projects' && me.role === 'agent') navigate(desktopPath, { replace: true });
        }}
      />
    );
  }
  if (session.account.mustChangePassword) {
    return <ChangePasswordPage api={api} onChanged={(me) => setAccount(me)} onCancel={logout} />;
  }

  return (
    <SessionContext.Provider value={session}>
      <ToastProvider>
        <div className="app">
          <AppHeader />
          <main className="app-main">
            {route.name === 'projects' ? <ProjectsPage channel={route.channel} /> : null}
            {route.name === 'editor' ? <EditorPage key={route.projectId} projectId={route.projectId} /> : null}
            {route.name === 'desktop' ? <DesktopPage /> : null}
            {route.name === 'realtime' ? <RealtimePage /> : null}
            {route.name === 'login' ? <Redirect to={route.next} /> : null}
            {route.name === 'not-found' ? (
              <div className="empty-page">
                <h1>Page not found</h1>
                <p>
                  Nothing lives at <code>{route.path}</code>.
                </p>
                <a
                  href={projectsPath()}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(projectsPath());
                  }}
                >
                  Go to IVR projects
                </a>
              </div>
            ) : null}
          </main>
        </div>
      </ToastProvider>
    </SessionContext.Provider>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => {
    navigate(to.startsWith('/') && !to.startsWith('//') ? to : '/ivr', { replace: true });
  }, [to]);
  return null;
}
