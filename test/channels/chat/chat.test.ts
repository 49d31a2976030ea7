// Web chat end to end over real PostgreSQL and real socket.io: websites and the snippet, a visitor
// talking to a bot flow, queued, taken by an agent, messages and files both ways, close with a
// disposition and the journey; the offline path; reconnect by token; refusals (origin, token,
// flooding, size, type); capacity with three chats and a limit of two.
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { agentBody, ApiClient, startTestNode, type ErrorBody, type TestNode } from '../../support/tandem.ts';
import { calls, interactions, messages, queueEntries, queueReports } from '../../../server/db/schema.ts';
import { openAgentSocket, openWidget, ORIGIN, refusal, salesBotProject, TINY_PNG } from './support.ts';
import { eventually } from '../../support/eventually.ts';
import { postWebsite } from '../../support/dispositions.ts';

interface Website {
  id: number;
  key: string;
  name: string;
  allowedOrigins: string[];
  maxFileBytes: number;
  allowedFileTypes: string[];
}
interface Offer {
  id: number;
  entryId: number;
}
interface Msg {
  id: number;
  from: string;
  text: string;
  quickReplies?: { id: string; label: string }[];
  attachment?: { id: number; name: string; size: number; type: string; url: string };
}

const botProject = (queue: string) => salesBotProject(queue, { name: 'Chat bot', greeting: 'Hi <b>there</b>', timeoutSec: 30 });

describe('web chat', function () {
  this.timeout(30_000);
  let node: TestNode;
  let c: ApiClient;
  let admin: string;
  let seq = 0;
  const open: { close(): void }[] = [];

  before(async () => {
    node = await startTestNode('postgres', {}, { acdTickMs: 50 });
    c = node.client;
    admin = node.adminToken;
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  after(async () => node?.stop());

  async function agent(overrides: Record<string, unknown> = {}) {
    const body = agentBody(overrides);
    const a = await c.post<{ id: number }>('/api/agents', body, admin);
    expect(a.status, a.text).to.equal(201);
    const token = await c.login(String(body.username), String(body.password));
    return { id: a.body.id, token, fullName: String(body.fullName) };
  }
  async function queue(settings: Record<string, unknown>, members: { id: number }[]) {
    const q = await c.post<{ id: number; name: string }>('/api/queues', { name: `CQ${++seq}-${process.pid}`, channel: 'chat', ringTimeoutSec: 30, retrySec: 0, ...settings }, admin);
    expect(q.status, q.text).to.equal(201);
    for (const m of members) await c.post(`/api/queues/${q.body.id}/agents`, { agentId: m.id, penalty: 0 }, admin);
    return q.body;
  }
  async function website(body: Record<string, unknown>) {
    const w = await postWebsite<Website>(c, admin, { name: `Shop ${++seq}`, allowedOrigins: [ORIGIN], ...body });
    expect(w.status, w.text).to.equal(201);
    return w.body;
  }
  async function widget(key: string, opts: { origin?: string; visitorToken?: string } = {}) {
    const w = await openWidget(c.baseUrl, key, opts);
    open.push(w);
    return w;
  }
  async function agentSocket(token: string) {
    const s = await openAgentSocket(c.baseUrl, token);
    open.push({ close: () => s.socket.disconnect() });
    return s;
  }
  const offersOf = (token: string) => c.get<Offer[]>('/api/me/offers', token).then((r) => r.body);
  async function acceptNext(token: string) {
    const [offer] = await eventually(() => offersOf(token), (o) => o.length > 0, 'an offer');
    const r = await c.post(`/api/offers/${offer!.id}/accept`, {}, token);
    expect(r.status, r.text).to.equal(200);
    return offer!;
  }
  const upload = (token: string, id: number, bytes: Uint8Array, name: string, type: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    return fetch(`${c.baseUrl}/api/interactions/${id}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  };

  it('manages websites with validation and gives a snippet', async () => {
    const w = await website({ appearance: { title: 'Help', greeting: 'Hello!', color: '#112233', position: 'left' }, dispositions: ['sold', 'info'] });
    expect(w.key).to.match(/^[A-Za-z0-9_-]{24}$/);
    const bad = await c.post<ErrorBody>('/api/chat/websites', { name: 'Bad', allowedOrigins: ['https://x.example.com/path'] }, admin);
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.fields?.[0]?.field).to.equal('allowedOrigins.0');
    const dup = await c.post<ErrorBody>('/api/chat/websites', { name: w.name.toUpperCase() }, admin);
    expect(dup.status).to.equal(409);
    const patched = await c.patch<Website & { appearance: { title: string } }>(`/api/chat/websites/${w.id}`, { appearance: { title: 'Support' }, maxFileBytes: 1000 }, admin);
    expect(patched.status, patched.text).to.equal(200);
    expect(patched.body.appearance.title).to.equal('Support');
    expect(patched.body.maxFileBytes).to.equal(1000);
    expect(patched.body.allowedOrigins).to.deep.equal([ORIGIN]);
    const snippet = await c.get<{ snippet: string }>(`/api/chat/websites/${w.id}/snippet`, admin);
    expect(snippet.body.snippet).to.match(/^<script src="http:\/\/[^"]+\/chat\/tandem-chat\.js" data-tandem-key="[A-Za-z0-9_-]{24}" async><\/script>$/);
    expect(snippet.body.snippet).to.include(w.key);
    const a = await agent();
    expect((await c.get(`/api/chat/websites`, a.token)).status).to.equal(403);
    expect((await c.delete(`/api/chat/websites/${w.id}`, admin)).status).to.equal(204);
    expect((await c.get(`/api/chat/websites/${w.id}`, admin)).status).to.equal(404);
  });

  it('merges a website PATCH one level deep: arrays replaced whole, null back to the default', async () => {
    interface Full extends Website {
      queueId: number | null;
      appearance: { title: string; greeting: string; color: string; position: string };
      proactive: { afterSeconds: number | null; onMouseOver: boolean };
      offlineForm: { enabled: boolean; title: string; fields: { name: string; label: string }[] };
      cannedAnswers: { title: string; text: string }[];
    }
    const q = await queue({}, []);
    const w = await website({
      allowedOrigins: [ORIGIN, 'https://two.example.com'],
      queueId: q.id,
      appearance: { title: 'Help', greeting: 'Hello!', color: '#112233', position: 'left' },
      proactive: { afterSeconds: 30, onMouseOver: true },
      offlineForm: { enabled: false, title: 'Later', fields: [{ name: 'email', label: 'E-mail', type: 'email', required: true }] },
      cannedAnswers: [{ title: 'Hi', text: 'Hello' }],
      maxFileBytes: 1000,
    });
    const patch = async (body: unknown) => {
      const r = await c.patch<Full>(`/api/chat/websites/${w.id}`, body, admin);
      expect(r.status, r.text).to.equal(200);
      return r.body;
    };
    let got = await patch({ appearance: { title: 'Support' } });
    expect(got.appearance).to.deep.equal({ title: 'Support', greeting: 'Hello!', color: '#112233', position: 'left' });
    expect(got.proactive).to.deep.equal({ afterSeconds: 30, onMouseOver: true });
    got = await patch({ proactive: { afterSeconds: null }, offlineForm: { fields: [{ name: 'phone', label: 'Phone' }] } });
    expect(got.proactive).to.deep.equal({ afterSeconds: null, onMouseOver: true });
    expect(got.offlineForm).to.deep.equal({ enabled: false, title: 'Later', fields: [{ name: 'phone', label: 'Phone', type: 'text', required: false }] });
    got = await patch({ allowedOrigins: ['https://three.example.com'], appearance: { greeting: null } });
    expect(got.allowedOrigins).to.deep.equal(['https://three.example.com']);
    expect(got.appearance).to.deep.equal({ title: 'Support', greeting: '', color: '#112233', position: 'left' });
    got = await patch({ appearance: null, maxFileBytes: null, queueId: null });
    expect(got.appearance).to.deep.equal({ title: 'Chat with us', greeting: '', color: '#1e88e5', position: 'right' });
    expect(got.maxFileBytes).to.equal(512_000);
    expect(got.queueId).to.equal(null);
    // what the PATCHes never named is as created
    expect(got.cannedAnswers).to.deep.equal([{ title: 'Hi', text: 'Hello' }]);
    expect(got.name).to.equal(w.name);
    // bad input: named by its path, nothing stored
    for (const [body, field] of [
      [{ appearance: { color: 'red' } }, 'appearance.color'],
      [{ appearance: { font: 'Comic' } }, 'appearance'],
      [{ proactive: { afterSeconds: 0 } }, 'proactive.afterSeconds'],
      [{ name: null }, 'name'],
      [{ offlineForm: { fields: [{ name: '1bad', label: 'x' }] } }, 'offlineForm.fields.0.name'],
      [{ nope: true }, '(body)'],
    ] as const) {
      const bad = await c.patch<ErrorBody>(`/api/chat/websites/${w.id}`, body, admin);
      expect(bad.status, JSON.stringify(body)).to.equal(400);
      expect(bad.body.error.details.fields?.map((f) => f.field), JSON.stringify(body)).to.include(field);
    }
    expect((await c.get<Full>(`/api/chat/websites/${w.id}`, admin)).body).to.deep.equal(got);
  });

  it('refuses a wrong origin, an unknown key, and another website\'s or a forged visitor token', async () => {
    const w1 = await website({});
    const w2 = await website({});
    expect(await refusal(c.baseUrl, w1.key, { origin: 'https://evil.example.com' })).to.equal('ORIGIN_NOT_ALLOWED');
    expect(await refusal(c.baseUrl, 'no-such-key-000000000000')).to.equal('UNKNOWN_WEBSITE');
    const v1 = await widget(w1.key);
    expect(await refusal(c.baseUrl, w2.key, { visitorToken: v1.session.visitorToken })).to.equal('INVALID_VISITOR_TOKEN');
    expect(await refusal(c.baseUrl, w1.key, { visitorToken: 'A'.repeat(43) })).to.equal('INVALID_VISITOR_TOKEN');
    // Without a chat, a visitor cannot send anything.
    const r = await v1.call('message', { text: 'hi' });
    expect(r).to.deep.include({ ok: false });
  });

  it('opens socket.io cross-origin (no credentials) only to the origins of chat websites', async () => {
    await website({ allowedOrigins: ['https://cors.example.com'] });
    const poll = (origin: string) => fetch(`${c.baseUrl}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    const allowed = await poll('https://cors.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).to.equal('https://cors.example.com');
    expect(allowed.headers.get('access-control-allow-credentials')).to.equal(null);
    await allowed.text();
    const other = await poll('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).to.equal(null);
    await other.text();
  });

  it('runs the bot flow, queues, connects an agent, carries messages, files, notes and closes with a disposition', async () => {
    const a = await agent({ capacity: { chat: 2 } });
    const q = await queue({ strategy: 'linear' }, [a]);
    const p = await c.post<{ id: string }>('/api/ivr/projects', { name: `Bot ${++seq}`, channel: 'chat', project: botProject(q.name) }, admin);
    expect(p.status, p.text).to.equal(201);
    expect((await c.post(`/api/ivr/projects/${p.body.id}/publish`, { message: 'go' }, admin)).status).to.equal(201);
    const w = await website({ projectId: p.body.id, dispositions: ['sold', 'info'], cannedAnswers: [{ title: 'Hi', text: 'Hello, how can I help?' }], maxFileBytes: 2000, allowedFileTypes: ['image/png'] });
    expect((await c.post('/api/me/login', { device: 'web' }, a.token)).status).to.equal(200);
    const agentIo = await agentSocket(a.token);

    const v = await widget(w.key);
    expect(v.session.chatId).to.equal(null);
    const config = await v.next<{ title: string; maxFileBytes: number }>('config');
    expect(config.maxFileBytes).to.equal(2000);
    const started = await v.call<{ chatId: number }>('start', { form: { name: '<img src=x onerror=alert(1)>', email: 'Ann@Example.com', phone: '+39 06 1234' } });
    expect(started.ok).to.equal(true);
    const chatId = (started as { chatId: number }).chatId;

    const hello = await v.next<Msg>('message', (m) => m.from === 'bot');
    expect(hello.text).to.equal('Hi <b>there</b>'); // text, not markup: the widget renders it as text
    const menu = await v.next<Msg>('message', (m) => m.from === 'bot');
    expect(menu.quickReplies?.map((r) => r.id)).to.deep.equal(['sales', 'support']);
    expect((await v.call('message', { text: 'Sales', quickReplyId: 'sales' })).ok).to.equal(true);
    await v.next('state', (s: { status: string }) => s.status === 'queued');

    const offerEvent = await agentIo.next<{ interactionRef: string; channel: string }>('acd:offer');
    expect(offerEvent).to.include({ interactionRef: `chat:${chatId}`, channel: 'chat' });
    await acceptNext(a.token);
    const connected = await v.next<{ status: string; agentName: string }>('state', (s: { status: string }) => s.status === 'connected');
    expect(connected.agentName).to.equal(a.fullName);

    const mine = await eventually(() => c.get<{ id: number; contact: { id: number; name: string; email: string } }[]>('/api/me/interactions?status=open', a.token).then((r) => r.body), (l) => l.length === 1, 'my interaction');
    expect(mine[0]!.id).to.equal(chatId);
    expect(mine[0]!.contact.name).to.equal('<img src=x onerror=alert(1)>');
    expect(mine[0]!.contact.email).to.equal('ann@example.com');

    // another agent reaches nothing of this chat
    const b = await agent();
    expect((await c.get(`/api/interactions/${chatId}/messages`, b.token)).status).to.equal(404);
    expect((await c.post(`/api/interactions/${chatId}/messages`, { text: 'hijack' }, b.token)).status).to.equal(404);
    expect((await c.post(`/api/interactions/${chatId}/close`, { disposition: 'sold' }, b.token)).status).to.equal(404);

    // agent → visitor, visitor → agent, typing both ways
    const sent = await c.post<Msg>(`/api/interactions/${chatId}/messages`, { text: '<script>alert(1)</script> Hello' }, a.token);
    expect(sent.status, sent.text).to.equal(201);
    expect((await v.next<Msg>('message', (m) => m.from === 'agent')).text).to.equal('<script>alert(1)</script> Hello');
    await v.call('message', { text: 'I want to buy' });
    const got = await agentIo.next<{ interactionId: number; message: Msg }>('chat:message', (e) => e.message.from === 'visitor' && e.message.text === 'I want to buy');
    expect(got.interactionId).to.equal(chatId);
    await v.call('typing', { typing: true });
    expect(await agentIo.next('chat:typing')).to.deep.equal({ interactionId: chatId, typing: true });
    expect((await c.post(`/api/interactions/${chatId}/typing`, { typing: true }, a.token)).status).to.equal(204);
    expect(await v.next('typing')).to.deep.equal({ from: 'agent', typing: true });

    // files: visitor → agent within limits, refused outside; agent → visitor likewise
    const png = TINY_PNG;
    const up = (await v.call<{ message: Msg }>('upload', { name: '../../etc/passwd.png', type: 'image/png', data: png })) as { ok: true; message: Msg };
    expect(up.ok).to.equal(true);
    expect(up.message.attachment).to.include({ name: 'passwd.png', size: png.byteLength, type: 'image/png' });
    const dl = await fetch(`${c.baseUrl}${up.message.attachment!.url}`, { headers: { authorization: `Bearer ${a.token}` } });
    expect(dl.status).to.equal(200);
    expect(new Uint8Array(await dl.arrayBuffer())).to.deep.equal(png);
    expect(await v.call('upload', { name: 'big.png', type: 'image/png', data: new Uint8Array(2001) })).to.deep.include({ ok: false, error: { code: 'FILE_TOO_LARGE', message: 'The file is 2001 bytes; the limit is 2000' } });
    const badType = (await v.call('upload', { name: 'x.html', type: 'text/html', data: new Uint8Array(10) })) as { ok: false; error: { code: string } };
    expect(badType.error.code).to.equal('FILE_TYPE_NOT_ALLOWED');
    const agentUp = await upload(a.token, chatId, png, 'answer.png', 'image/png');
    expect(agentUp.status).to.equal(201);
    const agentFile = await v.next<Msg>('message', (m) => m.from === 'agent' && m.attachment !== undefined);
    const visitorDl = await fetch(`${c.baseUrl}${agentFile.attachment!.url}`, { headers: { 'x-tandem-visitor': v.session.visitorToken } });
    expect(visitorDl.status).to.equal(200);
    expect(visitorDl.headers.get('content-type')).to.equal('application/octet-stream');
    // From the customer's page: CORS preflight, then the download carries the allow-origin header.
    const preflight = await fetch(`${c.baseUrl}${agentFile.attachment!.url}`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-tandem-visitor' } });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get('access-control-allow-origin')).to.equal(ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).to.equal('X-Tandem-Visitor');
    const corsDl = await fetch(`${c.baseUrl}${agentFile.attachment!.url}`, { headers: { origin: ORIGIN, 'x-tandem-visitor': v.session.visitorToken } });
    expect(corsDl.headers.get('access-control-allow-origin')).to.equal(ORIGIN);
    await corsDl.arrayBuffer();
    const evilPreflight = await fetch(`${c.baseUrl}${agentFile.attachment!.url}`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' } });
    expect(evilPreflight.headers.get('access-control-allow-origin')).to.equal(null);
    await evilPreflight.text();
    expect((await fetch(`${c.baseUrl}${agentFile.attachment!.url}`, { headers: { 'x-tandem-visitor': 'B'.repeat(43) } })).status).to.equal(404);
    expect((await upload(a.token, chatId, png, 'x.exe', 'application/x-msdownload')).status).to.equal(400);
    expect((await upload(a.token, chatId, new Uint8Array(3000), 'big.png', 'image/png')).status).to.equal(413);

    // supervisor (admin) spies and leaves a secret note
    const spy = await agentSocket(admin);
    expect(await spy.socket.timeout(5000).emitWithAck('chat:spy', { interactionId: chatId })).to.deep.equal({ ok: true });
    await v.call('message', { text: 'still there?' });
    await spy.next('chat:message', (e: { message: Msg }) => e.message.text === 'still there?');
    expect((await c.post(`/api/interactions/${chatId}/notes`, { text: 'offer the discount' }, admin)).status).to.equal(201);
    expect((await agentIo.next<{ note: Msg }>('chat:note')).note.text).to.equal('offer the discount');

    // reload: the same token brings the same chat back, with the history but no notes
    v.close();
    const again = await widget(w.key, { visitorToken: v.session.visitorToken });
    expect(again.session.chatId).to.equal(chatId);
    await again.next('state', (s: { status: string }) => s.status === 'connected');
    const history = again.events.filter((e) => e.event === 'message').map((e) => (e.data as Msg).text);
    expect(history).to.include('I want to buy');
    expect(history).to.not.include('offer the discount');
    await again.call('message', { text: 'after reload' });
    await agentIo.next('chat:message', (e: { message: Msg }) => e.message.text === 'after reload');

    // tags, close with disposition (must be one of the website's)
    expect((await c.post<{ tags: string[] }>(`/api/interactions/${chatId}/tags`, { tags: ['vip', 'vip', 'sales'] }, a.token)).body.tags).to.deep.equal(['vip', 'sales']);
    expect((await c.post(`/api/interactions/${chatId}/close`, { disposition: 'nope' }, a.token)).status).to.equal(400);
    const closed = await c.post<{ status: string; disposition: string }>(`/api/interactions/${chatId}/close`, { disposition: 'sold', note: 'paid' }, a.token);
    expect(closed.status, closed.text).to.equal(200);
    expect(closed.body).to.include({ status: 'closed', disposition: 'sold' });
    await again.next('state', (s: { status: string }) => s.status === 'closed');
    expect(await agentIo.next('chat:closed')).to.deep.equal({ interactionId: chatId, by: 'agent' });
    const [row] = await node.tandem.database.db.select().from(interactions).where(eq(interactions.id, chatId));
    const [entry] = await node.tandem.database.db.select().from(queueEntries).where(eq(queueEntries.id, row!.entryId!));
    expect(entry!.data).to.include({ disposition: 'sold', dispositionNote: 'paid' });
    // The chat queue report row, as for voice.
    const [report] = await node.tandem.database.db.select().from(queueReports).where(eq(queueReports.entryId, entry!.id));
    expect(report).to.include({ channel: 'chat', reason: 'accepted' });
    const canned = await c.get<{ title: string }[]>(`/api/chat/websites/${w.id}/canned-answers`, a.token);
    expect(canned.status).to.equal(200);
    expect(canned.body).to.deep.equal([{ title: 'Hi', text: 'Hello, how can I help?' }]);
    const dispositions = await c.get<string[]>(`/api/chat/websites/${w.id}/dispositions`, a.token);
    expect(dispositions.status).to.equal(200);
    expect(dispositions.body).to.include('sold');
    expect((await again.call('message', { text: 'too late' })) as { ok: boolean }).to.include({ ok: false });
    expect((await c.post(`/api/interactions/${chatId}/messages`, { text: 'x' }, a.token)).status).to.equal(409);

    // journey: this chat; not a call from the phone the visitor typed (an unverified phone links nothing)
    await node.tandem.database.db.insert(calls).values({ uniqueId: 'u1', channelName: 'PJSIP/x', direction: 'inbound', callerNumber: '+39061234', startedAt: new Date(Date.now() - 86_400_000), outcome: 'completed' });
    const j = await c.get<{ kind: string; id: number; disposition: string | null }[]>(`/api/contacts/${mine[0]!.contact.id}/journey`, a.token);
    expect(j.status, j.text).to.equal(200);
    expect(j.body.map((i) => i.kind)).to.deep.equal(['interaction']);
    expect(j.body[0]).to.include({ id: chatId, disposition: 'sold' });

    // the stored conversation: HTML kept verbatim as text; notes flagged secret
    const stored = await node.tandem.database.db.select().from(messages).where(eq(messages.interactionId, chatId));
    expect(stored.find((m) => m.from === 'agent')?.text).to.equal('<script>alert(1)</script> Hello');
    expect(stored.filter((m) => m.secret).map((m) => m.text)).to.deep.equal(['offer the discount']);
  });

  it('offers the offline form when nobody takes the chat, and keeps the message as pending', async () => {
    const a = await agent();
    const q = await queue({ timeoutSec: 1 }, [a]); // a member, but not logged in
    const w = await website({ queueId: q.id, offlineForm: { enabled: true, title: 'Leave a message', fields: [] } });
    const v = await widget(w.key);
    const started = (await v.call<{ chatId: number }>('start', { form: { name: 'Bob', email: 'bob@example.com' } })) as { ok: true; chatId: number };
    expect(started.ok).to.equal(true);
    await v.next('state', (s: { status: string }) => s.status === 'queued');
    await v.next('state', (s: { status: string }) => s.status === 'offline');
    const left = await v.call<{ chatId: number }>('offline', { form: { name: 'Bob', email: 'bob@example.com' }, message: 'Call me back <please>' });
    expect(left).to.deep.equal({ ok: true, chatId: started.chatId });
    const pending = await c.get<{ id: number }[]>('/api/interactions?status=pending', admin);
    expect(pending.body.map((i) => i.id)).to.include(started.chatId);
    const msgs = await c.get<Msg[]>(`/api/interactions/${started.chatId}/messages`, admin);
    expect(msgs.body.map((m) => m.text)).to.include('Call me back <please>');

    // The message is work for the queue's agents: one takes it (once), and closes it with a disposition.
    const other = await agent(); // serves no queue of this chat
    const b = await agent();
    await c.post(`/api/queues/${q.id}/agents`, { agentId: b.id, penalty: 0 }, admin);
    const listA = await c.get<{ id: number }[]>('/api/me/pending-interactions', a.token);
    expect(listA.status, listA.text).to.equal(200);
    expect(listA.body.map((i) => i.id)).to.include(started.chatId);
    expect((await c.get<{ id: number }[]>('/api/me/pending-interactions', other.token)).body.map((i) => i.id)).to.not.include(started.chatId);
    expect((await c.post(`/api/interactions/${started.chatId}/claim`, {}, other.token)).status).to.equal(404);
    expect((await c.post(`/api/interactions/${started.chatId}/claim`, { agentId: a.id }, b.token)).status).to.equal(403);
    const [first, second] = await Promise.all([c.post<{ agentId: number }>(`/api/interactions/${started.chatId}/claim`, {}, a.token), c.post(`/api/interactions/${started.chatId}/claim`, {}, b.token)]);
    expect([first.status, second.status].sort()).to.deep.equal([200, 409]);
    const winner = first.status === 200 ? a : b;
    const loser = first.status === 200 ? b : a;
    expect((await c.get<{ id: number }[]>('/api/me/pending-interactions', loser.token)).body.map((i) => i.id)).to.not.include(started.chatId);
    expect((await c.get<{ id: number }[]>('/api/me/interactions', winner.token)).body.map((i) => i.id)).to.include(started.chatId);
    expect((await c.get<Msg[]>(`/api/interactions/${started.chatId}/messages`, winner.token)).body.map((m) => m.text)).to.include('Call me back <please>');
    const closed = await c.post<{ status: string; disposition: string }>(`/api/interactions/${started.chatId}/close`, { disposition: 'called back' }, winner.token);
    expect(closed.status, closed.text).to.equal(200);
    expect(closed.body).to.include({ status: 'closed', disposition: 'called back' });
    expect((await c.post(`/api/interactions/${started.chatId}/claim`, { agentId: a.id }, admin)).status).to.equal(409);
  });

  it('lets a supervisor give a pending interaction to an agent', async () => {
    const a = await agent();
    const q = await queue({ timeoutSec: 1 }, [a]);
    const w = await website({ queueId: q.id, offlineForm: { enabled: true, title: 'Leave a message', fields: [] } });
    const v = await widget(w.key);
    const started = (await v.call<{ chatId: number }>('start', { form: { name: 'Dora' } })) as { ok: true; chatId: number };
    await v.next('state', (s: { status: string }) => s.status === 'offline');
    await v.call('offline', { form: { name: 'Dora' }, message: 'Please call' });
    const missing = await c.post(`/api/interactions/${started.chatId}/claim`, {}, admin);
    expect(missing.status).to.equal(400);
    expect(missing.text).to.contain('agentId');
    expect((await c.post(`/api/interactions/${started.chatId}/claim`, { agentId: 999_999_999 }, admin)).status).to.equal(400);
    const given = await c.post<{ agentId: number }>(`/api/interactions/${started.chatId}/claim`, { agentId: a.id }, admin);
    expect(given.status, given.text).to.equal(200);
    expect(given.body.agentId).to.equal(a.id);
    expect((await c.get<{ id: number }[]>('/api/me/interactions', a.token)).body.map((i) => i.id)).to.include(started.chatId);
  });

  it('rate-limits a flooding visitor and refuses over-long messages', async () => {
    const w = await website({});
    const v = await widget(w.key);
    expect((await v.call('start', { form: { name: 'Flo' } })).ok).to.equal(true);
    const results: { ok: boolean; error?: { code: string } }[] = [];
    for (let i = 0; i < 12; i++) results.push(await v.call('message', { text: `m${i}` }));
    // start counted as one: 9 messages pass, then RATE_LIMITED with a clear error
    expect(results.filter((r) => r.ok)).to.have.length(9);
    expect(results[11]!.error?.code).to.equal('RATE_LIMITED');
    expect(v.events.some((e) => e.event === 'error' && (e.data as { code: string }).code === 'RATE_LIMITED')).to.equal(true);
    const w2 = await website({});
    const v2 = await widget(w2.key);
    await v2.call('start', { form: {} });
    expect(((await v2.call('message', { text: 'x'.repeat(4001) })) as { error: { code: string } }).error.code).to.equal('MESSAGE_TOO_LONG');
  });

  it('respects an agent capacity of two with three parallel chats', async () => {
    const a = await agent({ capacity: { chat: 2 } });
    const q = await queue({ strategy: 'linear', timeoutSec: 60 }, [a]);
    const w = await website({ queueId: q.id });
    expect((await c.post('/api/me/login', { device: 'web' }, a.token)).status).to.equal(200);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const v = await widget(w.key);
      const r = (await v.call<{ chatId: number }>('start', { form: { name: `V${i}` } })) as { ok: true; chatId: number };
      ids.push(r.chatId);
    }
    await acceptNext(a.token);
    await acceptNext(a.token);
    const connected = async () => (await c.get<{ id: number }[]>('/api/me/interactions?status=open', a.token)).body.map((i) => i.id);
    await eventually(connected, (l) => l.length === 2, 'two chats');
    // The third waits: the engine records the agent as at capacity for it.
    const entryOfThird = async () => {
      const open = await connected();
      const waiting = ids.filter((id) => !open.includes(id));
      const [row] = await node.tandem.database.db.select().from(interactions).where(eq(interactions.id, waiting[0]!));
      return row!.entryId ? (await c.get<{ considered: { reason: string }[] }[]>(`/api/queue-entries/${row!.entryId}/decisions`, admin)).body : [];
    };
    const decisions = await eventually(entryOfThird, (d) => d.some((x) => x.considered.some((y) => y.reason === 'at-capacity')), 'an at-capacity decision');
    expect(decisions.length).to.be.greaterThan(0);
    expect(await offersOf(a.token)).to.have.length(0);
    // Closing one frees a slot: the third is offered.
    const [first] = await connected();
    expect((await c.post(`/api/interactions/${first}/close`, { disposition: 'done' }, a.token)).status).to.equal(200);
    await acceptNext(a.token);
    await eventually(connected, (l) => l.length === 2 && !l.includes(first!), 'the third chat connected');
  });
});
