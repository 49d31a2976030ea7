// /api/settings: global settings (security suite, lockout, max open tabs…). /api/audit: the trail.
import { newRouter, principalOf, type Services } from '../context.ts';
import { parseBody, parseQuery } from '../validate.ts';
import { requirePermission, requireRole } from '../auth-middleware.ts';
import { readSettings, settingsPatchSchema, writeSettings } from '../../settings/settings.ts';
import { audit } from '../../db/audit.ts';
import { listAuditTrail } from '../../admin/audit-trail.ts';
import { auditQuerySchema } from '../../../contracts/audit.ts';

export function settingsRoutes(services: Services) {
  const { db } = services;
  const router = newRouter();
  router.get('/api/settings', requirePermission('settings', 'read'), async (ctx) => {
    ctx.body = await readSettings(db);
  });
  router.patch('/api/settings', requirePermission('settings', 'edit'), async (ctx) => {
    const patch = parseBody(ctx, settingsPatchSchema);
    const result = await writeSettings(db, patch);
    await audit(db, principalOf(ctx).userId, 'settings.updated', null, { patch });
    ctx.body = result;
  });
  router.get('/api/audit', requireRole('admin'), async (ctx) => {
    // The page is the body (an array, as before filters); X-Total-Count says how many match in all.
    const { entries, total } = await listAuditTrail(db, parseQuery(ctx, auditQuerySchema));
    ctx.set('X-Total-Count', String(total));
    ctx.body = entries;
  });
  return router;
}
