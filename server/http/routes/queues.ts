// /api/queues: queues per channel; the permission needed is the one of the queue's channel module
// (a chat supervisor edits chat queues, not voice ones). A supervisor reaches only their own queues
// (server/staff/scope.ts): another's answers 404 as an unknown id does.
import type { Next } from 'koa';
import { z } from 'zod';
import { newRouter, principalOf, type Ctx, type Services } from '../context.ts';
import { parseBody, parseId, parseQuery } from '../validate.ts';
import { ApiError } from '../errors.ts';
import { expectedVersion, sendVersioned } from '../preconditions.ts';
import { can, type Action, type Principal } from '../../auth/permissions.ts';
import type { Channel } from '../../db/schema.ts';
import {
  createQueue,
  deleteQueue,
  listQueueAgents,
  listQueues,
  putQueueAgent,
  removeQueueAgent,
  updateQueue,
  listQueueTeams,
  putQueueTeam,
  removeQueueTeam,
} from '../../acd/queues.ts';
import { queueAgentSchema, queueCreateSchema, queueListQuery, queueTeamSchema, queueUpdateSchema } from '../../../contracts/queues.ts';
import { CHANNELS } from '../../../contracts/channels.ts';
import { queueInScope } from '../../staff/scope.ts';
import { queueDeleteBlockers } from '../../admin/dependents.ts';

const deleteQueueQuery = z.object({ force: z.enum(['true', 'false'], { message: 'must be true or false' }).optional().transform((v) => v === 'true') });

function assertChannel(p: Principal, channel: Channel, action: Action): void {
  if (!can(p, channel, action)) throw new ApiError('FORBIDDEN', `This needs the '${action}' permission on '${channel}'`, { module: channel, action });
}

/** Any channel permission at all is needed to reach queues. */
async function anyChannel(ctx: Ctx, next: Next): Promise<void> {
  const p = principalOf(ctx);
  if (!CHANNELS.some((c) => can(p, c, 'read'))) throw new ApiError('FORBIDDEN', 'This needs a read permission on at least one channel');
  await next();
}

export function queueRoutes(services: Services) {
  const { db } = services;
  const router = newRouter();
  router.use('/api/queues', anyChannel);

  router.get('/api/queues', async (ctx) => {
    const p = principalOf(ctx);
    const { channel } = parseQuery(ctx, queueListQuery);
    ctx.body = (await listQueues(db, p, channel)).filter((q) => can(p, q.channel, 'read'));
  });
  router.post('/api/queues', async (ctx) => {
    const p = principalOf(ctx);
    const input = parseBody(ctx, queueCreateSchema);
    assertChannel(p, input.channel, 'edit');
    ctx.status = 201;
    ctx.body = await createQueue(db, input, p.userId);
  });
  router.get('/api/queues/:id', async (ctx) => {
    const p = principalOf(ctx);
    const q = await queueInScope(db, p, parseId(ctx));
    assertChannel(p, q.channel, 'read');
    sendVersioned(ctx, q);
  });
  router.patch('/api/queues/:id', async (ctx) => {
    const p = principalOf(ctx);
    const id = parseId(ctx);
    const input = parseBody(ctx, queueUpdateSchema);
    assertChannel(p, (await queueInScope(db, p, id)).channel, 'edit');
    sendVersioned(ctx, await updateQueue(db, p, id, input, expectedVersion(ctx)));
  });
  // A queue that running flows (published IVR versions) or websites send to is not deleted by
  // accident: 409 naming them, unless an administrator insists with ?force=true.
  router.delete('/api/queues/:id', async (ctx) => {
    const p = principalOf(ctx);
    const id = parseId(ctx);
    const queue = await queueInScope(db, p, id);
    assertChannel(p, queue.channel, 'delete');
    const { force } = parseQuery(ctx, deleteQueueQuery);
    if (force && p.role !== 'admin') throw new ApiError('FORBIDDEN', 'Only administrators delete a queue that is still in use (force)', { field: 'force' });
    if (!force) {
      const blockers = await queueDeleteBlockers(db, queue);
      if (blockers.length > 0) {
        const named = blockers.filter((d) => d.kind !== 'project' || can(p, 'ivr', 'read'));
        const hidden = blockers.length - named.length;
        const list = [...named.map((d) => `${d.kind} ${d.name} (${d.via})`), ...(hidden > 0 ? [`${hidden} IVR project(s) you cannot read`] : [])].join('; ');
        throw new ApiError('CONFLICT', `Queue ${queue.name} is still used by: ${list}. An administrator may delete it anyway with ?force=true`, { reason: 'in-use', dependents: named, hidden });
      }
    }
    await deleteQueue(db, p, id);
    ctx.status = 204;
  });
  router.get('/api/queues/:id/agents', async (ctx) => {
    const p = principalOf(ctx);
    const id = parseId(ctx);
    assertChannel(p, (await queueInScope(db, p, id)).channel, 'read');
    ctx.body = await listQueueAgents(db, p, id);
  });
  router.post('/api/queues/:id/agents', async (ctx) => {
    const p = principalOf(ctx);
    const id = parseId(ctx);
    const input = parseBody(ctx, queueAgentSchema);
    assertChannel(p, (await queueInScope(db, p, id)).channel, 'edit');
    ctx.body = await putQueueAgent(db, p, id, input);
  });
  router.delete('/api/queues/:id/agents/:agentId', async (ctx) => {
    const p = principalOf(ctx);
    const id = parseId(ctx);
    const agentId = parseId(ctx, 'agentId');
    assertChannel(p, (await queueInScope(db, p, id)).channel, 'edit');
    await removeQueueAgent(db, p, id, agentId);
    ctx.status = 204;
  });
  router.get('/api/queues/:id/teams', async (ctx) => {
    const p = principalOf(ctx);
    const id = parseId(ctx);
    assertChannel(p, (await queueInScope(db, p, id)).channel, 'read');
    ctx.body = await listQueueTeams(db, p, id);
  });
  router.post('/api/queues/:id/teams', async (ctx) => {
    const p = principalOf(ctx);
    const id = parseId(ctx);
    const input = parseBody(ctx, queueTeamSchema);
    assertChannel(p, (await queueInScope(db, p, id)).channel, 'edit');
    ctx.body = await putQueueTeam(db, p, id, input);
  });
  router.delete('/api/queues/:id/teams/:teamId', async (ctx) => {
    const p = principalOf(ctx);
    const id = parseId(ctx);
    const teamId = parseId(ctx, 'teamId');
    assertChannel(p, (await queueInScope(db, p, id)).channel, 'edit');
    await removeQueueTeam(db, p, id, teamId);
    ctx.status = 204;
  });
  return router;
}
