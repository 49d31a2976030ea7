// A chat website's document as the API takes it (origins, appearance, proactive invitation, forms,
// canned answers, file rules, limits) beside the columns the server looks it up by (name, flow project,
// queue). The server validates request bodies with these schemas and the web app's website editor its
// draft with the very same ones. Dispositions are not part of it: they are the catalogue's
// (contracts/dispositions.ts), scoped to the website.
import { z } from 'zod';

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
 * has answered closes with the disposition "Timeout" (server/channels/chat/websites.ts).
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

/**
 * The settings of a stored document. Documents written before the dispositions catalogue held a
 * `dispositions` list (moved into the catalogue by a migration): it is dropped, so they stay readable.
 */
export function storedSettings(document: unknown): WebsiteSettings {
  const { dispositions: _moved, ...rest } = typeof document === 'object' && document !== null && !Array.isArray(document) ? (document as Record<string, unknown>) : {};
  return settingsSchema.parse(rest);
}
