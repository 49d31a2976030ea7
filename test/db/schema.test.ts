// The schema is one file per subsystem (server/db/schema/), gathered by server/db/schema.ts. drizzle-kit
// generates migrations from the folder while the code (and the typed Db) sees the barrel: these
// tests keep the two, and the migrated database, describing the same tables.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { is, sql } from 'drizzle-orm';
import { PgTable, getTableConfig } from 'drizzle-orm/pg-core';
import { rowsOf } from '../../server/db/database.ts';
import * as schema from '../../server/db/schema.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/database.ts';

const SCHEMA_DIR = fileURLToPath(new URL('../../server/db/schema/', import.meta.url));

/** Every table the subsystem files declare, by export name, with the file that declares it. */
async function declaredTables(): Promise<Map<string, { table: PgTable; file: string }>> {
  const tables = new Map<string, { table: PgTable; file: string }>();
  for (const file of fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.ts')).sort()) {
    const module = (await import(path.join(SCHEMA_DIR, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (!is(value, PgTable)) continue;
      expect(tables.has(name), `${name} is declared in ${tables.get(name)?.file} and ${file}`).to.equal(false);
      tables.set(name, { table: value, file });
    }
  }
  return tables;
}

function barrelTables(): Map<string, PgTable> {
  return new Map(Object.entries(schema as Record<string, unknown>).filter((entry): entry is [string, PgTable] => is(entry[1], PgTable)));
}

describe('schema files and the server/db/schema.ts barrel', () => {
  it('the barrel exports every table of server/db/schema/ under the same name, and no other', async () => {
    const declared = await declaredTables();
    const exported = barrelTables();
    expect(declared.size, 'tables found in server/db/schema/').to.be.above(0);
    expect([...exported.keys()].sort()).to.deep.equal([...declared.keys()].sort());
    // By SQL name, not identity: mocha may load this file as CommonJS, so the barrel and the
    // dynamically imported files can be two instances of the same modules.
    for (const [name, { table }] of declared) expect(getTableConfig(exported.get(name)!).name, name).to.equal(getTableConfig(table).name);
  });

  it('no two tables share an SQL name', () => {
    const names = [...barrelTables().values()].map((t) => getTableConfig(t).name);
    expect(new Set(names).size).to.equal(names.length);
  });
});

for (const engine of ENGINES) {
  describe(`the migrated database on ${engine} matches the schema`, function () {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(engine);
      await t.database.migrate();
    });
    after(async () => t?.drop());

    it('has exactly the tables the schema declares, with exactly their columns', async () => {
      const res = await t.database.db.execute(
        sql`select c.table_name, c.column_name from information_schema.columns c
            join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
            where c.table_schema = 'public' and t.table_type = 'BASE TABLE'`,
      );
      const inDatabase = new Map<string, string[]>();
      for (const row of rowsOf<{ table_name: string; column_name: string }>(res)) {
        inDatabase.set(row.table_name, [...(inDatabase.get(row.table_name) ?? []), row.column_name]);
      }
      const inSchema = new Map<string, string[]>();
      for (const table of barrelTables().values()) {
        const config = getTableConfig(table);
        inSchema.set(config.name, config.columns.map((c) => c.name));
      }
      expect([...inDatabase.keys()].sort()).to.deep.equal([...inSchema.keys()].sort());
      for (const [name, columns] of inSchema) expect(inDatabase.get(name)!.sort(), name).to.deep.equal([...columns].sort());
    });
  });
}
