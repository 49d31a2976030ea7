// Issue 22, finding 1: a supervisor acts only on agents already in their scope and can never widen
// it. Each attack goes through the real HTTP API and must be refused (404, as for an unknown id)
// with nothing changed; what a supervisor may legitimately do, and an admin's full power, still work.
// The rules are in server/staff/scope.ts.
import { expect } from 'chai';
import { ENGINES } from '../support/database.ts';
import { agentBody, startTestNode, type ApiClient, type ErrorBody, type TestNode } from '../support/tandem.ts';

interface Created {
  id: number;
  username: string;
}
interface Team {
  id: number;
  name: string;
  agentIds: number[];
}
interface AgentView {
  id: number;
  fullName: string;
  disabled: boolean;
  locked: boolean;
}

const SUP_PASSWORD = 'Sup-Passw0rd';

for (const engine of ENGINES) {
  describe(`security row 01: a supervisor cannot widen their scope (${engine})`, function () {
    this.timeout(60_000);
    let node: TestNode;
    let c: ApiClient;
    let admin: string;
    /** Sales (q1, q3) is the attacker's; Support (q2) is another supervisor's. */
    let q1: number, q2: number, q3: number;
    let mine: Created, theirs: Created, theirsViaTeam: Created, free: Created, shared: Created;
    /** Another supervisor's team, serving Support. */
    let theirTeam: number;
    let t: string;

    const expectNotFound = (res: { status: number; body: unknown; text: string }, what: string) => {
      expect(res.status, `${what}: ${res.text}`).to.equal(404);
      expect((res.body as ErrorBody).error.code, what).to.equal('NOT_FOUND');
    };
    const supervisor = async (username: string, queueIds: number[]) => {
      const sup = await c.post<Created>(
        '/api/users',
        { role: 'supervisor', username, fullName: username, password: SUP_PASSWORD, permissions: { staff: 'read-edit-delete', voice: 'read-edit-delete' } },
        admin,
      );
      expect(sup.status, sup.text).to.equal(201);
      await c.put(`/api/users/${sup.body.id}/queues`, { queueIds }, admin);
      return c.login(username, SUP_PASSWORD);
    };
    const agent = async () => {
      const a = await c.post<Created>('/api/agents', agentBody(), admin);
      expect(a.status, a.text).to.equal(201);
      return a.body;
    };
    const teamOf = async (id: number) => (await c.get<Team>(`/api/teams/${id}`, admin)).body;
    const queueAgentsOf = async (q: number) => (await c.get<{ agentId: number }[]>(`/api/queues/${q}/agents`, admin)).body.map((r) => r.agentId);
    const queueTeamsOf = async (q: number) => (await c.get<{ teamId: number }[]>(`/api/queues/${q}/teams`, admin)).body.map((r) => r.teamId);
    /** The agent's own password still works; the attacker's does not. */
    const passwordUnchanged = async (a: Created) => {
      expect((await c.post('/api/auth/login', { username: a.username, password: 'Agent-Pass1' })).status, `${a.username} keeps their password`).to.equal(200);
      expect((await c.post('/api/auth/login', { username: a.username, password: 'Hijack-Pass1' })).status).to.equal(401);
    };

    before(async () => {
      node = await startTestNode(engine);
      c = node.client;
      admin = node.adminToken;
      q1 = (await c.post<{ id: number }>('/api/queues', { name: 'Sales', channel: 'voice' }, admin)).body.id;
      q2 = (await c.post<{ id: number }>('/api/queues', { name: 'Support', channel: 'voice' }, admin)).body.id;
      q3 = (await c.post<{ id: number }>('/api/queues', { name: 'Sales overflow', channel: 'voice' }, admin)).body.id;
      [mine, theirs, theirsViaTeam, free, shared] = [await agent(), await agent(), await agent(), await agent(), await agent()];
      await c.post(`/api/queues/${q1}/agents`, { agentId: mine.id }, admin);
      await c.post(`/api/queues/${q2}/agents`, { agentId: theirs.id }, admin);
      await c.post(`/api/queues/${q1}/agents`, { agentId: shared.id }, admin);
      await c.post(`/api/queues/${q2}/agents`, { agentId: shared.id }, admin);
      // theirsViaTeam serves Support only through a team: no queue_agents row of their own.
      theirTeam = (await c.post<Team>('/api/teams', { name: 'Support tier 1' }, admin)).body.id;
      await c.put(`/api/teams/${theirTeam}/agents`, { agentIds: [theirsViaTeam.id] }, admin);
      await c.post(`/api/queues/${q2}/teams`, { teamId: theirTeam }, admin);
      await supervisor('sup.support', [q2]);
      t = await supervisor('sup.sales', [q1, q3]);
    });
    after(async () => node?.stop());

    it('cannot pull another queue\u2019s agent in through a team of their own, then take over their account', async () => {
      const team = await c.post<Team>('/api/teams', { name: 'Trojan' }, t);
      expect(team.status, team.text).to.equal(201);
      for (const victim of [theirs, theirsViaTeam, free]) {
        expectNotFound(await c.put(`/api/teams/${team.body.id}/agents`, { agentIds: [victim.id] }, t), `team ← agent ${victim.id}`);
      }
      expect((await teamOf(team.body.id)).agentIds).to.deep.equal([]);
      // Attaching the (empty) team to an own queue is fine; filling it afterwards is refused all the same.
      expect((await c.post(`/api/queues/${q1}/teams`, { teamId: team.body.id }, t)).status).to.equal(200);
      expectNotFound(await c.put(`/api/teams/${team.body.id}/agents`, { agentIds: [mine.id, theirs.id] }, t), 'mixed list');
      expect((await teamOf(team.body.id)).agentIds).to.deep.equal([]);
      // So the victim never enters the scope: their password cannot be set and they cannot be logged in as.
      for (const victim of [theirs, theirsViaTeam]) {
        expectNotFound(await c.put(`/api/agents/${victim.id}/password`, { password: 'Hijack-Pass1' }, t), 'password');
        await passwordUnchanged(victim);
      }
      // An agent of the scope goes in.
      const filled = await c.put<Team>(`/api/teams/${team.body.id}/agents`, { agentIds: [mine.id] }, t);
      expect(filled.status, filled.text).to.equal(200);
      expect(filled.body.agentIds).to.deep.equal([mine.id]);
    });

    it('cannot add to an own queue an agent outside the scope: another queue\u2019s, one of another queue\u2019s team, or one in no queue', async () => {
      const before = await queueAgentsOf(q1);
      for (const victim of [theirs, theirsViaTeam, free]) {
        expectNotFound(await c.post(`/api/queues/${q1}/agents`, { agentId: victim.id, penalty: 0 }, t), `q1 ← agent ${victim.id}`);
        expectNotFound(await c.get(`/api/agents/${victim.id}`, t), 'still out of scope');
      }
      expect(await queueAgentsOf(q1)).to.deep.equal(before);
      // An agent already in the scope may be added to another own queue.
      expect((await c.post(`/api/queues/${q3}/agents`, { agentId: mine.id, penalty: 2 }, t)).status).to.equal(200);
      expect(await queueAgentsOf(q3)).to.deep.equal([mine.id]);
    });

    it('cannot see, empty, rename, delete or attach another supervisor\u2019s team', async () => {
      const listed = await c.get<Team[]>('/api/teams', t);
      expect(listed.body.map((x) => x.id)).to.not.include(theirTeam);
      expectNotFound(await c.get(`/api/teams/${theirTeam}`, t), 'read');
      expectNotFound(await c.put(`/api/teams/${theirTeam}/agents`, { agentIds: [] }, t), 'empty');
      expectNotFound(await c.put(`/api/teams/${theirTeam}/agents`, { agentIds: [mine.id] }, t), 'replace');
      expectNotFound(await c.patch(`/api/teams/${theirTeam}`, { name: 'Hijacked' }, t), 'rename');
      expectNotFound(await c.delete(`/api/teams/${theirTeam}`, t), 'delete');
      expectNotFound(await c.post(`/api/queues/${q1}/teams`, { teamId: theirTeam }, t), 'attach');
      const after = await teamOf(theirTeam);
      expect(after).to.include({ name: 'Support tier 1' });
      expect(after.agentIds).to.deep.equal([theirsViaTeam.id]);
      expect(await queueTeamsOf(q2)).to.deep.equal([theirTeam]);
      expect(await queueTeamsOf(q1)).to.not.include(theirTeam);
    });

    it('cannot reach a team holding someone else\u2019s agent, nor one serving someone else\u2019s queue, even with agents of the scope in it', async () => {
      // A team on no queue, with one agent of each supervisor: changing it would remove the other's agent.
      const mixed = (await c.post<Team>('/api/teams', { name: 'Mixed' }, admin)).body.id;
      await c.put(`/api/teams/${mixed}/agents`, { agentIds: [mine.id, theirs.id] }, admin);
      // A team of the attacker's agents that also serves Support: changing it would change Support.
      const both = (await c.post<Team>('/api/teams', { name: 'Both queues' }, admin)).body.id;
      await c.put(`/api/teams/${both}/agents`, { agentIds: [mine.id] }, admin);
      await c.post(`/api/queues/${q1}/teams`, { teamId: both }, admin);
      await c.post(`/api/queues/${q2}/teams`, { teamId: both }, admin);

      for (const id of [mixed, both]) {
        expectNotFound(await c.get(`/api/teams/${id}`, t), `read ${id}`);
        expectNotFound(await c.put(`/api/teams/${id}/agents`, { agentIds: [mine.id] }, t), `re-member ${id}`);
        expectNotFound(await c.put(`/api/teams/${id}/agents`, { agentIds: [] }, t), `empty ${id}`);
        expectNotFound(await c.patch(`/api/teams/${id}`, { name: `Renamed ${id}` }, t), `rename ${id}`);
        expectNotFound(await c.delete(`/api/teams/${id}`, t), `delete ${id}`);
      }
      expectNotFound(await c.post(`/api/queues/${q3}/teams`, { teamId: mixed }, t), 'attach mixed');
      expectNotFound(await c.post(`/api/queues/${q3}/teams`, { teamId: both }, t), 'attach both');
      expect((await teamOf(mixed)).agentIds).to.deep.equal([mine.id, theirs.id].sort((a, b) => a - b));
      expect((await teamOf(both)).agentIds).to.deep.equal([mine.id]);
      expect(await queueTeamsOf(q3)).to.deep.equal([]);
      expectNotFound(await c.get(`/api/agents/${theirs.id}`, t), 'theirs stays out of scope');
      // Detaching a team from an own queue only narrows that queue: allowed, and Support keeps it.
      expect((await c.delete(`/api/queues/${q1}/teams/${both}`, t)).status).to.equal(204);
      expect(await queueTeamsOf(q2)).to.include(both);
    });

    it('refuses every action on an out-of-scope agent before anything changes', async () => {
      const victim = theirs.id;
      const before = (await c.get<AgentView>(`/api/agents/${victim}`, admin)).body;
      expectNotFound(await c.get(`/api/agents/${victim}`, t), 'read');
      expectNotFound(await c.patch(`/api/agents/${victim}`, { fullName: 'Hijacked', disabled: true }, t), 'edit');
      expectNotFound(await c.patch(`/api/agents/${victim}`, { locked: true }, t), 'lock');
      expectNotFound(await c.post(`/api/agents/${victim}/unlock`, undefined, t), 'unlock');
      expectNotFound(await c.put(`/api/agents/${victim}/password`, { password: 'Hijack-Pass1', mustChangePassword: false }, t), 'password');
      expectNotFound(await c.get(`/api/agents/${victim}/queues`, t), 'queues');
      expectNotFound(await c.get(`/api/agents/${victim}/presence`, t), 'presence');
      expectNotFound(await c.post(`/api/agents/${victim}/pause`, { reason: 'Lunch' }, t), 'pause');
      expectNotFound(await c.post(`/api/agents/${victim}/unpause`, {}, t), 'unpause');
      expectNotFound(await c.post(`/api/agents/${victim}/logout`, {}, t), 'logout');
      expectNotFound(await c.get(`/api/agents/${victim}/state-history`, t), 'state history');
      expectNotFound(await c.delete(`/api/agents/${victim}`, t), 'delete');
      const after = (await c.get<AgentView>(`/api/agents/${victim}`, admin)).body;
      expect(after).to.deep.equal(before);
      await passwordUnchanged(theirs);
    });

    it('does not leak out-of-scope agents, queues or teams through lists, filters and exports', async () => {
      const csv = await c.get(`/api/agents/export.csv?ids=${theirs.id},${theirsViaTeam.id},${mine.id}`, t);
      expect(csv.status).to.equal(200);
      const lines = csv.text.trim().split('\r\n');
      expect(lines).to.have.length(2);
      expect(lines[1]!.split(',')[0]).to.equal(`"${mine.id}"`);
      const ids = async (path: string) => (await c.get<AgentView[]>(path, t)).body.map((a) => a.id);
      expect(await ids('/api/agents?limit=1000')).to.have.members([mine.id, shared.id]);
      expect(await ids(`/api/agents?queueId=${q2}`)).to.deep.equal([]);
      expect(await ids(`/api/agents?teamId=${theirTeam}`)).to.deep.equal([]);
      // An agent shared with Support: the attacker sees their own queues of it only.
      const queues = await c.get<{ queueId: number }[]>(`/api/agents/${shared.id}/queues`, t);
      expect(queues.body.map((q) => q.queueId)).to.deep.equal([q1]);
      expect((await c.get<{ queueId: number }[]>(`/api/agents/${shared.id}/queues`, admin)).body.map((q) => q.queueId)).to.deep.equal([q1, q2]);
    });

    it('leaves admins their full power', async () => {
      const team = (await c.post<Team>('/api/teams', { name: 'Admin mix' }, admin)).body.id;
      expect((await c.put<Team>(`/api/teams/${team}/agents`, { agentIds: [theirs.id, free.id] }, admin)).body.agentIds).to.have.length(2);
      expect((await c.post(`/api/queues/${q3}/teams`, { teamId: team }, admin)).status).to.equal(200);
      expect((await c.post(`/api/queues/${q1}/agents`, { agentId: free.id }, admin)).status).to.equal(200);
      expect((await c.put(`/api/agents/${free.id}/password`, { password: 'Admin-Set-Pass1' }, admin)).status).to.equal(204);
      // …and what an admin put in the attacker's queues is theirs from then on.
      expect((await c.get(`/api/agents/${free.id}`, t)).status).to.equal(200);
      expect((await c.get(`/api/agents/${theirs.id}`, t)).status).to.equal(200);
    });
  });
}
