// The services of one Tandem node: what HTTP routes, socket.io namespaces and background work reach.
// Outside server/http so that realtime code can take them without importing the HTTP layer.
import type { Config } from './config.ts';
import type { Database, Db } from './db/database.ts';
import type { Logger } from './logger.ts';
import type { Mailer } from './mail/mailer.ts';
import type { VoiceConnections } from './voice/connections.ts';
import type { AcdEngine } from './acd/engine.ts';
import type { PromptResolver } from './sounds/prompt-resolver.ts';
import type { DeviceStates } from './voice/device-states.ts';
import type { ChatService } from './channels/chat/chat-service.ts';
import type { SupervisorBoardHub } from './realtime/board/hub.ts';
import type { SpyService } from './voice/spy/spy-service.ts';
import type { ConnectionGuard } from './http/connection-guard.ts';
import type { FdMonitor } from './fd-monitor.ts';
import type { FastAgiServer } from './voice/agi/fastagi-server.ts';
import type { BackgroundTasks } from './background-tasks.ts';

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
  /** Asterisk's FastAGI listener (set once it listens; absent when FASTAGI_ENABLED=false). */
  fastagi?: FastAgiServer;
}
