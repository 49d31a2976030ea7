// Chat websites: the settings of one site that embeds the widget (origins, appearance, forms, canned
// answers, dispositions, limits, the flow project). Stored as one validated JSON document beside the
// columns the server looks up by (key, project, queue).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { chatWebsites } from '../../db/schema.ts';
import { notFound } from '../../http/errors.ts';
import { chatOriginsChanged } from './origins.ts';

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
  })
  .strict();
export type WebsiteSettings = z.output<typeof settingsSchema>;

const refs = {
  name: z.string().trim().min(1, 'is required').max(100),
  projectId: z.uuid('must be a project id (uuid)').nullable(),
  queueId: z.number().int().positive().nullable(),
};
export const websiteCreateSchema = settingsSchema.extend({ name: refs.name, projectId: refs.projectId.default(null), queueId: refs.queueId.default(null) }).strict();
export const websitePatchSchema = z.object({ name: refs.name, projectId: refs.projectId, queueId: refs.queueId, ...settingsSchema.shape }).partial().strict();

export type WebsiteView = { id: number; name: string; key: string; projectId: string | null; queueId: number | null; createdAt: string; updatedAt: string } & WebsiteSettings;
type Row = typeof chatWebsites.$inferSelect;

export function toView(row: Row): WebsiteView {
  return { id: row.id, name: row.name, key: row.key, projectId: row.projectId, queueId: row.queueId, ...settingsSchema.parse(row.settings), createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** 24 URL-safe characters. */
export const newWebsiteKey = () => randomBytes(18).toString('base64url');

export async function listWebsites(db: Db): Promise<WebsiteView[]> {
  return (await db.select().from(chatWebsites).orderBy(asc(chatWebsites.id))).map(toView);
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
export async function createWebsite(db: Db, input: z.output<typeof websiteCreateSchema>): Promise<WebsiteView> {
  const { name, projectId, queueId, ...settings } = input;
  const [row] = await db.insert(chatWebsites).values({ name, projectId, queueId, key: newWebsiteKey(), settings }).returning();
  chatOriginsChanged();
  return toView(row!);
}
/** `present`: the keys the client sent (zod fills defaults into absent ones; those must not overwrite). */
export async function updateWebsite(db: Db, id: number, parsed: z.output<typeof websitePatchSchema>, present: readonly string[]): Promise<WebsiteView> {
  const current = await getWebsite(db, id);
  const patch = Object.fromEntries(Object.entries(parsed).filter(([k]) => present.includes(k))) as z.output<typeof websitePatchSchema>;
  const { name, projectId, queueId, ...rest } = patch;
  const { id: _i, key: _k, name: _n, projectId: _p, queueId: _q, createdAt: _c, updatedAt: _u, ...settings } = current;
  const merged = settingsSchema.parse({ ...settings, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) });
  const [row] = await db
    .update(chatWebsites)
    .set({ ...(name !== undefined ? { name } : {}), ...(projectId !== undefined ? { projectId } : {}), ...(queueId !== undefined ? { queueId } : {}), settings: merged, updatedAt: new Date() })
    .where(eq(chatWebsites.id, id))
    .returning();
  chatOriginsChanged();
  return toView(row!);
}
export async function deleteWebsite(db: Db, id: number): Promise<void> {
  const gone = await db.delete(chatWebsites).where(eq(chatWebsites.id, id)).returning({ id: chatWebsites.id });
  if (gone.length === 0) throw notFound('chat website', id);
  chatOriginsChanged();
}

/** The one script tag an admin pastes into the site. */
export function snippetFor(baseUrl: string, key: string): string {
  return `<script src="${baseUrl.replace(/\/+$/, '')}/chat/tandem-chat.js" data-tandem-key="${key}" async></script>`;
}

/** What the widget may know of its website (no canned answers, dispositions or ids). */
export function widgetConfig(w: WebsiteView) {
  return { title: w.appearance.title, greeting: w.appearance.greeting, color: w.appearance.color, position: w.appearance.position, proactive: w.proactive, onlineForm: w.onlineForm, offlineForm: w.offlineForm, maxFileBytes: w.maxFileBytes, allowedFileTypes: w.allowedFileTypes };
}
