// The /admin/… pages: resolved from the path by nav.ts, refused (not hidden) when the account may
// not open them, and each page's code loaded on demand.
import { lazy } from 'react';
import { useSession } from '../app/session.tsx';
import { adminPageAt, allows } from './nav.ts';
import { ForbiddenPage, NotFoundPage } from './StatusPages.tsx';

const HomePage = lazy(() => import('./pages/HomePage.tsx').then((m) => ({ default: m.HomePage })));
const AgentsPage = lazy(() => import('./pages/AgentsPage.tsx').then((m) => ({ default: m.AgentsPage })));
const QueuesPage = lazy(() => import('./pages/QueuesPage.tsx').then((m) => ({ default: m.QueuesPage })));
const RoutesPage = lazy(() => import('./pages/RoutesPage.tsx').then((m) => ({ default: m.RoutesPage })));
const TrunksPage = lazy(() => import('./pages/TrunksPage.tsx').then((m) => ({ default: m.TrunksPage })));
const SoundsPage = lazy(() => import('./pages/SoundsPage.tsx').then((m) => ({ default: m.SoundsPage })));
const CallsPage = lazy(() => import('./pages/CallsPage.tsx').then((m) => ({ default: m.CallsPage })));
const HotdeskPhonesPage = lazy(() => import('./pages/HotdeskPhonesPage.tsx').then((m) => ({ default: m.HotdeskPhonesPage })));
const UsersPage = lazy(() => import('./pages/UsersPage.tsx').then((m) => ({ default: m.UsersPage })));
const TeamsPage = lazy(() => import('./pages/TeamsPage.tsx').then((m) => ({ default: m.TeamsPage })));
const ApiKeysPage = lazy(() => import('./pages/ApiKeysPage.tsx').then((m) => ({ default: m.ApiKeysPage })));
const PauseReasonsPage = lazy(() => import('./pages/PauseReasonsPage.tsx').then((m) => ({ default: m.PauseReasonsPage })));
const WebsitesPage = lazy(() => import('./pages/WebsitesPage.tsx').then((m) => ({ default: m.WebsitesPage })));
const SettingsPage = lazy(() => import('./pages/SettingsPage.tsx').then((m) => ({ default: m.SettingsPage })));
const AuditPage = lazy(() => import('./pages/AuditPage.tsx').then((m) => ({ default: m.AuditPage })));

export function AdminArea({ path }: { path: string }) {
  const { account } = useSession();
  const at = adminPageAt(path);
  if (at.kind === 'home') return <HomePage />;
  if (at.kind === 'not-found') return <NotFoundPage path={path} />;
  if (!allows(account, at.page.need)) return <ForbiddenPage path={path} />;
  switch (at.page.id) {
    case 'agents':
      return <AgentsPage />;
    case 'voiceQueues':
      return <QueuesPage channel="voice" />;
    case 'chatQueues':
      return <QueuesPage channel="chat" />;
    case 'voiceRoutes':
      return <RoutesPage />;
    case 'voiceTrunks':
      return <TrunksPage />;
    case 'voiceSounds':
      return <SoundsPage />;
    case 'voiceCalls':
      return <CallsPage path={path} />;
    case 'hotdeskPhones':
      return <HotdeskPhonesPage />;
    case 'users':
      return <UsersPage />;
    case 'teams':
      return <TeamsPage />;
    case 'apiKeys':
      return <ApiKeysPage />;
    case 'pauseReasons':
      return <PauseReasonsPage />;
    case 'chatWebsites':
      return <WebsitesPage />;
    case 'settings':
      return <SettingsPage />;
    case 'auditTrail':
      return <AuditPage />;
    default:
      return <NotFoundPage path={path} />;
  }
}
