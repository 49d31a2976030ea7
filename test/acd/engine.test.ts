// The queue engine over real PostgreSQL, through the HTTP API as agents and admins use it: offers
// and accept/reject, the capacity / tab-limit / pause rules, timeouts and overflow with one report
// row per queue passage, abandon, restart with entries waiting, two engines on one database.
import { expect } from 'chai';
import { asc, eq, sql } from 'drizzle-orm';
import { ApiClient, startTestNode, testConfig, type ErrorBody, type TestNode } from '../support/tandem.ts';
import { offers, queueReports } from '../../server/db/schema.ts';
import { AcdEngine } from '../../server/acd/engine.ts';
import { routingCore } from '../../server/acd/routing-adapter.ts';
import { openDatabase } from '../../server/db/database.ts';
import { quietLogger } from '../support/database.ts';
import { startTandem } from '../../server/tandem.ts';
import { login } from '../../server/acd/presence.ts';
import { io as ioClient, type Socket } from 'socket.io-client';
import { eventually } from '../support/eventually.ts';
import * as world from '../support/world.ts';
import type { Member } from '../support/world.ts';

interface Offer {
  id: number;
  entryId: number;
  agentId: number;
  status: string;
}
interface Entry {
  id: number;
  status: string;
  agentId: number | null;
}

describe('queue engine', function () {
  let node: TestNode;
  let c: ApiClient;
  let admin: string;
  let seq = 0;

  before(async () => {
    node = await startTestNode('postgres', {}, { acdTickMs: 50 });
    c = node.client;
    admin = node.adminToken;
  });
  after(async () => node?.stop());

  const agent = (overrides: Record<string, unknown> = {}) => world.agent(node, overrides);
  const queue = (settings: Record<string, unknown>, members: Member[]) => world.queue(node, { ringTimeoutSec: 30, retrySec: 0, ...settings }, members);
  const enqueue = async (queueId: number, extra: Record<string, unknown> = {}) => {
    const r = await c.post<Entry>(`/api/queues/${queueId}/entries`, { interactionRef: `chat-${++seq}`, ...extra }, admin);
    expect(r.status, r.text).to.equal(201);
    return r.body;
  };
  const offersOf = (token: string) => c.get<Offer[]>('/api/me/offers', token).then((r) => r.body);
  const entry = (id: number) => c.get<Entry>(`/api/queue-entries/${id}`, admin).then((r) => r.body);
  const reports = (entryId: number) => node.tandem.database.db.select().from(queueReports).where(eq(queueReports.entryId, entryId));

  it('offers a waiting chat to a ready agent, who accepts; the report row says accepted with the agent', async () => {
    const a = await agent();
    const q = await queue({ strategy: 'linear' }, [a]);
    await c.post('/api/me/login', { device: 'web' }, a.token);
    const e = await enqueue(q);
    const [offer] = await eventually(() => offersOf(a.token), (o) => o.length === 1, 'an offer');
    expect(offer!.entryId).to.equal(e.id);
    const accepted = await c.post<Entry>(`/api/offers/${offer!.id}/accept`, undefined, a.token);
    expect(accepted.status, accepted.text).to.equal(200);
    expect(accepted.body).to.include({ status: 'accepted', agentId: a.id });
    const again = await c.post<ErrorBody>(`/api/offers/${offer!.id}/accept`, undefined, a.token);
    expect(again.status).to.equal(409);
    const rows = await reports(e.id);
    expect(rows.map((r) => [r.reason, r.userId, r.channel])).to.deep.equal([['accepted', a.id, 'chat']]);
  });

  it('never offers to a paused agent, and explains why in the routing decisions', async () => {
    const paused = await agent();
    const ready = await agent();
    const q = await queue({ strategy: 'linear' }, [paused, ready]);
    await c.post('/api/me/login', {}, paused.token);
    await c.post('/api/me/login', {}, ready.token);
    await c.post('/api/me/pause', { reason: 'lunch', channels: ['chat'] }, paused.token);
    const e = await enqueue(q);
    await eventually(() => offersOf(ready.token), (o) => o.length === 1, 'an offer to the ready agent');
    expect(await offersOf(paused.token)).to.deep.equal([]);
    const decisions = await c.get<{ considered: { agentId: number; eligible: boolean; reason?: string; detail?: string }[] }[]>(`/api/queue-entries/${e.id}/decisions`, admin);
    const first = decisions.body[0]!.considered;
    expect(first.find((x) => x.agentId === paused.id)).to.include({ eligible: false, reason: 'paused' });
    expect(first.find((x) => x.agentId === ready.id)).to.include({ eligible: true });
  });

  it('respects per-channel capacity: an agent at capacity is skipped, and with nobody else the entry times out', async () => {
    const a = await agent({ capacity: { chat: 1 } });
    const q = await queue({ strategy: 'linear' }, [a]);
    await c.post('/api/me/login', {}, a.token);
    const first = await enqueue(q);
    const [offer] = await eventually(() => offersOf(a.token), (o) => o.length === 1, 'first offer');
    await c.post(`/api/offers/${offer!.id}/accept`, undefined, a.token);
    const second = await enqueue(q, { timeoutSec: 1 });
    const ended = await eventually(() => entry(second.id), (x) => x.status === 'timeout', 'timeout');
    expect(ended.agentId).to.equal(null);
    expect((await reports(second.id)).map((r) => r.reason)).to.deep.equal(['timeout']);
    const decisions = await c.get<{ considered: { agentId: number; reason?: string }[] }[]>(`/api/queue-entries/${second.id}/decisions`, admin);
    expect(decisions.body[0]!.considered[0]).to.include({ agentId: a.id, reason: 'at-capacity' });
    // The first chat closes: the slot frees and the agent can take chats again.
    expect((await c.post(`/api/me/entries/${first.id}/finish`, undefined, a.token)).status).to.equal(204);
    const third = await enqueue(q);
    await eventually(() => offersOf(a.token), (o) => o.some((x) => x.entryId === third.id), 'offer after the slot freed');
  });

  it('respects the global max open tabs before capacity', async () => {
    await c.patch('/api/settings', { maxOpenTabs: 1 }, admin);
    try {
      const a = await agent({ capacity: { chat: 5 } });
      const q = await queue({ strategy: 'linear' }, [a]);
      await c.post('/api/me/login', {}, a.token);
      await enqueue(q);
      const [offer] = await eventually(() => offersOf(a.token), (o) => o.length === 1, 'first offer');
      await c.post(`/api/offers/${offer!.id}/accept`, undefined, a.token);
      const second = await enqueue(q, { timeoutSec: 1 });
      await eventually(() => entry(second.id), (x) => x.status === 'timeout', 'timeout');
      const decisions = await c.get<{ considered: { reason?: string }[] }[]>(`/api/queue-entries/${second.id}/decisions`, admin);
      expect(decisions.body[0]!.considered[0]!.reason).to.equal('at-tab-limit');
    } finally {
      await c.patch('/api/settings', { maxOpenTabs: 0 }, admin);
    }
  });

  it('overflows from one queue to another with one report row per queue', async () => {
    const a = await agent();
    const empty = await queue({ strategy: 'linear' }, []);
    const backup = await queue({ strategy: 'linear' }, [a]);
    await c.post('/api/me/login', {}, a.token);
    const ref = `overflow-${process.pid}`;
    const e1 = await c.post<Entry>(`/api/queues/${empty}/entries`, { interactionRef: ref, timeoutSec: 1 }, admin);
    await eventually(() => entry(e1.body.id), (x) => x.status === 'timeout', 'first queue timeout');
    const e2 = await c.post<Entry>(`/api/queues/${backup}/entries`, { interactionRef: ref }, admin);
    const [offer] = await eventually(() => offersOf(a.token), (o) => o.some((x) => x.entryId === e2.body.id), 'offer in second queue');
    await c.post(`/api/offers/${offer!.id}/accept`, undefined, a.token);
    const rows = await node.tandem.database.db.select().from(queueReports).where(eq(queueReports.interactionRef, ref)).orderBy(asc(queueReports.id));
    expect(rows.map((r) => [r.queueId, r.reason, r.userId])).to.deep.equal([
      [empty, 'timeout', null],
      [backup, 'accepted', a.id],
    ]);
    const view = await node.tandem.database.db.execute(sql`select reason from report_chat_queue where interaction_ref = ${ref} order by id`);
    expect((view as unknown as { rows: { reason: string }[] }).rows.map((r) => r.reason)).to.deep.equal(['timeout', 'accepted']);
  });

  it('records abandon while waiting, and a rejected offer goes to the next agent', async () => {
    const a = await agent();
    const b = await agent();
    const q = await queue({ strategy: 'linear' }, [a, b]);
    await c.post('/api/me/login', {}, a.token);
    await c.post('/api/me/login', {}, b.token);
    const e = await enqueue(q);
    const [offerA] = await eventually(() => offersOf(a.token), (o) => o.length === 1, 'offer to a');
    expect((await c.post(`/api/offers/${offerA!.id}/reject`, undefined, a.token)).status).to.equal(204);
    await eventually(() => offersOf(b.token), (o) => o.some((x) => x.entryId === e.id), 'offer moves to b');
    const abandoned = await c.post<Entry>(`/api/queue-entries/${e.id}/abandon`, undefined, admin);
    expect(abandoned.body.status).to.equal('abandoned');
    expect(await offersOf(b.token)).to.deep.equal([]);
    expect((await reports(e.id)).map((r) => r.reason)).to.deep.equal(['abandoned']);
    expect((await c.post<ErrorBody>(`/api/queue-entries/${e.id}/abandon`, undefined, admin)).status).to.equal(409);
  });

  it('keeps waiting entries across a restart, in their order', async () => {
    const a = await agent();
    const q = await queue({ strategy: 'linear' }, [a]);
    const entries = [await enqueue(q), await enqueue(q, { priority: 5 }), await enqueue(q)];
    // A new node over the same database (the old one keeps running: a restart of another node).
    const second = await startTandem(testConfig(), { database: node.tandem.database, logger: quietLogger(), scheduler: false, acdTickMs: 50 });
    try {
      const other = new ApiClient(second.url);
      await other.post('/api/me/login', {}, a.token);
      const order: number[] = [];
      for (let i = 0; i < 3; i++) {
        const [offer] = await eventually(() => offersOf(a.token), (o) => o.length === 1, `offer ${i + 1}`);
        order.push(offer!.entryId);
        await other.post(`/api/offers/${offer!.id}/accept`, undefined, a.token);
        await other.post(`/api/me/entries/${offer!.entryId}/finish`, undefined, a.token);
      }
      expect(order).to.deep.equal([entries[1]!.id, entries[0]!.id, entries[2]!.id]);
    } finally {
      await second.stop();
    }
  });

  it('routes to the agents of a team added to the queue, with the better penalty when also a direct member', async () => {
    const viaTeam = await agent();
    const direct = await agent();
    const team = await c.post<{ id: number }>('/api/teams', { name: `Night shift ${process.pid}` }, admin);
    await c.put(`/api/teams/${team.body.id}/agents`, { agentIds: [viaTeam.id, direct.id] }, admin);
    const q = await queue({ strategy: 'linear' }, [{ id: direct.id, penalty: 5 }]);
    const added = await c.post<{ teamId: number; penalty: number }>(`/api/queues/${q}/teams`, { teamId: team.body.id, penalty: 1 }, admin);
    expect(added.body).to.deep.equal({ teamId: team.body.id, penalty: 1 });
    expect((await c.get<{ teamId: number }[]>(`/api/queues/${q}/teams`, admin)).body.map((t) => t.teamId)).to.deep.equal([team.body.id]);
    await c.post('/api/me/login', {}, viaTeam.token);
    const e = await enqueue(q);
    await eventually(() => offersOf(viaTeam.token), (o) => o.some((x) => x.entryId === e.id), 'offer to the team member');
    const decisions = await c.get<{ considered: { agentId: number; penalty: number }[] }[]>(`/api/queue-entries/${e.id}/decisions`, admin);
    const penalties = Object.fromEntries(decisions.body[0]!.considered.map((x) => [x.agentId, x.penalty]));
    expect(penalties).to.deep.equal({ [viaTeam.id]: 1, [direct.id]: 1 });
    expect((await c.delete(`/api/queues/${q}/teams/${team.body.id}`, admin)).status).to.equal(204);
    expect((await c.delete(`/api/queues/${q}/teams/${team.body.id}`, admin)).status).to.equal(404);
  });

  it('refuses a full queue (max waiting) with 409 full', async () => {
    const a = await agent();
    const q = await queue({ strategy: 'linear', maxWaiting: 1 }, [a]);
    await enqueue(q);
    const refused = await c.post<ErrorBody>(`/api/queues/${q}/entries`, { interactionRef: 'one-too-many' }, admin);
    expect(refused.status).to.equal(409);
    expect(refused.body.error.details.outcome).to.equal('full');
  });

  it('holds offers during wrap-up, then offers again', async () => {
    const a = await agent();
    const q = await queue({ strategy: 'linear', wrapupSec: 1 }, [a]);
    await c.post('/api/me/login', {}, a.token);
    const first = await enqueue(q);
    const [offer] = await eventually(() => offersOf(a.token), (o) => o.some((x) => x.entryId === first.id), 'first offer');
    await c.post(`/api/offers/${offer!.id}/accept`, undefined, a.token);
    await c.post(`/api/me/entries/${first.id}/finish`, undefined, a.token);
    const second = await enqueue(q);
    const decisions = await eventually(
      () => c.get<{ considered: { reason?: string }[] }[]>(`/api/queue-entries/${second.id}/decisions`, admin).then((r) => r.body),
      (d) => d.length > 0,
      'a decision during wrap-up',
    );
    expect(decisions[0]!.considered[0]!.reason).to.equal('in-wrapup');
    await eventually(() => offersOf(a.token), (o) => o.some((x) => x.entryId === second.id), 'offer after wrap-up');
    const history = await c.get<{ state: string }[]>(`/api/agents/${a.id}/state-history`, admin);
    expect(history.body.map((h) => h.state).slice(0, 3)).to.deep.equal(['wrapup', 'busy', 'login']);
  });

  it('lets waiting interactions leave when the queue empties (leave when empty)', async () => {
    const a = await agent();
    const q = await queue({ strategy: 'linear', leaveWhenEmpty: 'yes' }, [a]);
    await c.post('/api/me/login', {}, a.token);
    await c.post('/api/me/pause', { reason: 'lunch', channels: ['chat'] }, a.token);
    const e = await enqueue(q);
    const ended = await eventually(() => entry(e.id), (x) => x.status === 'timeout', 'left the queue');
    expect(ended.status).to.equal('timeout');
    expect((await reports(e.id)).map((r) => r.reason)).to.deep.equal(['timeout']);
  });

  it('pushes offers to the agent and presence and queue changes to supervisors over socket.io', async () => {
    const a = await agent();
    const q = await queue({ strategy: 'linear' }, [a]);
    const connect = (token: string) =>
      new Promise<Socket>((resolve, reject) => {
        const s = ioClient(node.tandem.url, { auth: { token }, transports: ['websocket'], reconnection: false });
        s.once('hello', () => resolve(s));
        s.once('connect_error', reject);
      });
    const agentSocket = await connect(a.token);
    const adminSocket = await connect(admin);
    try {
      const seen: string[] = [];
      adminSocket.on('acd:presence', (p: { agentId: number; loggedIn: boolean }) => p.agentId === a.id && seen.push(`presence:${p.loggedIn}`));
      adminSocket.on('acd:entry', (e: { queueId: number; status: string }) => e.queueId === q && seen.push(`entry:${e.status}`));
      const offered = new Promise<{ offerId: number; entryId: number; channel: string }>((resolve) => agentSocket.once('acd:offer', resolve));
      await c.post('/api/me/login', {}, a.token);
      const e = await enqueue(q);
      const offer = await offered;
      expect(offer).to.include({ entryId: e.id, channel: 'chat' });
      await c.post(`/api/offers/${offer.offerId}/accept`, undefined, a.token);
      await eventually(async () => seen, (x) => x.includes('entry:accepted'), 'supervisor events');
      expect(seen.slice(0, 3)).to.deep.equal(['presence:true', 'entry:waiting', 'entry:accepted']);
    } finally {
      agentSocket.close();
      adminSocket.close();
    }
  });

  it('auto-answers for an agent with auto-answer on the channel, after the delay', async () => {
    const a = await agent({ autoAnswer: { chat: { enabled: true, delaySeconds: 0 } } });
    const q = await queue({ strategy: 'linear' }, [a]);
    await c.post('/api/me/login', {}, a.token);
    const e = await enqueue(q);
    const accepted = await eventually(() => entry(e.id), (x) => x.status === 'accepted', 'auto-answer');
    expect(accepted.agentId).to.equal(a.id);
  });

  it('never auto-answers with beepall', async () => {
    const a = await agent({ autoAnswer: { chat: { enabled: true, delaySeconds: 0 } } });
    const q = await queue({ strategy: 'beepall' }, [a]);
    await c.post('/api/me/login', {}, a.token);
    const e = await enqueue(q);
    await eventually(() => offersOf(a.token), (o) => o.some((x) => x.entryId === e.id), 'offer');
    // Deliberate: time past the zero auto-answer delay, to prove beepall does not answer by itself.
    await new Promise((r) => setTimeout(r, 200));
    expect((await entry(e.id)).status).to.equal('offered');
  });

  it('a second login from another device replaces the first and is recorded', async () => {
    const a = await agent();
    await c.post('/api/me/login', { device: 'web' }, a.token);
    const second = await c.post<{ device: string }>('/api/me/login', { device: 'phonebar' }, a.token);
    expect(second.body.device).to.equal('phonebar');
    const history = await c.get<{ state: string; details: { device?: string; replaced?: string } }[]>(`/api/agents/${a.id}/state-history`, admin);
    expect(history.body[0]).to.deep.include({ state: 'login', details: { device: 'phonebar', replaced: 'web' } });
  });

  it('two engines on one database never offer one interaction twice', async function () {
    this.timeout(60_000);
    const db2 = await openDatabase({ url: node.testDb.url, dataDir: 'unused', poolSize: 5, connectRetries: 0, logger: quietLogger() });
    const engines = [
      new AcdEngine({ db: node.tandem.database.db, logger: quietLogger(), core: routingCore }),
      new AcdEngine({ db: db2.db, logger: quietLogger(), core: routingCore }),
    ];
    try {
      await node.tandem.acd.stop();
      const members = [];
      for (let i = 0; i < 10; i++) members.push(await agent());
      const q = await queue({ strategy: 'rrmemory', ringTimeoutSec: 600 }, members);
      for (const m of members) await login(node.tandem.database.db, m.id, { device: 'web' });
      const ids: number[] = [];
      for (let i = 0; i < 30; i++) {
        const r = await engines[i % 2]!.enqueue({ queueId: q, interactionRef: `race-${i}-${process.pid}` });
        if (r.ok) ids.push(r.entry.id);
      }
      await Promise.all([engines[0]!.pass(), engines[1]!.pass(), engines[0]!.pass(), engines[1]!.pass()]);
      const rows = await node.tandem.database.db.select().from(offers).where(sql`${offers.entryId} in ${ids}`);
      const perEntry = new Map<number, number>();
      const perAgent = new Map<number, number>();
      for (const o of rows) {
        perEntry.set(o.entryId, (perEntry.get(o.entryId) ?? 0) + 1);
        perAgent.set(o.agentId, (perAgent.get(o.agentId) ?? 0) + 1);
      }
      expect(rows.length).to.equal(10); // ten agents, one chat offer pending each
      expect([...perEntry.values()].every((n) => n === 1)).to.equal(true);
      expect([...perAgent.values()].every((n) => n === 1)).to.equal(true);
    } finally {
      await Promise.all(engines.map((e) => e.stop()));
      await db2.close();
      node.tandem.acd.start();
    }
  });
});
