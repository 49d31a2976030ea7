// Shared set-up for the AGI tests: fixture loading, a real pino logger captured in memory, and a
// one-call harness (our FastAgiServer + the Asterisk peer from test/peers/asterisk-agi.ts).
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { FastAgiServer, type AgiHandler, type FastAgiServerOptions } from '../../../server/voice/agi/fastagi-server.ts';
import type { AgiSession } from '../../../server/voice/agi/agi-session.ts';
import { AsteriskAgiPeer, type AgiPeerOptions } from '../../peers/asterisk-agi.ts';
import { asteriskFixture } from '../../support/fixtures.ts';

/** The text of a captured transcript of test/fixtures/asterisk. */
export function fixture(name: string): string {
  return readFileSync(asteriskFixture(name), 'utf8');
}

export interface LogEntry {
  readonly level: number;
  readonly msg: string;
  readonly reason?: string;
  readonly [key: string]: unknown;
}

/** A real pino logger whose lines land in `entries` (synchronously). */
export function captureLogger(): { logger: pino.Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void entries.push(JSON.parse(line) as LogEntry) });
  return { logger, entries };
}

export interface TestServer {
  readonly server: FastAgiServer;
  readonly port: number;
  readonly logs: LogEntry[];
}

export async function startServer(options: FastAgiServerOptions = {}, routes: Record<string, AgiHandler> = {}): Promise<TestServer> {
  const { logger, entries } = captureLogger();
  const server = new FastAgiServer({ port: 0, logger, closeGraceMs: 200, ...options });
  for (const [route, handler] of Object.entries(routes)) server.route(route, handler);
  const { port } = await server.listen();
  return { server, port, logs: entries };
}

export interface CallOutcome<T> {
  readonly value?: T;
  readonly error?: unknown;
  readonly session: AgiSession;
  readonly peer: AsteriskAgiPeer;
  readonly logs: LogEntry[];
}

/**
 * Runs one call: `script` is the route handler (route 'demo'), the peer plays Asterisk with
 * `peerOptions`. Resolves once the handler finished AND the socket is closed on both sides.
 */
export async function runCall<T>(
  script: (session: AgiSession) => Promise<T>,
  peerOptions: Omit<AgiPeerOptions, 'port'> = {},
  serverOptions: FastAgiServerOptions = {},
): Promise<CallOutcome<T>> {
  let settle: (outcome: { value?: T; error?: unknown; session: AgiSession }) => void = () => {};
  const settled = new Promise<{ value?: T; error?: unknown; session: AgiSession }>((resolve) => (settle = resolve));
  const { server, port, logs } = await startServer(serverOptions, {
    demo: async (session) => {
      try {
        settle({ value: await script(session), session });
      } catch (error) {
        settle({ error, session });
        throw error;
      }
    },
  });
  try {
    const peer = await AsteriskAgiPeer.connect({ port, ...peerOptions });
    const outcome = await settled;
    await peer.done;
    await outcome.session.whenClosed;
    return { ...outcome, peer, logs };
  } finally {
    await server.close(200);
  }
}
