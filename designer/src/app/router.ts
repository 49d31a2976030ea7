// A router the size of this app: a handful of screens, history API, no dependency; the admin shell
// resolves its own /admin/… pages (admin/nav.ts). The server answers
// every non-API path with index.html (server/http/web.ts), so deep links and reloads work.
import { useSyncExternalStore } from 'react';

export type Route =
  | { readonly name: 'login'; readonly next: string }
  | { readonly name: 'projects'; readonly channel: string | null }
  | { readonly name: 'editor'; readonly projectId: string }
  | { readonly name: 'desktop' }
  | { readonly name: 'realtime' }
  | { readonly name: 'admin'; readonly path: string }
  | { readonly name: 'not-found'; readonly path: string };

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  window.addEventListener('hashchange', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
    window.removeEventListener('hashchange', listener);
  };
}

const currentLocation = (): string => window.location.pathname + window.location.search + window.location.hash;

export function useLocation(): string {
  return useSyncExternalStore(subscribe, currentLocation);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentLocation()) return;
  if (options.replace === true) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const listener of [...listeners]) listener();
}

export function parseRoute(location: string): Route {
  const url = new URL(location, 'http://app.invalid');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/login') return { name: 'login', next: url.searchParams.get('next') ?? '/ivr' };
  // The agent desktop; `#/desktop` is accepted too (links written for a hash router).
  if (path === '/desktop' || url.hash === '#/desktop') return { name: 'desktop' };
  if (path === '/realtime') return { name: 'realtime' };
  if (path === '/' || path === '/admin' || path.startsWith('/admin/')) return { name: 'admin', path };
  if (path === '/ivr') return { name: 'projects', channel: url.searchParams.get('channel') };
  const editor = /^\/ivr\/projects\/([0-9a-fA-F-]{36})$/.exec(path);
  if (editor !== null) return { name: 'editor', projectId: editor[1]!.toLowerCase() };
  return { name: 'not-found', path };
}

export const projectsPath = (channel?: string | null): string => (channel ? `/ivr?channel=${encodeURIComponent(channel)}` : '/ivr');
export const desktopPath = '/desktop';
export const realtimePath = '/realtime';
export const homePath = '/admin';
export const editorPath = (projectId: string): string => `/ivr/projects/${projectId}`;
