// Issue 22, finding 4: a visitor typed someone else's e-mail (and phone) into the chat form, and the
// agent then saw that person's contact and journey, including another queue's chat. Here the attack
// is made with real widgets and agents: the visitor gets a separate, unverified contact, the victim's
// contact and history stay theirs, and every journey shows only what the reader's scope reaches.
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { calls, contacts, interactions } from '../../server/db/schema.ts';
import { ChatWorld, expectNotFound, type Account, type WebsiteBody } from './chat-world.ts';

interface ContactView {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  verified: boolean;
}
interface InteractionView {
  id: number;
  contact: ContactView | null;
}
interface JourneyItem {
  kind: string;
  id: number;
}

describe('security row 04: what a visitor types never links them to someone else\'s contact', function () {
  this.timeout(60_000);
  const world = new ChatWorld();
  let a1: Account, a2: Account, s1: Account, s2: Account;
  let q1: { id: number }, q2: { id: number };
  let w1: WebsiteBody, w2: WebsiteBody;
  let victimChat: number, victimContact: ContactView;

  const chatOf = async (agent: Account, id: number) => {
    const list = await world.c.get<InteractionView[]>('/api/me/interactions?status=closed', agent.token);
    const open = await world.c.get<InteractionView[]>('/api/me/interactions?status=open', agent.token);
    return [...list.body, ...open.body].find((i) => i.id === id)!;
  };
  const journeyIds = async (token: string, contactId: number) => {
    const j = await world.c.get<JourneyItem[]>(`/api/contacts/${contactId}/journey`, token);
    expect(j.status, j.text).to.equal(200);
    return j.body.map((i) => `${i.kind}:${i.id}`);
  };

  before(async () => {
    await world.start();
    [a1, a2] = [await world.agent(), await world.agent()];
    q1 = await world.queue([a1], { timeoutSec: 0 });
    q2 = await world.queue([a2], { timeoutSec: 0 });
    w1 = await world.website({ queueId: q1.id });
    w2 = await world.website({ queueId: q2.id });
    s1 = await world.supervisor([q1.id], { chat: 'read', contacts: 'read' });
    s2 = await world.supervisor([q2.id], { chat: 'read', contacts: 'read' });
    // The victim chats on queue 1's website; a call from their phone is on record too.
    const victim = await world.connectedChat(w1.key, a1, { name: 'Victoria Victim', email: 'victoria@example.com', phone: '+39 06 555 0101' });
    victimChat = victim.chatId;
    expect((await world.c.post(`/api/interactions/${victimChat}/close`, { disposition: 'refund' }, a1.token)).status).to.equal(200);
    victimContact = (await chatOf(a1, victimChat)).contact!;
    await world.db.insert(calls).values({ uniqueId: `victim-call-${process.pid}`, channelName: 'PJSIP/trunk-1', direction: 'inbound', callerNumber: '+39065550101', startedAt: new Date(Date.now() - 3_600_000), outcome: 'completed' });
  });
  after(() => world.stop());

  it('gives the impostor their own unverified contact; the victim\'s contact and journey stay out of reach', async () => {
    const contactsBefore = await world.db.select().from(contacts).where(eq(contacts.id, victimContact.id));
    // The attack: the victim's e-mail (other case) and phone in the form of queue 2's website.
    const { chatId } = await world.connectedChat(w2.key, a2, { name: 'Mallory', email: 'VICTORIA@example.com', phone: '+39065550101' });
    const seen = (await chatOf(a2, chatId)).contact!;
    expect(seen.id).to.not.equal(victimContact.id);
    expect(seen).to.include({ name: 'Mallory', verified: false });

    // The impostor's agent cannot open the victim's journey, and the impostor's own shows only their chat
    // (not the victim's queue-1 chat, not the call from the phone they typed).
    expectNotFound(await world.c.get(`/api/contacts/${victimContact.id}/journey`, a2.token), "the victim's journey");
    expect(await journeyIds(a2.token, seen.id)).to.deep.equal([`interaction:${chatId}`]);
    expectNotFound(await world.c.get(`/api/contacts/${victimContact.id}/journey`, s2.token), "the victim's journey for queue 2's supervisor");

    // Nothing was merged: the victim's contact is unchanged and has only their own chat.
    expect(await world.db.select().from(contacts).where(eq(contacts.id, victimContact.id))).to.deep.equal(contactsBefore);
    const victimRows = await world.db.select({ id: interactions.id }).from(interactions).where(eq(interactions.contactId, victimContact.id));
    expect(victimRows.map((r) => r.id)).to.deep.equal([victimChat]);
    expect(await journeyIds(world.admin, victimContact.id)).to.deep.equal([`interaction:${victimChat}`]);
  });

  it('shows each reader only the part of one contact\'s journey their scope reaches', async () => {
    // One visitor (the same browser token) chats on queue 1, then, the website moved to queue 2, again.
    const first = await world.connectedChat(w1.key, a1, { name: 'Paula Two-Queues' });
    expect((await world.c.post(`/api/interactions/${first.chatId}/close`, { disposition: 'done' }, a1.token)).status).to.equal(200);
    await first.visitor.next('state', (s: { status: string }) => s.status === 'closed');
    expect((await world.c.patch(`/api/chat/websites/${w1.id}`, { queueId: q2.id }, world.admin)).status).to.equal(200);
    const again = await world.widget(w1.key, { visitorToken: first.visitor.session.visitorToken });
    const second = await world.startChat(again, { name: 'Paula Two-Queues' });
    await world.acceptNext(a2);
    await again.next('state', (s: { status: string }) => s.status === 'connected');
    const contactId = (await chatOf(a1, first.chatId)).contact!.id;
    expect((await chatOf(a2, second)).contact!.id, 'the same visitor keeps their contact').to.equal(contactId);

    expect(await journeyIds(a1.token, contactId)).to.deep.equal([`interaction:${first.chatId}`]);
    expect(await journeyIds(a2.token, contactId)).to.deep.equal([`interaction:${second}`]);
    expect(await journeyIds(s1.token, contactId)).to.deep.equal([`interaction:${first.chatId}`]);
    expect(await journeyIds(s2.token, contactId)).to.deep.equal([`interaction:${second}`]);
    expect(await journeyIds(world.admin, contactId)).to.deep.equal([`interaction:${second}`, `interaction:${first.chatId}`]);
  });
});
