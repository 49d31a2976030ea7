// The supervisor board on two nodes sharing PostgreSQL and Redis (socket.io's Redis adapter; CI
// starts redis-server in .ci/run): an agent acting through node A shows on a board connected to
// node B, because A tells the other nodes which keys are dirty (serverSideEmit) and B recomputes.
import { expect } from 'chai';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { startTandem, type Tandem } from '../../server/tandem.ts';
import { createTestDatabase, quietLogger, type TestDatabase } from '../support/database.ts';
import { ADMIN_PASSWORD, ApiClient, testConfig } from '../support/tandem.ts';
import { agent as newAgent, queue as newQueue } from '../support/world.ts';
import { BoardClient } from './board-client.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.TANDEM_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('supervisor board on two nodes (PostgreSQL + Redis)', function () {
  this.timeout(60_000);
  let testDb: TestDatabase | undefined;
  let secondDb: Database | undefined;
  let nodeA: Tandem | undefined;
  let nodeB: Tandem | undefined;

  before(async () => {
    testDb = await createTestDatabase('postgres');
    const config = testConfig({ TANDEM_REDIS_URL: REDIS_URL });
    nodeA = await startTandem(config, { database: testDb.database, logger: quietLogger(), scheduler: false });
    secondDb = await openDatabase({ url: testDb.url, dataDir: 'unused', poolSize: 5, connectRetries: 0, logger: quietLogger() });
    nodeB = await startTandem(config, { database: secondDb, logger: quietLogger(), scheduler: false });
  });
  after(async () => {
    await nodeB?.stop();
    await nodeA?.stop();
    await secondDb?.close();
    await testDb?.drop();
  });

  it('shows on node B a pause and a queued chat made through node A', async () => {
    const A = new ApiClient(nodeA!.url);
    const admin = await A.login('admin', ADMIN_PASSWORD);
    const onA = { client: A, adminToken: admin };
    const { id: agentId, token } = await newAgent(onA);
    const q = await newQueue(onA, { name: `MB-${process.pid}` }, [agentId]);
    const b = await BoardClient.connect(nodeB!.url, admin);
    try {
      expect(b.agents.has(agentId)).to.equal(true);
      expect((await A.post('/api/me/login', {}, token)).status).to.equal(200);
      expect((await A.post('/api/me/pause', { reason: 'training' }, token)).status).to.equal(200);
      await b.until(() => b.channel(agentId, 'chat')?.pauseReason === 'training', 'the pause made on node A, on node B');
      const e = await A.post(`/api/queues/${q}/entries`, { interactionRef: `mb-${process.pid}` }, admin);
      expect(e.status, e.text).to.equal(201);
      await b.until(() => b.queues.get(q)?.waiting === 1, 'the chat queued on node A, on node B');
      expect(b.gaps).to.equal(0);
    } finally {
      b.close();
    }
  });
});
