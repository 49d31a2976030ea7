// Chat websites: the settings of one site that embeds the widget (origins, appearance, forms, canned
// answers, limits, the flow project). Stored as one validated JSON document (contracts/chat.ts) beside
// the columns the server looks up by (key, project, queue). Their dispositions are in the catalogue.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { assertUnchanged, staleEdit, unchangedSince } from '../../db/row-version.ts';
import type { Db } from '../../db/database.ts';
import { chatWebsites } from '../../db/schema.ts';
import { DomainError, notFound } from '../../errors.ts';
import { fieldProblems } from '../../http/validate.ts';
import { chatOriginsChanged } from './origins.ts';
import type { WidgetConfig } from '../../../contracts/chat-widget.ts';
import { settingsSchema, storedSettings, type WebsitePatch, type WebsiteSettings, type websiteCreateSchema } from '../../../contracts/chat.ts';

export const TIMEOUT_DISPOSITION = 'Timeout';

// The document's schemas are shared with the web app's website editor.
export { limitsSchema, settingsSchema, websiteCreateSchema, websitePatchSchema, type WebsitePatch, type WebsiteSettings } from '../../../contracts/chat.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The settings after a PATCH (see websitePatchSchema), validated; throws a ZodError when they are not valid. */
export function mergeSettings(current: WebsiteSettings, patch: WebsitePatch): WebsiteSettings {
  const next: Record<string, unknown> = { ...current };
  for (const key of Object.keys(settingsSchema.shape)) {
    const value = (patch as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (value === null) {
      delete next[key];
      continue;
    }
    const was = next[key];
    if (isRecord(value) && isRecord(was)) {
      const merged: Record<string, unknown> = { ...was };
      for (const [k, v] of Object.entries(value)) {
        if (v === null) delete merged[k];
        else if (v !== undefined) merged[k] = v;
      }
      next[key] = merged;
    } else next[key] = value;
  }
  return settingsSchema.parse(next);
}

export type WebsiteView = { id: number; name: string; key: string; projectId: string | null; queueId: number | null; createdAt: string; updatedAt: string } & WebsiteSettings;
type Row = typeof chatWebsites.$inferSelect;

export function toView(row: Row): WebsiteView {
  return { id: row.id, name: row.name, key: row.key, projectId: row.projectId, queueId: row.queueId, ...storedSettings(row.settings), createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** 24 URL-safe characters. */
export const newWebsiteKey = () => randomBytes(18).toString('base64url');

/** Every website, or those matching `where` (a scope condition, see scope.ts). */
export async function listWebsites(db: Db, where?: SQL): Promise<WebsiteView[]> {
  return (await db.select().from(chatWebsites).where(where).orderBy(asc(chatWebsites.id))).map(toView);
}
export async function getWebsite(db: Db, id: number): Promise<WebsiteView> {
  const [row] = await db.select().from(chatWebsites).where(eq(chatWebsites.id, id));
  if (!row) throw notFound('chat website', id);
  return toView(row);
}
export async function websiteByKey(db: Db, key: string): Promise<WebsiteView | undefined> {
  const [row] = await db.select().from(chatWebsites).where(eq(chatWebsites.key, key));
  return row ? toView(row) : undefined;
}

// The widget namespace needs its website on every event (settings may change while a visitor is
// connected). Reading and re-validating the JSON settings per message was a PostgreSQL round trip
// and a zod parse each time; a short cache per node (per database handle) keeps them current enough:
// a change on this node clears it at once (in a cluster the chat service relays the change to the
// other nodes, which clear theirs), the TTL bounds staleness should a relay be lost.
const WEBSITE_TTL_MS = 5_000;
const WEBSITE_CACHE_MAX = 10_000;
const websiteCaches = new WeakMap<Db, Map<string, { at: number; website: Promise<WebsiteView | undefined> }>>();

/** Forgets the websites this node (its database handle) has cached: one was created, changed or deleted. */
export function forgetCachedWebsites(db: Db): void {
  websiteCaches.delete(db);
}

/** websiteByKey through the cache; unknown keys are not cached (they only come with handshakes). */
export function cachedWebsiteByKey(db: Db, key: string, now = Date.now()): Promise<WebsiteView | undefined> {
  let cache = websiteCaches.get(db);
  if (!cache) websiteCaches.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && now - hit.at < WEBSITE_TTL_MS) return hit.website;
  if (cache.size >= WEBSITE_CACHE_MAX) cache.clear();
  const entry = { at: now, website: websiteByKey(db, key) };
  const owner = cache;
  owner.set(key, entry);
  const forget = () => {
    if (owner.get(key) === entry) owner.delete(key);
  };
  entry.website.then((w) => {
    if (!w) forget();
  }, forget);
  return entry.website;
}

function websitesChanged(db: Db): void {
  forgetCachedWebsites(db);
  chatOriginsChanged();
}
export async function createWebsite(db: Db, input: z.output<typeof websiteCreateSchema>): Promise<WebsiteView> {
  const { name, projectId, queueId, ...settings } = input;
  const [row] = await db.insert(chatWebsites).values({ name, projectId, queueId, key: newWebsiteKey(), settings }).returning();
  websitesChanged(db);
  return toView(row!);
}
/** Applies a PATCH; with `expected` (the version the editor read) only while nobody saved since (409 otherwise). */
export async function updateWebsite(db: Db, id: number, patch: WebsitePatch, expected?: Date): Promise<WebsiteView> {
  const current = await getWebsite(db, id);
  assertUnchanged('chat website', id, new Date(current.updatedAt), expected);
  const { id: _i, key: _k, name: _n, projectId: _p, queueId: _q, createdAt: _c, updatedAt: _u, ...settings } = current;
  let merged: WebsiteSettings;
  try {
    merged = mergeSettings(settings, patch);
  } catch (err) {
    if (!(err instanceof z.ZodError)) throw err;
    const fields = fieldProblems(err);
    throw new DomainError('validation', `Invalid request body: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, { fields });
  }
  const { name, projectId, queueId } = patch;
  const [row] = await db
    .update(chatWebsites)
    .set({ ...(name !== undefined ? { name } : {}), ...(projectId !== undefined ? { projectId } : {}), ...(queueId !== undefined ? { queueId } : {}), settings: merged, updatedAt: new Date() })
    .where(and(eq(chatWebsites.id, id), unchangedSince(chatWebsites.updatedAt, expected)))
    .returning();
  if (!row) throw staleEdit('chat website', id);
  websitesChanged(db);
  return toView(row);
}
export async function deleteWebsite(db: Db, id: number): Promise<void> {
  const gone = await db.delete(chatWebsites).where(eq(chatWebsites.id, id)).returning({ id: chatWebsites.id });
  if (gone.length === 0) throw notFound('chat website', id);
  websitesChanged(db);
}

/** The one script tag an admin pastes into the site. */
export function snippetFor(baseUrl: string, key: string): string {
  return `<script src="${baseUrl.replace(/\/+$/, '')}/chat/tandem-chat.js" data-tandem-key="${key}" async></script>`;
}

/** What the widget may know of its website (no canned answers, dispositions or ids). */
export function widgetConfig(w: WebsiteView): WidgetConfig {
  return { title: w.appearance.title, greeting: w.appearance.greeting, color: w.appearance.color, position: w.appearance.position, proactive: w.proactive, onlineForm: w.onlineForm, offlineForm: w.offlineForm, maxFileBytes: w.maxFileBytes, allowedFileTypes: w.allowedFileTypes };
}
