// Issue 22, finding 12: an id outside a supervisor's scope answers exactly as an unknown id does —
// 404, same code, same message shape, same details — on agents, queues, queue entries and teams, so
// that ids cannot be probed. Refusals for a missing module permission stay 403, whatever the id.
import { expect } from 'chai';
import { agentBody, startTestNode, type ApiClient, type ApiResponse, type ErrorBody, type TestNode } from '../support/tandem.ts';

interface Created {
  id: number;
  username: string;
}

/** An id no row has. */
const UNKNOWN = 987_654_321;

describe('security row 12: out-of-scope ids answer 404 like unknown ones', function () {
  this.timeout(60_000);
  let node: TestNode;
  let c: ApiClient;
  let admin: string;
  let t: string;
  let mineQueue: number, theirQueue: number;
  let theirAgent: Created;
  let theirTeam: number;
  let theirEntry: number;

  /** The answer with the probed id written as <id> (in messages and as a value): an out-of-scope id and an unknown one must give the same. */
  const shape = (res: ApiResponse, id: number) => {
    const word = new RegExp(`\\b${id}\\b`, 'g');
    const norm = (v: unknown): unknown =>
      v === id ? '<id>'
      : typeof v === 'string' ? v.replace(word, '<id>')
      : Array.isArray(v) ? v.map(norm)
      : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]))
      : v;
    return { status: res.status, body: norm(res.body) };
  };

  /** Runs the same request with the out-of-scope id and with an unknown one, and compares the answers. */
  const sameAsUnknown = async (what: string, call: (id: number) => Promise<ApiResponse>, outOfScopeId: number) => {
    const out = await call(outOfScopeId);
    const unknown = await call(UNKNOWN);
    expect(out.status, `${what}: ${out.text}`).to.equal(404);
    expect((out.body as ErrorBody).error.code, what).to.equal('NOT_FOUND');
    expect(shape(out, outOfScopeId), what).to.deep.equal(shape(unknown, UNKNOWN));
  };

  before(async () => {
    node = await startTestNode('postgres');
    c = node.client;
    admin = node.adminToken;
    mineQueue = (await c.post<{ id: number }>('/api/queues', { name: 'Mine', channel: 'voice' }, admin)).body.id;
    theirQueue = (await c.post<{ id: number }>('/api/queues', { name: 'Theirs', channel: 'voice' }, admin)).body.id;
    theirAgent = (await c.post<Created>('/api/agents', agentBody(), admin)).body;
    await c.post(`/api/queues/${theirQueue}/agents`, { agentId: theirAgent.id }, admin);
    theirTeam = (await c.post<{ id: number }>('/api/teams', { name: 'Their team' }, admin)).body.id;
    await c.put(`/api/teams/${theirTeam}/agents`, { agentIds: [theirAgent.id] }, admin);
    await c.post(`/api/queues/${theirQueue}/teams`, { teamId: theirTeam }, admin);
    const entry = await c.post<{ id: number }>(`/api/queues/${theirQueue}/entries`, { interactionRef: `row-12-${process.pid}`, caller: 'Caller' }, admin);
    expect(entry.status, entry.text).to.equal(201);
    theirEntry = entry.body.id;
    const sup = await c.post<Created>(
      '/api/users',
      { role: 'supervisor', username: 'sup.row12', fullName: 'Row 12', password: 'Sup-Passw0rd', permissions: { staff: 'read-edit-delete', voice: 'read-edit-delete' } },
      admin,
    );
    await c.put(`/api/users/${sup.body.id}/queues`, { queueIds: [mineQueue] }, admin);
    t = await c.login('sup.row12', 'Sup-Passw0rd');
  });
  after(async () => node?.stop());

  it('agents', async () => {
    const a = theirAgent.id;
    await sameAsUnknown('GET agent', (id) => c.get(`/api/agents/${id}`, t), a);
    await sameAsUnknown('PATCH agent', (id) => c.patch(`/api/agents/${id}`, { fullName: 'X' }, t), a);
    await sameAsUnknown('DELETE agent', (id) => c.delete(`/api/agents/${id}`, t), a);
    await sameAsUnknown('unlock', (id) => c.post(`/api/agents/${id}/unlock`, undefined, t), a);
    await sameAsUnknown('password', (id) => c.put(`/api/agents/${id}/password`, { password: 'Hijack-Pass1' }, t), a);
    await sameAsUnknown('queues of agent', (id) => c.get(`/api/agents/${id}/queues`, t), a);
    await sameAsUnknown('presence', (id) => c.get(`/api/agents/${id}/presence`, t), a);
    await sameAsUnknown('pause', (id) => c.post(`/api/agents/${id}/pause`, { reason: 'Lunch' }, t), a);
    await sameAsUnknown('unpause', (id) => c.post(`/api/agents/${id}/unpause`, {}, t), a);
    await sameAsUnknown('logout', (id) => c.post(`/api/agents/${id}/logout`, {}, t), a);
    await sameAsUnknown('state history', (id) => c.get(`/api/agents/${id}/state-history`, t), a);
    await sameAsUnknown('add to own queue', (id) => c.post(`/api/queues/${mineQueue}/agents`, { agentId: id }, t), a);
    await sameAsUnknown('put in a team', async (id) => {
      const team = await c.post<{ id: number }>('/api/teams', { name: `Probe ${id}` }, t);
      return c.put(`/api/teams/${team.body.id}/agents`, { agentIds: [id] }, t);
    }, a);
    expect((await c.get<{ fullName: string }>(`/api/agents/${a}`, admin)).body.fullName).to.not.equal('X');
    expect((await c.post('/api/auth/login', { username: theirAgent.username, password: 'Agent-Pass1' })).status).to.equal(200);
  });

  it('queues', async () => {
    const q = theirQueue;
    await sameAsUnknown('GET queue', (id) => c.get(`/api/queues/${id}`, t), q);
    await sameAsUnknown('PATCH queue', (id) => c.patch(`/api/queues/${id}`, { name: 'Renamed' }, t), q);
    await sameAsUnknown('DELETE queue', (id) => c.delete(`/api/queues/${id}`, t), q);
    await sameAsUnknown('queue agents', (id) => c.get(`/api/queues/${id}/agents`, t), q);
    await sameAsUnknown('add queue agent', (id) => c.post(`/api/queues/${id}/agents`, { agentId: theirAgent.id }, t), q);
    await sameAsUnknown('remove queue agent', (id) => c.delete(`/api/queues/${id}/agents/${theirAgent.id}`, t), q);
    await sameAsUnknown('queue teams', (id) => c.get(`/api/queues/${id}/teams`, t), q);
    await sameAsUnknown('add queue team', (id) => c.post(`/api/queues/${id}/teams`, { teamId: theirTeam }, t), q);
    await sameAsUnknown('remove queue team', (id) => c.delete(`/api/queues/${id}/teams/${theirTeam}`, t), q);
    await sameAsUnknown('enqueue', (id) => c.post(`/api/queues/${id}/entries`, { interactionRef: `probe-${id}` }, t), q);
    const after = await c.get<{ name: string }>(`/api/queues/${q}`, admin);
    expect(after.body.name).to.equal('Theirs');
    expect((await c.get<{ agentId: number }[]>(`/api/queues/${q}/agents`, admin)).body.map((r) => r.agentId)).to.deep.equal([theirAgent.id]);
    expect((await c.get<{ teamId: number }[]>(`/api/queues/${q}/teams`, admin)).body.map((r) => r.teamId)).to.deep.equal([theirTeam]);
  });

  it('queue entries', async () => {
    const e = theirEntry;
    await sameAsUnknown('GET entry', (id) => c.get(`/api/queue-entries/${id}`, t), e);
    await sameAsUnknown('decisions', (id) => c.get(`/api/queue-entries/${id}/decisions`, t), e);
    await sameAsUnknown('abandon', (id) => c.post(`/api/queue-entries/${id}/abandon`, {}, t), e);
    expect((await c.get<{ status: string }>(`/api/queue-entries/${e}`, admin)).body.status).to.equal('waiting');
  });

  it('teams', async () => {
    const tm = theirTeam;
    await sameAsUnknown('GET team', (id) => c.get(`/api/teams/${id}`, t), tm);
    await sameAsUnknown('PATCH team', (id) => c.patch(`/api/teams/${id}`, { name: 'Renamed' }, t), tm);
    await sameAsUnknown('DELETE team', (id) => c.delete(`/api/teams/${id}`, t), tm);
    await sameAsUnknown('team agents', (id) => c.put(`/api/teams/${id}/agents`, { agentIds: [] }, t), tm);
    await sameAsUnknown('attach team', (id) => c.post(`/api/queues/${mineQueue}/teams`, { teamId: id }, t), tm);
    const after = await c.get<{ name: string; agentIds: number[] }>(`/api/teams/${tm}`, admin);
    expect(after.body).to.deep.include({ name: 'Their team', agentIds: [theirAgent.id] });
  });

  it('keeps 403 for a missing module permission, for existing and unknown ids alike', async () => {
    const sup = await c.post<Created>('/api/users', { role: 'supervisor', username: 'sup.noperm', fullName: 'No perm', password: 'Sup-Passw0rd', permissions: { voice: 'read' } }, admin);
    await c.put(`/api/users/${sup.body.id}/queues`, { queueIds: [theirQueue] }, admin);
    const np = await c.login('sup.noperm', 'Sup-Passw0rd');
    for (const id of [theirAgent.id, UNKNOWN]) {
      const res = await c.get<ErrorBody>(`/api/agents/${id}`, np);
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('FORBIDDEN');
    }
    // With the permission, an agent of the scope is reachable: the 404s above are about scope only.
    expect((await c.get(`/api/queues/${theirQueue}`, np)).status).to.equal(200);
  });
});
