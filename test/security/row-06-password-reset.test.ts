// Issue 22, finding 6: asking for a password reset told known addresses from unknown ones (503
// against 202 without SMTP), twenty requests left twenty live links, and old links still worked
// after a reset or a password change. Each attack goes through the real HTTP API and must fail: the
// answer is always 202, as fast, whether or not the address is known and the mail can be sent (the
// failure is logged server-side, without the link); one live link per account at most; requests
// limited per client address (429) and per account (silently); any password change ends every link.
import { expect } from 'chai';
import net from 'node:net';
import { Writable } from 'node:stream';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { agentBody, startTestNode, type ApiClient, type ErrorBody, type TestNode } from '../support/tandem.ts';
import { resetTokenOf, type SmtpSink } from '../support/smtp.ts';
import { nodeWithSmtpSink } from '../support/mail-node.ts';
import { clientFrom } from '../support/from-address.ts';
import { createLogger } from '../../server/logger.ts';

interface Created {
  id: number;
  username: string;
}

const ANSWER = { message: 'If this address belongs to an account, a reset link has been sent to it.' };

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let seq = 0;
const email = () => `reset.${process.pid}.${++seq}@example.test`;

async function liveLinks(node: TestNode, userId: number): Promise<string[]> {
  const r = (await node.tandem.database.db.execute(sql`select token_hash from password_resets where user_id = ${userId} and used_at is null and expires_at > now()`)) as unknown as {
    rows: { token_hash: string }[];
  };
  return r.rows.map((x) => x.token_hash);
}

describe('security row 06: password reset tells nothing and leaves no spare links', function () {
  this.timeout(60_000);

  describe('without a working mail server', () => {
    let node: TestNode;
    let logs: ReturnType<typeof capturingLogger>;
    let blackHole: net.Server;
    before(async () => {
      // Accepts the connection, never greets, hangs up after 3 s: a mail server that is down.
      blackHole = net.createServer((socket) => setTimeout(() => socket.destroy(), 3000));
      await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
      const port = (blackHole.address() as net.AddressInfo).port;
      logs = capturingLogger();
      node = await startTestNode('postgres', { SMTP_URL: `smtp://127.0.0.1:${port}` }, { logger: logs.logger });
    });
    after(async () => {
      await node?.stop();
      await new Promise<void>((resolve) => blackHole.close(() => resolve()));
    });

    it('answers a known and an unknown address alike and at once; the failed mail is logged without the link', async () => {
      const known = email();
      const a = await node.client.post<Created>('/api/agents', agentBody({ email: known }), node.adminToken);
      const ask = async (address: string) => {
        const t0 = performance.now();
        const r = await node.client.post('/api/auth/password-reset', { email: address });
        return { status: r.status, body: r.body, ms: performance.now() - t0 };
      };
      const forKnown = await ask(known);
      const forUnknown = await ask(`nobody.${process.pid}@example.test`);
      expect(forKnown.status).to.equal(202);
      expect(forUnknown.status).to.equal(202);
      expect(forKnown.body).to.deep.equal(ANSWER);
      expect(forUnknown.body).to.deep.equal(ANSWER);
      // Waiting for the mail server (3 s here) before answering would tell the known address apart.
      expect(forKnown.ms, 'known').to.be.below(1500);
      expect(forUnknown.ms, 'unknown').to.be.below(1500);

      await node.tandem.services.tasks!.drain();
      const failed = logs.lines.map((l) => JSON.parse(l) as { msg: string; userId?: number; err?: string }).filter((l) => l.msg === 'password reset mail not sent');
      expect(failed.map((l) => l.userId)).to.deep.equal([a.body.id]);
      expect(logs.lines.join('\n')).to.not.match(/reset-password\?token=|token=/);
      // Nobody received that link: it is not left alive either.
      expect(await liveLinks(node, a.body.id)).to.deep.equal([]);
    });
  });

  describe('without SMTP configured at all', () => {
    let node: TestNode;
    before(async () => {
      node = await startTestNode('pglite');
    });
    after(async () => node?.stop());

    it('answers 202 for a known address (it was 503), as for an unknown one', async () => {
      const known = email();
      await node.client.post('/api/agents', agentBody({ email: known }), node.adminToken);
      const r1 = await node.client.post('/api/auth/password-reset', { email: known });
      const r2 = await node.client.post('/api/auth/password-reset', { email: `nobody.${process.pid}@example.test` });
      expect([r1.status, r2.status]).to.deep.equal([202, 202]);
      expect(r1.body).to.deep.equal(r2.body);
    });
  });

  describe('with a mail server', () => {
    let node: TestNode;
    let smtp: SmtpSink;
    let c: ApiClient;
    let admin: string;
    nodeWithSmtpSink((world) => ({ node, smtp, c, admin } = world), { env: { TANDEM_PUBLIC_URL: 'https://cc.example.test' } });
    const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));
    const agentWithMail = async () => {
      const address = email();
      const a = await c.post<Created>('/api/agents', agentBody({ email: address }), admin);
      expect(a.status, a.text).to.equal(201);
      return { ...a.body, email: address };
    };

    it('limits requests per client address (429 with Retry-After), whatever the address asked about', async () => {
      const a = await agentWithMail();
      const asker = clientFrom('127.0.0.20', node.tandem.url);
      for (let i = 1; i <= 10; i++) expect((await asker.post('/api/auth/password-reset', { email: i % 2 ? a.email : `x${i}@example.test` })).status, `request ${i}`).to.equal(202);
      for (const address of [a.email, `nobody.${process.pid}@example.test`]) {
        const r = await asker.post<ErrorBody>('/api/auth/password-reset', { email: address });
        expect(r.status).to.equal(429);
        expect(r.body.error.code).to.equal('TOO_MANY_REQUESTS');
        // 10 per 15 minutes: one more every 90 s.
        expect(Number(r.headers.get('retry-after'))).to.be.within(80, 90);
      }
      expect((await clientFrom('127.0.0.21', node.tandem.url).post('/api/auth/password-reset', { email: a.email })).status).to.equal(202);
    });

    it('twenty requests from twenty addresses leave one live link, and at most three mails', async () => {
      const a = await agentWithMail();
      for (let i = 1; i <= 20; i++) {
        const r = await clientFrom(`127.0.1.${i}`, node.tandem.url).post('/api/auth/password-reset', { email: a.email });
        expect(r.status).to.equal(202);
        expect(r.body).to.deep.equal(ANSWER);
      }
      await node.tandem.services.tasks!.drain();
      const mails = mailsTo(a.email);
      expect(mails).to.have.length(3);
      const live = await liveLinks(node, a.id);
      expect(live).to.have.length(1);
      const tokens = mails.map(resetTokenOf);
      const alive = tokens.filter((t) => live.includes(sha256(t)));
      expect(alive).to.have.length(1);
      for (const dead of tokens.filter((t) => t !== alive[0])) {
        const r = await c.post<ErrorBody>('/api/auth/password-reset/confirm', { token: dead, password: 'Brand-New-Pass2' });
        expect(r.body.error.code).to.equal('RESET_TOKEN_INVALID');
      }
      expect((await c.post('/api/auth/password-reset/confirm', { token: alive[0], password: 'Brand-New-Pass2' })).status).to.equal(204);
      expect(await c.login(a.username, 'Brand-New-Pass2')).to.match(/^tds_/);
    });

    it('a successful reset ends every other outstanding link', async () => {
      const a = await agentWithMail();
      // A link left over from before this release (several could be alive then).
      const leftover = 'leftover-link-from-an-older-release';
      await node.tandem.database.db.execute(sql`insert into password_resets (user_id, token_hash, expires_at) values (${a.id}, ${sha256(leftover)}, now() + interval '1 hour')`);
      const count = smtp.mails.length;
      await clientFrom('127.0.2.1', node.tandem.url).post('/api/auth/password-reset', { email: a.email });
      const token = resetTokenOf(await smtp.next(count));
      expect((await c.post('/api/auth/password-reset/confirm', { token, password: 'Brand-New-Pass3' })).status).to.equal(204);
      const r = await c.post<ErrorBody>('/api/auth/password-reset/confirm', { token: leftover, password: 'Hijack-Passw0rd' });
      expect(r.body.error.code).to.equal('RESET_TOKEN_INVALID');
      expect(await liveLinks(node, a.id)).to.deep.equal([]);
    });

    it('the user changing their password, or an administrator setting it, ends the outstanding link', async () => {
      for (const how of ['own change', 'admin'] as const) {
        const a = await agentWithMail();
        const count = smtp.mails.length;
        await clientFrom(`127.0.3.${how === 'admin' ? 2 : 1}`, node.tandem.url).post('/api/auth/password-reset', { email: a.email });
        const token = resetTokenOf(await smtp.next(count));
        if (how === 'own change') {
          const session = await c.login(a.username, 'Agent-Pass1');
          expect((await c.put('/api/me/password', { currentPassword: 'Agent-Pass1', newPassword: 'Changed-Pass4' }, session)).status).to.equal(200);
        } else {
          expect((await c.put(`/api/agents/${a.id}/password`, { password: 'Set-By-Admin5' }, admin)).status).to.equal(204);
        }
        const r = await c.post<ErrorBody>('/api/auth/password-reset/confirm', { token, password: 'Hijack-Passw0rd' });
        expect(r.status, how).to.equal(400);
        expect(r.body.error.code, how).to.equal('RESET_TOKEN_INVALID');
      }
    });
  });
});
