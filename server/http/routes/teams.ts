// /api/teams: Staff → Teams; a supervisor reaches only the teams wholly inside their scope
// (server/staff/scope.ts), any other answers 404 as an unknown one does.
import { newRouter, principalOf, type Services } from '../context.ts';
import { parseBody, parseId } from '../validate.ts';
import { requirePermission } from '../auth-middleware.ts';
import { expectedVersion, sendVersioned } from '../preconditions.ts';
import { createTeam, deleteTeam, getTeam, listTeams, setTeamAgents, updateTeam } from '../../staff/teams.ts';
import { teamAgentsSchema, teamCreateSchema, teamUpdateSchema } from '../../../contracts/staff.ts';

export function teamRoutes(services: Services) {
  const { db } = services;
  const router = newRouter();
  router.get('/api/teams', requirePermission('staff', 'read'), async (ctx) => {
    ctx.body = await listTeams(db, principalOf(ctx));
  });
  router.post('/api/teams', requirePermission('staff', 'edit'), async (ctx) => {
    const input = parseBody(ctx, teamCreateSchema);
    ctx.status = 201;
    ctx.body = await createTeam(db, input, principalOf(ctx).userId);
  });
  router.get('/api/teams/:id', requirePermission('staff', 'read'), async (ctx) => {
    sendVersioned(ctx, await getTeam(db, principalOf(ctx), parseId(ctx)));
  });
  router.patch('/api/teams/:id', requirePermission('staff', 'edit'), async (ctx) => {
    const id = parseId(ctx);
    sendVersioned(ctx, await updateTeam(db, principalOf(ctx), id, parseBody(ctx, teamUpdateSchema), expectedVersion(ctx)));
  });
  router.delete('/api/teams/:id', requirePermission('staff', 'delete'), async (ctx) => {
    await deleteTeam(db, principalOf(ctx), parseId(ctx));
    ctx.status = 204;
  });
  router.put('/api/teams/:id/agents', requirePermission('staff', 'edit'), async (ctx) => {
    const id = parseId(ctx);
    ctx.body = await setTeamAgents(db, principalOf(ctx), id, parseBody(ctx, teamAgentsSchema).agentIds);
  });
  return router;
}
