// Configuration comes from the environment only, parsed and asserted once at boot: a wrong value
// stops the start with one line per problem naming the variable, never a surprise later.
import path from 'node:path';
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(fallback);

const positiveInt = (fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(max).default(fallback);

const host = z
  .string()
  .min(1, 'must not be empty')
  .regex(/^[A-Za-z0-9.:\-[\]]+$/, 'must be a host name or IP address');

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`);

const envSchema = z.object({
  TANDEM_HOST: host.default('127.0.0.1'),
  TANDEM_PORT: port(8080),
  TANDEM_PUBLIC_URL: optionalUrl(['http:', 'https:']),
  /** Where Asterisk fetches Tandem's sounds (res_http_media_cache); defaults to the public URL. */
  TANDEM_MEDIA_URL: optionalUrl(['http:', 'https:']),
  TANDEM_DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  DATABASE_POOL_SIZE: positiveInt(10, 500),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TANDEM_ADMIN_USERNAME: z
    .string()
    .regex(/^[A-Za-z0-9._]{1,64}$/, "must be letters, digits, '.' or '_'")
    .default('admin'),
  TANDEM_ADMIN_PASSWORD: z.string().optional(),
  TANDEM_BODY_LIMIT_KB: positiveInt(1024, 1024 * 100),
  // Slow or silent clients must not hold sockets (and file descriptors) for long.
  /** A connection that has not sent one byte after this long is closed. */
  TANDEM_HTTP_IDLE_TIMEOUT_MS: positiveInt(10_000, 3_600_000),
  /** The request line and headers must have arrived within this long. */
  TANDEM_HTTP_HEADERS_TIMEOUT_MS: positiveInt(15_000, 3_600_000),
  /** The whole request (headers and body) must have arrived within this long. */
  TANDEM_HTTP_REQUEST_TIMEOUT_MS: positiveInt(30_000, 3_600_000),
  /** An idle keep-alive connection is closed after this long. */
  TANDEM_HTTP_KEEPALIVE_TIMEOUT_MS: positiveInt(5_000, 3_600_000),
  /** Open connections (HTTP and socket.io together) from one client address; beyond, closed at once. */
  TANDEM_MAX_CONNECTIONS_PER_ADDRESS: positiveInt(512, 1_000_000),
  /** Share of the process's file-descriptor limit in use at which the log and /api/health raise an alarm. */
  TANDEM_FD_ALARM_PERCENT: positiveInt(80, 100),
  TANDEM_SESSION_HOURS: positiveInt(12, 24 * 90),
  // scrypt cost as log2(N); 15 = 32 MiB per hash. Tests lower it to keep suites quick.
  TANDEM_PASSWORD_COST: z.coerce.number().int().min(10, 'must be between 10 and 20').max(20, 'must be between 10 and 20').default(15),
  SMTP_URL: optionalUrl(['smtp:', 'smtps:']),
  SMTP_FROM: z.string().default('Tandem <no-reply@localhost>'),
  FASTAGI_HOST: host.default('127.0.0.1'),
  FASTAGI_PORT: port(4573),
  FASTAGI_ENABLED: z.enum(['true', 'false'], { message: "must be 'true' or 'false'" }).default('true'),
  FASTAGI_MAX_CONNECTIONS: positiveInt(4096, 1_000_000),
  /** Asterisk is normally the only client, so by default one address may use every connection. */
  FASTAGI_MAX_CONNECTIONS_PER_ADDRESS: positiveInt(4096, 1_000_000),
  AMI_URL: optionalUrl(['tcp:', 'ami:']),
  ARI_URL: optionalUrl(['http:', 'https:']),
  ARI_APP: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _').default('tandem'),
  DB_CONNECT_RETRIES: z.coerce.number().int().min(0).max(1000).default(30),
  /**
   * Reverse proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For names the client. Empty by
   * default: the header is then ignored, since any client can write it (server/http/client-address.ts).
   */
  TANDEM_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .refine((list) => list.every(validProxyEntry), 'must be IP addresses or CIDR ranges separated by commas (e.g. 10.0.0.5,192.168.1.0/24)'),
  /** Redis shared by the nodes of a cluster (socket.io adapter); absent = one node, in-memory rooms. */
  TANDEM_REDIS_URL: optionalUrl(['redis:', 'rediss:']),
});

function validProxyEntry(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address ?? '');
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^[0-9]{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

/** The trusted proxies as a BlockList, to test a peer address against. */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

export interface Config {
  http: {
    host: string;
    port: number;
    publicUrl: string;
    mediaUrl: string;
    bodyLimitBytes: number;
    trustedProxies: string[];
    idleTimeoutMs: number;
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxConnectionsPerAddress: number;
  };
  /** Percentage of the file-descriptor limit that raises the alarm. */
  fdAlarmPercent: number;
  dataDir: string;
  database: { url: string | undefined; poolSize: number; connectRetries: number };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  admin: { username: string; password: string | undefined };
  auth: { sessionHours: number; passwordCost: number };
  mail: { smtpUrl: string | undefined; from: string };
  fastagi: { enabled: boolean; host: string; port: number; maxConnections: number; maxConnectionsPerAddress: number };
  ami: { url: string | undefined };
  ari: { url: string | undefined; app: string };
  redis: { url: string | undefined };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError listing every wrong variable with its value's problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        const raw = env[name];
        // Secrets are named but never echoed.
        const shown = /PASSWORD|SECRET|URL/.test(name) ? '' : raw === undefined ? '' : ` (got '${raw}')`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  // Node refuses a headers timeout longer than the request timeout; say so at boot, by name.
  if (e.TANDEM_HTTP_HEADERS_TIMEOUT_MS > e.TANDEM_HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError([
      `TANDEM_HTTP_HEADERS_TIMEOUT_MS: must not exceed TANDEM_HTTP_REQUEST_TIMEOUT_MS (${e.TANDEM_HTTP_REQUEST_TIMEOUT_MS}) (got '${e.TANDEM_HTTP_HEADERS_TIMEOUT_MS}')`,
    ]);
  }
  const publicUrl = e.TANDEM_PUBLIC_URL ?? `http://${e.TANDEM_HOST.includes(':') ? `[${e.TANDEM_HOST}]` : e.TANDEM_HOST}:${e.TANDEM_PORT}`;
  return {
    http: {
      host: e.TANDEM_HOST,
      port: e.TANDEM_PORT,
      publicUrl: publicUrl.replace(/\/$/, ''),
      mediaUrl: (e.TANDEM_MEDIA_URL ?? publicUrl).replace(/\/$/, ''),
      bodyLimitBytes: e.TANDEM_BODY_LIMIT_KB * 1024,
      trustedProxies: e.TANDEM_TRUSTED_PROXIES,
      idleTimeoutMs: e.TANDEM_HTTP_IDLE_TIMEOUT_MS,
      headersTimeoutMs: e.TANDEM_HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.TANDEM_HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.TANDEM_HTTP_KEEPALIVE_TIMEOUT_MS,
      maxConnectionsPerAddress: e.TANDEM_MAX_CONNECTIONS_PER_ADDRESS,
    },
    fdAlarmPercent: e.TANDEM_FD_ALARM_PERCENT,
    dataDir: path.resolve(e.TANDEM_DATA_DIR),
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, connectRetries: e.DB_CONNECT_RETRIES },
    logLevel: e.LOG_LEVEL,
    admin: { username: e.TANDEM_ADMIN_USERNAME, password: e.TANDEM_ADMIN_PASSWORD || undefined },
    auth: { sessionHours: e.TANDEM_SESSION_HOURS, passwordCost: e.TANDEM_PASSWORD_COST },
    mail: { smtpUrl: e.SMTP_URL, from: e.SMTP_FROM },
    fastagi: {
      enabled: e.FASTAGI_ENABLED === 'true',
      host: e.FASTAGI_HOST,
      port: e.FASTAGI_PORT,
      maxConnections: e.FASTAGI_MAX_CONNECTIONS,
      maxConnectionsPerAddress: e.FASTAGI_MAX_CONNECTIONS_PER_ADDRESS,
    },
    ami: { url: e.AMI_URL },
    ari: { url: e.ARI_URL, app: e.ARI_APP },
    redis: { url: e.TANDEM_REDIS_URL },
  };
}
