// Limits on the HTTP listener's connections (API, web app and socket.io share it):
//
// - a cap per client address: one client cannot hold every file descriptor of the process; a
//   connection beyond the cap is closed at once, before Node sets anything up for it;
// - a deadline for connections that never send a byte. Node's headersTimeout covers them too, but
//   only on its connections-checking sweep; this closes them on time, for one timer each.
//
// An IPv6 client counts per /64 network (one subscriber usually holds a whole /64), an IPv4-mapped
// IPv6 address as its IPv4 address.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../logger.ts';
import { addressKey } from './client-address.ts';

export interface ConnectionGuardOptions {
  /** Open connections one address may hold; the next is closed at once. */
  maxPerAddress: number;
  /** A connection that has sent nothing after this long is closed. */
  idleTimeoutMs: number;
  logger?: Logger;
}

export interface ConnectionStats {
  /** Connections open now. */
  open: number;
  /** Client addresses (IPv6: /64 networks) with at least one connection open. */
  addresses: number;
  /** The most connections one address holds now. */
  busiestAddress: number;
  maxPerAddress: number;
  /** Connections closed at once because their address was at the cap, since start. */
  refused: number;
  /** Connections closed because they sent nothing within the idle timeout, since start. */
  idleClosed: number;
}

export interface ConnectionGuard {
  stats(): ConnectionStats;
  stop(): void;
}

/** How often a refusal is logged at most (a flood is one line per period, with its count). */
const REFUSAL_LOG_MS = 10_000;

export function guardConnections(server: Server, options: ConnectionGuardOptions): ConnectionGuard {
  const perAddress = new Map<string, number>();
  let open = 0;
  let refused = 0;
  let idleClosed = 0;
  let refusedSinceLog = 0;
  let lastRefusalLog = 0;

  const onConnection = (socket: Socket): void => {
    const key = addressKey(socket.remoteAddress);
    const count = perAddress.get(key) ?? 0;
    if (count >= options.maxPerAddress) {
      refused += 1;
      refusedSinceLog += 1;
      socket.on('error', () => undefined);
      socket.destroy();
      const now = Date.now();
      if (now - lastRefusalLog >= REFUSAL_LOG_MS) {
        options.logger?.warn({ address: key, max: options.maxPerAddress, refused: refusedSinceLog }, 'connection limit per address reached; closing new connections from it');
        lastRefusalLog = now;
        refusedSinceLog = 0;
      }
      return;
    }
    perAddress.set(key, count + 1);
    open += 1;
    const idle = setTimeout(() => {
      // bytesRead counts what the HTTP parser consumed straight from the handle as well.
      if (socket.bytesRead === 0 && !socket.destroyed) {
        idleClosed += 1;
        socket.destroy();
      }
    }, options.idleTimeoutMs);
    idle.unref();
    socket.once('close', () => {
      clearTimeout(idle);
      open -= 1;
      const left = (perAddress.get(key) ?? 1) - 1;
      if (left <= 0) perAddress.delete(key);
      else perAddress.set(key, left);
    });
  };
  // First in line: a refused socket is closed before the HTTP server builds a parser for it.
  server.prependListener('connection', onConnection);

  return {
    stats() {
      let busiest = 0;
      for (const n of perAddress.values()) if (n > busiest) busiest = n;
      return { open, addresses: perAddress.size, busiestAddress: busiest, maxPerAddress: options.maxPerAddress, refused, idleClosed };
    },
    stop() {
      server.off('connection', onConnection);
    },
  };
}
