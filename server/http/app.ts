// The Koa application: error handling first, then security headers, body parsing, public routes,
// and the authenticated API. Unknown routes and methods get catalogue errors too.
import Koa from 'koa';
import type { Services, TandemState } from './context.ts';
import { errorMiddleware } from './error-middleware.ts';
import { jsonBody } from './body.ts';
import { rejectNulInUrl } from './nul.ts';
import { ApiError } from './errors.ts';
import { authenticate } from './auth-middleware.ts';
import { rerouteOnChange } from './reroute-on-change.ts';
import { healthRoutes } from './routes/health.ts';
import { authRoutes } from './routes/auth.ts';
import { userRoutes } from './routes/users.ts';
import { agentRoutes } from './routes/agents.ts';
import { teamRoutes } from './routes/teams.ts';
import { queueRoutes } from './routes/queues.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { settingsRoutes } from './routes/settings.ts';
import { ivrRoutes } from './routes/ivr.ts';
import { voiceRoutes } from './routes/voice.ts';
import { acdRoutes } from './routes/acd.ts';
import { chatPublicRoutes, chatRoutes } from './routes/chat.ts';
import { dispositionRoutes } from './routes/dispositions.ts';
import { spyRoutes } from './routes/spy.ts';
import { dependentsRoutes } from './routes/dependents.ts';
import { setupRoutes } from './routes/setup.ts';
import { soundMediaRoutes, soundRoutes } from '../sounds/routes.ts';
import { newRouter } from './context.ts';
import { webApp } from './web.ts';
import { widgetAsset } from './widget-asset.ts';

export function createApp(services: Services): Koa<TandemState> {
  const app = new Koa<TandemState>({ proxy: false });
  app.silent = true; // errors are logged by errorMiddleware, once, with redaction
  app.use(errorMiddleware(services.logger));
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  app.use(rejectNulInUrl());
  app.use(jsonBody(services.config.http.bodyLimitBytes));

  // /media serves Asterisk's media cache, which sends no credentials: keep Tandem's port firewalled.
  const publicRouters = [healthRoutes(services), ...authRoutes(services), soundMediaRoutes(services), chatPublicRoutes(services)];
  for (const r of publicRouters) {
    app.use(r.routes());
    app.use(r.allowedMethods({ throw: true, methodNotAllowed: () => new ApiError('METHOD_NOT_ALLOWED'), notImplemented: () => new ApiError('METHOD_NOT_ALLOWED') }));
  }

  const api = newRouter();
  api.use(authenticate(services));
  api.use(rerouteOnChange(services.acd));
  for (const r of [userRoutes(services), apiKeyRoutes(services), agentRoutes(services), teamRoutes(services), queueRoutes(services), settingsRoutes(services), ivrRoutes(services), voiceRoutes(services),
    soundRoutes(services, { onChange: () => services.prompts?.refresh(services.db) }),
    ...(services.acd ? [acdRoutes(services, services.acd)] : []),
    chatRoutes(services),
    dispositionRoutes(services),
    spyRoutes(services),
    dependentsRoutes(services),
    setupRoutes(services),
  ]) {
    api.use(r.routes(), r.allowedMethods({ throw: true, methodNotAllowed: () => new ApiError('METHOD_NOT_ALLOWED'), notImplemented: () => new ApiError('METHOD_NOT_ALLOWED') }));
  }
  app.use(api.routes());
  // The designer's built files; it skips /api and /socket.io, so it never shadows them.
  app.use(widgetAsset());
  app.use(webApp());

  // Last in the chain: not thrown, so that the routers' allowedMethods above can still turn a
  // known path with the wrong method into a 405.
  app.use(async (ctx) => {
    const err = new ApiError('ROUTE_NOT_FOUND', ctx.path.startsWith('/api') ? `No API route ${ctx.method} ${ctx.path}` : `Nothing at ${ctx.path}`);
    ctx.status = err.status;
    ctx.body = err.toBody();
  });
  return app;
}
