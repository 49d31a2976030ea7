import { expect } from 'chai';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { MIGRATIONS_FOLDER } from '../../server/db/database.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/database.ts';
import { users } from '../../server/db/schema.ts';

const EXPECTED_TABLES = ['agents', 'api_keys', 'audit_log', 'password_resets', 'queue_agents', 'queue_supervisors', 'queues', 'sessions', 'settings', 'team_members', 'teams', 'users'];

for (const engine of ENGINES) {
  describe(`migrations on ${engine}`, function () {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(engine);
    });
    after(async () => t?.drop());

    it('creates every table on an empty database', async () => {
      const before = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`);
      expect(rowsOf<{ n: number }>(before)[0]!.n).to.equal(0);
      await t.database.migrate();
      const res = await t.database.db.execute<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`);
      expect(rowsOf<{ table_name: string }>(res).map((r) => r.table_name)).to.include.members(EXPECTED_TABLES);
    });

    it('records each committed migration once and is a no-op when run again', async () => {
      await t.database.migrate();
      const journal = JSON.parse(fs.readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
      const applied = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(rowsOf<{ n: number }>(applied)[0]!.n).to.equal(journal.entries.length);
    });

    it('enforces case-insensitive unique usernames in the database itself', async () => {
      await t.database.db.insert(users).values({ role: 'admin', username: 'Alice', fullName: 'A' });
      let error: unknown;
      try {
        await t.database.db.insert(users).values({ role: 'admin', username: 'alice', fullName: 'B' });
      } catch (err) {
        error = err;
      }
      expect(error, 'second insert must fail').to.be.instanceOf(Error);
    });
  });
}

function rowsOf<T>(res: unknown): T[] {
  // node-postgres returns { rows }, PGlite returns { rows } too; drizzle passes them through.
  return (res as { rows: T[] }).rows;
}

describe('migration files', () => {
  it('are ordered, forward-only and listed in the journal', () => {
    const files = fs.readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')).sort();
    const journal = JSON.parse(fs.readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: { idx: number; tag: string }[] };
    expect(files.map((f) => f.replace(/\.sql$/, ''))).to.deep.equal(journal.entries.map((e) => e.tag));
    journal.entries.forEach((e, i) => expect(e.idx).to.equal(i));
    for (const f of files) expect(f).to.match(/^\d{4}_/);
  });
});
