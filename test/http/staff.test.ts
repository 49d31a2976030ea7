// Users, agents and teams through the HTTP API with authentication, on both storage engines.
import { expect } from 'chai';
import { ENGINES } from '../support/database.ts';
import { agentBody, startTestNode, type ErrorBody, type TestNode } from '../support/tandem.ts';

interface Agent {
  id: number;
  username: string;
  fullName: string;
  extension: string;
  typology: string;
  capacity: Record<string, number>;
  autoAnswer: Record<string, { enabled: boolean; delaySeconds: number }>;
  hotdesk: boolean;
  locked: boolean;
  disabled: boolean;
}

for (const engine of ENGINES) {
  describe(`staff API on ${engine}`, function () {
    let node: TestNode;
    before(async () => {
      node = await startTestNode(engine);
    });
    after(async () => node?.stop());

    it('refuses every staff route without a token', async () => {
      for (const [method, path] of [
        ['GET', '/api/agents'],
        ['POST', '/api/agents'],
        ['GET', '/api/users'],
        ['GET', '/api/teams'],
        ['GET', '/api/queues'],
      ] as const) {
        const res = await node.client.request<ErrorBody>(method, path, method === 'GET' ? {} : { body: {} });
        expect(res.status, `${method} ${path}`).to.equal(401);
        expect(res.body.error.code).to.equal('UNAUTHENTICATED');
      }
    });

    it('creates, reads, lists, updates and deletes an agent with auto-generated unique extensions', async () => {
      const t = node.adminToken;
      const a = await node.client.post<Agent>(
        '/api/agents',
        agentBody({ typology: 'external', hotdesk: true, capacity: { chat: 3, email: 0 }, autoAnswer: { chat: { enabled: true, delaySeconds: 2 } } }),
        t,
      );
      expect(a.status, a.text).to.equal(201);
      expect(a.body.extension).to.match(/^\d+$/);
      expect(a.body).to.not.have.property('passwordHash');
      expect(a.body.capacity).to.deep.equal({ chat: 3, email: 0 });
      expect(a.body.autoAnswer).to.deep.equal({ chat: { enabled: true, delaySeconds: 2 } });
      const b = await node.client.post<Agent>('/api/agents', agentBody(), t);
      expect(b.status).to.equal(201);
      expect(Number(b.body.extension)).to.equal(Number(a.body.extension) + 1);

      const got = await node.client.get<Agent>(`/api/agents/${a.body.id}`, t);
      expect(got.body.username).to.equal(a.body.username);
      const list = await node.client.get<Agent[]>(`/api/agents?q=${encodeURIComponent(a.body.username)}`, t);
      expect(list.body.map((x) => x.id)).to.deep.equal([a.body.id]);

      const upd = await node.client.patch<Agent>(`/api/agents/${a.body.id}`, { fullName: 'Renée Ünïcödé 王', typology: 'external', extension: '5555' }, t);
      expect(upd.status, upd.text).to.equal(200);
      expect(upd.body.fullName).to.equal('Renée Ünïcödé 王');
      expect(upd.body.extension).to.equal('5555');

      const del = await node.client.delete(`/api/agents/${b.body.id}`, t);
      expect(del.status).to.equal(204);
      expect((await node.client.get(`/api/agents/${b.body.id}`, t)).status).to.equal(404);
    });

    it('gives agents created at the same moment distinct extensions', async () => {
      const created = await Promise.all(Array.from({ length: 8 }, () => node.client.post<Agent>('/api/agents', agentBody(), node.adminToken)));
      expect(created.map((r) => r.status)).to.deep.equal(Array(8).fill(201));
      expect(new Set(created.map((r) => r.body.extension)).size).to.equal(8);
    });

    it('answers duplicates with 409 naming the field', async () => {
      const t = node.adminToken;
      const body = agentBody({ extension: '7001' });
      expect((await node.client.post('/api/agents', body, t)).status).to.equal(201);
      const sameUser = await node.client.post<ErrorBody>('/api/agents', { ...body, username: String(body.username).toUpperCase(), extension: '7002' }, t);
      expect(sameUser.status).to.equal(409);
      expect(sameUser.body.error.details.fields![0]!.field).to.equal('username');
      const sameExt = await node.client.post<ErrorBody>('/api/agents', agentBody({ extension: '7001' }), t);
      expect(sameExt.status).to.equal(409);
      expect(sameExt.body.error.details.fields![0]!.field).to.equal('extension');
    });

    it('keeps hot-desking to external agents', async () => {
      const res = await node.client.post<ErrorBody>('/api/agents', agentBody({ typology: 'webrtc', hotdesk: true }), node.adminToken);
      expect(res.status).to.equal(400);
      expect(res.body.error.details.fields!.map((f) => f.field)).to.include('hotdesk');
    });

    it('stores SQL-looking strings as plain text', async () => {
      const evil = "Robert'); DROP TABLE users;--";
      const res = await node.client.post<Agent>('/api/agents', agentBody({ fullName: evil }), node.adminToken);
      expect(res.status).to.equal(201);
      expect(res.body.fullName).to.equal(evil);
      const search = await node.client.get<Agent[]>(`/api/agents?q=${encodeURIComponent("'); DROP")}`, node.adminToken);
      expect(search.body.map((a) => a.fullName)).to.include(evil);
      expect((await node.client.get('/api/users', node.adminToken)).status).to.equal(200);
    });

    it('manages teams and their agents', async () => {
      const t = node.adminToken;
      const agent = await node.client.post<Agent>('/api/agents', agentBody(), t);
      const team = await node.client.post<{ id: number; agentIds: number[] }>('/api/teams', { name: 'Tier 1', description: 'first line' }, t);
      expect(team.status).to.equal(201);
      const dup = await node.client.post<ErrorBody>('/api/teams', { name: 'tier 1' }, t);
      expect(dup.status).to.equal(409);
      expect(dup.body.error.details.fields![0]!.field).to.equal('name');
      const set = await node.client.put<{ agentIds: number[] }>(`/api/teams/${team.body.id}/agents`, { agentIds: [agent.body.id] }, t);
      expect(set.body.agentIds).to.deep.equal([agent.body.id]);
      const missing = await node.client.put(`/api/teams/${team.body.id}/agents`, { agentIds: [999999] }, t);
      expect(missing.status).to.equal(404);
      const byTeam = await node.client.get<Agent[]>(`/api/agents?teamId=${team.body.id}`, t);
      expect(byTeam.body.map((a) => a.id)).to.deep.equal([agent.body.id]);
      const renamed = await node.client.patch<{ name: string }>(`/api/teams/${team.body.id}`, { name: 'Tier One' }, t);
      expect(renamed.body.name).to.equal('Tier One');
      expect((await node.client.delete(`/api/teams/${team.body.id}`, t)).status).to.equal(204);
      expect((await node.client.get(`/api/teams/${team.body.id}`, t)).status).to.equal(404);
    });

    it('creates users with per-module permissions and protects the last administrator', async () => {
      const t = node.adminToken;
      const sup = await node.client.post<{ id: number; permissions: Record<string, string> }>(
        '/api/users',
        { role: 'supervisor', username: 'sup.one', fullName: 'Sup One', password: 'Sup-Passw0rd', permissions: { staff: 'read-edit', voice: 'read' } },
        t,
      );
      expect(sup.status, sup.text).to.equal(201);
      expect(sup.body.permissions).to.deep.equal({ staff: 'read-edit', voice: 'read' });
      const badModule = await node.client.post<ErrorBody>('/api/users', { role: 'supervisor', username: 'x', fullName: 'x', password: 'Sup-Passw0rd', permissions: { nope: 'read' } }, t);
      expect(badModule.status).to.equal(400);
      expect(badModule.body.error.details.fields![0]!.field).to.equal('permissions.nope');

      const me = await node.client.get<{ id: number }>('/api/me', t);
      const selfDelete = await node.client.delete<ErrorBody>(`/api/users/${me.body.id}`, t);
      expect(selfDelete.status).to.equal(409);
      const demote = await node.client.patch<ErrorBody>(`/api/users/${me.body.id}`, { role: 'supervisor' }, t);
      expect(demote.status).to.equal(409);

      // A supervisor cannot manage users at all.
      const supToken = await node.client.login('sup.one', 'Sup-Passw0rd');
      expect((await node.client.get('/api/users', supToken)).status).to.equal(403);
      // …but can edit agents (read-edit), not delete them.
      const agent = await node.client.post<Agent>('/api/agents', agentBody(), t);
      expect((await node.client.delete(`/api/agents/${agent.body.id}`, supToken)).status).to.equal(403);
    });

    it('exports agents as CSV, defusing formula cells', async () => {
      const t = node.adminToken;
      const a = await node.client.post<Agent>('/api/agents', agentBody({ fullName: '=HYPERLINK("http://x")', alias: 'Al, "the" agent' }), t);
      const csv = await node.client.get(`/api/agents/export.csv?ids=${a.body.id}`, t);
      expect(csv.status).to.equal(200);
      expect(csv.headers.get('content-type')).to.match(/text\/csv/);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).to.match(/^"id","fullName","username","alias","email","typology","extension"/);
      expect(lines).to.have.length(2);
      expect(lines[1]).to.contain(`"'=HYPERLINK(""http://x"")"`);
      expect(lines[1]).to.contain('"Al, ""the"" agent"');
      const bad = await node.client.get<ErrorBody>('/api/agents/export.csv?ids=1,x', t);
      expect(bad.status).to.equal(400);
      expect(bad.body.error.details.fields![0]!.field).to.equal('ids');
    });
  });
}
