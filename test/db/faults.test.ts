// The database going away: at start (clear message, retries, then a clear failure) and mid-run
// (health says 503, API calls say DATABASE_UNAVAILABLE, and service returns by itself).
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { openDatabase } from '../../server/db/database.ts';
import { createLogger } from '../../server/logger.ts';
import { startTandem } from '../../server/tandem.ts';
import { createTestDatabase, quietLogger } from '../support/database.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';
import { ApiClient, ADMIN_PASSWORD, testConfig, type ErrorBody } from '../support/tandem.ts';
import { eventually } from '../support/eventually.ts';

function captureLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { logger: createLogger('warn', sink), lines };
}

describe('database faults', function () {
  it('at start: retries with a clear message, then fails naming the database without its password', async () => {
    const { logger, lines } = captureLogger();
    let error: Error | undefined;
    try {
      await openDatabase({ url: 'postgres://tandem:s3cret@127.0.0.1:1/tandem', dataDir: 'unused', connectRetries: 2, logger });
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).to.match(/^Cannot reach the database at postgres:\/\/127\.0\.0\.1:1\/tandem: ECONNREFUSED/);
    const retries = lines.filter((l) => l.includes('unreachable'));
    expect(retries).to.have.length(2);
    expect(retries[0]).to.contain('retry 1/2');
    expect(lines.join('')).to.not.contain('s3cret');
    expect(error?.message).to.not.contain('s3cret');
  });

  it('at start: waits for a database that comes up during the retries', async () => {
    const t = await createTestDatabase('postgres');
    const target = new URL(t.url!);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.cut();
    const url = new URL(t.url!);
    url.port = String(proxy.port);
    try {
      const opening = openDatabase({ url: url.toString(), dataDir: 'unused', connectRetries: 10, logger: quietLogger() });
      setTimeout(() => void proxy.restore(), 600);
      const db = await opening;
      await db.ping();
      await db.close();
    } finally {
      await proxy.close();
      await t.drop();
    }
  });

  it('mid-run: 503 from health and the API while it is gone, recovery without restart', async () => {
    const t = await createTestDatabase('postgres');
    const target = new URL(t.url!);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const url = new URL(t.url!);
    url.port = String(proxy.port);
    const database = await openDatabase({ url: url.toString(), dataDir: 'unused', connectRetries: 0, logger: quietLogger() });
    const tandem = await startTandem(testConfig(), { database, logger: quietLogger(), scheduler: false });
    const c = new ApiClient(tandem.url);
    try {
      const token = await c.login('admin', ADMIN_PASSWORD);
      expect((await c.get('/api/health')).status).to.equal(200);

      await proxy.cut();
      const health = await c.get<{ database: { state: string } }>('/api/health');
      expect(health.status).to.equal(503);
      expect(health.body.database.state).to.equal('down');
      const api = await c.get<ErrorBody>('/api/agents', token);
      expect(api.status).to.equal(503);
      expect(api.body.error.code).to.equal('DATABASE_UNAVAILABLE');
      expect(api.headers.get('retry-after')).to.equal('2');

      await proxy.restore();
      const status = await eventually(async () => (await c.get('/api/health')).status, (s) => s === 200, 'health 200 after the database is back');
      expect(status).to.equal(200);
      expect((await c.get('/api/agents', token)).status).to.equal(200);
    } finally {
      await tandem.stop();
      await database.close().catch(() => undefined);
      await proxy.close();
      await t.drop();
    }
  });
});
