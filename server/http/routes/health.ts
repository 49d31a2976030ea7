// /api/health: public, for load balancers and monitors. 200 when the database answers, 503 when not.
import { newRouter, type Services } from '../context.ts';
import { describeDbError } from '../../db/errors.ts';

const startedAt = Date.now();

export function healthRoutes(services: Services) {
  const router = newRouter();
  router.get('/api/health', async (ctx) => {
    const t0 = process.hrtime.bigint();
    let database: { engine: string; state: 'up' | 'down'; latencyMs?: number; error?: string };
    try {
      await withTimeout(services.database.ping(), 3000);
      database = { engine: services.database.engine, state: 'up', latencyMs: Number(process.hrtime.bigint() - t0) / 1e6 };
    } catch (err) {
      database = { engine: services.database.engine, state: 'down', error: describeDbError(err) };
    }
    ctx.status = database.state === 'up' ? 200 : 503;
    ctx.body = { status: database.state === 'up' ? 'ok' : 'unavailable', database, asterisk: services.voice?.status() ?? { ami: 'not configured', ari: 'not configured' }, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) };
  });
  return router;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}
