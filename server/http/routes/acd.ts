// The queue engine over HTTP: agents' own presence and offers (/api/me/…), supervisors acting on
// agents of their scope, entries (enqueue for integrations, abandon, routing explainability), pause
// reasons and agent state history.
import { z } from 'zod';
import { and, asc, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Next } from 'koa';
import { newRouter, principalOf, type Ctx, type Services } from '../context.ts';
import { parseBody, parseId, parseQuery } from '../validate.ts';
import { requirePermission, requireRole } from '../auth-middleware.ts';
import { ApiError, notFound } from '../errors.ts';
import { agentStateHistory, pauseReasons, queueEntries, queues } from '../../db/schema.ts';
import { can } from '../../auth/permissions.ts';
import { audit } from '../../db/audit.ts';
import { agentInScope, findQueueInScope, queueInScope } from '../../staff/scope.ts';
import { CHANNELS, DEVICES, getPresence, login, logout, pause, type AgentPresence } from '../../acd/presence.ts';
import type { AcdEngine } from '../../acd/engine.ts';
import { pauseReasonCreateSchema, phoneCreateSchema } from '../../../contracts/staff.ts';
import { rethrowConflict } from '../../staff/conflicts.ts';
import { agents as agentsTable } from '../../db/schema.ts';
import { checkedDisposition } from '../../dispositions/catalogue.ts';
import { placeOfEntry } from '../../dispositions/interaction-place.ts';
import { choicesFor, createPhone, deletePhone, freePhones, listPhones, takePhone } from '../../acd/hotdesk.ts';

const channelList = z.array(z.enum(CHANNELS, { message: `must be one of ${CHANNELS.join(', ')}` })).min(1).max(CHANNELS.length);
const loginSchema = z
  .object({
    device: z.enum(DEVICES, { message: `must be one of ${DEVICES.join(', ')}` }).default('web'),
    dialTarget: z
      .string()
      .regex(/^(PJSIP|SIP|IAX2|Local)\/[A-Za-z0-9@._+*#-]{1,80}$/, 'must be an Asterisk dial string such as PJSIP/1001')
      .nullish(),
    hotdeskPhone: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/, 'must be a phone (endpoint) name').nullish(),
  })
  .strict();
const pauseSchema = z.object({ reason: z.string().trim().min(1, 'is required').max(100), channels: channelList.optional() }).strict();
const unpauseSchema = z.object({ channels: channelList.optional() }).strict();
const logoutSchema = z.object({ reason: z.string().max(100).optional() }).strict();
const finishSchema = z.object({ disposition: z.string().trim().min(1).max(310).optional(), note: z.string().max(2000).optional() }).strict();
const enqueueSchema = z
  .object({
    interactionRef: z.string().min(1, 'is required').max(200),
    caller: z.string().max(200).default(''),
    priority: z.number().int().min(-100).max(100).default(0),
    timeoutSec: z.number().int().min(0).max(86_400).default(0),
  })
  .strict();
const historyQuery = z.object({
  from: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  to: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

/**
 * How long a voice call that ended without a disposition keeps coming back to its agent's desktop:
 * about a shift, so a form left unanswered does not follow the agent for ever.
 */
const UNDISPOSED_CALL_WINDOW_MS = 12 * 3600 * 1000;

/** Only agents reach /api/me/presence and offers: they act for themselves. */
async function agentSelf(ctx: Ctx, next: Next): Promise<void> {
  if (principalOf(ctx).role !== 'agent') throw new ApiError('FORBIDDEN', 'Only agents have a presence and offers');
  await next();
}

export function acdRoutes(services: Services, engine: AcdEngine) {
  const { db } = services;
  const router = newRouter();
  const body = <T extends z.ZodType>(ctx: Ctx, schema: T): z.output<T> => (ctx.state.body === undefined ? schema.parse({}) : parseBody(ctx, schema));

  // --- the agent's own presence and offers
  router.get('/api/me/presence', agentSelf, async (ctx) => {
    ctx.body = await getPresence(db, principalOf(ctx).userId);
  });
  const deviceState = (device: string) => services.devices?.get(device);
  router.post('/api/me/login', agentSelf, async (ctx) => {
    const agentId = principalOf(ctx).userId;
    const input = body(ctx, loginSchema);
    const [me] = await db.select({ hotdesk: agentsTable.hotdesk, typology: agentsTable.typology }).from(agentsTable).where(eq(agentsTable.userId, agentId));
    const hotdesk = me?.hotdesk === true && me.typology === 'external';
    if (hotdesk && !input.hotdeskPhone) {
      throw new ApiError('VALIDATION_FAILED', 'hotdeskPhone: pick one of your telephones (GET /api/me/hotdesk-phones)', { fields: [{ field: 'hotdeskPhone', message: 'is required for a hot-desk agent' }] });
    }
    if (!hotdesk && input.hotdeskPhone) {
      throw new ApiError('VALIDATION_FAILED', 'hotdeskPhone: hot-desking is not enabled for you', { fields: [{ field: 'hotdeskPhone', message: 'hot-desking is not enabled for this agent' }] });
    }
    const dialTarget = hotdesk ? await takePhone(db, agentId, input.hotdeskPhone!, deviceState) : input.dialTarget;
    ctx.body = await login(db, agentId, { ...input, ...(dialTarget ? { dialTarget } : {}) });
    engine.presenceChanged(ctx.body as AgentPresence);
  });
  router.get('/api/me/hotdesk-phones', agentSelf, async (ctx) => {
    const choices = await choicesFor(db, principalOf(ctx).userId, deviceState);
    ctx.body = { phones: choices.phones.map((p) => ({ id: p.id, name: p.name })), noneRegistered: choices.noneRegistered, excluded: choices.excluded };
  });
  router.post('/api/me/logout', agentSelf, async (ctx) => {
    const agentId = principalOf(ctx).userId;
    ctx.body = await logout(db, agentId, body(ctx, logoutSchema).reason ?? null);
    await freePhones(db, agentId);
    engine.presenceChanged(ctx.body as AgentPresence);
  });
  router.post('/api/me/pause', agentSelf, async (ctx) => {
    const input = parseBody(ctx, pauseSchema);
    ctx.body = await pause(db, principalOf(ctx).userId, true, input.reason, input.channels);
    engine.presenceChanged(ctx.body as AgentPresence);
  });
  router.post('/api/me/unpause', agentSelf, async (ctx) => {
    ctx.body = await pause(db, principalOf(ctx).userId, false, null, body(ctx, unpauseSchema).channels);
    engine.presenceChanged(ctx.body as AgentPresence);
  });
  router.get('/api/me/offers', agentSelf, async (ctx) => {
    const pending = await engine.pendingOffers(principalOf(ctx).userId);
    // With the entry's queue, channel and caller (as in the live acd:offer event), so a desktop
    // that reloads shows a pending offer as it showed it before.
    const entries = pending.length ? await db.select().from(queueEntries).where(inArray(queueEntries.id, pending.map((o) => o.entryId))) : [];
    ctx.body = pending.map((offer) => {
      const entry = entries.find((e) => e.id === offer.entryId);
      return { ...offer, offerId: offer.id, ...(entry ? { queueId: entry.queueId, channel: entry.channel, caller: entry.caller, interactionRef: entry.interactionRef } : {}) };
    });
  });
  // The agent's work a reloaded desktop must show again: what it accepted and did not finish (chats
  // and calls in progress), and voice calls that ended without a disposition (the disposition form
  // stays until it is saved; the call ending finishes the entry without one).
  router.get('/api/me/entries', agentSelf, async (ctx) => {
    const agentId = principalOf(ctx).userId;
    const since = new Date(Date.now() - UNDISPOSED_CALL_WINDOW_MS);
    const undisposedCall = and(eq(queueEntries.channel, 'voice'), gte(queueEntries.endedAt, since), sql`${queueEntries.data}->>'disposition' is null`);
    const rows = await db
      .select({ entry: queueEntries, queueName: queues.name })
      .from(queueEntries)
      .innerJoin(queues, eq(queues.id, queueEntries.queueId))
      .where(and(eq(queueEntries.agentId, agentId), eq(queueEntries.status, 'accepted'), or(isNull(queueEntries.endedAt), undisposedCall)))
      .orderBy(asc(queueEntries.id))
      .limit(100);
    ctx.body = rows.map(({ entry, queueName }) => ({
      entryId: entry.id,
      queueId: entry.queueId,
      queueName,
      channel: entry.channel,
      caller: entry.caller,
      interactionRef: entry.interactionRef,
      endedAt: entry.endedAt?.toISOString() ?? null,
    }));
  });
  router.post('/api/offers/:id/accept', agentSelf, async (ctx) => {
    ctx.body = await engine.accept(parseId(ctx), principalOf(ctx).userId);
  });
  router.post('/api/offers/:id/reject', agentSelf, async (ctx) => {
    await engine.reject(parseId(ctx), principalOf(ctx).userId);
    ctx.status = 204;
  });
  router.post('/api/me/entries/:id/finish', agentSelf, async (ctx) => {
    const entry = await engine.getEntry(parseId(ctx));
    const agentId = principalOf(ctx).userId;
    if (entry.agentId !== agentId) throw notFound('interaction', entry.id);
    const input = body(ctx, finishSchema);
    // One of the dispositions that apply to the entry (its path), and one at all when its queue requires it.
    const place = await placeOfEntry(db, entry);
    const disposition = await checkedDisposition(db, input.disposition, place, place.required);
    await engine.finish(entry.id, disposition ? { code: disposition, by: agentId, ...(input.note ? { note: input.note } : {}) } : undefined);
    ctx.status = 204;
  });

  // --- supervisors acting on agents of their scope
  router.get('/api/agents/:id/presence', requirePermission('staff', 'read'), async (ctx) => {
    const id = parseId(ctx);
    await agentInScope(db, principalOf(ctx), id);
    ctx.body = await getPresence(db, id);
  });
  router.post('/api/agents/:id/logout', requirePermission('staff', 'edit'), async (ctx) => {
    const id = parseId(ctx);
    await agentInScope(db, principalOf(ctx), id);
    ctx.body = await logout(db, id, body(ctx, logoutSchema).reason ?? `by ${principalOf(ctx).username}`);
    await freePhones(db, id);
    engine.presenceChanged(ctx.body as AgentPresence);
  });
  router.post('/api/agents/:id/pause', requirePermission('staff', 'edit'), async (ctx) => {
    const id = parseId(ctx);
    const input = parseBody(ctx, pauseSchema);
    await agentInScope(db, principalOf(ctx), id);
    ctx.body = await pause(db, id, true, input.reason, input.channels);
    engine.presenceChanged(ctx.body as AgentPresence);
  });
  router.post('/api/agents/:id/unpause', requirePermission('staff', 'edit'), async (ctx) => {
    const id = parseId(ctx);
    const input = body(ctx, unpauseSchema);
    await agentInScope(db, principalOf(ctx), id);
    ctx.body = await pause(db, id, false, null, input.channels);
    engine.presenceChanged(ctx.body as AgentPresence);
  });
  router.get('/api/agents/:id/state-history', requirePermission('staff', 'read'), async (ctx) => {
    const id = parseId(ctx);
    const q = parseQuery(ctx, historyQuery);
    await agentInScope(db, principalOf(ctx), id);
    ctx.body = await db
      .select()
      .from(agentStateHistory)
      .where(and(eq(agentStateHistory.userId, id), q.from ? gte(agentStateHistory.at, new Date(q.from)) : undefined, q.to ? lt(agentStateHistory.at, new Date(q.to)) : undefined))
      .orderBy(desc(agentStateHistory.id))
      .limit(q.limit);
  });

  // --- entries
  router.post('/api/queues/:id/entries', async (ctx) => {
    const p = principalOf(ctx);
    const id = parseId(ctx);
    const input = parseBody(ctx, enqueueSchema);
    const queue = await queueInScope(db, p, id);
    if (!can(p, queue.channel, 'edit')) throw new ApiError('FORBIDDEN', `This needs the 'edit' permission on '${queue.channel}'`);
    const result = await engine.enqueue({ queueId: id, interactionRef: input.interactionRef, caller: input.caller, priority: input.priority, timeoutMs: input.timeoutSec * 1000 });
    if (!result.ok) throw new ApiError('CONFLICT', `The queue refused the interaction: ${result.reason}`, { outcome: result.outcome });
    ctx.status = 201;
    ctx.body = result.entry;
  });
  // An entry of a queue outside the supervisor's scope answers exactly as an unknown entry does.
  const entryAccess = async (ctx: Ctx) => {
    const p = principalOf(ctx);
    const entry = await engine.getEntry(parseId(ctx));
    const queue = await findQueueInScope(db, p, entry.queueId);
    if (!queue) throw notFound('queue entry', entry.id);
    if (!can(p, queue.channel, 'read')) throw new ApiError('FORBIDDEN', `This needs the 'read' permission on '${queue.channel}'`);
    return { entry, queue, p };
  };
  router.get('/api/queue-entries/:id', async (ctx) => {
    ctx.body = (await entryAccess(ctx)).entry;
  });
  router.get('/api/queue-entries/:id/decisions', async (ctx) => {
    const { entry } = await entryAccess(ctx);
    ctx.body = await engine.decisions(entry.id);
  });
  router.post('/api/queue-entries/:id/abandon', async (ctx) => {
    const { entry, queue, p } = await entryAccess(ctx);
    if (!can(p, queue.channel, 'edit')) throw new ApiError('FORBIDDEN', `This needs the 'edit' permission on '${queue.channel}'`);
    const ended = await engine.abandon(entry.id);
    if (!ended) throw new ApiError('CONFLICT', `Entry ${entry.id} is no longer waiting (${entry.status})`, { status: entry.status });
    ctx.body = ended;
  });

  // --- telephones (hot-desking)
  router.get('/api/phones', requirePermission('staff', 'read'), async (ctx) => {
    ctx.body = await listPhones(db);
  });
  router.post('/api/phones', requirePermission('staff', 'edit'), async (ctx) => {
    const input = parseBody(ctx, phoneCreateSchema);
    ctx.status = 201;
    ctx.body = await createPhone(db, input);
  });
  router.delete('/api/phones/:id', requirePermission('staff', 'delete'), async (ctx) => {
    await deletePhone(db, parseId(ctx));
    ctx.status = 204;
  });

  // --- pause reasons
  router.get('/api/pause-reasons', async (ctx) => {
    ctx.body = await db.select().from(pauseReasons).orderBy(asc(pauseReasons.name));
  });
  router.post('/api/pause-reasons', requireRole('admin'), async (ctx) => {
    const input = parseBody(ctx, pauseReasonCreateSchema);
    try {
      const [row] = await db.insert(pauseReasons).values({ name: input.name, description: input.description ?? null }).returning();
      // Audited like every other configuration change; the supervisors' board reloads its list from it.
      await audit(db, principalOf(ctx).userId, 'pause-reason.created', `pause-reason:${row!.id}`, { name: input.name });
      ctx.status = 201;
      ctx.body = row;
    } catch (err) {
      rethrowConflict(err);
    }
  });
  router.delete('/api/pause-reasons/:id', requireRole('admin'), async (ctx) => {
    const id = parseId(ctx);
    const deleted = await db.delete(pauseReasons).where(eq(pauseReasons.id, id)).returning({ id: pauseReasons.id });
    if (!deleted.length) throw notFound('pause reason', id);
    await audit(db, principalOf(ctx).userId, 'pause-reason.deleted', `pause-reason:${id}`);
    ctx.status = 204;
  });
  return router;
}
