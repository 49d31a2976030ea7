// Every /api route but the public ones (health, login, password reset) needs a principal: a session
// token (`Authorization: Bearer tds_…`) or an API key (`Authorization: Bearer tdk_…` or
// `X-API-Key: tdk_…`). Permissions are then checked per route.
import type { Next } from 'koa';
import type { Ctx } from './context.ts';
import type { Services } from '../services.ts';
import { ApiError } from './errors.ts';
import { can, type Action, type Module } from '../auth/permissions.ts';
import type { Role } from '../db/schema.ts';
import { credentialOf, principalFromCredential } from '../auth/credentials.ts';

/** Routes a user who must change a one-time password may still use. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set(['GET /api/me', 'PUT /api/me/password', 'POST /api/auth/logout']);

export function authenticate(services: Services) {
  return async function requireAuthentication(ctx: Ctx, next: Next): Promise<void> {
    const credential = credentialOf(ctx.request.headers as Parameters<typeof credentialOf>[0]);
    if (!credential) throw new ApiError('UNAUTHENTICATED', 'Authentication is required: send Authorization: Bearer <token or API key>');
    const principal = await principalFromCredential(services, credential);
    if (!principal) throw new ApiError('UNAUTHENTICATED', 'The token or API key is invalid, expired or revoked');
    if (principal.mustChangePassword) {
      const route = `${ctx.method} ${ctx.path.replace(/\/$/, '')}`;
      if (!ALLOWED_BEFORE_PASSWORD_CHANGE.has(route)) throw new ApiError('PASSWORD_CHANGE_REQUIRED');
    }
    ctx.state.principal = principal;
    await next();
  };
}

export function requirePermission(module: Module, action: Action) {
  return async function checkPermission(ctx: Ctx, next: Next): Promise<void> {
    const p = ctx.state.principal;
    if (!p) throw new ApiError('UNAUTHENTICATED');
    if (!can(p, module, action)) throw new ApiError('FORBIDDEN', `This needs the '${action}' permission on '${module}'`, { module, action });
    await next();
  };
}

export function requireRole(...roles: Role[]) {
  return async function checkRole(ctx: Ctx, next: Next): Promise<void> {
    const p = ctx.state.principal;
    if (!p) throw new ApiError('UNAUTHENTICATED');
    if (!roles.includes(p.role)) throw new ApiError('FORBIDDEN', `Only ${roles.join(' or ')} users may do this`);
    await next();
  };
}
