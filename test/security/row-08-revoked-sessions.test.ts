// Issue 22, finding 8: the token of a disabled or locked agent worked again once the agent was
// re-enabled or unlocked (the session was only hidden while the account was off). Each attack goes
// through the real HTTP API and must fail: disabling or locking an account deletes its sessions,
// revokes its API keys and deletes its reset links for good; turning it back on brings none back.
import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import { io as ioClient } from 'socket.io-client';
import { ENGINES } from '../support/database.ts';
import { agentBody, type ApiClient, type ErrorBody, type TestNode } from '../support/tandem.ts';
import { resetTokenOf, type SmtpSink } from '../support/smtp.ts';
import { nodeWithSmtpSink } from '../support/mail-node.ts';

interface Created {
  id: number;
  username: string;
}

for (const engine of ENGINES) {
  describe(`security row 08: a disabled or locked account's credentials stay dead (${engine})`, function () {
    this.timeout(60_000);
    let node: TestNode;
    let smtp: SmtpSink;
    let c: ApiClient;
    let admin: string;
    nodeWithSmtpSink((world) => ({ node, smtp, c, admin } = world), { engine });
    const sessionsOf = async (userId: number) => {
      const r = (await node.tandem.database.db.execute(sql`select count(*)::int as n from sessions where user_id = ${userId}`)) as unknown as { rows: { n: number }[] };
      return r.rows[0]!.n;
    };

    it('an agent disabled then re-enabled: the old token stays refused, its sessions are gone', async () => {
      const a = await c.post<Created>('/api/agents', agentBody(), admin);
      const token = await c.login(a.body.username, 'Agent-Pass1');
      const second = await c.login(a.body.username, 'Agent-Pass1');
      expect((await c.get('/api/me', token)).status).to.equal(200);
      expect((await c.patch(`/api/agents/${a.body.id}`, { disabled: true }, admin)).status).to.equal(200);
      expect((await c.get('/api/me', token)).status).to.equal(401);
      expect(await sessionsOf(a.body.id)).to.equal(0);
      expect((await c.patch(`/api/agents/${a.body.id}`, { disabled: false }, admin)).status).to.equal(200);
      for (const t of [token, second]) {
        const r = await c.get<ErrorBody>('/api/me', t);
        expect(r.status).to.equal(401);
        expect(r.body.error.code).to.equal('UNAUTHENTICATED');
      }
      // Logging in again is what brings the agent back.
      const fresh = await c.login(a.body.username, 'Agent-Pass1');
      expect((await c.get('/api/me', fresh)).status).to.equal(200);
    });

    it('an agent locked by an administrator then unlocked (PATCH locked, and the unlock route): the old token stays refused', async () => {
      const a = await c.post<Created>('/api/agents', agentBody(), admin);
      for (const unlock of ['patch', 'route'] as const) {
        const token = await c.login(a.body.username, 'Agent-Pass1');
        expect((await c.patch(`/api/agents/${a.body.id}`, { locked: true }, admin)).status).to.equal(200);
        expect((await c.get('/api/me', token)).status).to.equal(401);
        expect((await c.post<ErrorBody>('/api/auth/login', { username: a.body.username, password: 'Agent-Pass1' })).status).to.equal(423);
        if (unlock === 'patch') expect((await c.patch(`/api/agents/${a.body.id}`, { locked: false }, admin)).status).to.equal(200);
        else expect((await c.post(`/api/agents/${a.body.id}/unlock`, undefined, admin)).status).to.equal(200);
        expect((await c.get('/api/me', token)).status, unlock).to.equal(401);
        expect(await sessionsOf(a.body.id)).to.equal(0);
        expect(await c.login(a.body.username, 'Agent-Pass1')).to.match(/^tds_/);
      }
    });

    it('a supervisor disabled then re-enabled: the old token and its realtime socket stay refused', async () => {
      const username = `sup.row08.${engine}`;
      const sup = await c.post<Created>('/api/users', { role: 'supervisor', username, fullName: 'Sup', password: 'Super-Pass1', permissions: { realtime: 'read' } }, admin);
      expect(sup.status, sup.text).to.equal(201);
      const token = await c.login(username, 'Super-Pass1');
      await c.patch(`/api/users/${sup.body.id}`, { disabled: true }, admin);
      await c.patch(`/api/users/${sup.body.id}`, { disabled: false }, admin);
      expect((await c.get('/api/me', token)).status).to.equal(401);
      const err = await new Promise<Error>((resolve) => {
        const s = ioClient(node.tandem.url, { auth: { token }, transports: ['websocket'], reconnection: false });
        s.on('connect_error', (e) => {
          s.close();
          resolve(e);
        });
        s.on('connect', () => {
          s.close();
          resolve(new Error('connected'));
        });
      });
      expect(err.message).to.equal('UNAUTHENTICATED');
    });

    it("a service user's API keys disabled then re-enabled (or locked then unlocked) stay revoked", async () => {
      for (const how of ['disabled', 'locked'] as const) {
        const svc = await c.post<Created>('/api/users', { role: 'service', username: `svc.row08.${how}.${engine}`, fullName: 'Sync', permissions: { staff: 'read' } }, admin);
        expect(svc.status, svc.text).to.equal(201);
        const key = (await c.post<{ key: string }>(`/api/users/${svc.body.id}/api-keys`, { name: 'sync' }, admin)).body.key;
        expect((await c.get('/api/agents', key)).status).to.equal(200);
        await c.patch(`/api/users/${svc.body.id}`, { [how]: true }, admin);
        expect((await c.get('/api/agents', key)).status).to.equal(401);
        await c.patch(`/api/users/${svc.body.id}`, { [how]: false }, admin);
        expect((await c.get('/api/agents', key)).status, how).to.equal(401);
        const keys = await c.get<{ revokedAt: string | null }[]>(`/api/users/${svc.body.id}/api-keys`, admin);
        expect(keys.body.every((k) => k.revokedAt !== null), how).to.equal(true);
        // A new key is how an administrator brings the integration back.
        const fresh = (await c.post<{ key: string }>(`/api/users/${svc.body.id}/api-keys`, { name: 'sync again' }, admin)).body.key;
        expect((await c.get('/api/agents', fresh)).status).to.equal(200);
      }
    });

    it('a reset link of an agent disabled then re-enabled no longer works', async () => {
      const address = `row08.${engine}.${process.pid}@example.test`;
      const a = await c.post<Created>('/api/agents', agentBody({ email: address }), admin);
      const count = smtp.mails.length;
      expect((await c.post('/api/auth/password-reset', { email: address })).status).to.equal(202);
      const link = resetTokenOf(await smtp.next(count));
      await c.patch(`/api/agents/${a.body.id}`, { disabled: true }, admin);
      await c.patch(`/api/agents/${a.body.id}`, { disabled: false }, admin);
      const r = await c.post<ErrorBody>('/api/auth/password-reset/confirm', { token: link, password: 'Hijack-Passw0rd' });
      expect(r.body.error.code).to.equal('RESET_TOKEN_INVALID');
    });

    it('a lock earned by failed logins from one address does not end sessions (that would be finding 2 again)', async () => {
      const a = await c.post<Created>('/api/agents', agentBody(), admin);
      const token = await c.login(a.body.username, 'Agent-Pass1');
      for (let i = 0; i < 5; i++) await c.post('/api/auth/login', { username: a.body.username, password: 'Wrong-Pass9' });
      expect((await c.get('/api/me', token)).status).to.equal(200);
    });
  });
}
