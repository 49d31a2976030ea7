// The supervisor board over a real node (PostgreSQL, real socket.io clients): snapshot on connect,
// coalesced deltas after agents act through the API, scope per supervisor, refusals.
import { expect } from 'chai';
import { ADMIN_PASSWORD, startTestNode, type ApiClient, type TestNode } from '../support/tandem.ts';
import { VirtualClock } from '../../flows/testing/virtual-clock.ts';
import { BoardClient } from './board-client.ts';
import { closeCallRecord, openCallRecord } from '../../server/voice/call-records.ts';
import { eventually } from '../support/eventually.ts';
import * as world from '../support/world.ts';

describe('supervisor board (/supervisor namespace)', function () {
  let node: TestNode;
  let c: ApiClient;
  let admin: string;
  let seq = 0;
  const open: BoardClient[] = [];

  before(async () => {
    node = await startTestNode('postgres', {}, { acdTickMs: 100 });
    c = node.client;
    admin = node.adminToken;
  });
  afterEach(() => {
    for (const b of open.splice(0)) b.close();
  });
  after(async () => node?.stop());

  const board = async (token: string) => {
    const b = await BoardClient.connect(node.tandem.url, token);
    open.push(b);
    return b;
  };
  const agent = () => world.agent(node);
  const queue = (channel: string, members: number[], settings: Record<string, unknown> = {}) => world.queue(node, { channel, ...settings }, members);
  async function supervisor(permissions: Record<string, string>, queueIds: number[]) {
    const username = `sup.${process.pid}_${++seq}`;
    const u = await c.post<{ id: number }>('/api/users', { role: 'supervisor', username, fullName: `Sup ${seq}`, password: 'Super-Pass1', permissions }, admin);
    expect(u.status, u.text).to.equal(201);
    const q = await c.put(`/api/users/${u.body.id}/queues`, { queueIds }, admin);
    expect(q.status, q.text).to.equal(200);
    return c.login(username, 'Super-Pass1');
  }
  const ok = async (p: Promise<{ status: number; text: string }>) => {
    const r = await p;
    expect(r.status, r.text).to.be.lessThan(300);
  };

  it('sends an admin a snapshot with agents, queues and what they may do', async () => {
    const a = await agent();
    const q = await queue('voice', [a.id]);
    const b = await board(admin);
    const s = b.snapshot!;
    expect(s.seq).to.be.a('number');
    expect(s.can).to.deep.equal({ editAgents: true, chanspy: true });
    const mine = s.agents.find((x) => x.id === a.id)!;
    expect(mine).to.include({ loggedIn: false, chanspy: true, typology: 'phonebar' });
    expect(mine.queueIds).to.deep.equal([q]);
    expect(mine.channels).to.deep.equal([{ channel: 'voice', status: 'offline', since: null, pauseReason: null, open: 0, capacity: 1 }]);
    const queueView = s.queues.find((x) => x.id === q)!;
    expect(queueView).to.include({ channel: 'voice', waiting: 0, longestWaitingSince: null, serviceLevelSec: 20, serviceLevel: null });
    expect(queueView.agents).to.deep.equal({ loggedIn: 0, ready: 0, busy: 0, paused: 0 });
  });

  it('pushes login, pause with a reason and unpause made through the API as deltas', async () => {
    const a = await agent();
    const q = await queue('voice', [a.id]);
    const b = await board(admin);
    await ok(c.post('/api/me/login', {}, a.token));
    await b.until(() => b.channel(a.id, 'voice')?.status === 'ready', 'ready after login');
    expect(b.agents.get(a.id)).to.include({ loggedIn: true, loginDevice: 'web' });
    expect(b.agents.get(a.id)!.phone.target).to.equal(`PJSIP/${b.agents.get(a.id)!.extension}`);
    await b.until(() => b.queues.get(q)?.agents.ready === 1, 'queue counts one ready agent');
    await ok(c.post('/api/me/pause', { reason: 'lunch' }, a.token));
    await b.until(() => b.channel(a.id, 'voice')?.status === 'paused', 'paused');
    expect(b.channel(a.id, 'voice')).to.include({ pauseReason: 'lunch' });
    expect(b.channel(a.id, 'voice')!.since).to.be.a('string');
    await b.until(() => b.queues.get(q)?.agents.paused === 1, 'queue counts one paused agent');
    await ok(c.post('/api/me/unpause', {}, a.token));
    await b.until(() => b.channel(a.id, 'voice')?.status === 'ready', 'ready again');
    expect(b.gaps).to.equal(0);
    expect(b.deltas.every((d, i) => d.seq === b.snapshot!.seq + i + 1)).to.equal(true);
  });

  it('coalesces a burst of 200 state changes into far fewer messages with the right final state', async () => {
    const team = await Promise.all(Array.from({ length: 20 }, () => agent()));
    await queue('chat', team.map((a) => a.id));
    for (const a of team) await ok(c.post('/api/me/login', {}, a.token));
    const b = await board(admin);
    await b.until(() => team.every((a) => b.agents.get(a.id)?.loggedIn === true), 'all logged in');
    const before = b.deltas.length;
    // 20 agents × 10 changes each, the agents in parallel: pause r0, unpause, pause r2, … unpause, pause r9.
    await Promise.all(
      team.map(async (a) => {
        for (let i = 0; i < 10; i++) {
          if (i % 2 === 0 || i === 9) await ok(c.post('/api/me/pause', { reason: `r${i}` }, a.token));
          else await ok(c.post('/api/me/unpause', {}, a.token));
        }
      }),
    );
    await b.until(() => team.every((a) => b.channel(a.id, 'chat')?.pauseReason === 'r9'), 'every agent paused with r9');
    const messages = b.deltas.length - before;
    expect(messages).to.be.greaterThan(0);
    expect(messages, `${messages} messages for 200 changes`).to.be.lessThan(50);
    for (const a of team) expect(b.channel(a.id, 'chat')).to.include({ status: 'paused', pauseReason: 'r9' });
    expect(b.gaps).to.equal(0);
  });

  it('scopes a supervisor to their queues: no agents, queues or deltas of other queues; added agents appear, removed ones leave', async () => {
    const a = await agent();
    const other = await agent();
    const qa = await queue('voice', [a.id]);
    const qb = await queue('voice', [other.id]);
    const token = await supervisor({ realtime: 'read' }, [qa]);
    const b = await board(token);
    expect(b.snapshot!.can).to.deep.equal({ editAgents: false, chanspy: false });
    expect(b.snapshot!.agents.map((x) => x.id)).to.deep.equal([a.id]);
    expect(b.snapshot!.queues.map((x) => x.id)).to.deep.equal([qa]);
    // The other agent acts first, then ours: once ours arrives, the other's would have too.
    await ok(c.post('/api/me/login', {}, other.token));
    await ok(c.post('/api/me/login', {}, a.token));
    await b.until(() => b.agents.get(a.id)?.loggedIn === true, 'own agent logged in');
    const mentionsOther = () =>
      b.deltas.some((d) => (d.agents ?? []).some((x) => x.id === other.id) || (d.queues ?? []).some((x) => x.id === qb) || (d.removed?.agents ?? []).includes(other.id));
    expect(mentionsOther()).to.equal(false);
    expect([...b.queues.keys()]).to.deep.equal([qa]);

    await ok(c.post(`/api/queues/${qa}/agents`, { agentId: other.id }, admin));
    await b.until(() => b.agents.has(other.id), 'agent added to the queue appears');
    expect(b.agents.get(other.id)!.loggedIn).to.equal(true);
    await b.until(() => b.queues.get(qa)?.agents.loggedIn === 2, 'queue counts both agents');
    await ok(c.delete(`/api/queues/${qa}/agents/${other.id}`, admin));
    await b.until(() => !b.agents.has(other.id), 'agent removed from the queue leaves');
    expect(b.deltas.some((d) => (d.removed?.agents ?? []).includes(other.id))).to.equal(true);
  });

  it('refuses users without the realtime permission and agents', async () => {
    const noRealtime = await supervisor({ staff: 'read-edit' }, []);
    const refused = await BoardClient.connect(node.tandem.url, noRealtime).then(
      () => undefined,
      (err: Error & { data?: { code: string; message: string } }) => err,
    );
    expect(refused?.message).to.equal('FORBIDDEN');
    expect(refused?.data?.message).to.match(/realtime/);
    const a = await agent();
    const asAgent = await BoardClient.connect(node.tandem.url, a.token).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(asAgent?.message).to.equal('FORBIDDEN');
    const anonymous = await BoardClient.connect(node.tandem.url, 'tds_not-a-token').then(
      () => undefined,
      (err: Error) => err,
    );
    expect(anonymous?.message).to.equal('UNAUTHENTICATED');
  });

  it('checks connected supervisors again when users change: new rights bring a new snapshot, losing the realtime permission disconnects', async () => {
    const username = `sup.${process.pid}_${++seq}`;
    const u = await c.post<{ id: number }>('/api/users', { role: 'supervisor', username, fullName: `Sup ${seq}`, password: 'Super-Pass1', permissions: { realtime: 'read' } }, admin);
    expect(u.status, u.text).to.equal(201);
    const b = await board(await c.login(username, 'Super-Pass1'));
    expect(b.snapshot!.can).to.deep.equal({ editAgents: false, chanspy: false });
    await ok(c.patch(`/api/users/${u.body.id}`, { permissions: { realtime: 'read', staff: 'read-edit' } }, admin));
    await b.until(() => b.snapshot?.can.editAgents === true, 'a snapshot with the new rights');
    expect(b.socket.connected).to.equal(true);
    const errors: { code: string }[] = [];
    b.socket.on('board:error', (e: { code: string }) => errors.push(e));
    const gone = new Promise<string>((resolve) => b.socket.once('disconnect', (reason) => resolve(reason)));
    await ok(c.patch(`/api/users/${u.body.id}`, { permissions: { staff: 'read-edit' } }, admin));
    expect(await gone).to.equal('io server disconnect');
    expect(errors.map((e) => e.code)).to.deep.equal(['FORBIDDEN']);
  });

  it("changes a queue's waiting count and longest wait when a chat is queued, and back when it is abandoned", async () => {
    const q = await queue('chat', []);
    const b = await board(admin);
    expect(b.queues.get(q)).to.include({ waiting: 0, longestWaitingSince: null });
    const e = await c.post<{ id: number; enqueuedAt: string }>(`/api/queues/${q}/entries`, { interactionRef: `chat-board-${++seq}`, caller: 'Zoe' }, admin);
    expect(e.status, e.text).to.equal(201);
    await b.until(() => b.queues.get(q)?.waiting === 1, 'one waiting');
    expect(new Date(b.queues.get(q)!.longestWaitingSince!).getTime()).to.equal(new Date(e.body.enqueuedAt).getTime());
    expect(b.queues.get(q)!.today.offered).to.equal(1);
    await ok(c.post(`/api/queue-entries/${e.body.id}/abandon`, {}, admin));
    await b.until(() => b.queues.get(q)?.waiting === 0, 'nobody waiting');
    expect(b.queues.get(q)!.today).to.include({ offered: 1, abandoned: 1, answered: 0 });
  });

  it('shows an accepted chat as busy with the interaction, then wrap-up after finish (no engine event: the state history says so), then ready', async () => {
    const a = await agent();
    const q = await queue('chat', [a.id], { wrapupSec: 1, retrySec: 0 });
    await ok(c.post('/api/me/login', {}, a.token));
    const b = await board(admin);
    const e = await c.post<{ id: number }>(`/api/queues/${q}/entries`, { interactionRef: `chat-w-${++seq}`, caller: 'Zoe' }, admin);
    expect(e.status, e.text).to.equal(201);
    const offerId = await eventually(async () => (await c.get<{ id: number }[]>('/api/me/offers', a.token)).body[0]?.id, (id) => id !== undefined, 'an offer');
    expect(offerId, 'an offer').to.be.a('number');
    await ok(c.post(`/api/offers/${offerId}/accept`, {}, a.token));
    await b.until(() => b.channel(a.id, 'chat')?.status === 'busy', 'busy');
    expect(b.channel(a.id, 'chat')).to.include({ open: 1, capacity: 0 });
    expect(b.agents.get(a.id)!.interactions).to.deep.include({ entryId: e.body.id, channel: 'chat', queueId: q, with: 'Zoe', since: b.agents.get(a.id)!.interactions[0]!.since });
    await b.until(() => b.queues.get(q)?.today.answered === 1 && b.queues.get(q)?.agents.busy === 1, 'answered today, one busy agent');
    await ok(c.post(`/api/me/entries/${e.body.id}/finish`, {}, a.token));
    await b.until(() => b.channel(a.id, 'chat')?.status === 'wrap-up', 'wrap-up');
    await b.until(() => b.channel(a.id, 'chat')?.status === 'ready', 'ready when the wrap-up is over');
    expect(b.agents.get(a.id)!.interactions).to.deep.equal([]);
  });

  it('shows a call in progress through its queue and removes it when its record closes (supervisor scoped to the queue)', async () => {
    const a = await agent();
    const q = await queue('voice', [a.id]);
    const token = await supervisor({ realtime: 'read' }, [q]);
    const b = await board(token);
    const admins = await board(admin);
    const uniqueId = `1790000000.${++seq}`;
    const callId = await openCallRecord(node.tandem.database.db, { uniqueId, channelName: 'PJSIP/carrier-0000001', direction: 'inbound', callerNumber: '+15550100', callerName: 'Zoe', did: '100', startedAt: new Date() });
    // In the IVR (no queue yet): an admin sees it, a supervisor scoped to queues does not.
    await admins.until(() => admins.calls.get(callId)?.state === 'ivr', 'the call in the IVR on the admin board');
    expect(b.calls.has(callId)).to.equal(false);
    const e = await c.post<{ id: number }>(`/api/queues/${q}/entries`, { interactionRef: uniqueId, caller: '+15550100' }, admin);
    expect(e.status, e.text).to.equal(201);
    await b.until(() => b.calls.get(callId)?.state === 'queued', 'the call queued');
    expect(b.calls.get(callId)).to.include({ queueId: q, caller: '+15550100', callerName: 'Zoe', direction: 'inbound', agentId: null, talkingSince: null });
    // Its place in line comes with what orders it (the router's order), not a position that every departure would change.
    expect(b.calls.get(callId)!.line).to.deep.include({ entryId: e.body.id, priority: 0 });
    await ok(c.post(`/api/queue-entries/${e.body.id}/abandon`, {}, admin));
    // Back in the flow (no queue): out of this supervisor's view, still on an admin's.
    await b.until(() => !b.calls.has(callId), 'the call left the queue');
    expect(b.deltas.some((d) => (d.removed?.calls ?? []).includes(callId))).to.equal(true);
    await admins.until(() => admins.calls.get(callId)?.state === 'ivr', 'the call back in the IVR on the admin board');
    await closeCallRecord(node.tandem.database.db, callId, { endedAt: new Date(), outcome: 'hangup' });
    await admins.until(() => !admins.calls.has(callId), 'the call ended');
  });

  it('gives connected pages the teams and pause reasons created after they connected', async () => {
    const b = await board(admin);
    const first = b.snapshot!;
    const reason = await c.post<{ id: number }>('/api/pause-reasons', { name: `Coaching ${process.pid}` }, admin);
    expect(reason.status, reason.text).to.equal(201);
    await b.until(() => b.snapshot!.pauseReasons.some((r) => r.id === reason.body.id), 'the new pause reason');
    const team = await c.post<{ id: number }>('/api/teams', { name: `Night ${process.pid}` }, admin);
    expect(team.status, team.text).to.equal(201);
    await b.until(() => b.snapshot!.teams.some((t) => t.id === team.body.id), 'the new team');
    expect(first.pauseReasons.some((r) => r.id === reason.body.id)).to.equal(false);
    const gone = await c.delete(`/api/pause-reasons/${reason.body.id}`, admin);
    expect(gone.status, gone.text).to.equal(204);
    await b.until(() => !b.snapshot!.pauseReasons.some((r) => r.id === reason.body.id), 'the pause reason gone');
    // A page that connects right after a change sees it, even when the periodic poll found it first.
    const late = await c.post<{ id: number }>('/api/pause-reasons', { name: `Late ${process.pid}` }, admin);
    const fresh = await board(admin);
    expect(fresh.snapshot!.pauseReasons.map((r) => r.id)).to.include(late.body.id);
  });

  it('sends a fresh snapshot on board:resync', async () => {
    const b = await board(admin);
    const first = b.snapshot!;
    b.socket.emit('board:resync');
    await b.until(() => b.snapshot !== first, 'second snapshot');
    // Numbered where its group is: the next delta follows it.
    expect(b.snapshot!.seq).to.be.at.least(first.seq);
  });

  it('answers a client looping on board:resync with one snapshot per interval, not one per request', async () => {
    const b = await board(admin);
    let snapshots = 0;
    b.socket.on('board:snapshot', () => snapshots++);
    for (let i = 0; i < 50; i++) b.socket.emit('board:resync');
    await b.until(() => snapshots >= 1, 'the throttled snapshot');
    // A second burst while one is queued adds nothing; the queued one still comes.
    for (let i = 0; i < 50; i++) b.socket.emit('board:resync');
    await b.until(() => snapshots >= 2, 'the snapshot asked for during the interval');
    expect(snapshots).to.be.at.most(3);
  });
});

describe('supervisor board on its own clock', function () {
  const clock = new VirtualClock();
  let node: TestNode;

  before(async () => {
    node = await startTestNode('postgres', {}, { boardClock: clock });
  });
  after(async () => node?.stop());

  it('checks every socket again each minute of its clock: a supervisor who logged out is told why and disconnected', async () => {
    const token = await node.client.login('admin', ADMIN_PASSWORD);
    const b = await BoardClient.connect(node.tandem.url, token);
    try {
      const told = new Promise<{ code: string; message: string }>((resolve) => b.socket.once('board:error', resolve));
      const gone = new Promise<void>((resolve) => b.socket.once('disconnect', () => resolve()));
      const logout = await node.client.post('/api/auth/logout', {}, token);
      expect(logout.status, logout.text).to.equal(204);
      // A minute on the board's clock, in no time: the periodic check runs and finds the session revoked.
      clock.advance(60_000);
      expect(await told).to.deep.equal({ code: 'UNAUTHENTICATED', message: 'Your session ended; sign in again' });
      await gone;
    } finally {
      b.close();
    }
  });
});
