// Web chat over HTTP: websites (admin, `chat` permission), the agent's side of a chat (messages,
// typing, files, tags, close with a disposition), the contact's journey, and supervisors' view and
// secret notes. Attachments download for agents/supervisors here, for visitors in chatPublicRoutes.
// Everything is scoped (../../channels/chat/scope.ts): a supervisor reaches the chats of the queues
// they are enabled on and the websites of those queues, an agent the websites of the queues they serve;
// what is out of scope answers 404 exactly like what does not exist.
import { z } from 'zod';
import { and, desc, eq, ne } from 'drizzle-orm';
import type { Next } from 'koa';
import { newRouter, principalOf, type Ctx, type Services } from '../context.ts';
import { parseBody, parseId, parseQuery } from '../validate.ts';
import { requirePermission } from '../auth-middleware.ts';
import { ApiError, notFound } from '../errors.ts';
import { can, type Principal } from '../../auth/permissions.ts';
import { interactions } from '../../db/schema.ts';
import { readMultipartForm, filePart } from '../../sounds/multipart.ts';
import { createWebsite, deleteWebsite, getWebsite, listWebsites, snippetFor, updateWebsite, websiteCreateSchema, websitePatchSchema } from '../../channels/chat/websites.ts';
import { getInteraction, interactionView, journey, listMessages, readAttachment, saveAttachment, updateInteraction, type InteractionRow } from '../../channels/chat/store.ts';
import { agentHandlesWebsite, chatScopeOf, interactionCondition, seesInteraction, seesQueue, seesWebsite, websiteCondition } from '../../channels/chat/scope.ts';
import { checkFile } from '../../channels/chat/file-check.ts';
import { visitorByToken } from '../../channels/chat/visitor-tokens.ts';
import { chatOriginCheck } from '../../channels/chat/origins.ts';
import { MAX_TEXT } from '../../channels/chat/widget-namespace.ts';
import { uniqueViolation } from '../../db/errors.ts';
import { claimPending, pendingForAgent } from '../../channels/chat/pending.ts';
import { conflict } from '../errors.ts';
import { audit } from '../../db/audit.ts';
import { etagOf, expectedVersion } from '../preconditions.ts';
import { checkedDisposition, websiteDispositionPaths } from '../../dispositions/catalogue.ts';
import { placeOfInteraction } from '../../dispositions/interaction-place.ts';

function rethrowNameConflict(err: unknown): never {
  if (uniqueViolation(err) === 'chat_websites_name_key') throw conflict('name', 'a chat website with this name already exists');
  throw err;
}

const textSchema = z.object({ text: z.string().trim().min(1, 'is required').max(MAX_TEXT, `at most ${MAX_TEXT} characters`) }).strict();
const typingSchema = z.object({ typing: z.boolean() }).strict();
const tagsSchema = z.object({ tags: z.array(z.string().trim().min(1).max(50)).max(50) }).strict();
const closeSchema = z.object({ disposition: z.string().trim().min(1, 'is required').max(310), note: z.string().max(2000).optional() }).strict();
const assignSchema = z.object({ agentId: z.number().int().positive().optional() }).strict();
const statusQuery = z.object({ status: z.enum(['open', 'pending', 'closed']).default('open') });

const isSupervisorReader = (p: Principal) => p.role !== 'agent' && can(p, 'chat', 'read');

export function chatRoutes(services: Services) {
  const { db, config } = services;
  const router = newRouter();
  // The chat service starts with socket.io, after the routes are built.
  const live = () => {
    if (!services.chat) throw new ApiError('INTERNAL', 'The chat service is not running on this node');
    return services.chat;
  };

  // --- websites (admin) ---------------------------------------------------------------------------
  /** The website, when the principal's scope reaches it (404 otherwise, as for an unknown id). */
  async function websiteInScope(ctx: Ctx) {
    const w = await getWebsite(db, parseId(ctx));
    if (!seesWebsite(await chatScopeOf(db, principalOf(ctx)), w)) throw notFound('chat website', w.id);
    return w;
  }
  /**
   * A supervisor's website must stay theirs: its queue is one they are enabled on (so none of them can
   * move a website, and its chats, to another supervisor's queue, nor leave it without a queue).
   */
  async function checkQueueField(ctx: Ctx, queueId: number | null | undefined) {
    if (queueId === undefined) return;
    const scope = await chatScopeOf(db, principalOf(ctx));
    if (scope.all || seesQueue(scope, queueId)) return;
    const message = queueId === null ? 'is required: a supervisor\'s website is on one of their queues' : `no queue ${queueId} among the queues you are enabled on`;
    throw new ApiError('VALIDATION_FAILED', `Invalid request body: queueId: ${message}`, { fields: [{ field: 'queueId', message }] });
  }
  router.get('/api/chat/websites', requirePermission('chat', 'read'), async (ctx) => {
    ctx.body = await listWebsites(db, websiteCondition(await chatScopeOf(db, principalOf(ctx))));
  });
  router.post('/api/chat/websites', requirePermission('chat', 'edit'), async (ctx) => {
    const input = parseBody(ctx, websiteCreateSchema);
    await checkQueueField(ctx, input.queueId);
    const created = await createWebsite(db, input).catch(rethrowNameConflict);
    await audit(db, principalOf(ctx).userId, 'chat-website.created', `chat-website:${created.id}`, { name: created.name });
    ctx.status = 201;
    ctx.body = created;
    services.chat?.websitesChanged();
  });
  // GET gives the version as an ETag; a PATCH sending it back in If-Match is refused (409) once
  // someone else saved the website in between.
  router.get('/api/chat/websites/:id', requirePermission('chat', 'read'), async (ctx) => {
    const w = await websiteInScope(ctx);
    ctx.set('ETag', etagOf(new Date(w.updatedAt)));
    ctx.body = w;
  });
  router.patch('/api/chat/websites/:id', requirePermission('chat', 'edit'), async (ctx) => {
    const { id } = await websiteInScope(ctx);
    const patch = parseBody(ctx, websitePatchSchema);
    await checkQueueField(ctx, patch.queueId);
    const updated = await updateWebsite(db, id, patch, expectedVersion(ctx)).catch(rethrowNameConflict);
    ctx.set('ETag', etagOf(new Date(updated.updatedAt)));
    ctx.body = updated;
    await audit(db, principalOf(ctx).userId, 'chat-website.updated', `chat-website:${id}`, { fields: Object.keys(patch) });
    services.chat?.websitesChanged();
  });
  router.delete('/api/chat/websites/:id', requirePermission('chat', 'delete'), async (ctx) => {
    const { id } = await websiteInScope(ctx);
    await deleteWebsite(db, id);
    await audit(db, principalOf(ctx).userId, 'chat-website.deleted', `chat-website:${id}`);
    services.chat?.websitesChanged();
    ctx.status = 204;
  });
  router.get('/api/chat/websites/:id/snippet', requirePermission('chat', 'read'), async (ctx) => {
    const w = await websiteInScope(ctx);
    ctx.body = { snippet: snippetFor(config.http.publicUrl || `${ctx.protocol}://${ctx.host}`, w.key) };
  });
  /**
   * Agents read the canned answers and dispositions of the websites of the queues they serve, and of
   * any website whose chat they have (a flow may route a chat to a queue other than its website's).
   */
  async function websiteForDesk(ctx: Ctx) {
    const p = principalOf(ctx);
    if (p.role !== 'agent' && !can(p, 'chat', 'read')) throw new ApiError('FORBIDDEN', "This needs the 'read' permission on 'chat'");
    const w = await getWebsite(db, parseId(ctx));
    if (seesWebsite(await chatScopeOf(db, p), w)) return w;
    if (p.role === 'agent' && (await agentHandlesWebsite(db, p.userId, w.id))) return w;
    throw notFound('chat website', w.id);
  }
  router.get('/api/chat/websites/:id/canned-answers', async (ctx) => {
    ctx.body = (await websiteForDesk(ctx)).cannedAnswers;
  });
  // The paths of the website's own dispositions (the catalogue's website trees); the desktop reads
  // every tree that applies to a chat from /api/interactions/:id/dispositions.
  router.get('/api/chat/websites/:id/dispositions', async (ctx) => {
    ctx.body = await websiteDispositionPaths(db, (await websiteForDesk(ctx)).id);
  });

  // --- interactions -------------------------------------------------------------------------------
  /** The interaction, when the principal is its agent (or, with `supervisors`, may watch it). */
  async function reachable(ctx: Ctx, supervisors: boolean): Promise<InteractionRow> {
    const p = principalOf(ctx);
    const row = await getInteraction(db, parseId(ctx));
    if (row.agentId === p.userId) return row;
    // Accepted a moment ago: the queue entry already names the agent, the interaction not yet.
    if (row.agentId === null && row.entryId && services.acd) {
      const entry = await services.acd.getEntry(row.entryId).catch(() => undefined);
      if (entry?.status === 'accepted' && entry.agentId === p.userId) return updateInteraction(db, row.id, { agentId: p.userId });
    }
    if (supervisors && isSupervisorReader(p) && seesInteraction(await chatScopeOf(db, p), row)) return row;
    throw notFound('interaction', row.id);
  }
  /** The interaction, for a supervisor (or admin) with chat read whose scope reaches it. */
  async function watchable(ctx: Ctx): Promise<InteractionRow> {
    const p = principalOf(ctx);
    const row = await getInteraction(db, parseId(ctx));
    if (!seesInteraction(await chatScopeOf(db, p), row)) throw notFound('interaction', row.id);
    return row;
  }
  const openForAgent = async (ctx: Ctx) => {
    const row = await reachable(ctx, false);
    if (row.status === 'closed') throw new ApiError('CONFLICT', `Interaction ${row.id} is closed`, { fields: [{ field: 'id', message: 'is closed' }] });
    return row;
  };

  router.get('/api/me/interactions', async (ctx) => {
    const p = principalOf(ctx);
    const { status } = parseQuery(ctx, statusQuery);
    const rows = await db
      .select()
      .from(interactions)
      .where(and(eq(interactions.agentId, p.userId), status === 'closed' ? eq(interactions.status, 'closed') : ne(interactions.status, 'closed')))
      .orderBy(desc(interactions.id))
      .limit(200);
    ctx.body = await Promise.all(rows.map((r) => interactionView(db, r)));
  });
  /** Offline-form messages of the agent's queues that nobody has taken yet. */
  router.get('/api/me/pending-interactions', async (ctx) => {
    const p = principalOf(ctx);
    if (p.role !== 'agent') throw new ApiError('FORBIDDEN', 'Only agents have pending interactions to take');
    ctx.body = await Promise.all((await pendingForAgent(db, p.userId)).map((r) => interactionView(db, r)));
  });
  /** An agent takes a pending interaction ({}), or a supervisor with chat edit gives it to one ({agentId}). */
  router.post('/api/interactions/:id/claim', async (ctx) => {
    const p = principalOf(ctx);
    const id = parseId(ctx);
    const { agentId } = parseBody(ctx, assignSchema);
    let row: InteractionRow;
    if (p.role === 'agent') {
      if (agentId !== undefined && agentId !== p.userId) throw new ApiError('FORBIDDEN', 'Agents take pending interactions for themselves only');
      row = await claimPending(db, id, p.userId, 'agent');
    } else {
      if (!can(p, 'chat', 'edit')) throw new ApiError('FORBIDDEN', "This needs the 'edit' permission on 'chat'");
      await watchable(ctx);
      if (agentId === undefined) throw new ApiError('VALIDATION_FAILED', 'Invalid request body: agentId: is required', { fields: [{ field: 'agentId', message: 'is required' }] });
      row = await claimPending(db, id, agentId, 'supervisor');
    }
    services.logger.info({ interaction: row.id, agent: row.agentId, by: p.userId }, 'pending interaction taken');
    ctx.body = await interactionView(db, row);
  });
  router.get('/api/interactions', requirePermission('chat', 'read'), async (ctx) => {
    const { status } = parseQuery(ctx, statusQuery);
    const scope = await chatScopeOf(db, principalOf(ctx));
    const rows = await db.select().from(interactions).where(and(eq(interactions.status, status), interactionCondition(scope))).orderBy(desc(interactions.id)).limit(500);
    ctx.body = await Promise.all(rows.map((r) => interactionView(db, r)));
  });
  router.get('/api/interactions/:id/messages', async (ctx) => {
    const row = await reachable(ctx, true);
    ctx.body = await listMessages(db, row.id, true);
  });
  router.post('/api/interactions/:id/messages', async (ctx) => {
    const row = await openForAgent(ctx);
    const { text } = parseBody(ctx, textSchema);
    ctx.status = 201;
    ctx.body = await live().post(row, 'agent', text, { userId: principalOf(ctx).userId });
  });
  router.post('/api/interactions/:id/typing', async (ctx) => {
    const row = await openForAgent(ctx);
    live().agentTyping(row, parseBody(ctx, typingSchema).typing);
    ctx.status = 204;
  });
  router.post('/api/interactions/:id/attachments', async (ctx) => {
    const row = await openForAgent(ctx);
    const website = row.accountId ? await getWebsite(db, row.accountId) : undefined;
    const limit = website?.maxFileBytes ?? 512_000;
    const form = await readMultipartForm(ctx, limit + 16_384);
    const entry = form.get('file');
    let type = entry && typeof entry !== 'string' ? entry.type.split(';')[0]!.trim().toLowerCase() : '';
    const file = await filePart(form, 'file');
    if (website && !website.allowedFileTypes.includes(type)) throw new ApiError('VALIDATION_FAILED', `Files of type '${type || 'unknown'}' are not allowed`, { fields: [{ field: 'file', message: 'FILE_TYPE_NOT_ALLOWED' }] });
    if (file.bytes.byteLength > limit) throw new ApiError('PAYLOAD_TOO_LARGE', `The file is ${file.bytes.byteLength} bytes; the limit is ${limit}`, { limit });
    if (website) {
      // The declared type is the sender's claim: the content must be what the website allows.
      const verdict = await checkFile({ name: file.fileName, declaredType: type, bytes: file.bytes }, website.allowedFileTypes);
      if (!verdict.ok) throw new ApiError('VALIDATION_FAILED', verdict.message, { fields: [{ field: 'file', message: `${verdict.code}: ${verdict.message}` }] });
      type = verdict.type;
    }
    const attachment = await saveAttachment(db, config.dataDir, { interactionId: row.id, name: file.fileName, type, bytes: file.bytes });
    ctx.status = 201;
    ctx.body = await live().post(row, 'agent', '', { userId: principalOf(ctx).userId, attachment });
  });
  router.get('/api/attachments/:id', async (ctx) => {
    const { row: att, bytes } = await readAttachment(db, config.dataDir, parseId(ctx));
    const p = principalOf(ctx);
    const owner = await getInteraction(db, att.interactionId);
    if (owner.agentId !== p.userId && !(isSupervisorReader(p) && seesInteraction(await chatScopeOf(db, p), owner))) throw notFound('attachment', att.id);
    sendFile(ctx, att, bytes);
  });
  router.post('/api/interactions/:id/tags', async (ctx) => {
    const row = await reachable(ctx, false);
    const { tags } = parseBody(ctx, tagsSchema);
    ctx.body = await interactionView(db, await updateInteraction(db, row.id, { tags: [...new Set(tags)] }));
  });
  router.post('/api/interactions/:id/close', async (ctx) => {
    const row = await reachable(ctx, false);
    const { disposition, note } = parseBody(ctx, closeSchema);
    // One of the dispositions that apply to the chat (global, its queue's, its website's), as its path.
    const code = (await checkedDisposition(db, disposition, await placeOfInteraction(db, row), true))!;
    const closed = await live().close(row.id, 'agent', { code, ...(note ? { note } : {}), agentId: principalOf(ctx).userId });
    ctx.body = await interactionView(db, closed);
  });
  router.post('/api/interactions/:id/notes', requirePermission('chat', 'read'), async (ctx) => {
    const p = principalOf(ctx);
    if (p.role === 'agent') throw new ApiError('FORBIDDEN', 'Only supervisors leave notes');
    const row = await watchable(ctx);
    const { text } = parseBody(ctx, textSchema);
    ctx.status = 201;
    ctx.body = await live().note(row, p.userId, text);
  });
  /**
   * The contact's journey as far as the caller's scope reaches (agents: the queues they serve and the
   * chats they handled; supervisors: their queues). A contact none of whose interactions they reach is
   * not found, as an unknown one.
   */
  router.get('/api/contacts/:id/journey', async (ctx) => {
    const p = principalOf(ctx);
    const contactId = parseId(ctx);
    if (p.role !== 'agent' && !can(p, 'chat', 'read') && !can(p, 'contacts', 'read')) throw new ApiError('FORBIDDEN', "This needs the 'read' permission on 'contacts'");
    const scope = await chatScopeOf(db, p);
    const items = await journey(db, contactId, scope);
    if (!scope.all && items.length === 0) throw notFound('contact', contactId);
    ctx.body = items;
  });
  return router;
}

function sendFile(ctx: Ctx, att: { name: string; type: string }, bytes: Buffer): void {
  // Never rendered inline by the browser: an uploaded HTML or SVG must not run on Tandem's origin.
  ctx.set('Content-Type', 'application/octet-stream');
  ctx.set('Content-Disposition', `attachment; filename="${att.name.replace(/[^A-Za-z0-9._ -]/g, '_')}"`);
  ctx.set('X-Original-Content-Type', att.type);
  ctx.body = bytes;
}

/** Visitors download the files of their own chat with their token (header X-Tandem-Visitor). */
export function chatPublicRoutes(services: Services) {
  const { db, config } = services;
  const router = newRouter();
  const isChatOrigin = chatOriginCheck(db);
  // The widget fetches with its token header from the customer's page: a CORS preflight first.
  router.options('/api/attachments/:id', async (ctx: Ctx, next: Next) => {
    const origin = ctx.get('origin');
    if (!origin || !(await isChatOrigin(origin))) return next();
    ctx.set('Access-Control-Allow-Origin', origin);
    ctx.set('Access-Control-Allow-Methods', 'GET');
    ctx.set('Access-Control-Allow-Headers', 'X-Tandem-Visitor');
    ctx.set('Access-Control-Max-Age', '600');
    ctx.vary('Origin');
    ctx.status = 204;
  });
  router.get('/api/attachments/:id', async (ctx: Ctx, next: Next) => {
    const token = ctx.get('x-tandem-visitor');
    if (!token) return next();
    const { row: att, bytes } = await readAttachment(db, config.dataDir, parseId(ctx));
    const owner = await getInteraction(db, att.interactionId);
    const visitor = owner.accountId ? await visitorByToken(db, owner.accountId, token) : undefined;
    if (!visitor || visitor.interactionId !== owner.id) throw notFound('attachment', att.id);
    const origin = ctx.get('origin');
    const website = origin && owner.accountId ? await getWebsite(db, owner.accountId).catch(() => undefined) : undefined;
    if (website?.allowedOrigins.includes(origin)) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Expose-Headers', 'Content-Disposition, X-Original-Content-Type');
      ctx.vary('Origin');
    }
    sendFile(ctx, att, bytes);
  });
  return router;
}
