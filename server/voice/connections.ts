// The node's connections to Asterisk's manager (AMI) and REST interface (ARI), from AMI_URL and
// ARI_URL. A down Asterisk never stops Tandem from starting: the failure is logged (without the
// secret) and the clients keep reconnecting with backoff; /api/health shows their state.
import type { Logger } from '../logger.ts';
import { AmiClient } from './ami/client.ts';
import { AriClient } from './ari/client.ts';
import { createStasisApp, type StasisApp } from './ari/stasis-app.ts';

export interface VoiceConnections {
  readonly ami: AmiClient | undefined;
  readonly ari: AriClient | undefined;
  readonly stasis: StasisApp | undefined;
  status(): { ami: string; ari: string };
  /**
   * Connects. Called once the features that hold channels (the voice queue) have registered with the
   * Stasis app, so that the first resync can give them back their channels.
   */
  connect(): Promise<void>;
  close(): Promise<void>;
}

export interface Credentials {
  host: string;
  port: number;
  username: string;
  secret: string;
  base: string;
}

/** tcp://user:secret@host:5038 or http://user:secret@host:8088 → parts; the secret is URL-decoded. */
export function parseCredentialUrl(url: string, defaultPort: number): Credentials {
  const u = new URL(url);
  if (!u.username) throw new Error(`${u.protocol}//${u.host}: the URL must carry the user name (user:secret@host)`);
  const port = u.port ? Number(u.port) : defaultPort;
  return {
    host: u.hostname,
    port,
    username: decodeURIComponent(u.username),
    secret: decodeURIComponent(u.password),
    base: `${u.protocol === 'https:' ? 'https' : 'http'}://${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${port}`,
  };
}

export function openVoiceConnections(config: { amiUrl: string | undefined; ariUrl: string | undefined; ariApp: string }, logger: Logger): VoiceConnections {
  let ami: AmiClient | undefined;
  let ari: AriClient | undefined;
  let stasis: StasisApp | undefined;
  let amiAt = '';
  let ariAt = '';
  if (config.amiUrl) {
    const c = parseCredentialUrl(config.amiUrl, 5038);
    amiAt = `${c.host}:${c.port}`;
    ami = new AmiClient({ host: c.host, port: c.port, username: c.username, secret: c.secret, logger: logger.child({ subsystem: 'ami' }) });
  }
  if (config.ariUrl) {
    const c = parseCredentialUrl(config.ariUrl, 8088);
    ariAt = c.base;
    ari = new AriClient({ url: c.base, username: c.username, password: c.secret, app: config.ariApp, logger: logger.child({ subsystem: 'ari' }) });
    stasis = createStasisApp(ari, logger.child({ subsystem: 'stasis' }));
  }
  return {
    ami,
    ari,
    stasis,
    status: () => ({ ami: ami ? ami.state : 'not configured', ari: ari ? ari.state : 'not configured' }),
    async connect() {
      // A down Asterisk is reported, not fatal: the clients keep retrying with backoff.
      await Promise.all([
        ami?.connect().catch((err: unknown) => logger.warn({ err: String(err) }, `AMI at ${amiAt} is not reachable yet; retrying in the background`)),
        ari?.connect().catch((err: unknown) => logger.warn({ err: String(err) }, `ARI at ${ariAt} is not reachable yet; retrying in the background`)),
      ]);
    },
    async close() {
      stasis?.close();
      await Promise.all([ami?.close(), ari?.close()]);
    },
  };
}
