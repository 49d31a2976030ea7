// Web chat on two real Tandem nodes sharing one PostgreSQL database and one Redis (TANDEM_REDIS_URL:
// socket.io's Redis adapter; CI starts redis-server in .ci/run). A visitor moved to the other node
// still talks to the bot flow running on the first, agents connected to either node get the
// messages, website changes apply on both at once, and a node that stops loses no chat: the record
// and history stay, a queued chat is still routed to an agent, a chat whose bot died can take the
// offline form.
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { createClient } from 'redis';
import { openDatabase, type Database } from '../../../server/db/database.ts';
import { queueEntries } from '../../../server/db/schema.ts';
import { startTandem, type Tandem } from '../../../server/tandem.ts';
import { createTestDatabase, quietLogger, type TestDatabase } from '../../support/database.ts';
import { ADMIN_PASSWORD, agentBody, ApiClient, testConfig } from '../../support/tandem.ts';
import { openAgentSocket, openWidget, refusal, type Widget, salesBotProject } from './support.ts';
import { eventually } from '../../support/eventually.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.TANDEM_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Msg {
  id: number;
  from: string;
  text: string;
}
interface State {
  status: string;
  agentName?: string;
}

/** Fails with a message that says what to do, rather than a timeout deep inside a node's start. */
async function assertRedisReachable(url: string): Promise<void> {
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 3000 } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new Error(`Redis is not reachable at ${url} (${err instanceof Error ? err.message : String(err)}): the multi-node chat tests need it. Start redis-server (.ci/run does) or set TEST_REDIS_URL.`, { cause: err });
  } finally {
    if (client.isOpen) client.destroy();
  }
}

const botProject = (queue: string) => salesBotProject(queue, { name: 'Cluster bot' });

describe('web chat on two nodes (PostgreSQL + Redis)', function () {
  this.timeout(60_000);
  let testDb: TestDatabase | undefined;
  let secondDb: Database | undefined;
  let nodeA: Tandem | undefined;
  let nodeB: Tandem | undefined;
  let aStopped = false;
  let A: ApiClient;
  let B: ApiClient;
  let admin: string;
  let seq = 0;
  const open: { close(): void }[] = [];

  before(async () => {
    await assertRedisReachable(REDIS_URL);
    testDb = await createTestDatabase('postgres');
    const config = testConfig({ TANDEM_REDIS_URL: REDIS_URL });
    nodeA = await startTandem(config, { database: testDb.database, logger: quietLogger(), scheduler: false, acdTickMs: 50 });
    // The second node has its own pool on the same database, as a second machine would.
    secondDb = await openDatabase({ url: testDb.url, dataDir: 'unused', poolSize: 5, connectRetries: 0, logger: quietLogger() });
    nodeB = await startTandem(config, { database: secondDb, logger: quietLogger(), scheduler: false, acdTickMs: 50 });
    A = new ApiClient(nodeA.url);
    B = new ApiClient(nodeB.url);
    admin = await A.login('admin', ADMIN_PASSWORD);
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  after(async () => {
    for (const s of open.splice(0)) s.close();
    await nodeB?.stop();
    if (!aStopped) await nodeA?.stop();
    await secondDb?.close();
    await testDb?.drop();
  });

  async function agent() {
    const body = agentBody({ capacity: { chat: 3 } });
    const created = await A.post<{ id: number }>('/api/agents', body, admin);
    expect(created.status, created.text).to.equal(201);
    const token = await A.login(String(body.username), String(body.password));
    return { id: created.body.id, token, fullName: String(body.fullName) };
  }
  async function queue(members: { id: number }[]) {
    const q = await A.post<{ id: number; name: string }>('/api/queues', { name: `MQ${++seq}-${process.pid}`, channel: 'chat', ringTimeoutSec: 30, retrySec: 0, timeoutSec: 120, strategy: 'linear' }, admin);
    expect(q.status, q.text).to.equal(201);
    for (const m of members) await A.post(`/api/queues/${q.body.id}/agents`, { agentId: m.id, penalty: 0 }, admin);
    return q.body;
  }
  async function botWebsite(queueName: string) {
    const p = await A.post<{ id: string }>('/api/ivr/projects', { name: `Cluster bot ${++seq}`, channel: 'chat', project: botProject(queueName) }, admin);
    expect(p.status, p.text).to.equal(201);
    expect((await A.post(`/api/ivr/projects/${p.body.id}/publish`, { message: 'go' }, admin)).status).to.equal(201);
    return website({ projectId: p.body.id });
  }
  async function website(body: Record<string, unknown>) {
    const w = await A.post<{ id: number; key: string }>('/api/chat/websites', { name: `Site ${++seq}`, allowedOrigins: ['https://shop.example.com'], ...body }, admin);
    expect(w.status, w.text).to.equal(201);
    return w.body;
  }
  async function widget(client: ApiClient, key: string, visitorToken?: string): Promise<Widget> {
    const w = await openWidget(client.baseUrl, key, visitorToken ? { visitorToken } : {});
    open.push(w);
    return w;
  }
  async function agentSocket(client: ApiClient, token: string) {
    const s = await openAgentSocket(client.baseUrl, token);
    open.push({ close: () => s.socket.disconnect() });
    return s;
  }
  async function acceptNext(client: ApiClient, token: string) {
    const [offer] = await eventually(() => client.get<{ id: number }[]>('/api/me/offers', token).then((r) => r.body), (o) => o.length > 0, 'an offer');
    const r = await client.post(`/api/offers/${offer!.id}/accept`, {}, token);
    expect(r.status, r.text).to.equal(200);
  }
  const history = (w: Widget) => w.events.filter((e) => e.event === 'message').map((e) => (e.data as Msg).text);

  it('carries a chat whose bot runs on node A while the visitor is on node B and the agent on both', async () => {
    const ag = await agent();
    const q = await queue([ag]);
    const w = await botWebsite(q.name);
    expect((await A.post('/api/me/login', { device: 'web' }, ag.token)).status).to.equal(200);
    const agentOnB = await agentSocket(B, ag.token);

    const onA = await widget(A, w.key);
    const started = (await onA.call<{ chatId: number }>('start', { form: { name: 'Ann' } })) as { ok: true; chatId: number };
    expect(started.ok).to.equal(true);
    const chatId = started.chatId;
    await onA.next<Msg>('message', (m) => m.text === 'Sales or support?');
    expect(nodeA!.services.chat!.runs(chatId)).to.equal(true);
    expect(nodeB!.services.chat!.runs(chatId)).to.equal(false);

    // The page reloads and lands on node B: history from PostgreSQL, the bot's state from node A.
    onA.close();
    const onB = await widget(B, w.key, onA.session.visitorToken);
    expect(onB.session.chatId).to.equal(chatId);
    expect(await onB.next<State>('state')).to.deep.equal({ status: 'bot' });
    expect(history(onB)).to.include('Sales or support?');

    // The answer typed on node B reaches the flow on node A, whose Queue block queues the chat.
    expect((await onB.call('message', { text: 'Sales', quickReplyId: 'sales' })).ok).to.equal(true);
    await onB.next<State>('state', (s) => s.status === 'queued');
    const offer = await agentOnB.next<{ interactionRef: string }>('acd:offer');
    expect(offer.interactionRef).to.equal(`chat:${chatId}`);
    await acceptNext(A, ag.token);
    expect((await onB.next<State>('state', (s) => s.status === 'connected')).agentName).to.equal(ag.fullName);

    // Agent (REST on A) → visitor (on B); visitor (on B) → agent's socket (on B); typing likewise.
    expect((await A.post(`/api/interactions/${chatId}/messages`, { text: 'Hello from A' }, ag.token)).status).to.equal(201);
    expect((await onB.next<Msg>('message', (m) => m.from === 'agent')).text).to.equal('Hello from A');
    expect((await onB.call('message', { text: 'Hi from B' })).ok).to.equal(true);
    const got = await agentOnB.next<{ interactionId: number; message: Msg }>('chat:message', (e) => e.message.text === 'Hi from B');
    expect(got.interactionId).to.equal(chatId);
    const agentOnA = await agentSocket(A, ag.token);
    await onB.call('typing', { typing: true });
    expect(await agentOnA.next('chat:typing')).to.deep.equal({ interactionId: chatId, typing: true });

    // Closed on node B: the visitor hears it, and node A's flow lets the chat go.
    expect((await B.post(`/api/interactions/${chatId}/close`, { disposition: 'done' }, ag.token)).status).to.equal(200);
    await onB.next<State>('state', (s) => s.status === 'closed');
    await eventually(async () => nodeA!.services.chat!.runs(chatId), (r) => r === false, 'node A to release the chat');
  });

  it('applies a website change made on node A to node B at once', async () => {
    const w = await website({});
    // Node B has the website cached from this connection.
    await widget(B, w.key);
    const patched = await A.patch(`/api/chat/websites/${w.id}`, { allowedOrigins: ['https://other.example.com'] }, admin);
    expect(patched.status, patched.text).to.equal(200);
    // Node B's cache would keep the old origins for its 5 s TTL: only the relay over Redis makes it
    // refuse within the 2.5 s this waits.
    const answer = await eventually(() => refusal(B.baseUrl, w.key), (a) => a === 'ORIGIN_NOT_ALLOWED', 'node B to refuse the old origin', { timeoutMs: 2500, everyMs: 25 });
    expect(answer).to.equal('ORIGIN_NOT_ALLOWED');
    expect(await refusal(B.baseUrl, w.key, { origin: 'https://other.example.com' })).to.equal('connected');
  });

  it('loses no chat when node A stops: history, queue place and the offline form stay on node B', async () => {
    const ag = await agent();
    const q = await queue([ag]); // the agent is not logged in yet: the chat waits in the queue
    const queued = await website({ queueId: q.id });
    const bot = await botWebsite(q.name);

    const v1 = await widget(A, queued.key);
    const s1 = (await v1.call<{ chatId: number }>('start', { form: { name: 'Queued' } })) as { ok: true; chatId: number };
    await v1.next<State>('state', (s) => s.status === 'queued');
    expect((await v1.call('message', { text: 'anyone there?' })).ok).to.equal(true);
    const v2 = await widget(A, bot.key);
    const s2 = (await v2.call<{ chatId: number }>('start', { form: { name: 'Botted' } })) as { ok: true; chatId: number };
    await v2.next<Msg>('message', (m) => m.text === 'Sales or support?');

    await nodeA!.stop();
    aStopped = true;

    // The queued chat: history and state on node B, still in the queue, taken by an agent there.
    const back1 = await widget(B, queued.key, v1.session.visitorToken);
    expect(back1.session.chatId).to.equal(s1.chatId);
    expect(await back1.next<State>('state')).to.deep.equal({ status: 'queued' });
    expect(history(back1)).to.include('anyone there?');
    const [row] = await secondDb!.db.select().from(queueEntries).where(eq(queueEntries.interactionRef, `chat:${s1.chatId}`));
    expect(row?.status).to.be.oneOf(['waiting', 'offered']);
    expect((await B.post('/api/me/login', { device: 'web' }, ag.token)).status).to.equal(200);
    const agentOnB = await agentSocket(B, ag.token);
    await acceptNext(B, ag.token);
    await back1.next<State>('state', (s) => s.status === 'connected');
    expect((await B.post(`/api/interactions/${s1.chatId}/messages`, { text: 'I am here' }, ag.token)).status).to.equal(201);
    expect((await back1.next<Msg>('message', (m) => m.from === 'agent')).text).to.equal('I am here');
    await back1.call('message', { text: 'great' });
    await agentOnB.next('chat:message', (e: { message: Msg }) => e.message.text === 'great');

    // The chat whose bot died with node A: the visitor is offered the offline form, and the message stays.
    const back2 = await widget(B, bot.key, v2.session.visitorToken);
    expect(await back2.next<State>('state')).to.deep.equal({ status: 'offline' });
    expect(history(back2)).to.include('Sales or support?');
    expect(await back2.call('offline', { form: { name: 'Botted' }, message: 'call me back' })).to.deep.equal({ ok: true, chatId: s2.chatId });
    const pending = await B.get<{ id: number }[]>('/api/interactions?status=pending', admin);
    expect(pending.body.map((i) => i.id)).to.include(s2.chatId);
  });
});
