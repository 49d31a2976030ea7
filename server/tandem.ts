// One Tandem node: storage, migrations, first admin, HTTP API + realtime, scheduler. Used by
// server/main.ts and by the tests, which start whole nodes on ephemeral ports.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as IoServer } from 'socket.io';
import type { Agenda } from 'agenda';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { openDatabase, type Database } from './db/database.ts';
import { createApp } from './http/app.ts';
import type { Services } from './services.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { BackgroundTasks } from './background-tasks.ts';
import { ensureFirstAdmin, type FirstAdmin } from './auth/first-admin.ts';
import { createRealtime, joinRealtimeCluster, type RealtimeCluster } from './realtime/socket.ts';
import { createScheduler } from './jobs/scheduler.ts';
import { FastAgiServer } from './voice/agi/fastagi-server.ts';
import { createCallHandlers, unroutedCallHandler } from './voice/call-handler.ts';
import { serverFlowServices } from './flow-runtime/services.ts';
import { openVoiceConnections, type VoiceConnections } from './voice/connections.ts';
import { AcdEngine } from './acd/engine.ts';
import { routingCore } from './acd/routing-adapter.ts';
import { createAgentsPort } from './acd/agents-port.ts';
import { connectAcdToRealtime } from './realtime/acd-events.ts';
import { PromptResolver } from './sounds/prompt-resolver.ts';
import { sweepSoundFolder } from './sounds/library.ts';
import { VoiceQueue } from './voice/voice-queue.ts';
import { createQueuePort } from './acd/queue-port.ts';
import { DeviceStates } from './voice/device-states.ts';
import { ChatService } from './channels/chat/chat-service.ts';
import { attachWidgetNamespace } from './channels/chat/widget-namespace.ts';
import { attachAgentChatEvents } from './channels/chat/agent-events.ts';
import { SupervisorBoardHub } from './realtime/board/hub.ts';
import type { Clock } from '../flows/clock.ts';
import { SpyService } from './voice/spy/spy-service.ts';
import { createSpyFeatureCode } from './voice/spy/feature-code.ts';
import { createFeatureCodes } from './voice/feature-codes/dispatch.ts';
import { readSettings } from './settings/settings.ts';
import { guardConnections } from './http/connection-guard.ts';
import { FdMonitor } from './fd-monitor.ts';

export interface Tandem {
  readonly url: string;
  readonly port: number;
  readonly database: Database;
  readonly services: Services;
  readonly io: IoServer;
  readonly scheduler: Agenda | undefined;
  readonly firstAdmin: FirstAdmin;
  /** Where the FastAGI server listens, when enabled. */
  readonly fastagi: { host: string; port: number } | undefined;
  readonly voice: VoiceConnections;
  readonly acd: AcdEngine;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Tests pass a database they opened (and close) themselves. */
  database?: Database;
  /** The scheduler is off in most API tests: they do not need Agenda's polling. */
  scheduler?: boolean;
  /** How often the queue engine sweeps and routes without other triggers (ms). */
  acdTickMs?: number;
  /** How often the supervisor board flushes changes to its sockets (ms). */
  boardFlushMs?: number;
  /** The supervisor board's time (tests step its timers on a virtual clock); the system clock by default. */
  boardClock?: Clock;
  /** How often unattended chats are looked for and closed (ms). */
  chatSweepMs?: number;
}

export async function startTandem(config: Config, opts: StartOptions = {}): Promise<Tandem> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const ownDatabase = !opts.database;
  const database =
    opts.database ??
    (await openDatabase({ url: config.database.url, dataDir: config.dataDir, poolSize: config.database.poolSize, connectRetries: config.database.connectRetries, logger }));
  let mailer: Mailer | undefined;
  let scheduler: Agenda | undefined;
  let server: http.Server | undefined;
  let io: IoServer | undefined;
  let board: SupervisorBoardHub | undefined;
  let cluster: RealtimeCluster | undefined;
  let fastagi: FastAgiServer | undefined;
  let voice: VoiceConnections | undefined;
  let fds: FdMonitor | undefined;
  const shutdown = new AbortController();
  let stopPromptRefresh: (() => void) | undefined;
  let stopChat: (() => void) | undefined;
  try {
    await database.migrate();
    const firstAdmin = await ensureFirstAdmin(database.db, config.admin.username, config.admin.password, config.auth.passwordCost);
    mailer = createMailer(config.mail.smtpUrl, config.mail.from);
    voice = openVoiceConnections({ amiUrl: config.ami.url, ariUrl: config.ari.url, ariApp: config.ari.app }, logger);
    const devices = new DeviceStates();
    if (voice.ami) devices.follow(voice.ami);
    const acd = new AcdEngine({
      db: database.db,
      logger: logger.child({ subsystem: 'acd' }),
      core: routingCore,
      deviceState: (target) => devices.stateOfDialTarget(target),
      ...(opts.acdTickMs ? { tickMs: opts.acdTickMs } : {}),
    });
    // A phone that becomes free may be the one an agent waits on: route again at once.
    devices.onChange((_device, state) => {
      if (state === 'NOT_INUSE') acd.kick();
    });
    await sweepSoundFolder(config.dataDir);
    const prompts = new PromptResolver({ baseUrl: config.http.mediaUrl, defaultLanguage: 'en' });
    await prompts.refresh(database.db);
    stopPromptRefresh = prompts.refreshEvery(database.db, 30_000, (err) => logger.warn({ err: String(err) }, 'sound index refresh failed'));
    const services: Services = { config, database, db: database.db, logger, mailer, tasks: new BackgroundTasks(logger), voice, acd, prompts, devices };
    const app = createApp(services);
    // Slow or silent clients must not hold sockets (and file descriptors) for long; Node sweeps
    // for late headers and requests every connectionsCheckingInterval.
    const limits = config.http;
    server = http.createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
      },
      app.callback(),
    );
    services.connections = guardConnections(server, { maxPerAddress: limits.maxConnectionsPerAddress, idleTimeoutMs: limits.idleTimeoutMs, logger: logger.child({ subsystem: 'http' }) });
    fds = new FdMonitor({ alarmPercent: config.fdAlarmPercent, logger: logger.child({ subsystem: 'process' }) });
    services.fds = fds;
    fds.start();
    io = createRealtime(server, services);
    if (config.redis.url) cluster = await joinRealtimeCluster(io, { url: config.redis.url, db: database.db, logger: logger.child({ subsystem: 'realtime' }) });
    connectAcdToRealtime(acd, io);
    const chat = new ChatService({
      db: database.db,
      logger: logger.child({ subsystem: 'chat' }),
      engine: acd,
      io,
      dataDir: config.dataDir,
      flowServices: serverFlowServices({ mailer, agents: createAgentsPort(database.db, (presence) => acd.presenceChanged(presence)), queue: createQueuePort(database.db, 'chat') }),
      shutdown: shutdown.signal,
      cluster: cluster !== undefined,
      ...(opts.chatSweepMs ? { sweepMs: opts.chatSweepMs } : {}),
    });
    services.chat = chat;
    attachWidgetNamespace(io, { db: database.db, logger: logger.child({ subsystem: 'chat-widget' }), chat, dataDir: config.dataDir, trustedProxies: config.http.trustedProxies });
    const stopChatSpyChecks = attachAgentChatEvents(io, database.db, logger.child({ subsystem: 'chat' }));
    // The chat service sweeps unattended chats on a timer: stopped with the node, or if the start fails below.
    stopChat = () => {
      chat.stop();
      stopChatSpyChecks();
    };
    board = new SupervisorBoardHub(io, services, { ...(opts.boardFlushMs ? { flushMs: opts.boardFlushMs } : {}), ...(opts.boardClock ? { clock: opts.boardClock } : {}) });
    board.start();
    services.board = board;
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(config.http.port, config.http.host, () => {
        server!.off('error', reject);
        resolve();
      });
    });
    let fastagiAddress: { host: string; port: number } | undefined;
    const voiceQueue = voice.ari && voice.stasis ? new VoiceQueue({ db: database.db, engine: acd, ari: voice.ari, stasis: voice.stasis, logger: logger.child({ subsystem: 'voice-queue' }), resolvePrompt: (name, language) => prompts.streamTarget(name, language) }) : undefined;
    const spy = voice.ari && voice.stasis && voiceQueue ? new SpyService({ db: database.db, ari: voice.ari, stasis: voice.stasis, calls: voiceQueue, logger: logger.child({ subsystem: 'spy' }) }) : undefined;
    services.spy = spy;
    if (spy) board.followSpy(spy);
    await voice.connect();
    if (config.fastagi.enabled) {
      const handlers = createCallHandlers({ db: database.db, logger: logger.child({ subsystem: 'voice' }), services: serverFlowServices({ mailer, agents: createAgentsPort(database.db, (presence) => acd.presenceChanged(presence)), queue: createQueuePort(database.db, 'voice') }),
        call: {
          resolvePrompt: (name, language) => prompts.streamTarget(name, language),
          ...(voiceQueue ? { enqueue: (call, options, signal) => voiceQueue.enqueue(call, options, signal) } : {}),
          inCallCodes: async () => (await readSettings(database.db)).featureCodes,
        },
        shutdown: shutdown.signal,
        featureCode: createFeatureCodes({
          db: database.db,
          logger: logger.child({ subsystem: 'feature-codes' }),
          onPresence: (presence) => acd.presenceChanged(presence),
          ...(spy ? { spy: createSpyFeatureCode({ db: database.db, spy, ariApp: config.ari.app, logger: logger.child({ subsystem: 'spy' }) }) } : {}),
        }),
      });
      fastagi = new FastAgiServer({
        host: config.fastagi.host,
        port: config.fastagi.port,
        maxConnections: config.fastagi.maxConnections,
        maxConnectionsPerAddress: config.fastagi.maxConnectionsPerAddress,
        logger: logger.child({ subsystem: 'fastagi' }),
        fallback: unroutedCallHandler(logger.child({ subsystem: 'voice' })),
      });
      for (const [path, handler] of Object.entries(handlers)) fastagi.route(path, handler);
      fastagiAddress = await fastagi.listen();
      services.fastagi = fastagi;
    }
    if (opts.scheduler !== false) {
      scheduler = await createScheduler(database);
      await scheduler.start();
    }
    // Started last: nothing below can fail and leave its timer running.
    acd.start();
    const port = (server.address() as AddressInfo).port;
    const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
    const s = server;
    const i = io;
    const m = mailer;
    const f = fastagi;
    const a = acd;
    const v = voice;
    return {
      url: `http://${host}:${port}`,
      port,
      database,
      services,
      io: i,
      scheduler,
      firstAdmin,
      fastagi: fastagiAddress,
      voice: v,
      acd: a,
      async stop() {
        shutdown.abort(new Error('Tandem is stopping'));
        services.chat?.stop();
        stopChat?.();
        await services.board?.stop();
        stopPromptRefresh?.();
        services.fds?.stop();
        await a.stop();
        // Before the FastAGI server: a feature-code supervisor's AGI session waits on Stasis.
        await services.spy?.close();
        if (f) await f.close();
        await v.close();
        if (scheduler) await scheduler.stop().catch((err: unknown) => logger.warn({ err }, 'scheduler stop failed'));
        await new Promise<void>((resolve) => i.close(() => resolve()));
        await cluster?.close();
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
        // After the HTTP server: no request can start another one now.
        await services.tasks?.drain();
        m.close();
        if (ownDatabase) await database.close();
      },
    };
  } catch (err) {
    if (scheduler) await scheduler.stop().catch(() => undefined);
    shutdown.abort();
    stopPromptRefresh?.();
    stopChat?.();
    fds?.stop();
    await fastagi?.close().catch(() => undefined);
    await voice?.close().catch(() => undefined);
    await board?.stop().catch(() => undefined);
    io?.close();
    await cluster?.close().catch(() => undefined);
    server?.close();
    mailer?.close();
    if (ownDatabase) await database.close().catch(() => undefined);
    throw err;
  }
}
