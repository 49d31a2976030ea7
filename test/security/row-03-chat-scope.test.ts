// Issue 22, finding 3: a supervisor of queue 1 read queue 2's chats, messages, attachment and notes,
// spied on it live, wrote a secret note to its agent, gave queue 2's pending message to an agent not
// on queue 2, and changed queue 2's website. Each of those attacks is made here through the real HTTP
// API and socket.io, and must answer exactly as an unknown id does (404) with nothing changed; a claim
// gives a pending message only to an agent of its queue; what is in scope, and an admin, still work.
import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { attachments, chatWebsites, interactions, messages } from '../../server/db/schema.ts';
import { ORIGIN, TINY_PNG, type Widget } from '../channels/chat/support.ts';
import { ChatWorld, expectNotFound, type Account, type WebsiteBody } from './chat-world.ts';

interface Msg {
  id: number;
  from: string;
  text: string;
  attachment?: { id: number; url: string };
}

describe('security row 03: a supervisor reaches only the chats and websites of their queues', function () {
  this.timeout(60_000);
  const world = new ChatWorld();
  let q1: { id: number }, q2: { id: number };
  let a1: Account, a2: Account, onlyQ1: Account;
  let s1: Account, s2: Account;
  let w1: WebsiteBody, w2: WebsiteBody;
  /** Queue 2's live chat (agent a2), its visitor and attachment; queue 1's and queue 2's pending messages. */
  let chat2: number, visitor2: Widget, attachment2: number, pending1: number, pending2: number, contact2: number;

  before(async () => {
    await world.start();
    const { c, admin } = world;
    [a1, a2, onlyQ1] = [await world.agent(), await world.agent(), await world.agent()];
    q1 = await world.queue([a1, onlyQ1], { timeoutSec: 0 });
    q2 = await world.queue([a2], { timeoutSec: 0 });
    w1 = await world.website({ queueId: q1.id, cannedAnswers: [{ title: 'One', text: 'queue 1 answer' }] });
    w2 = await world.website({ queueId: q2.id, cannedAnswers: [{ title: 'Two', text: 'queue 2 answer' }] });
    s1 = await world.supervisor([q1.id]);
    s2 = await world.supervisor([q2.id]);

    ({ visitor: visitor2, chatId: chat2 } = await world.connectedChat(w2.key, a2, { name: 'Queue Two Customer' }));
    const up = (await visitor2.call<{ message: Msg }>('upload', { name: 'contract.png', type: 'image/png', data: TINY_PNG })) as { ok: true; message: Msg };
    expect(up.ok, JSON.stringify(up)).to.equal(true);
    attachment2 = up.message.attachment!.id;
    // Queue 2's own supervisor leaves a note: the attacker must not read it.
    expect((await c.post(`/api/interactions/${chat2}/notes`, { text: 'queue 2 secret note' }, s2.token)).status).to.equal(201);
    pending1 = await world.pendingMessage(w1.key, 'queue 1 callback');
    pending2 = await world.pendingMessage(w2.key, 'queue 2 callback');
    const [row] = await world.db.select().from(interactions).where(eq(interactions.id, chat2));
    contact2 = row!.contactId!;
    expect((await c.get(`/api/interactions/${chat2}/messages`, admin)).status).to.equal(200);
  });
  after(() => world.stop());

  it('does not list, read, download or annotate another queue\'s chat (404 as for an unknown id)', async () => {
    const { c } = world;
    const t = s1.token;
    for (const status of ['open', 'pending'] as const) {
      const list = await c.get<{ id: number }[]>(`/api/interactions?status=${status}`, t);
      expect(list.status, list.text).to.equal(200);
      expect(list.body.map((i) => i.id), status).to.not.include.members([chat2, pending2]);
    }
    expect((await c.get<{ id: number }[]>('/api/interactions?status=pending', t)).body.map((i) => i.id)).to.include(pending1);

    const unknown = await c.get('/api/interactions/999999999/messages', t);
    expectNotFound(unknown, 'an unknown interaction');
    expectNotFound(await c.get(`/api/interactions/${chat2}/messages`, t), "queue 2's messages");
    expectNotFound(await c.get(`/api/interactions/${pending2}/messages`, t), "queue 2's pending message");
    expectNotFound(await c.get(`/api/attachments/${attachment2}`, t), "queue 2's attachment");
    expectNotFound(await c.get(`/api/contacts/${contact2}/journey`, t), "queue 2's contact journey");

    const note = await c.post(`/api/interactions/${chat2}/notes`, { text: 'ATTACKER NOTE' }, t);
    expectNotFound(note, 'a note on queue 2');
    const stored = await world.db.select().from(messages).where(and(eq(messages.interactionId, chat2), eq(messages.secret, true)));
    expect(stored.map((m) => m.text)).to.deep.equal(['queue 2 secret note']);

    // In scope, the same supervisor reads queue 1's pending message.
    const own = await c.get<Msg[]>(`/api/interactions/${pending1}/messages`, t);
    expect(own.status, own.text).to.equal(200);
    expect(own.body.map((m) => m.text)).to.include('queue 1 callback');
    // Queue 2's supervisor and the admin read queue 2.
    expect((await c.get(`/api/interactions/${chat2}/messages`, s2.token)).status).to.equal(200);
    expect((await c.get(`/api/attachments/${attachment2}`, world.admin)).status).to.equal(200);
  });

  it('refuses to spy on another queue\'s chat live, and delivers nothing to the attacker', async () => {
    const spy = await world.socket(s1.token);
    const refused = await spy.socket.timeout(5000).emitWithAck('chat:spy', { interactionId: chat2 });
    expect(refused).to.deep.equal({ ok: false, error: { code: 'NOT_FOUND', message: `interaction ${chat2} not found` } });
    expect(await spy.socket.timeout(5000).emitWithAck('chat:spy', { interactionId: 999_999_999 })).to.deep.equal({ ok: false, error: { code: 'NOT_FOUND', message: 'interaction 999999999 not found' } });
    // Queue 2's supervisor spies legitimately: once they have the visitor's message, so would any spy.
    const rightful = await world.socket(s2.token);
    expect(await rightful.socket.timeout(5000).emitWithAck('chat:spy', { interactionId: chat2 })).to.deep.equal({ ok: true });
    expect((await visitor2.call('message', { text: 'my card number is 4111' })).ok).to.equal(true);
    await rightful.next('chat:message', (e: { message: Msg }) => e.message.text === 'my card number is 4111');
    expect(await world.c.post(`/api/interactions/${chat2}/notes`, { text: 'second note' }, s2.token).then((r) => r.status)).to.equal(201);
    await rightful.next('chat:note', (e: { note: Msg }) => e.note.text === 'second note');
    expect(spy.events.filter((e) => e.event.startsWith('chat:')).map((e) => e.event)).to.deep.equal([]);
  });

  it('gives a pending message only to an agent of its queue, and never another queue\'s', async () => {
    const { c, admin } = world;
    const before = async (id: number) => (await world.db.select().from(interactions).where(eq(interactions.id, id)))[0]!;
    // Out of scope: queue 2's pending message, given to an agent of queue 1.
    expectNotFound(await c.post(`/api/interactions/${pending2}/claim`, { agentId: onlyQ1.id }, s1.token), "claiming queue 2's pending message");
    expect((await before(pending2)).agentId).to.equal(null);
    // In scope, but to an agent who does not serve the message's queue: refused even for an admin.
    for (const token of [s1.token, admin]) {
      const wrong = await c.post<{ error: { code: string; details: { fields?: { field: string }[] } } }>(`/api/interactions/${pending1}/claim`, { agentId: a2.id }, token);
      expect(wrong.status, wrong.text).to.equal(400);
      expect(wrong.body.error.details.fields?.map((f) => f.field)).to.deep.equal(['agentId']);
    }
    expect((await before(pending1)).agentId).to.equal(null);
    const wrongQueue = await c.post(`/api/interactions/${pending2}/claim`, { agentId: onlyQ1.id }, admin);
    expect(wrongQueue.status, wrongQueue.text).to.equal(400);
    expect((await before(pending2)).agentId).to.equal(null);
    // The rightful assignments work.
    const given = await c.post<{ agentId: number }>(`/api/interactions/${pending1}/claim`, { agentId: onlyQ1.id }, s1.token);
    expect(given.status, given.text).to.equal(200);
    expect(given.body.agentId).to.equal(onlyQ1.id);
    expect((await c.post(`/api/interactions/${pending2}/claim`, { agentId: a2.id }, s2.token)).status).to.equal(200);
  });

  it('neither shows nor changes another queue\'s website, nor moves a website to another queue', async () => {
    const { c, admin } = world;
    const t = s1.token;
    const rowOf = async (id: number) => (await world.db.select().from(chatWebsites).where(eq(chatWebsites.id, id)))[0]!;
    const w2Before = await rowOf(w2.id);
    const w1Before = await rowOf(w1.id);

    const list = await c.get<{ id: number }[]>('/api/chat/websites', t);
    expect(list.status, list.text).to.equal(200);
    expect(list.body.map((w) => w.id)).to.deep.equal([w1.id]);
    expectNotFound(await c.get('/api/chat/websites/999999999', t), 'an unknown website');
    expectNotFound(await c.get(`/api/chat/websites/${w2.id}`, t), "queue 2's website");
    expectNotFound(await c.get(`/api/chat/websites/${w2.id}/snippet`, t), "queue 2's snippet");
    expectNotFound(await c.get(`/api/chat/websites/${w2.id}/canned-answers`, t), "queue 2's canned answers");
    expectNotFound(await c.patch(`/api/chat/websites/${w2.id}`, { allowedOrigins: ['https://evil.example.com'], queueId: q1.id }, t), "changing queue 2's website");
    expectNotFound(await c.delete(`/api/chat/websites/${w2.id}`, t), "deleting queue 2's website");
    expect(await rowOf(w2.id)).to.deep.equal(w2Before);

    // Its own website cannot be moved to queue 2 (nor off every queue), nor a new one made there.
    for (const queueId of [q2.id, null]) {
      const moved = await c.patch<{ error: { details: { fields?: { field: string }[] } } }>(`/api/chat/websites/${w1.id}`, { queueId }, t);
      expect(moved.status, moved.text).to.equal(400);
      expect(moved.body.error.details.fields?.map((f) => f.field)).to.deep.equal(['queueId']);
    }
    expect(await rowOf(w1.id)).to.deep.equal(w1Before);
    for (const body of [{ name: 'Evil site', queueId: q2.id, allowedOrigins: [ORIGIN] }, { name: 'Queueless site', allowedOrigins: [ORIGIN] }]) {
      expect((await c.post('/api/chat/websites', body, t)).status, JSON.stringify(body)).to.equal(400);
    }
    expect((await world.db.select().from(chatWebsites)).map((w) => w.id).sort()).to.deep.equal([w1.id, w2.id].sort());

    // In scope: the supervisor edits their own website; the admin sees both.
    const edited = await c.patch<{ appearance: { title: string } }>(`/api/chat/websites/${w1.id}`, { appearance: { title: 'Queue one help' } }, t);
    expect(edited.status, edited.text).to.equal(200);
    expect(edited.body.appearance.title).to.equal('Queue one help');
    expect((await c.get<{ id: number }[]>('/api/chat/websites', admin)).body.map((w) => w.id)).to.include.members([w1.id, w2.id]);
    // Nothing was stored for the attacker's attempts on queue 2's chat either.
    expect((await world.db.select().from(attachments).where(eq(attachments.interactionId, chat2))).length).to.equal(1);
  });
});
