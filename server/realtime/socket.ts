// socket.io on the same HTTP server as the API, authenticated with the same tokens and API keys.
// Namespaces for agents, supervisors and the chat widget are added by their subsystems.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Services } from '../http/context.ts';
import { credentialOf, principalFromCredential } from '../http/auth-middleware.ts';
import type { Principal } from '../auth/permissions.ts';
import { chatOriginCheck } from '../channels/chat/origins.ts';

export interface SocketData {
  principal: Principal;
}

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
  io.use(async (socket, next) => {
    try {
      const fromAuth = (socket.handshake.auth as { token?: unknown }).token;
      const credential = typeof fromAuth === 'string' ? fromAuth : credentialOf(socket.handshake.headers);
      const principal = credential ? await principalFromCredential(services, credential) : undefined;
      if (!principal) return next(new Error('UNAUTHENTICATED'));
      if (principal.mustChangePassword) return next(new Error('PASSWORD_CHANGE_REQUIRED'));
      socket.data.principal = principal;
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
    if (p.role === 'admin' || (p.role === 'supervisor' && (p.permissions.realtime ?? 'none') !== 'none')) void socket.join('acd:monitor');
    socket.emit('hello' as never, { userId: p.userId, role: p.role, username: p.username } as never);
  });
  return io as unknown as Server;
}
