// The dispositions catalogue over HTTP (Tools → Dispositions) and the trees an agent closes an
// interaction with. Admins and supervisors with the `settings` permission read and shape it; a
// supervisor reaches the global trees (to read: they are an administrator's to change) and those of
// the queues they are enabled on and of the websites on those queues. A queue, website or node out of
// their scope answers 404 exactly as an unknown one.
import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import { newRouter, principalOf, type Ctx, type Services } from '../context.ts';
import { parseBody, parseId, parseQuery } from '../validate.ts';
import { requirePermission } from '../auth-middleware.ts';
import { ApiError, notFound } from '../errors.ts';
import { audit } from '../../db/audit.ts';
import { dispositions, queueEntries } from '../../db/schema.ts';
import { isScopedToQueues, type Principal } from '../../auth/permissions.ts';
import { findQueueInScope, queueScope } from '../../staff/scope.ts';
import { chatScopeOf, seesWebsite } from '../../channels/chat/scope.ts';
import { getWebsite } from '../../channels/chat/websites.ts';
import { getInteraction } from '../../channels/chat/store.ts';
import {
  applicableDispositions,
  createDisposition,
  deleteDisposition,
  dispositionView,
  getDisposition,
  keyOf,
  listDispositions,
  updateDisposition,
  type DispositionRow,
  type ScopeKey,
} from '../../dispositions/catalogue.ts';
import { placeOfEntry, placeOfInteraction } from '../../dispositions/interaction-place.ts';
import { dispositionCreateSchema, dispositionListQuery, dispositionUpdateSchema } from '../../../contracts/dispositions.ts';

/** SQL condition: the nodes a supervisor reaches (global, their queues', their queues' websites'); undefined when unscoped. */
function reachCondition(p: Principal): SQL | undefined {
  if (!isScopedToQueues(p)) return undefined;
  return or(
    eq(dispositions.scope, 'global'),
    and(eq(dispositions.scope, 'queue'), queueScope(p, dispositions.queueId)),
    and(
      eq(dispositions.scope, 'website'),
      sql`exists (select 1 from chat_websites disp_w join queue_supervisors disp_qs on disp_qs.queue_id = disp_w.queue_id
                  where disp_w.id = ${dispositions.websiteId} and disp_qs.user_id = ${p.userId})`,
    ),
  );
}

export function dispositionRoutes(services: Services) {
  const { db } = services;
  const router = newRouter();

  /** 404 unless the principal reaches the queue or website (the global scope: everyone with the permission). */
  async function assertReaches(p: Principal, key: { queueId?: number | null | undefined; websiteId?: number | null | undefined }, notFoundAs?: () => Error): Promise<void> {
    if (key.queueId != null && !(await findQueueInScope(db, p, key.queueId))) throw notFoundAs?.() ?? notFound('queue', key.queueId);
    if (key.websiteId != null) {
      const w = await getWebsite(db, key.websiteId).catch(() => undefined);
      if (!w || !seesWebsite(await chatScopeOf(db, p), w)) throw notFoundAs?.() ?? notFound('chat website', key.websiteId);
    }
  }
  /** A supervisor reads the global trees but leaves their changes to administrators. */
  function assertMayChange(p: Principal, key: ScopeKey): void {
    if (key.scope === 'global' && isScopedToQueues(p)) throw new ApiError('FORBIDDEN', 'Global dispositions are changed by administrators');
  }
  /** The node, when the principal reaches its tree (404 otherwise, as for an unknown id). */
  async function nodeInScope(ctx: Ctx): Promise<DispositionRow> {
    const row = await getDisposition(db, parseId(ctx));
    await assertReaches(principalOf(ctx), row, () => notFound('disposition', row.id));
    return row;
  }

  router.get('/api/dispositions', requirePermission('settings', 'read'), async (ctx) => {
    const filter = parseQuery(ctx, dispositionListQuery);
    const p = principalOf(ctx);
    await assertReaches(p, filter);
    ctx.body = await listDispositions(db, filter, reachCondition(p));
  });
  router.post('/api/dispositions', requirePermission('settings', 'edit'), async (ctx) => {
    const input = parseBody(ctx, dispositionCreateSchema);
    const p = principalOf(ctx);
    let parent: DispositionRow | undefined;
    let key: ScopeKey;
    if (input.parentId != null) {
      const parentId = input.parentId;
      parent = await getDisposition(db, parentId).catch(() => undefined);
      const fieldError = () => new ApiError('VALIDATION_FAILED', `Invalid request body: parentId: no disposition ${parentId}`, { fields: [{ field: 'parentId', message: `no disposition ${parentId}` }] });
      if (!parent) throw fieldError();
      await assertReaches(p, parent, fieldError);
      key = keyOf(parent);
    } else {
      key = { scope: input.scope!, queueId: input.queueId ?? null, websiteId: input.websiteId ?? null };
      await assertReaches(p, key);
    }
    assertMayChange(p, key);
    const row = await createDisposition(db, input, key, parent);
    const view = await dispositionView(db, row);
    await audit(db, p.userId, 'disposition.created', `disposition:${row.id}`, { path: view.path, scope: key.scope, queueId: key.queueId, websiteId: key.websiteId });
    ctx.status = 201;
    ctx.body = view;
  });
  router.get('/api/dispositions/:id', requirePermission('settings', 'read'), async (ctx) => {
    ctx.body = await dispositionView(db, await nodeInScope(ctx));
  });
  router.patch('/api/dispositions/:id', requirePermission('settings', 'edit'), async (ctx) => {
    const current = await nodeInScope(ctx);
    const patch = parseBody(ctx, dispositionUpdateSchema);
    const p = principalOf(ctx);
    assertMayChange(p, current);
    const before = await dispositionView(db, current);
    const row = await updateDisposition(db, current, patch);
    const view = await dispositionView(db, row);
    await audit(db, p.userId, 'disposition.updated', `disposition:${row.id}`, { fields: Object.keys(patch), from: before.path, to: view.path });
    ctx.body = view;
  });
  router.delete('/api/dispositions/:id', requirePermission('settings', 'delete'), async (ctx) => {
    const row = await nodeInScope(ctx);
    const p = principalOf(ctx);
    assertMayChange(p, row);
    const { path } = await dispositionView(db, row);
    const descendants = await deleteDisposition(db, row);
    await audit(db, p.userId, 'disposition.deleted', `disposition:${row.id}`, { path, descendants });
    ctx.status = 204;
  });

  // --- the agent's side: the trees that apply to the work they hold ------------------------------
  router.get('/api/me/entries/:id/dispositions', async (ctx) => {
    const p = principalOf(ctx);
    const id = parseId(ctx);
    const [entry] = await db.select().from(queueEntries).where(eq(queueEntries.id, id));
    if (!entry || entry.agentId !== p.userId) throw notFound('interaction', id);
    const place = await placeOfEntry(db, entry);
    ctx.body = { required: place.required, dispositions: await applicableDispositions(db, place) };
  });
  router.get('/api/interactions/:id/dispositions', async (ctx) => {
    const p = principalOf(ctx);
    const row = await getInteraction(db, parseId(ctx));
    let holds = row.agentId === p.userId;
    // Accepted a moment ago: the queue entry already names the agent, the interaction not yet.
    if (!holds && row.agentId === null && row.entryId !== null) {
      const [entry] = await db.select({ agentId: queueEntries.agentId }).from(queueEntries).where(eq(queueEntries.id, row.entryId));
      holds = entry?.agentId === p.userId;
    }
    if (!holds) throw notFound('interaction', row.id);
    const place = await placeOfInteraction(db, row);
    ctx.body = { required: place.required, dispositions: await applicableDispositions(db, place) };
  });
  return router;
}
