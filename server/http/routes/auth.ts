// Login, logout, forgotten password, and the caller's own account.
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { newRouter, principalOf, type Services } from '../context.ts';
import { parseBody } from '../validate.ts';
import { ApiError } from '../errors.ts';
import { authenticate } from '../auth-middleware.ts';
import { checkPassword } from '../../auth/login.ts';
import { createSession, revokeSession } from '../../auth/sessions.ts';
import { confirmPasswordReset, requestPasswordReset } from '../../auth/password-reset.ts';
import { verifyPassword } from '../../auth/passwords.ts';
import { readSettings } from '../../settings/settings.ts';
import { accountView, setAccountPassword, withLockouts } from '../../staff/accounts.ts';
import { users } from '../../db/schema.ts';
import { audit } from '../../db/audit.ts';
import { addressKey, clientAddressOf } from '../client-address.ts';
import type { Ctx } from '../context.ts';
import type { LoginAnswer } from '../../../contracts/api.ts';
import { preferencesSchema } from '../../../contracts/preferences.ts';
import { setPreferences } from '../../staff/preferences.ts';

const loginSchema = z.object({ username: z.string().min(1, 'is required').max(64), password: z.string().min(1, 'is required').max(256) }).strict();
const resetRequestSchema = z.object({ email: z.email({ message: 'must be an e-mail address' }) }).strict();
const resetConfirmSchema = z.object({ token: z.string().min(1, 'is required').max(200), password: z.string().min(1, 'is required').max(256) }).strict();
const changePasswordSchema = z.object({ currentPassword: z.string().min(1, 'is required').max(256), newPassword: z.string().min(1, 'is required').max(256) }).strict();

export function authRoutes(services: Services) {
  const { db, config } = services;
  const router = newRouter();
  const resolve = clientAddressOf(config.http.trustedProxies);
  const addressOf = (ctx: Ctx) => resolve(ctx.req.socket.remoteAddress, ctx.req.headers['x-forwarded-for']);

  router.post('/api/auth/login', async (ctx) => {
    const input = parseBody(ctx, loginSchema);
    const settings = await readSettings(db);
    const address = addressOf(ctx);
    const user = await checkPassword(db, settings, { username: input.username, password: input.password, source: addressKey(address) }, config.auth.passwordCost);
    const session = await createSession(db, user.id, config.auth.sessionHours, ctx.get('user-agent'));
    await audit(db, user.id, 'login', `user:${user.id}`, { ip: address });
    ctx.body = { token: session.token, expiresAt: session.expiresAt, mustChangePassword: user.mustChangePassword, user: accountView(user) } satisfies LoginAnswer<Date>;
  });

  router.post('/api/auth/password-reset', async (ctx) => {
    const input = parseBody(ctx, resetRequestSchema);
    const deps = { db, mailer: services.mailer, logger: services.logger, tasks: services.tasks };
    await requestPasswordReset(deps, await readSettings(db), config.http.publicUrl, input.email, addressKey(addressOf(ctx)));
    // Same answer, as fast, whether or not the address is known and the mail can be sent.
    ctx.status = 202;
    ctx.body = { message: 'If this address belongs to an account, a reset link has been sent to it.' };
  });

  router.post('/api/auth/password-reset/confirm', async (ctx) => {
    const input = parseBody(ctx, resetConfirmSchema);
    await confirmPasswordReset(db, await readSettings(db), input.token, input.password, config.auth.passwordCost);
    ctx.status = 204;
  });

  const me = newRouter();
  me.use(authenticate(services));
  me.post('/api/auth/logout', async (ctx) => {
    const p = principalOf(ctx);
    if (p.sessionId !== undefined) await revokeSession(db, p.sessionId);
    ctx.status = 204;
  });
  me.get('/api/me', async (ctx) => {
    const p = principalOf(ctx);
    const [u] = await db.select().from(users).where(eq(users.id, p.userId));
    if (!u) throw new ApiError('UNAUTHENTICATED');
    const [view] = await withLockouts(db, [accountView(u)]);
    ctx.body = { ...view!, via: p.via };
  });
  // Every role, and only the caller's own account: the id comes from the session, never the request.
  me.put('/api/me/preferences', async (ctx) => {
    const p = principalOf(ctx);
    ctx.body = { preferences: await setPreferences(db, p.userId, parseBody(ctx, preferencesSchema), p.userId) };
  });
  me.put('/api/me/password', async (ctx) => {
    const p = principalOf(ctx);
    const input = parseBody(ctx, changePasswordSchema);
    const [u] = await db.select().from(users).where(eq(users.id, p.userId));
    if (!u?.passwordHash || !(await verifyPassword(input.currentPassword, u.passwordHash))) {
      throw new ApiError('VALIDATION_FAILED', 'currentPassword: is wrong', { fields: [{ field: 'currentPassword', message: 'is wrong' }] });
    }
    if (input.currentPassword === input.newPassword) {
      throw new ApiError('VALIDATION_FAILED', 'newPassword: must differ from the current password', { fields: [{ field: 'newPassword', message: 'must differ from the current password' }] });
    }
    await setAccountPassword(db, await readSettings(db), config.auth.passwordCost, p.userId, input.newPassword, p.userId, false, 'newPassword');
    // setAccountPassword ended every session; give this client a fresh one so it stays logged in.
    const session = await createSession(db, p.userId, config.auth.sessionHours, ctx.get('user-agent'));
    ctx.body = { token: session.token, expiresAt: session.expiresAt };
  });

  return [router, me];
}
