// The desktop's narrowing of socket and REST payloads (designer/src/desktop/model.ts): untrusted
// events are checked field by field, so a malformed event is dropped instead of breaking the page.
import { expect } from 'chai';
import {
  chatInteractionId,
  closedByOf,
  isUndisposedChat,
  mergeRestoredWork,
  parseInteraction,
  parseChatEvent,
  parseJourneyItem,
  parseMessage,
  parseOffer,
  parseOfferRow,
  parseOpenEntry,
  parsePresence,
  parseTags,
  presenceLabel,
  workFromOffer,
} from '../../designer/src/desktop/model.ts';

describe('agent desktop model', () => {
  it('reads chat interaction ids only from chat:<digits> references', () => {
    expect(chatInteractionId('chat:42')).to.equal(42);
    expect(chatInteractionId('chat:')).to.equal(null);
    expect(chatInteractionId('chat:4x')).to.equal(null);
    expect(chatInteractionId('1700000000.12')).to.equal(null);
    expect(chatInteractionId(' chat:42')).to.equal(null);
  });

  it('keeps well-formed offers and drops offers without ids', () => {
    const offer = parseOffer({ offerId: 7, entryId: 3, queueId: 2, channel: 'chat', caller: '<b>x</b>', interactionRef: 'chat:9', expiresAt: null, autoAnswer: true });
    expect(offer).to.deep.equal({ offerId: 7, entryId: 3, queueId: 2, channel: 'chat', caller: '<b>x</b>', interactionRef: 'chat:9', expiresAt: null, autoAnswer: true });
    expect(workFromOffer(offer!)).to.include({ entryId: 3, interactionId: 9 });
    expect(parseOffer({ entryId: 3, queueId: 2 })).to.equal(null);
    expect(parseOffer('offer')).to.equal(null);
    expect(parseOffer(null)).to.equal(null);
    // REST rows name the id `id` and lack the queue: still an offer, with an unknown queue.
    expect(parseOfferRow({ id: 5, entryId: 1, agentId: 3, status: 'pending', autoAnswer: false })).to.include({ offerId: 5, entryId: 1, queueId: 0, channel: '' });
  });

  it('reads presence, ignoring unknown channels, and labels it', () => {
    const p = parsePresence({ agentId: 3, loggedIn: true, device: 'web', channels: [{ channel: 'chat', paused: true, pauseReason: 'Lunch' }, { channel: 'voice', paused: false }, { channel: 'carrier-pigeon' }, 'x'] });
    expect(p?.channels.map((c) => c.channel)).to.deep.equal(['chat', 'voice']);
    expect(presenceLabel(p)).to.equal('Paused on chat');
    expect(presenceLabel({ ...p!, channels: p!.channels.map((c) => ({ ...c, paused: true, pauseReason: 'Lunch' })) })).to.equal('Paused (Lunch)');
    expect(presenceLabel({ ...p!, loggedIn: false })).to.equal('Logged out');
    expect(presenceLabel(null)).to.equal('Logged out');
    expect(parsePresence({ loggedIn: true })).to.equal(null);
  });

  it('reads messages with attachments and chat events with an interaction id', () => {
    const m = parseMessage({ id: 1, from: 'visitor', text: '<img src=x onerror=alert(1)>', attachment: { id: 4, name: 'a.pdf', size: 10, type: 'application/pdf' }, at: '2026-01-01T00:00:00Z' });
    expect(m?.text).to.equal('<img src=x onerror=alert(1)>');
    expect(m?.attachment).to.deep.equal({ id: 4, name: 'a.pdf', size: 10, type: 'application/pdf', url: '/api/attachments/4' });
    expect(parseMessage({ text: 'no id' })).to.equal(null);
    expect(parseChatEvent({ interactionId: '12', typing: true })?.interactionId).to.equal(12);
    expect(parseChatEvent({ typing: true })).to.equal(null);
  });

  it('splits tags, trimmed, unique and bounded', () => {
    expect(parseTags(' vip, refund ,,vip ')).to.deep.equal(['vip', 'refund']);
    expect(parseTags('x'.repeat(80))[0]).to.have.length(50);
    expect(parseTags(Array.from({ length: 30 }, (_, i) => `t${i}`).join(','))).to.have.length(20);
  });

  it('keys journey items by kind, since calls and interactions are numbered apart', () => {
    const chat = parseJourneyItem({ kind: 'interaction', id: 1, channel: 'chat', status: 'closed', disposition: 'Solved', at: '2026-01-01T00:00:00Z' }, 0);
    const call = parseJourneyItem({ kind: 'call', id: 1, channel: 'voice', status: 'answered', disposition: null, at: '2026-01-01T00:00:00Z' }, 1);
    expect(chat?.id).to.not.equal(call?.id);
    expect(chat).to.include({ channel: 'chat', status: 'closed', disposition: 'Solved', at: '2026-01-01T00:00:00Z' });
    expect(parseJourneyItem(7, 0)).to.equal(null);
  });

  it('reads the open work of GET /api/me/entries and drops rows without ids', () => {
    const call = parseOpenEntry({ entryId: 8, queueId: 2, queueName: 'Sales', channel: 'voice', caller: '+39 055 1', interactionRef: '1700000000.1', endedAt: '2026-01-01T00:00:00.000Z' });
    expect(call).to.deep.equal({
      work: { entryId: 8, queueId: 2, channel: 'voice', caller: '+39 055 1', interactionRef: '1700000000.1', interactionId: null },
      queueName: 'Sales',
      endedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(parseOpenEntry({ entryId: 9, queueId: 3, channel: 'chat', interactionRef: 'chat:41' })?.work.interactionId).to.equal(41);
    expect(parseOpenEntry({ queueId: 3 })).to.equal(null);
    expect(parseOpenEntry([1])).to.equal(null);
  });

  it('merges restored work into the open tabs: a chat restored without its entry takes the entry id', () => {
    const chat = { entryId: 0, queueId: 0, channel: 'chat', caller: 'Vera', interactionRef: 'chat:41', interactionId: 41 };
    const call = { entryId: 8, queueId: 2, channel: 'voice', caller: '+39', interactionRef: 'u.1', interactionId: null };
    const merged = mergeRestoredWork([chat], [{ ...chat, entryId: 9, queueId: 3, caller: 'from entry' }, call, { ...call }]);
    expect(merged).to.deep.equal([{ ...chat, entryId: 9, queueId: 3 }, call]);
    // Work that already knows its entry is left as it is.
    expect(mergeRestoredWork(merged, [{ ...chat, entryId: 77 }])[0]?.entryId).to.equal(9);
  });

  it('finds closed chats still waiting for the agent\'s disposition, and who closed them', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const closed = parseInteraction({ id: 4, status: 'closed', disposition: null, closedAt: '2026-01-01T11:00:00Z', contact: { name: 'Zoe' } })!;
    expect(closed.closedAt).to.equal('2026-01-01T11:00:00Z');
    expect(isUndisposedChat(closed, now)).to.equal(true);
    expect(isUndisposedChat({ ...closed, disposition: 'Solved' }, now)).to.equal(false);
    expect(isUndisposedChat({ ...closed, status: 'open' }, now)).to.equal(false);
    expect(isUndisposedChat({ ...closed, closedAt: '2025-12-31T11:00:00Z' }, now)).to.equal(false);
    expect(isUndisposedChat({ ...closed, closedAt: 'yesterday' }, now)).to.equal(false);
    const line = (from: string, text: string) => ({ id: text, from, text, attachment: null, at: '', secret: false });
    expect(closedByOf([line('visitor', 'closed by agent'), line('system', 'closed by visitor'), line('agent', 'bye')])).to.equal('visitor');
    expect(closedByOf([line('system', 'closed by <b>x</b>')])).to.equal(null);
    expect(closedByOf([])).to.equal(null);
  });
});
