// socket.io on the same HTTP server as the API, authenticated with the same tokens and API keys.
// Namespaces for agents, supervisors and the chat widget are added by their subsystems.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Services } from '../services.ts';
import { principalFromCredential } from '../auth/credentials.ts';
import { handshakeCredential, reauthenticateSockets } from './socket-auth.ts';
import type { Principal } from '../auth/permissions.ts';
import { chatOriginCheck } from '../channels/chat/origins.ts';
import { createClient } from 'redis';
import { createAdapter } from '@socket.io/redis-adapter';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { refuseNulPayloads } from './nul-guard.ts';

export interface SocketData {
  principal: Principal;
  /** The handshake's token or API key: the socket's rights are checked again with it. */
  credential: string;
}

/** How often the sockets of the default namespace have their credential and rights checked again. */
const RECHECK_MS = 60_000;

const watchesQueues = (p: Principal) => p.role === 'admin' || (p.role === 'supervisor' && (p.permissions.realtime ?? 'none') !== 'none');

export function createRealtime(httpServer: HttpServer, services: Services): Server {
  const isChatOrigin = chatOriginCheck(services.db);
  const io = new Server<Record<string, never>, Record<string, (...args: never[]) => void>, Record<string, never>, SocketData>(httpServer, {
    serveClient: false,
    // Cross-origin only for the pages of chat websites (the widget's polling fallback), without
    // credentials; the /chat-widget namespace checks the origin per website again.
    cors: {
      origin: (origin: string | undefined, callback: (err: Error | null, allow?: boolean) => void) => {
        if (!origin) return callback(null, false);
        isChatOrigin(origin).then(
          (ok) => callback(null, ok),
          () => callback(null, false),
        );
      },
      credentials: false,
    },
    maxHttpBufferSize: 1e6,
  });
  // First, on every namespace: a NUL never reaches a handler (nor the database).
  refuseNulPayloads(io as unknown as Server);
  io.use(async (socket, next) => {
    try {
      const credential = handshakeCredential(socket);
      const principal = credential ? await principalFromCredential(services, credential) : undefined;
      if (!principal) return next(new Error('UNAUTHENTICATED'));
      if (principal.mustChangePassword) return next(new Error('PASSWORD_CHANGE_REQUIRED'));
      socket.data.principal = principal;
      socket.data.credential = credential!;
      next();
    } catch (err) {
      services.logger.warn({ err }, 'realtime authentication failed');
      next(new Error('UNAVAILABLE'));
    }
  });
  io.on('connection', (socket) => {
    const p = socket.data.principal;
    void socket.join(`user:${p.userId}`);
    // Admins and supervisors with the realtime permission follow queues and agents live.
    if (watchesQueues(p)) void socket.join('acd:monitor');
    socket.emit('hello' as never, { userId: p.userId, role: p.role, username: p.username } as never);
  });
  const timer = setInterval(() => void recheckRealtimeSockets(io as unknown as Server, services), RECHECK_MS);
  timer.unref();
  httpServer.once('close', () => clearInterval(timer));
  return io as unknown as Server;
}

/**
 * Rights are read at the handshake; a user logged out, expired, disabled or stripped of the realtime
 * permission since must not keep receiving offers or the monitor room's events. Checks this node's
 * sockets of the default namespace again: invalid ones are disconnected (with `session-ended`), the
 * monitor room follows the current permission.
 */
export async function recheckRealtimeSockets(io: Server, services: Services): Promise<void> {
  const sockets = io.of('/').sockets;
  function* signedIn(): Generator<{ socket: Socket; credential: string }> {
    for (const socket of sockets.values()) {
      const credential = (socket.data as Partial<SocketData>).credential;
      if (credential) yield { socket, credential };
    }
  }
  await reauthenticateSockets(signedIn(), {
    db: services.db,
    logger: services.logger,
    unavailableLog: 'realtime: could not check the sockets again',
    refusedEvent: 'session-ended',
    refusal: (principal) => (principal ? undefined : { code: 'UNAUTHENTICATED', message: 'Your session ended; sign in again' }),
    accept: ({ socket }, principal) => {
      (socket.data as Partial<SocketData>).principal = principal;
      if (watchesQueues(principal)) void socket.join('acd:monitor');
      else void socket.leave('acd:monitor');
    },
  });
}

export interface RealtimeCluster {
  close(): Promise<void>;
}

/** `redis://host:port/db`, never the credentials: fit for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? ':' + u.port : ''}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(unparseable TANDEM_REDIS_URL)';
  }
}

/**
 * Puts socket.io on the Redis adapter, so that a room emit on one node reaches the sockets of all
 * (agents, supervisors and visitors may each be connected to any node). Call before any namespace
 * has sockets. The nodes of one cluster are those that share a PostgreSQL database: the adapter's
 * channels are named after it, so deployments (or test runs) on one Redis never hear each other.
 * Reconnection with backoff is the client's; a Redis that cannot be reached at start stops the
 * start, as an unreachable database does.
 */
export async function joinRealtimeCluster(io: Server, opts: { url: string; db: Db; logger: Logger; startRetries?: number }): Promise<RealtimeCluster> {
  const where = redactRedisUrl(opts.url);
  const startRetries = opts.startRetries ?? 5;
  let started = false;
  const reconnectStrategy = (retries: number, cause: Error): number | Error => {
    if (!started && retries >= startRetries) return new Error(`Redis at ${where} is not reachable (${cause.message})`);
    return Math.min(100 * 2 ** retries, 5_000) + Math.floor(Math.random() * 100);
  };
  const publisher = createClient({ url: opts.url, socket: { reconnectStrategy } });
  const subscriber = publisher.duplicate();
  for (const [role, client] of [['publisher', publisher], ['subscriber', subscriber]] as const) {
    // The URL may carry a password: log where, never the URL itself.
    client.on('error', (err: unknown) => {
      if (started) opts.logger.warn({ redis: where, role, err: err instanceof Error ? err.message : String(err) }, 'Redis connection lost; socket.io events between nodes wait until it is back');
    });
    client.on('reconnecting', () => {
      if (started) opts.logger.info({ redis: where, role }, 'reconnecting to Redis');
    });
  }
  try {
    // Both settle (each gives up after its own retries), so that neither keeps reconnecting behind a failed start.
    const connecting = await Promise.allSettled([publisher.connect(), subscriber.connect()]);
    for (const c of connecting) if (c.status === 'rejected') throw c.reason;
    const result = (await opts.db.execute(sql`select current_database() as name`)) as unknown as { rows: { name: string }[] };
    io.adapter(createAdapter(publisher, subscriber, { key: `tandem#${result.rows[0]?.name ?? 'tandem'}`, requestsTimeout: 2_000 }));
  } catch (err) {
    for (const client of [publisher, subscriber]) if (client.isOpen) client.destroy();
    throw new Error(`cannot join the cluster over Redis at ${where}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  started = true;
  opts.logger.info({ redis: where }, 'socket.io joined the cluster over Redis');
  return {
    async close() {
      await Promise.allSettled([publisher.close(), subscriber.close()]);
    },
  };
}
