// The chat message writer (group commit) on both engines: messages written at the same time share
// INSERTs (rows of one statement share their transaction id, xmin), come back in the order they were
// written with ids in that order, and one bad message (its chat does not exist) fails alone.
import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import { MessageWriter } from '../../../server/channels/chat/message-writer.ts';
import { createInteraction, listMessages, visitorContact } from '../../../server/channels/chat/store.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../../support/database.ts';

for (const engine of ENGINES) {
  describe(`chat message writer (${engine})`, function () {
    this.timeout(120_000);
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(engine);
      await t.database.migrate();
    });
    after(async () => t?.drop());

    it('writes concurrent messages in few statements, in order, and fails only the bad one', async () => {
      const { db } = t.database;
      const contact = await visitorContact(db, { name: 'Writer' });
      const chat = await createInteraction(db, { channel: 'chat', accountId: 1, contactId: contact.id, queueId: null, form: {} });
      const writer = new MessageWriter(db);
      const texts = Array.from({ length: 60 }, (_, i) => `m${i}`);
      const results = await Promise.allSettled([
        ...texts.slice(0, 30).map((text) => writer.write({ interactionId: chat.id, from: 'visitor', text })),
        writer.write({ interactionId: chat.id + 1000, from: 'visitor', text: 'to a chat that does not exist' }),
        ...texts.slice(30).map((text) => writer.write({ interactionId: chat.id, from: 'agent', text, userId: null, quickReplies: [{ id: 'a', label: 'A' }] })),
      ]);
      expect(results[30]!.status).to.equal('rejected');
      const written = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
      expect(written.map((m) => m.text)).to.deep.equal(texts);
      const ids = written.map((m) => m.id);
      expect(ids).to.deep.equal([...ids].sort((a, b) => a - b));
      expect(written[45]).to.include({ from: 'agent', text: 'm45' });
      expect(written[45]!.quickReplies).to.deep.equal([{ id: 'a', label: 'A' }]);
      expect((await listMessages(db, chat.id, false)).map((m) => m.text)).to.deep.equal(texts);
      const result = (await db.execute(sql`select count(distinct xmin::text)::int as n from messages where interaction_id = ${chat.id}`)) as unknown as { rows: { n: number }[] };
      expect(Number(result.rows[0]!.n)).to.be.lessThan(texts.length);
    });
  });
}
