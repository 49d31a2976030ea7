// Issue 22, finding 9: a NUL character in the login, team, message or website fields gave a 500,
// and the failed SQL was logged with its parameters — one line held a new agent's scrypt hash. Now
// a NUL is a 400 naming the field wherever input enters (JSON bodies, query strings, paths,
// socket.io handshakes and events: server/http/nul.ts, server/realtime/nul-guard.ts), and no log
// line carries a failed query's parameters nor the row PostgreSQL quotes (server/logger.ts).
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import { io as ioClient } from 'socket.io-client';
import { createLogger } from '../../server/logger.ts';
import { describeDbError } from '../../server/db/errors.ts';
import { createTestDatabase, ENGINES } from '../support/database.ts';
import { agentBody, startTestNode, type ErrorBody, type TestNode } from '../support/tandem.ts';
import { openWidget, ORIGIN } from '../channels/chat/support.ts';

const NUL = '\u0000';

/** A logger whose lines are kept in memory. */
function capturedLogger(level = 'debug') {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { logger: createLogger(level, stream), text: () => text };
}

function expectNulRefusal(res: { status: number; body: unknown; text: string }, field: string): void {
  expect(res.status, res.text).to.equal(400);
  const body = res.body as ErrorBody;
  expect(body.error.code).to.equal('VALIDATION_FAILED');
  expect(body.error.details.fields).to.deep.equal([{ field, message: 'must not contain the NUL character (\\u0000)' }]);
  expect(body.error.message).to.contain(field);
}

describe('security row 09: NUL characters and what the logs say about failed queries', function () {
  this.timeout(60_000);
  let node: TestNode;
  let logs: ReturnType<typeof capturedLogger>;
  before(async () => {
    logs = capturedLogger();
    node = await startTestNode('postgres', {}, { logger: logs.logger });
  });
  after(async () => node?.stop());

  describe('a NUL is a 400 naming the field', () => {
    it('in the login', async () => {
      expectNulRefusal(await node.client.post('/api/auth/login', { username: `ad${NUL}min`, password: 'x' }), 'username');
      expectNulRefusal(await node.client.post('/api/auth/login', { username: 'admin', password: `pa${NUL}ss` }), 'password');
    });

    it('in a team, an agent and a website, at any depth', async () => {
      const t = node.adminToken;
      expectNulRefusal(await node.client.post('/api/teams', { name: `Team${NUL}` }, t), 'name');
      expectNulRefusal(await node.client.post('/api/agents', agentBody({ fullName: `New${NUL}Agent` }), t), 'fullName');
      expectNulRefusal(await node.client.post('/api/chat/websites', { name: `Shop${NUL}`, allowedOrigins: [ORIGIN] }, t), 'name');
      expectNulRefusal(await node.client.post('/api/chat/websites', { name: 'Shop', allowedOrigins: [ORIGIN, `https://x${NUL}.example.com`] }, t), 'allowedOrigins.1');
      expectNulRefusal(await node.client.post('/api/chat/websites', { name: 'Shop', appearance: { title: `Hi${NUL}` } }, t), 'appearance.title');
      // A key with a NUL is named by its escaped form.
      expectNulRefusal(await node.client.post('/api/teams', { [`na${NUL}me`]: 'x' }, t), 'na\\u0000me');
    });

    it('in a chat message sent by an agent, even before authentication is checked', async () => {
      expectNulRefusal(await node.client.post('/api/interactions/1/messages', { text: `hello${NUL}` }, node.adminToken), 'text');
      expectNulRefusal(await node.client.post('/api/interactions/1/messages', { text: `hello${NUL}` }), 'text');
    });

    it('in the query string and the path', async () => {
      const t = node.adminToken;
      expectNulRefusal(await node.client.get('/api/agents?q=bob%00', t), 'q');
      expectNulRefusal(await node.client.get('/api/agents?ids%00=1', t), 'ids\\u0000');
      expectNulRefusal(await node.client.get('/api/ivr/projects/%00', t), '(path)');
      // Everything else is served as before.
      expect((await node.client.get('/api/agents?q=bob', t)).status).to.equal(200);
    });

    it('in the chat widget: handshake and events, answered on the ack; nothing reaches the database', async () => {
      const t = node.adminToken;
      const site = await node.client.post<{ key: string }>('/api/chat/websites', { name: `NulShop${process.pid}`, allowedOrigins: [ORIGIN] }, t);
      expect(site.status, site.text).to.equal(201);
      const widget = await openWidget(node.tandem.url, site.body.key);
      try {
        const message = await widget.call('message', { text: `hi${NUL}` });
        expect(message).to.deep.include({ ok: false });
        const error = (message as unknown as { error: { code: string; message: string; details: { fields: { field: string }[] } } }).error;
        expect(error.code).to.equal('VALIDATION_FAILED');
        expect(error.details.fields[0]!.field).to.equal('text');
        const start = await widget.call('start', { form: { name: `Eve${NUL}` } });
        expect((start as unknown as { error: { details: { fields: { field: string }[] } } }).error.details.fields[0]!.field).to.equal('form.name');
        // The socket stays usable for well-formed events.
        const ok = await widget.call('typing', { typing: true });
        expect((ok as { error?: { code: string } }).error?.code).to.not.equal('VALIDATION_FAILED');
      } finally {
        widget.close();
      }
      const refused = ioClient(`${node.tandem.url}/chat-widget`, { transports: ['websocket'], extraHeaders: { origin: ORIGIN }, auth: { key: `${site.body.key}${NUL}` }, reconnection: false, forceNew: true });
      const err = await new Promise<Error & { data?: { details: { fields: { field: string }[] } } }>((resolve) => refused.once('connect_error', resolve));
      refused.disconnect();
      expect(err.message).to.equal('VALIDATION_FAILED');
      expect(err.data!.details.fields[0]!.field).to.equal('auth.key');
    });
  });

  describe('a query that fails in the database', () => {
    it('is a 500 whose log line carries neither the parameters nor the row (no password hash)', async () => {
      const db = node.tandem.database.db;
      // A constraint the API does not know about: the insert of this agent fails inside PostgreSQL.
      await db.execute(sql`alter table users add constraint row09_refuse check (full_name <> 'Row Nine Refused')`);
      try {
        const before = logs.text().length;
        const body = agentBody({ fullName: 'Row Nine Refused', username: 'row9.secret_user', password: 'Row9-Secret-Pass!', email: 'row9.secret@example.com' });
        const res = await node.client.post<ErrorBody>('/api/agents', body, node.adminToken);
        expect(res.status).to.equal(500);
        expect(res.text).to.not.contain('row9');
        const lines = logs.text().slice(before);
        // The failure was logged (with the SQL, its SQLSTATE and the constraint) ...
        expect(lines).to.contain('unhandled error');
        expect(lines).to.contain('Failed query: insert into');
        expect(lines).to.contain('row09_refuse');
        // ... and nothing of what was inserted: no hash, no name, no username, no address.
        for (const secret of ['scrypt$', 'Row Nine Refused', 'row9.secret_user', 'row9.secret@example.com', 'Row9-Secret-Pass!', 'Failing row']) {
          expect(lines, secret).to.not.contain(secret);
        }
        expect(lines).to.not.match(/"params"|"parameters"|"detail"/);
      } finally {
        await db.execute(sql`alter table users drop constraint row09_refuse`);
      }
    });
  });

  for (const engine of ENGINES) {
    it(`logs a failed query on ${engine} safely, however the error is logged`, async function () {
      const testDb = await createTestDatabase(engine);
      try {
        const db = testDb.database.db;
        await db.execute(sql`create temporary table row09 (secret text, other text check (other <> 'refused'))`);
        const failures: unknown[] = [];
        const secret = 'SECRET-PARAM-4711\n    at forged (frame)';
        await db.execute(sql`insert into row09 values (${secret}, ${'refused'})`).catch((e: unknown) => failures.push(e));
        await db.execute(sql`select ${'SECRET-PARAM-4712'}::int`).catch((e: unknown) => failures.push(e));
        expect(failures).to.have.length(2);
        const { logger, text } = capturedLogger();
        for (const err of failures) {
          logger.error({ err }, 'as err');
          logger.error(err as Error);
          logger.error({ err });
          logger.warn({ err: String(err) }, 'as a string');
          logger.warn({ nested: { error: err } }, 'nested');
          logger.warn(`in the message: ${String(err)}`);
          logger.warn('interpolated %s', err);
          logger.warn({ db: describeDbError(err) }, 'described');
        }
        await new Promise((r) => setImmediate(r));
        const out = text();
        expect(out.split('\n').filter(Boolean)).to.have.length(16);
        expect(out).to.not.contain('SECRET-PARAM');
        expect(out).to.not.contain('forged');
        expect(out).to.contain('23514');
        expect(out).to.contain('22P02');
      } finally {
        await testDb.drop();
      }
    });
  }
});
