// Routes and trunks: matching (pure) and the API (validation, ordering, time intervals).
import { expect } from 'chai';
import { matchRoute, outboundNumber, scheduleAllows, type RouteRow } from '../../server/voice/routes.ts';
import { startTestNode, type ErrorBody, type TestNode } from '../support/tandem.ts';

const route = (r: Partial<RouteRow>): RouteRow =>
  ({
    id: 1,
    kind: 'inbound',
    name: 'r',
    pattern: '_X.',
    position: 0,
    projectId: 'p',
    trunkId: null,
    stripDigits: 0,
    prepend: '',
    callerId: null,
    schedule: null,
    enabled: true,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...r,
  }) as RouteRow;

// 2026-11-23 is a Monday; 10:00 in Rome is 09:00 UTC.
const MONDAY_10_ROME = Date.UTC(2026, 10, 23, 9, 0);
const MONDAY_20_ROME = Date.UTC(2026, 10, 23, 19, 0);
const office = { timezone: 'Europe/Rome', intervals: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[], from: '09:00', to: '18:00' }], holidays: ['12-25'] };

describe('route matching', () => {
  it('takes the first enabled route in position order whose pattern matches', () => {
    const routes = [
      route({ id: 1, name: 'catch-all', pattern: '_X.', position: 20 }),
      route({ id: 2, name: 'rome', pattern: '_06XXXXXXXX', position: 10 }),
      route({ id: 3, name: 'disabled', pattern: '_06XXXXXXXX', position: 0, enabled: false }),
      route({ id: 4, name: 'internal', kind: 'internal', pattern: '_1XXX', position: 0 }),
    ];
    expect(matchRoute(routes, 'inbound', '0612345678', MONDAY_10_ROME)?.id).to.equal(2);
    expect(matchRoute(routes, 'inbound', '0212345678', MONDAY_10_ROME)?.id).to.equal(1);
    expect(matchRoute(routes, 'internal', '1001', MONDAY_10_ROME)?.id).to.equal(4);
    expect(matchRoute(routes, 'internal', '2001', MONDAY_10_ROME)).to.equal(undefined);
  });
  it('honours schedules: in hours, out of hours, holidays', () => {
    const routes = [route({ id: 1, pattern: '_X.', position: 0, schedule: office }), route({ id: 2, pattern: '_X.', position: 1, name: 'after hours' })];
    expect(matchRoute(routes, 'inbound', '0612345678', MONDAY_10_ROME)?.id).to.equal(1);
    expect(matchRoute(routes, 'inbound', '0612345678', MONDAY_20_ROME)?.id).to.equal(2);
    expect(scheduleAllows(office, Date.UTC(2026, 11, 25, 9, 0))).to.equal(false);
  });
  it('rewrites outbound numbers: strip then prepend', () => {
    expect(outboundNumber({ stripDigits: 1, prepend: '+39' }, '00612345678')).to.equal('+390612345678');
  });
});

describe('routes and trunks API', function () {
  let node: TestNode;
  let projectId: string;
  before(async () => {
    node = await startTestNode('postgres');
    const p = await node.client.post<{ id: string }>('/api/ivr/projects', { name: 'Route target', channel: 'voice' }, node.adminToken);
    projectId = p.body.id;
  });
  after(async () => node?.stop());

  it('creates, validates, orders and deletes routes; outbound needs a trunk', async () => {
    const t = node.adminToken;
    const c = node.client;
    const a = await c.post<{ id: number }>('/api/voice/routes', { kind: 'inbound', name: 'A', pattern: '_06X.', projectId, schedule: office }, t);
    expect(a.status, a.text).to.equal(201);
    const b = await c.post<{ id: number }>('/api/voice/routes', { kind: 'inbound', name: 'B', pattern: '_X.', projectId, position: 5 }, t);
    const bad = await c.post<ErrorBody>('/api/voice/routes', { kind: 'inbound', name: 'C', pattern: '_[9-', projectId }, t);
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.fields![0]!.field).to.equal('pattern');
    const noTrunk = await c.post<ErrorBody>('/api/voice/routes', { kind: 'outbound', name: 'Out', pattern: '_0X.' }, t);
    expect(noTrunk.body.error.details.fields![0]!.field).to.equal('trunkId');
    const badTz = await c.post<ErrorBody>('/api/voice/routes', { kind: 'inbound', name: 'D', pattern: '_X.', projectId, schedule: { ...office, timezone: 'Mars/Olympus' } }, t);
    expect(badTz.body.error.details.fields![0]!.field).to.equal('schedule.timezone');
    const chat = await c.post<{ id: string }>('/api/ivr/projects', { name: 'A chat bot', channel: 'chat' }, t);
    const wrongChannel = await c.post<ErrorBody>('/api/voice/routes', { kind: 'inbound', name: 'E', pattern: '_X.', projectId: chat.body.id }, t);
    expect(wrongChannel.body.error.details.fields![0]!.field).to.equal('projectId');

    const ordered = await c.put<{ id: number; position: number }[]>('/api/voice/routes/order/inbound', { routeIds: [b.body.id, a.body.id] }, t);
    expect(ordered.body.map((r) => r.id)).to.deep.equal([b.body.id, a.body.id]);
    const partial = await c.put<ErrorBody>('/api/voice/routes/order/inbound', { routeIds: [a.body.id] }, t);
    expect(partial.status).to.equal(400);

    const trunk = await c.post<{ id: number }>('/api/voice/trunks', { name: 'Carrier', endpoint: 'carrier-1', callerId: '0612345678' }, t);
    expect(trunk.status).to.equal(201);
    const out = await c.post<{ id: number }>('/api/voice/routes', { kind: 'outbound', name: 'Out', pattern: '_0X.', trunkId: trunk.body.id, stripDigits: 1, prepend: '+39' }, t);
    expect(out.status, out.text).to.equal(201);
    const inUse = await c.delete<ErrorBody>(`/api/voice/trunks/${trunk.body.id}`, t);
    expect(inUse.status).to.equal(409);
    const dropTrunk = await c.patch<ErrorBody>(`/api/voice/routes/${out.body.id}`, { trunkId: null }, t);
    expect(dropTrunk.status).to.equal(400);
    expect((await c.delete(`/api/voice/routes/${out.body.id}`, t)).status).to.equal(204);
    expect((await c.delete(`/api/voice/trunks/${trunk.body.id}`, t)).status).to.equal(204);
    expect((await c.get(`/api/voice/routes/${out.body.id}`, t)).status).to.equal(404);
  });

  it('needs the voice permission', async () => {
    await node.client.post('/api/users', { role: 'supervisor', username: 'no.voice', fullName: 'N', password: 'No-Voice-Pass1', permissions: { staff: 'read' } }, node.adminToken);
    const token = await node.client.login('no.voice', 'No-Voice-Pass1');
    expect((await node.client.get('/api/voice/routes', token)).status).to.equal(403);
    expect((await node.client.get('/api/voice/calls', token)).status).to.equal(403);
  });
});
