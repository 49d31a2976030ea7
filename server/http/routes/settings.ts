// /api/settings: global settings (security suite, lockout, max open tabs…). /api/audit: the trail.
import { z } from 'zod';
import { desc, lt } from 'drizzle-orm';
import { newRouter, principalOf, type Services } from '../context.ts';
import { parseBody, parseQuery } from '../validate.ts';
import { requirePermission, requireRole } from '../auth-middleware.ts';
import { readSettings, settingsSchema, writeSettings } from '../../settings/settings.ts';
import { audit } from '../../db/audit.ts';
import { auditLog } from '../../db/schema.ts';

const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().positive().optional(),
});

export function settingsRoutes(services: Services) {
  const { db } = services;
  const router = newRouter();
  router.get('/api/settings', requirePermission('settings', 'read'), async (ctx) => {
    ctx.body = await readSettings(db);
  });
  router.patch('/api/settings', requirePermission('settings', 'edit'), async (ctx) => {
    const patch = parseBody(ctx, settingsSchema.partial().strict());
    const result = await writeSettings(db, patch);
    await audit(db, principalOf(ctx).userId, 'settings.updated', null, { patch });
    ctx.body = result;
  });
  router.get('/api/audit', requireRole('admin'), async (ctx) => {
    const q = parseQuery(ctx, auditQuery);
    ctx.body = await db
      .select()
      .from(auditLog)
      .where(q.before ? lt(auditLog.id, q.before) : undefined)
      .orderBy(desc(auditLog.id))
      .limit(q.limit);
  });
  return router;
}
