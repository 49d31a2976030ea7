// GET /api/voice/calls: a page of call records, newest first, filtered by date range, direction,
// DID, caller, outcome and route, with the total in X-Total-Count; a bad filter is refused naming
// it; a supervisor sees only the calls of their scope.
import { expect } from 'chai';
import { closeCallRecord, openCallRecord } from '../../server/voice/call-records.ts';
import { startTestNode, type ErrorBody, type TestNode } from '../support/tandem.ts';

interface Row {
  id: number;
  did: string;
  callerNumber: string;
  outcome: string | null;
}

describe('call records list API', function () {
  let node: TestNode;
  let routeId: number;
  const ids: number[] = [];

  async function record(did: string, callerNumber: string, callerName: string, startedAt: string, outcome: string, route: number | null, direction: 'inbound' | 'outbound' = 'inbound') {
    const db = node.tandem.database.db;
    const id = await openCallRecord(db, { uniqueId: `u-${ids.length}`, channelName: 'PJSIP/x', direction, callerNumber, callerName, did, startedAt: new Date(startedAt) });
    await closeCallRecord(db, id, { routeId: route, endedAt: new Date(Date.parse(startedAt) + 30_000), outcome });
    ids.push(id);
  }

  const list = async (query: string) => {
    const res = await node.client.get<Row[]>(`/api/voice/calls?${query}`, node.adminToken);
    expect(res.status, res.text).to.equal(200);
    return { dids: res.body.map((r) => r.did), total: Number(res.headers.get('x-total-count')) };
  };

  before(async () => {
    node = await startTestNode('postgres');
    const p = await node.client.post<{ id: string }>('/api/ivr/projects', { name: 'Target', channel: 'voice' }, node.adminToken);
    const r = await node.client.post<{ id: number }>('/api/voice/routes', { kind: 'inbound', name: 'Rome', pattern: '_06X.', projectId: p.body.id }, node.adminToken);
    expect(r.status, r.text).to.equal(201);
    routeId = r.body.id;
    await record('0611111111', '3330000001', 'Ada Lovelace', '2026-11-02T09:00:00Z', 'completed', routeId);
    await record('0622222222', '3330000002', 'Alan Turing', '2026-11-03T09:00:00Z', 'hangup', routeId);
    await record('0233333333', '3330000003', '', '2026-11-04T09:00:00Z', 'no-route', null);
    await record('0244444444', '1001', 'Desk', '2026-11-05T09:00:00Z', 'completed', null, 'outbound');
  });
  after(async () => {
    await node?.stop();
  });

  it('pages newest first with the total of what matches', async () => {
    expect(await list('limit=2')).to.deep.equal({ dids: ['0244444444', '0233333333'], total: 4 });
    expect(await list('limit=2&offset=2')).to.deep.equal({ dids: ['0622222222', '0611111111'], total: 4 });
  });

  it('filters by date range, direction, DID, caller, outcome and route', async () => {
    expect(await list('from=2026-11-03T00:00:00Z&to=2026-11-05T00:00:00Z')).to.deep.equal({ dids: ['0233333333', '0622222222'], total: 2 });
    expect(await list('direction=outbound')).to.deep.equal({ dids: ['0244444444'], total: 1 });
    expect(await list('did=0622222222')).to.deep.equal({ dids: ['0622222222'], total: 1 });
    // Part of the number or of the name, case-insensitive; LIKE wildcards are taken literally.
    expect(await list('caller=000003')).to.deep.equal({ dids: ['0233333333'], total: 1 });
    expect(await list('caller=turing')).to.deep.equal({ dids: ['0622222222'], total: 1 });
    expect(await list('caller=%25')).to.deep.equal({ dids: [], total: 0 });
    expect(await list('outcome=completed')).to.deep.equal({ dids: ['0244444444', '0611111111'], total: 2 });
    expect(await list(`routeId=${routeId}&outcome=hangup`)).to.deep.equal({ dids: ['0622222222'], total: 1 });
  });

  it('refuses a bad filter naming it', async () => {
    for (const [query, field] of [
      ['outcome=lost', 'outcome'],
      ['from=yesterday', 'from'],
      ['direction=sideways', 'direction'],
      ['offset=-1', 'offset'],
    ] as const) {
      const res = await node.client.get<ErrorBody>(`/api/voice/calls?${query}`, node.adminToken);
      expect(res.status, query).to.equal(400);
      expect(res.body.error.details.fields?.map((f) => f.field), query).to.deep.equal([field]);
    }
  });

  it('shows a supervisor only the calls of their scope, and refuses accounts without voice read', async () => {
    const sup = await node.client.post('/api/users', { role: 'supervisor', username: `sup.calls.${process.pid}`, fullName: 'Sam Scope', password: 'Sup3r-Visor!x', permissions: { voice: 'read' } }, node.adminToken);
    expect(sup.status, sup.text).to.equal(201);
    const token = await node.client.login(`sup.calls.${process.pid}`, 'Sup3r-Visor!x');
    const res = await node.client.get<Row[]>('/api/voice/calls', token);
    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.deep.equal([]);
    expect(res.headers.get('x-total-count')).to.equal('0');
    const other = await node.client.post('/api/users', { role: 'supervisor', username: `sup.none.${process.pid}`, fullName: 'No Voice', password: 'Sup3r-Visor!x', permissions: { realtime: 'read' } }, node.adminToken);
    expect(other.status, other.text).to.equal(201);
    expect((await node.client.get('/api/voice/calls', await node.client.login(`sup.none.${process.pid}`, 'Sup3r-Visor!x'))).status).to.equal(403);
  });
});
