// /api/spy-sessions: supervisors listen / whisper / barge on agents' calls (server/voice/spy), and
// /api/me/phone: the phone a supervisor is called on first (and recognised by for the feature code).
// Starting, switching and ending check the chanspy permission inside the service, so that refused
// starts are audited too; reading the audit needs chanspy 'read'.
import { z } from 'zod';
import { and, eq, ne, sql } from 'drizzle-orm';
import { newRouter, principalOf, type Ctx, type Services } from '../context.ts';
import { parseBody, parseId, parseQuery } from '../validate.ts';
import { requirePermission, requireRole } from '../auth-middleware.ts';
import { ApiError, conflict, notFound } from '../errors.ts';
import { users } from '../../db/schema.ts';
import { isAgentInScope } from '../../staff/scope.ts';
import { SPY_MODES } from '../../voice/spy/spy-mode.ts';
import { supervisorPhoneSchema } from '../../voice/spy/supervisor-phone.ts';
import { getSpySession, listSpySessions, spyModeChangesOf } from '../../voice/spy/spy-audit.ts';
import type { SpyService } from '../../voice/spy/spy-service.ts';

const modeSchema = z.enum(SPY_MODES, { message: `must be one of ${SPY_MODES.join(', ')}` });
const positiveId = z.number({ message: 'must be a positive whole number' }).int('must be a positive whole number').positive('must be a positive whole number');

export const spyStartSchema = z.object({ agentId: positiveId, mode: modeSchema.default('listen'), phone: supervisorPhoneSchema.optional() }).strict();
export const spyModeSchema = z.object({ mode: modeSchema }).strict();
export const spyListQuery = z.object({
  agentId: z.coerce.number().int().positive().optional(),
  supervisorId: z.coerce.number().int().positive().optional(),
  active: z.enum(['true', 'false'], { message: 'must be true or false' }).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const myPhoneSchema = z.object({ phone: supervisorPhoneSchema.nullable() }).strict();

export function spyRoutes(services: Services) {
  const { db } = services;
  const router = newRouter();
  const spyOf = (): SpyService => {
    if (!services.spy) throw new ApiError('VOICE_UNAVAILABLE', 'Telephony (ARI) is not configured on this node', { reason: 'voice-unavailable' });
    return services.spy;
  };

  router.post('/api/spy-sessions', async (ctx) => {
    const input = parseBody(ctx, spyStartSchema);
    const view = await spyOf().start(principalOf(ctx), input);
    ctx.status = 201;
    ctx.body = view;
  });
  router.patch('/api/spy-sessions/:id', async (ctx) => {
    const id = parseId(ctx);
    const input = parseBody(ctx, spyModeSchema);
    ctx.body = await spyOf().changeMode(principalOf(ctx), id, input.mode);
  });
  router.delete('/api/spy-sessions/:id', async (ctx) => {
    const id = parseId(ctx);
    ctx.body = await spyOf().stop(principalOf(ctx), id);
  });
  router.get('/api/spy-sessions', requirePermission('chanspy', 'read'), async (ctx) => {
    const q = parseQuery(ctx, spyListQuery);
    ctx.body = await listSpySessions(db, principalOf(ctx), q);
  });
  router.get('/api/spy-sessions/:id', requirePermission('chanspy', 'read'), async (ctx: Ctx) => {
    const id = parseId(ctx);
    const view = await getSpySession(db, id);
    if (!view) throw notFound('spy session', id);
    if (!(await isAgentInScope(db, principalOf(ctx), view.agentId))) throw notFound('spy session', id);
    ctx.body = { ...view, modeChanges: await spyModeChangesOf(db, id) };
  });

  // --- the user's own phone
  router.get('/api/me/phone', requireRole('admin', 'supervisor'), async (ctx) => {
    const [row] = await db.select({ phone: users.phone }).from(users).where(eq(users.id, principalOf(ctx).userId));
    ctx.body = { phone: row?.phone ?? null };
  });
  router.patch('/api/me/phone', requireRole('admin', 'supervisor'), async (ctx) => {
    const input = parseBody(ctx, myPhoneSchema);
    const me = principalOf(ctx).userId;
    if (input.phone?.kind === 'extension') {
      // The feature code recognises a supervisor by this extension: it must name one person.
      const [taken] = await db
        .select({ id: users.id })
        .from(users)
        .where(and(ne(users.id, me), sql`${users.phone}->>'kind' = 'extension'`, sql`${users.phone}->>'value' = ${input.phone.value}`));
      if (taken) throw conflict('phone', `Extension ${input.phone.value} is already the phone of another user`);
    }
    await db.update(users).set({ phone: input.phone, updatedAt: new Date() }).where(eq(users.id, me));
    ctx.body = { phone: input.phone };
  });
  return router;
}
