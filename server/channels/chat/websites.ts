// Chat websites: the settings of one site that embeds the widget (origins, appearance, forms, canned
// answers, dispositions, limits, the flow project). Stored as one validated JSON document beside the
// columns the server looks up by (key, project, queue).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { asc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { chatWebsites } from '../../db/schema.ts';
import { DomainError, notFound } from '../../errors.ts';
import { fieldProblems } from '../../http/validate.ts';
import { chatOriginsChanged } from './origins.ts';
import type { WidgetConfig } from '../../../contracts/chat-widget.ts';

/** An origin as browsers send it: scheme, host, optional port; no path. */
const originSchema = z
  .string()
  .trim()
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/, 'must be an origin such as https://www.example.com (scheme, host, optional port, no path)');
const formFieldSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'must be 1-40 letters, digits or _, starting with a letter'),
    label: z.string().trim().min(1).max(100),
    type: z.enum(['text', 'email', 'tel']).default('text'),
    required: z.boolean().default(false),
  })
  .strict();
const MIME = /^[a-z]+\/[a-z0-9.+-]+$/;

/**
 * What one website takes from the public, so that one client (or a crowd of them) cannot fill its
 * queue, its agents' desktops or the database: widget connections per client address, new chats per
 * client address and for the whole website in a sliding window, chats open at once, and the
 * unattended timeout (as XCALLY's: 30 minutes) after which a chat nobody on the contact center's side
 * has answered closes with the disposition "Timeout".
 */
export const limitsSchema = z
  .object({
    connectionsPerAddress: z.number().int().min(1).max(10_000).default(20),
    newChatsPerAddress: z.number().int().min(1).max(100_000).default(10),
    newChatsPerWebsite: z.number().int().min(1).max(1_000_000).default(300),
    windowSec: z.number().int().min(1).max(86_400).default(600),
    maxOpenChats: z.number().int().min(1).max(100_000).default(200),
    unattendedTimeoutSec: z.number().int().min(1).max(7 * 86_400).default(1800),
  })
  .strict();
export const TIMEOUT_DISPOSITION = 'Timeout';

export const settingsSchema = z
  .object({
    allowedOrigins: z.array(originSchema).max(50).default([]),
    appearance: z
      .object({
        title: z.string().max(100).default('Chat with us'),
        greeting: z.string().max(500).default(''),
        color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #1e88e5').default('#1e88e5'),
        position: z.enum(['right', 'left']).default('right'),
      })
      .strict()
      .prefault({}),
    proactive: z.object({ afterSeconds: z.number().int().min(1).max(3600).nullable().default(null), onMouseOver: z.boolean().default(false) }).strict().prefault({}),
    onlineForm: z.array(formFieldSchema).max(20).default([]),
    offlineForm: z
      .object({ enabled: z.boolean().default(true), title: z.string().max(100).default('Leave us a message'), fields: z.array(formFieldSchema).max(20).default([]) })
      .strict()
      .prefault({}),
    cannedAnswers: z.array(z.object({ title: z.string().trim().min(1).max(100), text: z.string().min(1).max(4000) }).strict()).max(500).default([]),
    dispositions: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
    maxFileBytes: z.number().int().min(1).max(900_000).default(512_000),
    allowedFileTypes: z.array(z.string().regex(MIME, 'must be a MIME type such as image/png')).max(50).default(['image/png', 'image/jpeg', 'application/pdf', 'text/plain']),
    limits: limitsSchema.prefault({}),
  })
  .strict();
export type WebsiteSettings = z.output<typeof settingsSchema>;

const refs = {
  name: z.string().trim().min(1, 'is required').max(100),
  projectId: z.uuid('must be a project id (uuid)').nullable(),
  queueId: z.number().int().positive().nullable(),
};
export const websiteCreateSchema = settingsSchema.extend({ name: refs.name, projectId: refs.projectId.default(null), queueId: refs.queueId.default(null) }).strict();

// PATCH: what is absent stays; an object (appearance, proactive, offlineForm) is merged one level
// deep, so `{ appearance: { title } }` keeps the colour; arrays are replaced whole; `null` clears an
// optional field back to its default (`{ proactive: { afterSeconds: null } }`, `{ queueId: null }`,
// `{ appearance: null }`). The merged settings are validated again as a whole.
type FieldPatch<T> = T extends readonly unknown[] ? T : T extends Record<string, unknown> ? { [K in keyof T]?: T[K] | null } : T;
export type WebsitePatch = { name?: string; projectId?: string | null; queueId?: number | null } & { [K in keyof WebsiteSettings]?: FieldPatch<WebsiteSettings[K]> | null };

/** The schema a field has without its default, so that an absent field stays absent. */
function withoutDefault(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault ? withoutDefault(schema.unwrap() as z.ZodType) : schema;
}
function patchFieldSchema(schema: z.ZodType): z.ZodType {
  const bare = withoutDefault(schema);
  if (!(bare instanceof z.ZodObject)) return bare.nullable().optional();
  const nested = Object.fromEntries(Object.entries(bare.shape as Record<string, z.ZodType>).map(([k, f]) => [k, withoutDefault(f).nullable().optional()]));
  return z.object(nested).strict().nullable().optional();
}
export const websitePatchSchema = z
  .object({
    name: refs.name.optional(),
    projectId: refs.projectId.optional(),
    queueId: refs.queueId.optional(),
    ...Object.fromEntries(Object.entries(settingsSchema.shape as Record<string, z.ZodType>).map(([k, f]) => [k, patchFieldSchema(f)])),
  })
  .strict() as unknown as z.ZodType<WebsitePatch>;

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
  return { id: row.id, name: row.name, key: row.key, projectId: row.projectId, queueId: row.queueId, ...settingsSchema.parse(row.settings), createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
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
export async function updateWebsite(db: Db, id: number, patch: WebsitePatch): Promise<WebsiteView> {
  const current = await getWebsite(db, id);
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
    .where(eq(chatWebsites.id, id))
    .returning();
  websitesChanged(db);
  return toView(row!);
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
