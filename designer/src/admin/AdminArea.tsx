// The /admin/… pages: resolved from the path by nav.ts, refused (not hidden) when the account may
// not open them, and each page's code loaded on demand.
import { lazy, type ComponentType } from 'react';
import { useSession } from '../app/session.tsx';
import { adminPageAt, allows, type PageId } from './nav.ts';
import { ForbiddenPage, NotFoundPage } from './StatusPages.tsx';

/** A page as the area shows it; pages that read more from the address (a call's id) take the path. */
type View = ComponentType<{ path: string }>;

/** The page component a module exports by name, its code fetched the first time it is shown. */
function lazyPage<K extends string>(load: () => Promise<Record<K, View>>, name: K): View {
  return lazy(async () => {
    const page: View = (await load())[name];
    return { default: page };
  });
}

const HomePage = lazyPage(() => import('./pages/HomePage.tsx'), 'HomePage');
const QueuesPage = lazy(() => import('./pages/QueuesPage.tsx').then((m) => ({ default: m.QueuesPage })));

/** What each admin page id shows; an id without an entry (a page outside /admin) is not found here. */
const VIEWS: Partial<Record<PageId, View>> = {
  agents: lazyPage(() => import('./pages/AgentsPage.tsx'), 'AgentsPage'),
  voiceQueues: function VoiceQueues() {
    return <QueuesPage channel="voice" />;
  },
  chatQueues: function ChatQueues() {
    return <QueuesPage channel="chat" />;
  },
  voiceRoutes: lazyPage(() => import('./pages/RoutesPage.tsx'), 'RoutesPage'),
  voiceTrunks: lazyPage(() => import('./pages/TrunksPage.tsx'), 'TrunksPage'),
  voiceSounds: lazyPage(() => import('./pages/SoundsPage.tsx'), 'SoundsPage'),
  voiceCalls: lazyPage(() => import('./pages/CallsPage.tsx'), 'CallsPage'),
  hotdeskPhones: lazyPage(() => import('./pages/HotdeskPhonesPage.tsx'), 'HotdeskPhonesPage'),
  users: lazyPage(() => import('./pages/UsersPage.tsx'), 'UsersPage'),
  teams: lazyPage(() => import('./pages/TeamsPage.tsx'), 'TeamsPage'),
  apiKeys: lazyPage(() => import('./pages/ApiKeysPage.tsx'), 'ApiKeysPage'),
  pauseReasons: lazyPage(() => import('./pages/PauseReasonsPage.tsx'), 'PauseReasonsPage'),
  chatWebsites: lazyPage(() => import('./pages/WebsitesPage.tsx'), 'WebsitesPage'),
  settings: lazyPage(() => import('./pages/SettingsPage.tsx'), 'SettingsPage'),
  auditTrail: lazyPage(() => import('./pages/AuditPage.tsx'), 'AuditPage'),
  dispositions: lazyPage(() => import('./pages/DispositionsPage.tsx'), 'DispositionsPage'),
  featureCodes: lazyPage(() => import('./pages/FeatureCodesPage.tsx'), 'FeatureCodesPage'),
};

export function AdminArea({ path }: { path: string }) {
  const { account } = useSession();
  const at = adminPageAt(path);
  if (at.kind === 'home') return <HomePage path={path} />;
  if (at.kind === 'not-found') return <NotFoundPage path={path} />;
  if (!allows(account, at.page.need)) return <ForbiddenPage path={path} />;
  const Page = VIEWS[at.page.id];
  return Page === undefined ? <NotFoundPage path={path} /> : <Page path={path} />;
}
