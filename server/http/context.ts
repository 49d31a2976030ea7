// What every route handler can reach: the services of this Tandem node, and per request the
// authenticated principal and the parsed body.
import type { ParameterizedContext } from 'koa';
import { Router } from '@koa/router';
import type { Principal } from '../auth/permissions.ts';
import { ApiError } from './errors.ts';

// The node's services are defined outside the HTTP layer; routes keep importing them from here.
export type { Services } from '../services.ts';

export interface TandemState {
  principal?: Principal;
  body?: unknown;
}

export type Ctx = ParameterizedContext<TandemState>;

export const newRouter = () => new Router<TandemState>();

/** The authenticated principal; routes behind `authenticate` always have one. */
export function principalOf(ctx: Ctx): Principal {
  const p = ctx.state.principal;
  if (!p) throw new ApiError('UNAUTHENTICATED');
  return p;
}
