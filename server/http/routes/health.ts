// /api/health: public, for load balancers and monitors. 200 when the database answers, 503 when not.
// It also reports the HTTP listener's connections and the process's file descriptors; when those
// run low, `alarms` says so and `status` is 'degraded' (still 200: the node serves). So does a
// configured Asterisk interface (AMI, ARI) that is not connected: the node serves its pages and
// API, but calls that need that interface fail until it reconnects. The FastAGI listener, where
// Asterisk's dialplan hands calls to Tandem, is reported beside them: enabled but not listening is an
// alarm too (every AGI call would fall to the dialplan's fallback).
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
    const fileDescriptors = services.fds?.status();
    const alarms: string[] = [];
    if (fileDescriptors?.supported && fileDescriptors.alarm) {
      alarms.push(`file descriptors running low: ${fileDescriptors.open} of ${fileDescriptors.limit ?? 'unlimited'} open (${fileDescriptors.usedPercent} %, alarm at ${fileDescriptors.alarmPercent} %)`);
    }
    const asterisk = services.voice?.status() ?? { ami: 'not configured', ari: 'not configured' };
    for (const [name, state] of Object.entries(asterisk)) {
      if (state !== 'up' && state !== 'not configured') alarms.push(`Asterisk ${name.toUpperCase()} not connected (${state})`);
    }
    const fastagi = fastagiStatus(services);
    if (fastagi.state === 'not listening') alarms.push('FastAGI listener not listening: Asterisk cannot hand calls to Tandem');
    ctx.status = database.state === 'up' ? 200 : 503;
    ctx.body = {
      status: database.state !== 'up' ? 'unavailable' : alarms.length ? 'degraded' : 'ok',
      database,
      asterisk,
      fastagi,
      ...(services.connections ? { connections: services.connections.stats() } : {}),
      ...(fileDescriptors ? { fileDescriptors } : {}),
      alarms,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
  });
  return router;
}

type FastAgiHealth = { state: 'disabled' | 'not listening' } | { state: 'listening'; host: string; port: number; openCalls: number };

function fastagiStatus(services: Services): FastAgiHealth {
  if (!services.config.fastagi.enabled) return { state: 'disabled' };
  const server = services.fastagi;
  if (!server?.isListening) return { state: 'not listening' };
  return { state: 'listening', ...server.address(), openCalls: server.stats().open };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}
