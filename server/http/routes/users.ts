// /api/users: administrators, supervisors and service users. Administrators only.
import { newRouter, principalOf, type Services } from '../context.ts';
import { parseBody, parseId, parseQuery } from '../validate.ts';
import { requireRole } from '../auth-middleware.ts';
import { notFound } from '../errors.ts';
import { expectedVersion, sendVersioned } from '../preconditions.ts';
import { readSettings } from '../../settings/settings.ts';
import { findAccount, setAccountPassword, setLocked } from '../../staff/accounts.ts';
import {
  createUser,
  deleteUser,
  getSupervisorQueues,
  getUser,
  listUsers,
  setSupervisorQueues,
  updateUser,
  USER_ROLES,
  userListQuery,
} from '../../staff/users.ts';
import { setPasswordSchema, supervisorQueuesSchema, userCreateSchema, userUpdateSchema } from '../../../contracts/staff.ts';

export function userRoutes(services: Services) {
  const { db, config } = services;
  const router = newRouter();
  router.use('/api/users', requireRole('admin'));

  router.get('/api/users', async (ctx) => {
    ctx.body = await listUsers(db, parseQuery(ctx, userListQuery));
  });
  router.post('/api/users', async (ctx) => {
    const input = parseBody(ctx, userCreateSchema);
    ctx.status = 201;
    ctx.body = await createUser(db, await readSettings(db), config.auth.passwordCost, input, principalOf(ctx).userId);
  });
  router.get('/api/users/:id', async (ctx) => {
    sendVersioned(ctx, await getUser(db, parseId(ctx)));
  });
  router.patch('/api/users/:id', async (ctx) => {
    const id = parseId(ctx);
    sendVersioned(ctx, await updateUser(db, id, parseBody(ctx, userUpdateSchema), principalOf(ctx).userId, expectedVersion(ctx)));
  });
  router.delete('/api/users/:id', async (ctx) => {
    await deleteUser(db, parseId(ctx), principalOf(ctx).userId);
    ctx.status = 204;
  });
  router.post('/api/users/:id/unlock', async (ctx) => {
    const id = parseId(ctx);
    if (!(await findAccount(db, id, USER_ROLES))) throw notFound('user', id);
    await setLocked(db, id, false, principalOf(ctx).userId);
    ctx.body = await getUser(db, id);
  });
  router.put('/api/users/:id/password', async (ctx) => {
    const id = parseId(ctx);
    const input = parseBody(ctx, setPasswordSchema);
    const user = await findAccount(db, id, ['admin', 'supervisor']);
    if (!user) throw notFound('user', id);
    await setAccountPassword(db, await readSettings(db), config.auth.passwordCost, id, input.password, principalOf(ctx).userId, input.mustChangePassword);
    ctx.status = 204;
  });
  router.get('/api/users/:id/queues', async (ctx) => {
    const id = parseId(ctx);
    if (!(await findAccount(db, id, ['supervisor']))) throw notFound('supervisor', id);
    ctx.body = { queueIds: await getSupervisorQueues(db, id) };
  });
  router.put('/api/users/:id/queues', async (ctx) => {
    const id = parseId(ctx);
    const input = parseBody(ctx, supervisorQueuesSchema);
    ctx.body = { queueIds: await setSupervisorQueues(db, id, input.queueIds, principalOf(ctx).userId) };
  });
  return router;
}
