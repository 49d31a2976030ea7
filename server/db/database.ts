// One storage path for both engines: drizzle over node-postgres when DATABASE_URL is set, drizzle over
// an embedded PGlite (PostgreSQL compiled to WASM, kept in the data folder) when it is not. Callers
// only ever see `Db`; the same migrations and queries run on both.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.ts';
import type { Logger } from '../logger.ts';
import { describeDbError, isConnectionError } from './errors.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/**
 * Runs `fn` in a transaction whose handle is typed as the `Db` every query function takes: drizzle
 * types a transaction by its driver (node-postgres or PGlite), the queries are the same, so this is
 * the one place that says so.
 */
export function transaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(tx as unknown as Db));
}

/** The rows of a raw `db.execute(sql…)`, whichever driver ran it (node-postgres and PGlite both answer `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
export type Engine = 'postgres' | 'pglite';

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface DatabaseOptions {
  /** postgres://… for a PostgreSQL server; undefined for the embedded engine. */
  url: string | undefined;
  /** Where the embedded engine keeps its files; `memory://` keeps nothing (tests). */
  dataDir: string;
  poolSize?: number;
  /** How many times to retry the first connection before giving up (server engine). */
  connectRetries?: number;
  logger: Logger;
}

export interface Database {
  readonly db: Db;
  readonly engine: Engine;
  /** Where the data lives, without credentials: fit for logs and the start banner. */
  readonly location: string;
  /** Runs `select 1`; throws when the database cannot answer. */
  ping(): Promise<void>;
  /** Applies the committed migrations that are not applied yet, in order. */
  migrate(): Promise<void>;
  /**
   * A node-postgres pool for libraries that speak the PostgreSQL wire protocol themselves (Agenda's
   * backend). On PGlite it reaches the embedded engine through pglite-socket on loopback.
   */
  wirePool(): Promise<pg.Pool>;
  close(): Promise<void>;
}

/** Credentials stripped: `postgres://host:5432/db`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? ':' + u.port : ''}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  return opts.url ? openServer(opts.url, opts) : openEmbedded(opts);
}

async function openServer(url: string, opts: DatabaseOptions): Promise<Database> {
  const location = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5000 });
  // An idle client dying (server restart) must not crash the process; the pool replaces it.
  pool.on('error', (err) => opts.logger.warn({ err: describeDbError(err) }, 'database connection lost; will reconnect on next use'));
  // A client checked out of the pool (inside a transaction) has no pool listener: its 'error' event
  // would be an uncaught exception. The query in flight already rejects; this only keeps the process up.
  pool.on('connect', (client) => client.on('error', (err) => opts.logger.warn({ err: describeDbError(err) }, 'database connection lost during a query')));
  const db = drizzlePg(pool, { schema }) as unknown as Db;

  const retries = opts.connectRetries ?? 30;
  for (let attempt = 0; ; attempt++) {
    try {
      await pool.query('select 1');
      break;
    } catch (err) {
      if (!isConnectionError(err) || attempt >= retries) {
        await pool.end().catch(() => undefined);
        throw new Error(`Cannot reach the database at ${location}: ${describeDbError(err)}`, { cause: err });
      }
      const wait = Math.min(5000, 250 * 2 ** attempt);
      opts.logger.warn(`database at ${location} unreachable (${describeDbError(err)}); retry ${attempt + 1}/${retries} in ${wait} ms`);
      await sleep(wait);
    }
  }

  return {
    db,
    engine: 'postgres',
    location,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    migrate: async () => {
      // Serialise concurrent boots of several nodes: only one applies migrations at a time.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock(7412001)');
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query('select pg_advisory_unlock(7412001)').catch(() => undefined);
        client.release();
      }
    },
    wirePool: async () => pool,
    close: async () => {
      await pool.end();
    },
  };
}

async function openEmbedded(opts: DatabaseOptions): Promise<Database> {
  const inMemory = opts.dataDir.startsWith('memory://');
  const dir = inMemory ? opts.dataDir : path.join(opts.dataDir, 'pgdata');
  if (!inMemory) await fs.mkdir(dir, { recursive: true });
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dir);
  } catch (err) {
    throw new Error(`Cannot open the embedded database in ${dir}: ${(err as Error).message} (is another Tandem using this data folder?)`, { cause: err });
  }
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  let socket: { server: PGLiteSocketServer; pool: pg.Pool } | undefined;

  return {
    db,
    engine: 'pglite',
    location: inMemory ? 'embedded (in memory)' : `embedded (${dir})`,
    ping: async () => {
      await pglite.query('select 1');
    },
    migrate: async () => {
      await migratePglite(drizzlePglite(pglite, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    },
    wirePool: async () => {
      if (!socket) {
        const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 16 });
        await server.start();
        const [host, port] = server.getServerConn().split(':');
        const pool = new pg.Pool({ host, port: Number(port), user: 'postgres', database: 'postgres', max: 4 });
        pool.on('error', (err) => opts.logger.warn({ err: describeDbError(err) }, 'embedded database socket connection lost'));
        pool.on('connect', (client) => client.on('error', (err) => opts.logger.warn({ err: describeDbError(err) }, 'embedded database socket connection lost')));
        socket = { server, pool };
      }
      return socket.pool;
    },
    close: async () => {
      if (socket) {
        await socket.pool.end().catch(() => undefined);
        await socket.server.stop().catch(() => undefined);
      }
      await pglite.close();
    },
  };
}
