// "Where used" for users, websites and routes, with the scope rules of the other kinds, and a queue
// that running flows or websites use refused for deletion (409 naming them) unless an administrator
// forces it. Real node, real PostgreSQL.
import { expect } from 'chai';
import { okBody, startTestNode, type ErrorBody, type TestNode } from '../support/tandem.ts';
import { agent as newAgent, queue as newQueue, queueFlowProject } from '../support/world.ts';

interface Row {
  id: number;
}
interface Dependents {
  dependents: { kind: string; id: string | number; name: string; via: string }[];
  hidden: number;
}

describe('where used: users, websites, routes; queues in use', function () {
  let node: TestNode;
  let seq = 0;
  before(async () => {
    node = await startTestNode('postgres');
  });
  after(async () => node?.stop());

  const dependents = (kind: string, id: string | number, token = node.adminToken) => node.client.get<Dependents>(`/api/dependents?kind=${kind}&id=${encodeURIComponent(String(id))}`, token);
  const pairs = (d: Dependents) => d.dependents.map((x) => [x.kind, x.id]);

  async function project(name: string, queueName: string, publish: boolean, channel = 'voice'): Promise<string> {
    const t = node.adminToken;
    const created = okBody(await node.client.post<{ id: string }>('/api/ivr/projects', { name, channel, project: queueFlowProject(queueName) }, t), 201);
    if (publish) okBody(await node.client.post(`/api/ivr/projects/${created.id}/publish`, {}, t), 201);
    return created.id;
  }

  async function supervisor(queueIds: number[], permissions: Record<string, string>): Promise<{ id: number; token: string }> {
    const username = `sup.w${++seq}`;
    const sup = okBody(await node.client.post<Row>('/api/users', { role: 'supervisor', username, fullName: 'Sup', password: 'Sup-Passw0rd', permissions }, node.adminToken), 201);
    okBody(await node.client.put(`/api/users/${sup.id}/queues`, { queueIds }, node.adminToken));
    return { id: sup.id, token: await node.client.login(username, 'Sup-Passw0rd') };
  }

  it('a user: a supervisor\'s queues, API keys in force, the projects they created; an agent: queues and teams', async () => {
    const q1 = await newQueue(node, { channel: 'voice', name: `Supervised-${++seq}` });
    const sup = await supervisor([q1], { ivr: 'read-edit' });
    const made = okBody(await node.client.post<{ id: string }>('/api/ivr/projects', { name: `Made by sup ${seq}`, channel: 'voice', project: queueFlowProject('none') }, sup.token), 201);
    const d = okBody(await dependents('user', sup.id));
    expect(pairs(d)).to.deep.equal([
      ['queue', q1],
      ['project', made.id],
    ]);

    const service = okBody(await node.client.post<Row>('/api/users', { role: 'service', username: `svc.w${++seq}`, fullName: 'WFM' }, node.adminToken), 201);
    const key = okBody(await node.client.post<{ id: number }>(`/api/users/${service.id}/api-keys`, { name: 'wfm' }, node.adminToken), 201);
    const revoked = okBody(await node.client.post<{ id: number }>(`/api/users/${service.id}/api-keys`, { name: 'old' }, node.adminToken), 201);
    okBody(await node.client.delete(`/api/api-keys/${revoked.id}`, node.adminToken), 204);
    expect(pairs(okBody(await dependents('user', service.id)))).to.deep.equal([['apiKey', key.id]]);

    const a = await newAgent(node);
    const team = okBody(await node.client.post<Row>('/api/teams', { name: `Team w${++seq}` }, node.adminToken), 201);
    okBody(await node.client.put(`/api/teams/${team.id}/agents`, { agentIds: [a.id] }, node.adminToken));
    const q2 = await newQueue(node, {}, [a.id]);
    expect(pairs(okBody(await dependents('user', a.id)))).to.deep.equal([
      ['queue', q2],
      ['team', team.id],
    ]);
    expect((await dependents('user', 999_999)).status).to.equal(404);
  });

  it('a user, for a supervisor: only agents of their scope (others 404 like unknown), out-of-scope memberships counted', async () => {
    const a = await newAgent(node);
    const mine = await newQueue(node, {}, [a.id]);
    await newQueue(node, {}, [a.id]);
    const sup = await supervisor([mine], { staff: 'read' });
    const seen = okBody(await dependents('user', a.id, sup.token));
    expect(pairs(seen)).to.deep.equal([['queue', mine]]);
    expect(seen.hidden).to.equal(1);
    const stranger = await newAgent(node);
    const strangerAnswer = await dependents('user', stranger.id, sup.token);
    const unknownAnswer = await dependents('user', 999_998, sup.token);
    expect([strangerAnswer.status, unknownAnswer.status]).to.deep.equal([404, 404]);
    // Administrators and other supervisors are not staff a supervisor reaches.
    expect((await dependents('user', sup.id, sup.token)).status).to.equal(404);
    const noStaff = await supervisor([mine], { voice: 'read' });
    expect((await dependents('user', a.id, noStaff.token)).status).to.equal(403);
  });

  it('a website: its chat flow and its queue; a route: its project and its trunk', async () => {
    const chatQueue = await newQueue(node, { channel: 'chat', name: `Web-${++seq}` });
    const flow = await project(`Chat flow ${seq}`, `Web-${seq}`, true, 'chat');
    const site = okBody(await node.client.post<Row>('/api/chat/websites', { name: `Shop ${seq}`, projectId: flow, queueId: chatQueue }, node.adminToken), 201);
    const d = okBody(await dependents('website', site.id));
    expect(pairs(d)).to.deep.equal([
      ['project', flow],
      ['queue', chatQueue],
    ]);
    // A supervisor with chat read but not this queue in scope: the queue is counted, not named.
    const sup = await supervisor([], { chat: 'read', ivr: 'read' });
    const seen = okBody(await dependents('website', site.id, sup.token));
    expect(pairs(seen)).to.deep.equal([['project', flow]]);
    expect(seen.hidden).to.equal(1);
    expect((await dependents('website', site.id, (await supervisor([], { voice: 'read' })).token)).status).to.equal(403);

    const ivr = await project(`Main ${seq}`, 'none', true);
    const trunk = okBody(await node.client.post<Row>('/api/voice/trunks', { name: `Carrier w${seq}`, endpoint: `carrier-w${seq}` }, node.adminToken), 201);
    const inbound = okBody(await node.client.post<Row>('/api/voice/routes', { kind: 'inbound', name: `DID ${seq}`, pattern: `5550${seq}`, projectId: ivr }, node.adminToken), 201);
    const outbound = okBody(await node.client.post<Row>('/api/voice/routes', { kind: 'outbound', name: `Out ${seq}`, pattern: '_9X.', trunkId: trunk.id }, node.adminToken), 201);
    expect(pairs(okBody(await dependents('route', inbound.id)))).to.deep.equal([['project', ivr]]);
    expect(pairs(okBody(await dependents('route', outbound.id)))).to.deep.equal([['trunk', trunk.id]]);
    expect((await dependents('route', 999_999)).status).to.equal(404);
  });

  it('refuses deleting a queue a published flow or a website uses (409 naming them) unless an administrator forces it', async () => {
    const name = `InUse-${++seq}`;
    const voiceQueue = await newQueue(node, { channel: 'voice', name });
    const live = await project(`Live ${seq}`, name, true);
    const refused = await node.client.delete<ErrorBody>(`/api/queues/${voiceQueue}`, node.adminToken);
    expect(refused.status).to.equal(409);
    expect(refused.body.error.message).to.contain(`Live ${seq}`).and.to.contain('published version 1');
    expect((refused.body.error.details.dependents as { id: string }[]).map((x) => x.id)).to.deep.equal([live]);

    // A supervisor who may delete it is refused the same way, and may not force.
    const sup = await supervisor([voiceQueue], { voice: 'read-edit-delete' });
    expect((await node.client.delete(`/api/queues/${voiceQueue}`, sup.token)).status).to.equal(409);
    expect((await node.client.delete(`/api/queues/${voiceQueue}?force=true`, sup.token)).status).to.equal(403);
    expect((await node.client.delete(`/api/queues/${voiceQueue}?force=maybe`, node.adminToken)).status).to.equal(400);
    okBody(await node.client.get(`/api/queues/${voiceQueue}`, node.adminToken));
    expect(okBody(await node.client.delete(`/api/queues/${voiceQueue}?force=true`, node.adminToken), 204)).to.equal('');

    // A draft alone does not block (nothing runs it); a website does.
    const draftName = `Draft-${++seq}`;
    const drafted = await newQueue(node, { channel: 'voice', name: draftName });
    await project(`Draft ${seq}`, draftName, false);
    okBody(await node.client.delete(`/api/queues/${drafted}`, node.adminToken), 204);
    const chatQueue = await newQueue(node, { channel: 'chat' });
    okBody(await node.client.post('/api/chat/websites', { name: `Site ${seq}`, queueId: chatQueue }, node.adminToken), 201);
    const bySite = await node.client.delete<ErrorBody>(`/api/queues/${chatQueue}`, node.adminToken);
    expect(bySite.status).to.equal(409);
    expect(bySite.body.error.message).to.contain(`Site ${seq}`);
  });
});
