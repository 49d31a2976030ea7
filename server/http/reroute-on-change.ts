// Routing depends on who is in which queue, on agents' capacities and auto-answer, on teams and on
// the global settings (max open tabs): after any successful change to those through the API, the
// queue engine routes again at once instead of waiting for its safety-net pass.
import type Koa from 'koa';
import type { AcdEngine } from '../acd/engine.ts';

const ROUTING_INPUTS = /^\/api\/(queues|teams|agents|users|settings)(\/|$)/;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function rerouteOnChange(acd: AcdEngine | undefined): Koa.Middleware {
  return async (ctx, next) => {
    await next();
    if (acd && !READS.has(ctx.method) && ctx.status < 400 && ROUTING_INPUTS.test(ctx.path)) acd.kick();
  };
}
