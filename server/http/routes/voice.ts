// /api/voice: routes (inbound, internal, outbound, in order, with time intervals), trunks and call
// records. Needs the `voice` permission; a supervisor reads the call records of their scope only.
import { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import { newRouter, principalOf, type Services } from '../context.ts';
import { parseBody, parseId, parseQuery } from '../validate.ts';
import { requirePermission } from '../auth-middleware.ts';
import { notFound } from '../errors.ts';
import { expectedVersion, sendVersioned } from '../preconditions.ts';
import { calls } from '../../db/schema.ts';
import { callScope } from '../../staff/scope.ts';
import {
  createRoute,
  createTrunk,
  deleteRoute,
  deleteTrunk,
  getRoute,
  getTrunk,
  listRoutes,
  listTrunks,
  reorderRoutes,
  updateRoute,
  updateTrunk,
} from '../../voice/routes.ts';
import { listCalls } from '../../voice/call-list.ts';
import { callListQuery, ROUTE_KINDS, routeCreateSchema, routeListQuery, routeOrderSchema, routeUpdateSchema, trunkCreateSchema, trunkUpdateSchema } from '../../../contracts/voice.ts';

export function voiceRoutes(services: Services) {
  const { db } = services;
  const router = newRouter();
  const read = requirePermission('voice', 'read');
  const edit = requirePermission('voice', 'edit');
  const del = requirePermission('voice', 'delete');

  router.get('/api/voice/routes', read, async (ctx) => {
    ctx.body = await listRoutes(db, parseQuery(ctx, routeListQuery).kind);
  });
  router.post('/api/voice/routes', edit, async (ctx) => {
    const input = parseBody(ctx, routeCreateSchema);
    ctx.status = 201;
    ctx.body = await createRoute(db, input, principalOf(ctx).userId);
  });
  router.put('/api/voice/routes/order/:kind', edit, async (ctx) => {
    const kind = z.enum(ROUTE_KINDS).safeParse(ctx.params.kind);
    if (!kind.success) throw notFound('route kind', ctx.params.kind);
    ctx.body = await reorderRoutes(db, kind.data, parseBody(ctx, routeOrderSchema).routeIds, principalOf(ctx).userId);
  });
  router.get('/api/voice/routes/:id', read, async (ctx) => {
    sendVersioned(ctx, await getRoute(db, parseId(ctx)));
  });
  router.patch('/api/voice/routes/:id', edit, async (ctx) => {
    const id = parseId(ctx);
    sendVersioned(ctx, await updateRoute(db, id, parseBody(ctx, routeUpdateSchema), principalOf(ctx).userId, expectedVersion(ctx)));
  });
  router.delete('/api/voice/routes/:id', del, async (ctx) => {
    await deleteRoute(db, parseId(ctx), principalOf(ctx).userId);
    ctx.status = 204;
  });

  router.get('/api/voice/trunks', read, async (ctx) => {
    ctx.body = await listTrunks(db);
  });
  router.post('/api/voice/trunks', edit, async (ctx) => {
    const input = parseBody(ctx, trunkCreateSchema);
    ctx.status = 201;
    ctx.body = await createTrunk(db, input, principalOf(ctx).userId);
  });
  router.get('/api/voice/trunks/:id', read, async (ctx) => {
    sendVersioned(ctx, await getTrunk(db, parseId(ctx)));
  });
  router.patch('/api/voice/trunks/:id', edit, async (ctx) => {
    const id = parseId(ctx);
    sendVersioned(ctx, await updateTrunk(db, id, parseBody(ctx, trunkUpdateSchema), principalOf(ctx).userId, expectedVersion(ctx)));
  });
  router.delete('/api/voice/trunks/:id', del, async (ctx) => {
    await deleteTrunk(db, parseId(ctx), principalOf(ctx).userId);
    ctx.status = 204;
  });

  // Call records: a supervisor reads those of their scope only (callScope: through their queues or
  // their agents); anything else answers as an unknown id.
  // The page is the body (an array); X-Total-Count says how many match in all.
  router.get('/api/voice/calls', read, async (ctx) => {
    const { rows, total } = await listCalls(db, principalOf(ctx), parseQuery(ctx, callListQuery));
    ctx.set('X-Total-Count', String(total));
    ctx.body = rows;
  });
  router.get('/api/voice/calls/:id', read, async (ctx) => {
    const id = parseId(ctx);
    const [row] = await db
      .select()
      .from(calls)
      .where(and(eq(calls.id, id), callScope(principalOf(ctx))));
    if (!row) throw notFound('call', id);
    ctx.body = row;
  });
  return router;
}
