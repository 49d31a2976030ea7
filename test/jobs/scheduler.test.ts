// Agenda (needed by the dialer) on both engines: on PostgreSQL directly, on PGlite through
// pglite-socket. A job scheduled now must run and be marked done in the database.
import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import type { Agenda } from 'agenda';
import { createScheduler } from '../../server/jobs/scheduler.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/database.ts';

for (const engine of ENGINES) {
  describe(`scheduler (Agenda) on ${engine}`, function () {
    let t: TestDatabase;
    let agenda: Agenda | undefined;
    before(async () => {
      t = await createTestDatabase(engine);
      await t.database.migrate();
    });
    after(async () => {
      await agenda?.stop();
      await t?.drop();
    });

    it('runs a job scheduled now, with its data, and records it', async () => {
      agenda = await createScheduler(t.database, { processEveryMs: 100, name: `test-${engine}` });
      const seen: unknown[] = [];
      const ran = new Promise<void>((resolve) => {
        agenda!.define('campaign.tick', async (job) => {
          seen.push(job.attrs.data);
          resolve();
        });
      });
      await agenda.start();
      await agenda.now('campaign.tick', { campaignId: 42, engine });
      await ran;
      expect(seen).to.deep.equal([{ campaignId: 42, engine }]);
      // Agenda's own table lives in the same database: the job row is there.
      const rows = await t.database.db.execute<{ name: string }>(sql`select name from agenda_jobs where name = 'campaign.tick'`);
      expect((rows as unknown as { rows: { name: string }[] }).rows).to.have.length(1);
    });
  });
}
