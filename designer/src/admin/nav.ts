// The shell's map: areas (Staff, Voice, Chat, Tools), the pages in each, and what an account needs
// to see a page. Pure, so the menu, the deep-link check and the tests read the same rules. An area
// with no page the account may open is not shown at all.
import type { Account } from '../api/types.ts';
import type { en } from '../i18n/en.ts';
import { can, type Action } from '../app/permissions.ts';

export type AreaId = keyof typeof en.shell.areas;
export type PageId = keyof typeof en.shell.pages;

/** Who may open a page: a module level (admins always may), or the admin role itself. */
export type Need = { readonly module: string; readonly action: Action } | { readonly role: 'admin' };

export interface NavPage {
  readonly id: PageId;
  readonly area: AreaId;
  /** Where the link goes; `match` says which paths count as this page (for aria-current). */
  readonly href: string;
  readonly match: (path: string, search: URLSearchParams) => boolean;
  readonly need: Need;
}

export const AREAS: readonly AreaId[] = ['staff', 'voice', 'chat', 'tools'];

const isIvrList = (channel: string) => (path: string, search: URLSearchParams) => path === '/ivr' && (search.get('channel') ?? 'voice') === channel;

export const PAGES: readonly NavPage[] = [
  { id: 'agents', area: 'staff', href: '/admin/staff/agents', match: (p) => p === '/admin/staff/agents', need: { module: 'staff', action: 'read' } },
  // Users and API keys are administrators' business on the server (/api/users is admin-only).
  { id: 'users', area: 'staff', href: '/admin/staff/users', match: (p) => p === '/admin/staff/users', need: { role: 'admin' } },
  { id: 'teams', area: 'staff', href: '/admin/staff/teams', match: (p) => p === '/admin/staff/teams', need: { module: 'staff', action: 'read' } },
  { id: 'apiKeys', area: 'staff', href: '/admin/staff/service-users', match: (p) => p === '/admin/staff/service-users', need: { role: 'admin' } },
  { id: 'realtime', area: 'staff', href: '/realtime', match: (p) => p === '/realtime', need: { module: 'realtime', action: 'read' } },
  { id: 'voiceIvr', area: 'voice', href: '/ivr?channel=voice', match: isIvrList('voice'), need: { module: 'ivr', action: 'read' } },
  { id: 'voiceQueues', area: 'voice', href: '/admin/voice/queues', match: (p) => p === '/admin/voice/queues', need: { module: 'voice', action: 'read' } },
  { id: 'voiceRoutes', area: 'voice', href: '/admin/voice/routes', match: (p) => p === '/admin/voice/routes', need: { module: 'voice', action: 'read' } },
  { id: 'voiceTrunks', area: 'voice', href: '/admin/voice/trunks', match: (p) => p === '/admin/voice/trunks', need: { module: 'voice', action: 'read' } },
  { id: 'voiceSounds', area: 'voice', href: '/admin/voice/sounds', match: (p) => p === '/admin/voice/sounds', need: { module: 'voice', action: 'read' } },
  // A record's own page (/admin/voice/calls/<id>) belongs to the list.
  { id: 'voiceCalls', area: 'voice', href: '/admin/voice/calls', match: (p) => /^\/admin\/voice\/calls(\/\d+)?$/.test(p), need: { module: 'voice', action: 'read' } },
  // The telephones are Staff data on the server (GET /api/phones needs staff read).
  { id: 'hotdeskPhones', area: 'voice', href: '/admin/voice/hotdesk-phones', match: (p) => p === '/admin/voice/hotdesk-phones', need: { module: 'staff', action: 'read' } },
  { id: 'chatFlows', area: 'chat', href: '/ivr?channel=chat', match: isIvrList('chat'), need: { module: 'ivr', action: 'read' } },
  { id: 'chatQueues', area: 'chat', href: '/admin/chat/queues', match: (p) => p === '/admin/chat/queues', need: { module: 'chat', action: 'read' } },
  { id: 'chatWebsites', area: 'chat', href: '/admin/chat/websites', match: (p) => p === '/admin/chat/websites', need: { module: 'chat', action: 'read' } },
  { id: 'settings', area: 'tools', href: '/admin/tools/settings', match: (p) => p === '/admin/tools/settings', need: { module: 'settings', action: 'read' } },
  // The trail is the administrators' own (the API refuses everyone else).
  { id: 'auditTrail', area: 'tools', href: '/admin/tools/audit', match: (p) => p === '/admin/tools/audit', need: { role: 'admin' } },
  // Reading is open to every staff account (agents pick reasons); changing them is the admins'.
  { id: 'dispositions', area: 'tools', href: '/admin/tools/dispositions', match: (p) => p === '/admin/tools/dispositions', need: { module: 'settings', action: 'read' } },
  { id: 'featureCodes', area: 'tools', href: '/admin/tools/feature-codes', match: (p) => p === '/admin/tools/feature-codes', need: { module: 'settings', action: 'read' } },
  { id: 'pauseReasons', area: 'tools', href: '/admin/tools/pause-reasons', match: (p) => p === '/admin/tools/pause-reasons', need: { module: 'settings', action: 'read' } },
];

export function allows(account: Pick<Account, 'role' | 'permissions'>, need: Need): boolean {
  if ('role' in need) return account.role === need.role;
  return can(account, need.module, need.action);
}

/** The menu an account sees: areas in order, each with the pages it may open; empty areas left out. */
export function menuFor(account: Pick<Account, 'role' | 'permissions'>): { area: AreaId; pages: NavPage[] }[] {
  return AREAS.map((area) => ({ area, pages: PAGES.filter((p) => p.area === area && allows(account, p.need)) })).filter((a) => a.pages.length > 0);
}

/** The admin pages the shell renders itself (the rest of /admin/… is a 404). */
export const ADMIN_HOME = '/admin';
export type AdminPage = { readonly kind: 'home' } | { readonly kind: 'page'; readonly page: NavPage } | { readonly kind: 'not-found' };

export function adminPageAt(path: string): AdminPage {
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === ADMIN_HOME) return { kind: 'home' };
  const page = PAGES.find((p) => p.href.startsWith('/admin/') && p.match(clean, new URLSearchParams()));
  return page === undefined ? { kind: 'not-found' } : { kind: 'page', page };
}
