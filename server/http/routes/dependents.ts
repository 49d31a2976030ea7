// GET /api/dependents?kind=<queue|project|trunk|sound|team|agent|user|website|route>&id=<id>: what depends on a thing,
// for the admin pages to show before a destructive action (server/admin/dependents.ts). The thing
// itself is reached with the permission and scope its own routes need: one outside the scope
// answers 404 as an unknown one does.
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { newRouter, principalOf, type Services } from '../context.ts';
import { parseQuery } from '../validate.ts';
import { ApiError, notFound } from '../errors.ts';
import { can, type Action, type Module, type Principal } from '../../auth/permissions.ts';
import { chatWebsites, ivrProjects, sounds } from '../../db/schema.ts';
import { agentInScope, queueInScope, teamInScope } from '../../staff/scope.ts';
import { getRoute, getTrunk } from '../../voice/routes.ts';
import { findAccount } from '../../staff/accounts.ts';
import {
  agentDependents,
  DEPENDENT_TARGETS,
  projectDependents,
  queueDependents,
  routeDependents,
  soundDependents,
  teamDependents,
  trunkDependents,
  userDependents,
  websiteDependents,
  type Dependents,
  type DependentTarget,
} from '../../admin/dependents.ts';
import type { DependentsAnswer } from '../../../contracts/admin.ts';

const dependentsQuery = z.object({
  kind: z.enum(DEPENDENT_TARGETS, { message: `must be one of ${DEPENDENT_TARGETS.join(', ')}` }),
  id: z.string({ message: 'is required' }).min(1, 'is required').max(128),
});

const numericId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function badId(message: string): ApiError {
  return new ApiError('VALIDATION_FAILED', `Invalid query: id: ${message}`, { fields: [{ field: 'id', message }] });
}

function numeric(raw: string): number {
  const parsed = numericId.safeParse(raw);
  if (!/^\d+$/.test(raw) || !parsed.success) throw badId('must be a positive whole number');
  return parsed.data;
}

function assertCan(p: Principal, module: Module, action: Action): void {
  if (!can(p, module, action)) throw new ApiError('FORBIDDEN', `This needs the '${action}' permission on '${module}'`, { module, action });
}

type Finder = (services: Services, p: Principal, rawId: string) => Promise<Dependents>;

const FINDERS: Record<DependentTarget, Finder> = {
  async queue({ db }, p, rawId) {
    const queue = await queueInScope(db, p, numeric(rawId));
    assertCan(p, queue.channel, 'read');
    return queueDependents(db, queue);
  },
  async project({ db }, p, rawId) {
    assertCan(p, 'ivr', 'read');
    if (!UUID.test(rawId)) throw badId('must be a UUID');
    const [project] = await db.select({ id: ivrProjects.id, name: ivrProjects.name }).from(ivrProjects).where(eq(ivrProjects.id, rawId.toLowerCase()));
    if (!project) throw notFound('IVR project', rawId);
    return projectDependents(db, project);
  },
  async trunk({ db }, p, rawId) {
    assertCan(p, 'voice', 'read');
    const trunk = await getTrunk(db, numeric(rawId));
    return trunkDependents(db, trunk.id);
  },
  async sound({ db }, p, rawId) {
    assertCan(p, 'voice', 'read');
    const [sound] = await db.select({ name: sounds.name }).from(sounds).where(eq(sounds.name, rawId)).limit(1);
    if (!sound) throw notFound('Sound', rawId);
    return soundDependents(db, sound.name);
  },
  async team({ db }, p, rawId) {
    assertCan(p, 'staff', 'read');
    const team = await teamInScope(db, p, numeric(rawId));
    return teamDependents(db, p, team.id);
  },
  async agent({ db }, p, rawId) {
    assertCan(p, 'staff', 'read');
    const id = numeric(rawId);
    await agentInScope(db, p, id);
    return agentDependents(db, p, id);
  },
  // Any account for an administrator (the Users page); otherwise an agent of the caller's scope, as
  // the agent kind answers.
  async user({ db }, p, rawId) {
    const id = numeric(rawId);
    if (p.role !== 'admin') {
      assertCan(p, 'staff', 'read');
      await agentInScope(db, p, id);
    }
    const user = await findAccount(db, id, ['admin', 'supervisor', 'agent', 'service']);
    if (!user) throw notFound('user', id);
    return userDependents(db, p, user);
  },
  async website({ db }, p, rawId) {
    assertCan(p, 'chat', 'read');
    const id = numeric(rawId);
    const [website] = await db.select({ projectId: chatWebsites.projectId, queueId: chatWebsites.queueId }).from(chatWebsites).where(eq(chatWebsites.id, id));
    if (!website) throw notFound('chat website', id);
    return websiteDependents(db, p, website);
  },
  async route({ db }, p, rawId) {
    assertCan(p, 'voice', 'read');
    return routeDependents(db, p, await getRoute(db, numeric(rawId)));
  },
};

export function dependentsRoutes(services: Services) {
  const router = newRouter();
  router.get('/api/dependents', async (ctx) => {
    const { kind, id } = parseQuery(ctx, dependentsQuery);
    const answer: DependentsAnswer = { kind, id, ...(await FINDERS[kind](services, principalOf(ctx), id)) };
    ctx.body = answer;
  });
  return router;
}
