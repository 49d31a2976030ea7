// /api/settings: global settings (security suite, lockout, max open tabs…). /api/audit: the trail.
import { newRouter, principalOf, type Services } from '../context.ts';
import { parseBody, parseQuery } from '../validate.ts';
import { requirePermission, requireRole } from '../auth-middleware.ts';
import { readSettings, settingsPatchSchema, settingsVersion, writeSettings } from '../../settings/settings.ts';
import { etagOf, expectedVersion } from '../preconditions.ts';
import { audit } from '../../db/audit.ts';
import { listAuditTrail } from '../../admin/audit-trail.ts';
import { auditQuerySchema } from '../../../contracts/audit.ts';

export function settingsRoutes(services: Services) {
  const { db } = services;
  const router = newRouter();
  router.get('/api/settings', requirePermission('settings', 'read'), async (ctx) => {
    const [settings, version] = await Promise.all([readSettings(db), settingsVersion(db)]);
    ctx.set('ETag', etagOf(version));
    ctx.body = settings;
  });
  router.patch('/api/settings', requirePermission('settings', 'edit'), async (ctx) => {
    const patch = parseBody(ctx, settingsPatchSchema);
    const { settings, version } = await writeSettings(db, patch, expectedVersion(ctx));
    await audit(db, principalOf(ctx).userId, 'settings.updated', null, { patch });
    ctx.set('ETag', etagOf(version));
    ctx.body = settings;
  });
  router.get('/api/audit', requireRole('admin'), async (ctx) => {
    // The page is the body (an array, as before filters); X-Total-Count says how many match in all.
    const { entries, total } = await listAuditTrail(db, parseQuery(ctx, auditQuerySchema));
    ctx.set('X-Total-Count', String(total));
    ctx.body = entries;
  });
  return router;
}
