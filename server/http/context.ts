// What every route handler can reach: the services of this Tandem node, and per request the
// authenticated principal and the parsed body.
import type { ParameterizedContext } from 'koa';
import { Router } from '@koa/router';
import type { Config } from '../config.ts';
import type { Database, Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Principal } from '../auth/permissions.ts';
import type { VoiceConnections } from '../voice/connections.ts';
import type { AcdEngine } from '../acd/engine.ts';
import type { PromptResolver } from '../sounds/prompt-resolver.ts';
import type { DeviceStates } from '../voice/device-states.ts';
import type { ChatService } from '../channels/chat/chat-service.ts';
import type { SupervisorBoardHub } from '../realtime/board/hub.ts';
import type { SpyService } from '../voice/spy/spy-service.ts';
import type { ConnectionGuard } from './connection-guard.ts';
import type { FdMonitor } from '../fd-monitor.ts';
import type { BackgroundTasks } from '../background-tasks.ts';
import { ApiError } from './errors.ts';

export interface Services {
  config: Config;
  database: Database;
  db: Db;
  logger: Logger;
  mailer: Mailer;
  /** Work started by a request and finished after its answer (reset mails); drained at stop. */
  tasks?: BackgroundTasks;
  voice?: VoiceConnections;
  acd?: AcdEngine;
  /** Prompt names → what Asterisk plays (its own sounds, or Tandem's library over HTTP). */
  prompts?: PromptResolver;
  /** Phones as Asterisk reports them (AMI device states). */
  devices?: DeviceStates;
  /** The web chat's live side (set once socket.io runs). */
  chat?: ChatService;
  /** The supervisors' realtime board (the /supervisor namespace). */
  board?: SupervisorBoardHub;
  /** Listen / whisper / barge (set when ARI is configured). */
  spy?: SpyService;
  /** The HTTP listener's connection limits and figures (set once it is created). */
  connections?: ConnectionGuard;
  /** Open file descriptors against the limit, with the alarm (set at start). */
  fds?: FdMonitor;
}

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
