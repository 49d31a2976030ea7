// /api/agents: Staff → Agents, for admins and users with the `staff` permission, scoped for
// supervisors to the agents of their queues (server/staff/scope.ts): any other id answers 404 as an
// unknown one does, and is checked before anything changes.
import { z } from 'zod';
import { newRouter, principalOf, type Services } from '../context.ts';
import { parseBody, parseId, parseQuery } from '../validate.ts';
import { requirePermission } from '../auth-middleware.ts';
import { expectedVersion, sendVersioned } from '../preconditions.ts';
import { readSettings } from '../../settings/settings.ts';
import { setAccountPassword, setLocked } from '../../staff/accounts.ts';
import {
  createAgent,
  deleteAgent,
  getAgent,
  exportAgents,
  getAgentsByIds,
  listAgents,
  updateAgent,
  type AgentView,
} from '../../staff/agents.ts';
import { toCsv } from '../../staff/csv.ts';
import { agentQueues } from '../../acd/queues.ts';
import { agentInScope } from '../../staff/scope.ts';
import { agentCreateSchema, agentListQuery, agentUpdateSchema, setPasswordSchema } from '../../../contracts/staff.ts';

// The export takes the list's search, filters and order (every match, not one page), or a list of ids.
const exportQuery = agentListQuery.omit({ limit: true, offset: true }).extend({
  ids: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of agent ids')
    .transform((s) => s.split(',').map(Number))
    .optional(),
});

const CSV_COLUMNS: { header: string; value: (a: AgentView) => unknown }[] = [
  { header: 'id', value: (a) => a.id },
  { header: 'fullName', value: (a) => a.fullName },
  { header: 'username', value: (a) => a.username },
  { header: 'alias', value: (a) => a.alias },
  { header: 'email', value: (a) => a.email },
  { header: 'typology', value: (a) => a.typology },
  { header: 'extension', value: (a) => a.extension },
  { header: 'voicemail', value: (a) => a.voicemail },
  { header: 'loginInPause', value: (a) => a.loginInPause },
  { header: 'hotdesk', value: (a) => a.hotdesk },
  { header: 'maskSensitiveData', value: (a) => a.maskSensitiveData },
  { header: 'chanspy', value: (a) => a.chanspy },
  { header: 'capacity', value: (a) => a.capacity },
  { header: 'autoAnswer', value: (a) => a.autoAnswer },
  { header: 'disabled', value: (a) => a.disabled },
  { header: 'locked', value: (a) => a.locked },
  { header: 'createdAt', value: (a) => a.createdAt },
];

export function agentRoutes(services: Services) {
  const { db, config } = services;
  const router = newRouter();

  router.get('/api/agents', requirePermission('staff', 'read'), async (ctx) => {
    // The page is the body (an array, as before paging); X-Total-Count says how many match in all.
    const { agents, total } = await listAgents(db, principalOf(ctx), parseQuery(ctx, agentListQuery));
    ctx.set('X-Total-Count', String(total));
    ctx.body = agents;
  });
  // Declared before /:id so that "export.csv" is not taken for an id.
  router.get('/api/agents/export.csv', requirePermission('staff', 'read'), async (ctx) => {
    const { ids, ...filter } = parseQuery(ctx, exportQuery);
    const rows = ids ? await getAgentsByIds(db, principalOf(ctx), ids) : await exportAgents(db, principalOf(ctx), filter);
    ctx.set('Content-Disposition', 'attachment; filename="agents.csv"');
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = toCsv(rows, CSV_COLUMNS);
  });
  router.post('/api/agents', requirePermission('staff', 'edit'), async (ctx) => {
    const input = parseBody(ctx, agentCreateSchema);
    ctx.status = 201;
    ctx.body = await createAgent(db, await readSettings(db), config.auth.passwordCost, input, principalOf(ctx).userId);
  });
  router.get('/api/agents/:id', requirePermission('staff', 'read'), async (ctx) => {
    sendVersioned(ctx, await getAgent(db, principalOf(ctx), parseId(ctx)));
  });
  router.patch('/api/agents/:id', requirePermission('staff', 'edit'), async (ctx) => {
    const id = parseId(ctx);
    sendVersioned(ctx, await updateAgent(db, principalOf(ctx), id, parseBody(ctx, agentUpdateSchema), config.auth.passwordCost, expectedVersion(ctx)));
  });
  router.delete('/api/agents/:id', requirePermission('staff', 'delete'), async (ctx) => {
    await deleteAgent(db, principalOf(ctx), parseId(ctx));
    ctx.status = 204;
  });
  router.post('/api/agents/:id/unlock', requirePermission('staff', 'edit'), async (ctx) => {
    const id = parseId(ctx);
    await agentInScope(db, principalOf(ctx), id);
    await setLocked(db, id, false, principalOf(ctx).userId);
    ctx.body = await getAgent(db, principalOf(ctx), id);
  });
  router.put('/api/agents/:id/password', requirePermission('staff', 'edit'), async (ctx) => {
    const id = parseId(ctx);
    const input = parseBody(ctx, setPasswordSchema);
    await agentInScope(db, principalOf(ctx), id);
    await setAccountPassword(db, await readSettings(db), config.auth.passwordCost, id, input.password, principalOf(ctx).userId, input.mustChangePassword);
    ctx.status = 204;
  });
  router.get('/api/agents/:id/queues', requirePermission('staff', 'read'), async (ctx) => {
    const id = parseId(ctx);
    await agentInScope(db, principalOf(ctx), id);
    ctx.body = await agentQueues(db, principalOf(ctx), id);
  });
  return router;
}
