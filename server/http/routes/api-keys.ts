// API keys of service users. Administrators only; the secret is shown once, at issue or rotation.
import { newRouter, principalOf, type Services } from '../context.ts';
import { parseBody, parseId } from '../validate.ts';
import { requireRole } from '../auth-middleware.ts';
import { notFound } from '../errors.ts';
import { findAccount } from '../../staff/accounts.ts';
import { getApiKey, issueApiKey, listApiKeys, revokeApiKey, rotateApiKey } from '../../auth/api-keys.ts';
import { apiKeyIssueSchema } from '../../../contracts/staff.ts';
import { audit } from '../../db/audit.ts';

export function apiKeyRoutes(services: Services) {
  const { db } = services;
  const router = newRouter();
  router.use(['/api/users/:id/api-keys', '/api/api-keys'], requireRole('admin'));

  router.get('/api/users/:id/api-keys', async (ctx) => {
    const id = parseId(ctx);
    if (!(await findAccount(db, id, ['service']))) throw notFound('service user', id);
    ctx.body = await listApiKeys(db, id);
  });
  router.post('/api/users/:id/api-keys', async (ctx) => {
    const id = parseId(ctx);
    const input = parseBody(ctx, apiKeyIssueSchema);
    if (!(await findAccount(db, id, ['service']))) throw notFound('service user', id);
    const issued = await issueApiKey(db, id, input.name, input.expiresAt ?? null);
    await audit(db, principalOf(ctx).userId, 'api-key.issued', `api-key:${issued.apiKey.id}`, { userId: id, prefix: issued.apiKey.prefix });
    ctx.status = 201;
    ctx.body = { ...issued.apiKey, key: issued.key };
  });
  router.post('/api/api-keys/:id/rotate', async (ctx) => {
    const id = parseId(ctx);
    const rotated = await rotateApiKey(db, id);
    if (!rotated) throw notFound('active API key', id);
    await audit(db, principalOf(ctx).userId, 'api-key.rotated', `api-key:${id}`, { newId: rotated.apiKey.id });
    ctx.status = 201;
    ctx.body = { ...rotated.apiKey, key: rotated.key };
  });
  router.delete('/api/api-keys/:id', async (ctx) => {
    const id = parseId(ctx);
    if (!(await getApiKey(db, id))) throw notFound('API key', id);
    await revokeApiKey(db, id);
    await audit(db, principalOf(ctx).userId, 'api-key.revoked', `api-key:${id}`);
    ctx.status = 204;
  });
  return router;
}
