// Bad input at the edge: every route with a body answers a malformed one with 400 naming the field;
// every route with an id answers an unknown one with 404 and a malformed one with 400; JSON that is
// not JSON, oversize bodies, wrong content types, unknown routes and methods get catalogue errors.
import { expect } from 'chai';
import { agentBody, startTestNode, type ErrorBody, type TestNode } from '../support/tandem.ts';

describe('API input validation', function () {
  let node: TestNode;
  let ids: { agent: number; team: number; queue: number; supervisor: number; service: number; apiKey: number };
  before(async () => {
    node = await startTestNode('postgres', { TANDEM_BODY_LIMIT_KB: '16' });
    const t = node.adminToken;
    const c = node.client;
    const agent = await c.post<{ id: number }>('/api/agents', agentBody(), t);
    const team = await c.post<{ id: number }>('/api/teams', { name: 'Validation team' }, t);
    const queue = await c.post<{ id: number }>('/api/queues', { name: 'Validation queue', channel: 'chat' }, t);
    const sup = await c.post<{ id: number }>('/api/users', { role: 'supervisor', username: 'val.sup', fullName: 'V', password: 'Sup-Passw0rd' }, t);
    const svc = await c.post<{ id: number }>('/api/users', { role: 'service', username: 'val.svc', fullName: 'S' }, t);
    const key = await c.post<{ id: number }>(`/api/users/${svc.body.id}/api-keys`, { name: 'k' }, t);
    ids = { agent: agent.body.id, team: team.body.id, queue: queue.body.id, supervisor: sup.body.id, service: svc.body.id, apiKey: key.body.id };
  });
  after(async () => node?.stop());

  // [method, path, malformed body, the field that must be named]
  const bodyCases = (): [string, string, unknown, string][] => [
    ['POST', '/api/auth/login', { username: 'admin' }, 'password'],
    ['POST', '/api/auth/password-reset', { email: 'not-an-address' }, 'email'],
    ['POST', '/api/auth/password-reset/confirm', { token: 'x' }, 'password'],
    ['PUT', '/api/me/password', { currentPassword: 42, newPassword: 'x' }, 'currentPassword'],
    ['POST', '/api/users', { role: 'root', username: 'x', fullName: 'x', password: 'x' }, 'role'],
    ['PATCH', `/api/users/${ids.supervisor}`, { fullName: '' }, 'fullName'],
    ['PUT', `/api/users/${ids.supervisor}/password`, { password: 7 }, 'password'],
    ['PUT', `/api/users/${ids.supervisor}/queues`, { queueIds: ['a'] }, 'queueIds.0'],
    ['POST', `/api/users/${ids.service}/api-keys`, { name: '' }, 'name'],
    ['POST', '/api/agents', agentBody({ username: 'bad name!' }), 'username'],
    ['POST', '/api/agents', agentBody({ typology: 'fax' }), 'typology'],
    ['POST', '/api/agents', agentBody({ capacity: { chat: -1 } }), 'capacity.chat'],
    ['POST', '/api/agents', agentBody({ autoAnswer: { chat: { enabled: 'yes' } } }), 'autoAnswer.chat.enabled'],
    ['POST', '/api/agents', agentBody({ extension: '12a' }), 'extension'],
    ['POST', '/api/agents', agentBody({ unexpected: true }), '(body)'],
    ['PATCH', `/api/agents/${ids.agent}`, { email: 'nope' }, 'email'],
    ['PUT', `/api/agents/${ids.agent}/password`, {}, 'password'],
    ['POST', '/api/teams', { name: 5 }, 'name'],
    ['PATCH', `/api/teams/${ids.team}`, { name: '' }, 'name'],
    ['PUT', `/api/teams/${ids.team}/agents`, { agentIds: 'all' }, 'agentIds'],
    ['POST', '/api/queues', { name: 'Q', channel: 'pigeon' }, 'channel'],
    ['PATCH', `/api/queues/${ids.queue}`, { name: '' }, 'name'],
    ['POST', `/api/queues/${ids.queue}/agents`, { agentId: ids.agent, penalty: 1000 }, 'penalty'],
    ['PATCH', '/api/settings', { maxFailedLogins: -1 }, 'maxFailedLogins'],
  ];

  it('answers a malformed body on every route with 400 naming the field', async () => {
    for (const [method, path, body, field] of bodyCases()) {
      const res = await node.client.request<ErrorBody>(method, path, { body, token: node.adminToken });
      expect(res.status, `${method} ${path}: ${res.text}`).to.equal(400);
      expect(res.body.error.code, `${method} ${path}`).to.be.oneOf(['VALIDATION_FAILED']);
      const fields = res.body.error.details.fields!.map((f) => f.field);
      if (field === '(body)') expect(fields.join(), `${method} ${path}`).to.match(/\(body\)|unexpected/);
      else expect(fields, `${method} ${path}`).to.include(field);
      expect(res.body.error.message).to.contain(field === '(body)' ? '' : field);
    }
  });

  it('requires a body where one is expected', async () => {
    const res = await node.client.request<ErrorBody>('POST', '/api/agents', { token: node.adminToken });
    expect(res.status).to.equal(400);
    expect(res.body.error.details.fields![0]!.field).to.equal('(body)');
  });

  const idRoutes = (): [string, string][] => [
    ['GET', '/api/users/:id'],
    ['PATCH', '/api/users/:id'],
    ['DELETE', '/api/users/:id'],
    ['POST', '/api/users/:id/unlock'],
    ['PUT', '/api/users/:id/password'],
    ['GET', '/api/users/:id/queues'],
    ['PUT', '/api/users/:id/queues'],
    ['GET', '/api/users/:id/api-keys'],
    ['POST', '/api/users/:id/api-keys'],
    ['POST', '/api/api-keys/:id/rotate'],
    ['DELETE', '/api/api-keys/:id'],
    ['GET', '/api/agents/:id'],
    ['PATCH', '/api/agents/:id'],
    ['DELETE', '/api/agents/:id'],
    ['POST', '/api/agents/:id/unlock'],
    ['PUT', '/api/agents/:id/password'],
    ['GET', '/api/agents/:id/queues'],
    ['GET', '/api/teams/:id'],
    ['PATCH', '/api/teams/:id'],
    ['DELETE', '/api/teams/:id'],
    ['PUT', '/api/teams/:id/agents'],
    ['GET', '/api/queues/:id'],
    ['PATCH', '/api/queues/:id'],
    ['DELETE', '/api/queues/:id'],
    ['GET', '/api/queues/:id/agents'],
    ['POST', '/api/queues/:id/agents'],
  ];
  // Bodies valid in shape, so that only the id can be wrong.
  const validBody: Record<string, unknown> = {
    'PATCH /api/users/:id': { fullName: 'X' },
    'PUT /api/users/:id/password': { password: 'Valid-Pass1' },
    'PUT /api/users/:id/queues': { queueIds: [] },
    'POST /api/users/:id/api-keys': { name: 'k' },
    'PATCH /api/agents/:id': { fullName: 'X' },
    'PUT /api/agents/:id/password': { password: 'Valid-Pass1' },
    'PATCH /api/teams/:id': { name: 'X' },
    'PUT /api/teams/:id/agents': { agentIds: [] },
    'PATCH /api/queues/:id': { name: 'X' },
    'POST /api/queues/:id/agents': { agentId: 1 },
  };

  it('answers an unknown id with 404 and a malformed id with 400 on every route', async () => {
    for (const [method, pattern] of idRoutes()) {
      const body = validBody[`${method} ${pattern}`];
      const unknown = await node.client.request<ErrorBody>(method, pattern.replace(':id', '987654321'), { body, token: node.adminToken });
      expect(unknown.status, `${method} ${pattern}: ${unknown.text}`).to.equal(404);
      expect(unknown.body.error.code).to.equal('NOT_FOUND');
      const malformed = await node.client.request<ErrorBody>(method, pattern.replace(':id', 'abc'), { body, token: node.adminToken });
      expect(malformed.status, `${method} ${pattern} (abc)`).to.equal(400);
      expect(malformed.body.error.details.fields![0]!.field).to.equal('id');
    }
  });

  it('answers JSON that is not JSON with MALFORMED_JSON', async () => {
    const res = await node.client.request<ErrorBody>('POST', '/api/teams', { raw: '{"name": "x",', token: node.adminToken });
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('MALFORMED_JSON');
  });

  it('refuses bodies over the limit with 413, whether announced or streamed', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(20 * 1024) });
    const res = await node.client.request<ErrorBody>('POST', '/api/teams', { raw: big, token: node.adminToken });
    expect(res.status).to.equal(413);
    expect(res.body.error.code).to.equal('PAYLOAD_TOO_LARGE');
    const chunked = await fetch(`${node.tandem.url}/api/teams`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).to.equal(413);
    expect(((await chunked.json()) as ErrorBody).error.code).to.equal('PAYLOAD_TOO_LARGE');
  });

  it('refuses other content types with 415', async () => {
    const res = await node.client.request<ErrorBody>('POST', '/api/teams', { raw: 'name=x', token: node.adminToken, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).to.equal(415);
    expect(res.body.error.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers unknown routes with 404 and wrong methods with 405, in the error shape', async () => {
    const unknown = await node.client.get<ErrorBody>('/api/nothing-here', node.adminToken);
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.code).to.equal('ROUTE_NOT_FOUND');
    const method = await node.client.request<ErrorBody>('PUT', '/api/health');
    expect(method.status).to.equal(405);
    expect(method.body.error.code).to.equal('METHOD_NOT_ALLOWED');
  });

  it('takes unicode names and keeps them exactly', async () => {
    for (const name of ['José Müller', '李小龍', 'Zoë 😀 Smith', 'محمد']) {
      const res = await node.client.post<{ fullName: string; id: number }>('/api/agents', agentBody({ fullName: name }), node.adminToken);
      expect(res.status).to.equal(201);
      expect((await node.client.get<{ fullName: string }>(`/api/agents/${res.body.id}`, node.adminToken)).body.fullName).to.equal(name);
    }
    const control = await node.client.post<ErrorBody>('/api/agents', agentBody({ fullName: 'bell\u0007' }), node.adminToken);
    expect(control.status).to.equal(400);
  });
});
