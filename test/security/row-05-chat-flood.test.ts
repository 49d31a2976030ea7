// Issue 22, finding 5: one client opened 300 widget connections and created 291 chats in 24 s, all
// waiting for ever in a queue without a timeout. Made here with real socket.io widgets from several
// loopback addresses (127.0.0.x: other machines to the server): the website's limits refuse the
// excess connections and chats with errors the widget shows, nothing is stored for them, and a chat
// nobody attends is closed after the website's timeout with the disposition "Timeout".
import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { interactions, queueEntries, visitors } from '../../server/db/schema.ts';
import { refusal, type Widget } from '../channels/chat/support.ts';
import { eventually } from '../support/eventually.ts';
import { ChatWorld } from './chat-world.ts';

type Ack = { ok: true; chatId?: number } | { ok: false; error: { code: string; message: string } };

describe('security row 05: one client cannot flood a chat website', function () {
  this.timeout(60_000);
  const world = new ChatWorld();

  before(() => world.start({ chatSweepMs: 100 }));
  after(() => world.stop());
  afterEach(() => world.closeSockets());

  const countOf = async (websiteId: number, status?: 'open' | 'pending' | 'closed') =>
    (await world.db.select({ id: interactions.id }).from(interactions).where(and(eq(interactions.accountId, websiteId), status ? eq(interactions.status, status) : undefined))).length;

  it('caps the widget connections one address holds open; the refused ones leave no visitor behind', async () => {
    const w = await world.website({ limits: { connectionsPerAddress: 3 } });
    const held: Widget[] = [];
    for (let i = 0; i < 3; i++) held.push(await world.widget(w.key));
    // The next ones are refused at the handshake, with words for the visitor; other addresses are not.
    let refusedWith: { message?: string; data?: { message?: string } } | undefined;
    try {
      await world.widget(w.key);
    } catch (err) {
      refusedWith = err as { message?: string; data?: { message?: string } };
    }
    expect(refusedWith?.message).to.equal('TOO_MANY_CONNECTIONS');
    expect(refusedWith?.data?.message).to.match(/too many chat windows/i);
    for (let i = 0; i < 5; i++) expect(await refusal(world.c.baseUrl, w.key)).to.equal('TOO_MANY_CONNECTIONS');
    expect(await refusal(world.c.baseUrl, w.key, { localAddress: '127.0.0.2' })).to.equal('connected');
    const stored = await world.db.select({ id: visitors.id }).from(visitors).where(eq(visitors.websiteId, w.id));
    expect(stored).to.have.length(4); // the three held and the one from 127.0.0.2
    // A closed window gives its slot back.
    held[0]!.close();
    await eventually(() => refusal(world.c.baseUrl, w.key), (r) => r === 'connected', 'a free connection slot');
  });

  it('limits new chats per address and per website, and says so to the visitor', async () => {
    const w = await world.website({ limits: { newChatsPerAddress: 2, newChatsPerWebsite: 3, windowSec: 600 } });
    const start = async (address: string) => {
      const v = await world.widget(w.key, { localAddress: address });
      return { v, ack: (await v.call('start', { form: { name: 'Flood' } })) as Ack };
    };
    const first = [await start('127.0.0.2'), await start('127.0.0.2'), await start('127.0.0.2')];
    expect(first.map((r) => r.ack.ok)).to.deep.equal([true, true, false]);
    const tooMany = first[2]!.ack as Extract<Ack, { ok: false }>;
    expect(tooMany.error.code).to.equal('TOO_MANY_CHATS');
    expect(tooMany.error.message).to.match(/at most 2 every 10 minutes/);
    // The widget also gets it as an `error` event, which it shows.
    await first[2]!.v.next('error', (e: { code: string }) => e.code === 'TOO_MANY_CHATS');

    // Another address may start one more: the website's own limit (3) is then reached for everyone.
    expect((await start('127.0.0.3')).ack.ok).to.equal(true);
    const busy = (await start('127.0.0.4')).ack as Extract<Ack, { ok: false }>;
    expect(busy.ok).to.equal(false);
    expect(busy.error.code).to.equal('CHATS_BUSY');
    // A message through the offline form is a new interaction too: limited alike.
    const v = await world.widget(w.key, { localAddress: '127.0.0.5' });
    const offline = (await v.call('offline', { form: { name: 'Flood' }, message: 'spam' })) as Ack;
    expect(offline).to.deep.include({ ok: false });
    expect((offline as Extract<Ack, { ok: false }>).error.code).to.equal('CHATS_BUSY');
    expect(await countOf(w.id)).to.equal(3);
  });

  it('caps the chats open at once on a website, even when they all arrive together', async () => {
    const w = await world.website({ limits: { maxOpenChats: 3 } });
    const widgets = await Promise.all(Array.from({ length: 10 }, (_, i) => world.widget(w.key, { localAddress: `127.0.1.${i + 1}` })));
    const acks = (await Promise.all(widgets.map((v) => v.call('start', { form: { name: 'Burst' } })))) as Ack[];
    expect(acks.filter((a) => a.ok)).to.have.length(3);
    const refused = acks.filter((a): a is Extract<Ack, { ok: false }> => !a.ok);
    expect(refused.map((a) => a.error.code)).to.deep.equal(Array<string>(7).fill('CHATS_FULL'));
    expect(refused[0]!.error.message).to.match(/busy/);
    expect(await countOf(w.id, 'open')).to.equal(3);
    // One closes: one new chat fits again.
    const openOne = widgets[acks.findIndex((a) => a.ok)]!;
    expect((await openOne.call('close', {})).ok).to.equal(true);
    const late = widgets[acks.findIndex((a) => !a.ok)]!;
    expect(((await late.call('start', { form: { name: 'Later' } })) as Ack).ok).to.equal(true);
    expect(await countOf(w.id, 'open')).to.equal(3);
  });

  it('closes a chat nobody attends after the website\'s timeout, with the disposition "Timeout", and tells the visitor', async () => {
    const [idle, b] = [await world.agent(), await world.agent()];
    // Queues without a timeout, as in the attack: a chat would wait there for ever. Nobody logs in to
    // the first; `b` takes the chats of the second, then stays silent.
    const q = await world.queue([idle], { timeoutSec: 0 });
    const qTaken = await world.queue([b], { timeoutSec: 0 });
    const unattended = await world.website({ queueId: q.id });
    const unanswered = await world.website({ queueId: qTaken.id });
    const patient = await world.website({ queueId: q.id });
    const waiting = await world.widget(unattended.key);
    const waitingId = await world.startChat(waiting);
    await waiting.next('state', (s: { status: string }) => s.status === 'queued');
    const other = await world.widget(patient.key);
    const otherId = await world.startChat(other);
    await other.next('state', (s: { status: string }) => s.status === 'queued');
    const { visitor: ignored, chatId: ignoredId } = await world.connectedChat(unanswered.key, b);
    const agentIo = await world.socket(b.token);
    expect(await world.c.get(`/api/chat/websites/${unattended.id}`, world.admin).then((r) => (r.body as { limits: { unattendedTimeoutSec: number } }).limits.unattendedTimeoutSec)).to.equal(1800);

    // The website's timeout is a setting: one second here instead of the default 30 minutes.
    for (const w of [unattended, unanswered]) expect((await world.c.patch(`/api/chat/websites/${w.id}`, { limits: { unattendedTimeoutSec: 1 } }, world.admin)).status).to.equal(200);
    for (const v of [waiting, ignored]) {
      const told = await v.next<{ from: string; text: string }>('message', (m) => m.from === 'system', 10_000);
      expect(told.text).to.match(/nobody answered it for 1 second/);
      await v.next('state', (s: { status: string }) => s.status === 'closed');
    }
    expect(await agentIo.next('chat:closed', (e: { interactionId: number }) => e.interactionId === ignoredId)).to.deep.equal({ interactionId: ignoredId, by: 'system', reason: 'timeout' });

    const rowOf = async (id: number) => (await world.db.select().from(interactions).where(eq(interactions.id, id)))[0]!;
    for (const id of [waitingId, ignoredId]) expect(await rowOf(id), `chat ${id}`).to.include({ status: 'closed', disposition: 'Timeout' });
    // Out of the queue: the waiting one abandoned, the taken one finished with the disposition.
    const entryOf = async (id: number) => (await world.db.select().from(queueEntries).where(eq(queueEntries.id, (await rowOf(id)).entryId!)))[0]!;
    expect((await entryOf(waitingId)).status).to.equal('abandoned');
    expect((await entryOf(ignoredId)).data).to.include({ disposition: 'Timeout' });
    // The other website keeps its 30 minutes: its waiting chat is still open and queued.
    expect((await rowOf(otherId)).status).to.equal('open');
    expect((await entryOf(otherId)).status).to.equal('waiting');
  });
});
