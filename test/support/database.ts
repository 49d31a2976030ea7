// Real databases for tests: a fresh PostgreSQL database on the server on loopback (dropped after),
// or an in-memory PGlite. Both go through the same openDatabase() as production.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type Engine } from '../../server/db/database.ts';
import { createLogger } from '../../server/logger.ts';

/** The maintenance connection; CI and the dev machines have PostgreSQL on 127.0.0.1:5432 with trust auth. */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const ENGINES: Engine[] = ['postgres', 'pglite'];

export const quietLogger = () => createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

export interface TestDatabase {
  database: Database;
  url: string | undefined;
  drop(): Promise<void>;
}

/** Creates an empty database (no migrations applied). */
export async function createTestDatabase(engine: Engine, { poolSize = 5 }: { poolSize?: number } = {}): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const database = await openDatabase({ url: undefined, dataDir: 'memory://', logger: quietLogger() });
    return { database, url: undefined, drop: () => database.close() };
  }
  const name = `tandem_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = '/' + name;
  const database = await openDatabase({ url: url.toString(), dataDir: 'unused', poolSize, connectRetries: 0, logger: quietLogger() });
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close().catch(() => undefined);
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
