// The database unavailable for a moment: the engine's passes fail and are retried; when it returns,
// every waiting interaction is offered, none lost and none offered twice.
import { expect } from 'chai';
import { inArray } from 'drizzle-orm';
import { offers } from '../../server/db/schema.ts';
import { openDatabase } from '../../server/db/database.ts';
import { startTandem } from '../../server/tandem.ts';
import { login } from '../../server/acd/presence.ts';
import { createTestDatabase, quietLogger } from '../support/database.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';
import { agentBody, ApiClient, ADMIN_PASSWORD, testConfig } from '../support/tandem.ts';
import { eventually } from '../support/eventually.ts';

describe('queue engine and a database outage', function () {
  it('offers every waiting interaction exactly once after the database comes back', async () => {
    const t = await createTestDatabase('postgres');
    const target = new URL(t.url!);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const url = new URL(t.url!);
    url.port = String(proxy.port);
    const database = await openDatabase({ url: url.toString(), dataDir: 'unused', connectRetries: 0, logger: quietLogger() });
    const tandem = await startTandem(testConfig(), { database, logger: quietLogger(), scheduler: false, acdTickMs: 50 });
    try {
      const c = new ApiClient(tandem.url);
      const admin = await c.login('admin', ADMIN_PASSWORD);
      const agentIds: number[] = [];
      for (let i = 0; i < 3; i++) agentIds.push((await c.post<{ id: number }>('/api/agents', agentBody(), admin)).body.id);
      const q = await c.post<{ id: number }>('/api/queues', { name: 'outage', channel: 'chat', ringTimeoutSec: 600, retrySec: 0 }, admin);
      for (const id of agentIds) await c.post(`/api/queues/${q.body.id}/agents`, { agentId: id }, admin);
      const entries: number[] = [];
      for (let i = 0; i < 3; i++) entries.push((await c.post<{ id: number }>(`/api/queues/${q.body.id}/entries`, { interactionRef: `outage-${i}` }, admin)).body.id);
      // The database goes away while agents are logging in (directly, so the logins land).
      await proxy.cut();
      for (const id of agentIds) await login(database.db, id, { device: 'web' }).catch(() => undefined);
      const direct = await openDatabase({ url: t.url!, dataDir: 'unused', connectRetries: 0, logger: quietLogger() });
      for (const id of agentIds) await login(direct.db, id, { device: 'web' });
      // Deliberate: let the engine run a few routing passes against the missing database.
      await new Promise((r) => setTimeout(r, 300));
      await proxy.restore();
      await eventually(() => direct.db.select().from(offers).where(inArray(offers.entryId, entries)), (r) => r.length >= 3, 'three offers after the outage');
      // Deliberate: more routing passes, to prove nothing is offered twice.
      await new Promise((r) => setTimeout(r, 300));
      const rows = await direct.db.select().from(offers).where(inArray(offers.entryId, entries));
      expect(rows.map((o) => o.entryId).sort()).to.deep.equal([...entries].sort());
      expect(new Set(rows.map((o) => o.agentId)).size).to.equal(3);
      await direct.close();
    } finally {
      await tandem.stop();
      await database.close().catch(() => undefined);
      await proxy.close();
      await t.drop();
    }
  });
});
