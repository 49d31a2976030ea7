// XCALLY's tab-limit and capacity checks (global open-tab limit first, then the channel's capacity,
// then no popup while paused on the channel), one rule per test, plus Tandem's other checks.
import { expect } from 'chai';
import { eligibility, RoutingInputError } from '../../../server/acd/routing/index.ts';
import { agent, entry, NO_LIMITS, queue, refusal, T0 } from './helpers.ts';

const chatQueue = queue({ channel: 'chat', memberIds: [1] });
const voiceQueue = queue({ channel: 'voice', memberIds: [1] });

describe('acd routing: eligibility — XCALLY tab-limit and capacity checks', () => {
  it('XCALLY "Max Open Tab Limit is reached → not notified": openTabs = maxOpenTabs gives at-tab-limit', () => {
    const a = agent(1, { openTabs: 5, channels: { chat: { open: 1, capacity: 10 } } });
    expect(eligibility(a, chatQueue, 'chat', T0, { maxOpenTabs: 5 })).to.deep.equal({ ok: false, reason: 'at-tab-limit', detail: null });
    expect(eligibility(a, chatQueue, 'chat', T0, { maxOpenTabs: 6 })).to.deep.equal({ ok: true });
  });

  it('XCALLY tab limit applies across channels: tabs of other channels count towards it', () => {
    // 3 e-mails + 1 sms open, nothing on chat: the global limit of 4 still blocks a chat.
    const a = agent(1, { openTabs: 4, channels: { email: { open: 3 }, sms: { open: 1 } } });
    expect(eligibility(a, chatQueue, 'chat', T0, { maxOpenTabs: 4 })).to.include({ ok: false, reason: 'at-tab-limit' });
  });

  it('XCALLY tab limit 0 = unlimited', () => {
    const a = agent(1, { openTabs: 500 });
    expect(eligibility(a, chatQueue, 'chat', T0, { maxOpenTabs: 0 }).ok).to.equal(true);
  });

  it('XCALLY "if the Max Tab Limit is not reached, the system checks Max Capacity": open = capacity gives at-capacity', () => {
    const a = agent(1, { openTabs: 2, channels: { chat: { open: 2, capacity: 2 } } });
    expect(eligibility(a, chatQueue, 'chat', T0, { maxOpenTabs: 10 })).to.deep.equal({ ok: false, reason: 'at-capacity', detail: null });
    const below = agent(1, { openTabs: 1, channels: { chat: { open: 1, capacity: 2 } } });
    expect(eligibility(below, chatQueue, 'chat', T0, { maxOpenTabs: 10 }).ok).to.equal(true);
  });

  it('XCALLY order: the tab limit is checked before capacity (an agent over both reads at-tab-limit)', () => {
    const a = agent(1, { openTabs: 3, channels: { chat: { open: 3, capacity: 3 } } });
    expect(eligibility(a, chatQueue, 'chat', T0, { maxOpenTabs: 3 })).to.include({ reason: 'at-tab-limit' });
  });

  it('XCALLY capacity is per channel: a full chat does not block an e-mail', () => {
    const a = agent(1, { openTabs: 3, channels: { chat: { open: 3, capacity: 3 }, email: { open: 0, capacity: 2 } } });
    const emailQueue = queue({ channel: 'email', memberIds: [1] });
    expect(eligibility(a, chatQueue, 'chat', T0, NO_LIMITS)).to.include({ reason: 'at-capacity' });
    expect(eligibility(a, emailQueue, 'email', T0, NO_LIMITS).ok).to.equal(true);
  });

  it('XCALLY capacity "default value is 0=unlimited" on chat, e-mail, SMS, open channel, fax, WhatsApp', () => {
    for (const channel of ['chat', 'email', 'sms', 'openchannel', 'fax', 'whatsapp'] as const) {
      const a = agent(1, { channels: { [channel]: { open: 99 } } });
      expect(eligibility(a, queue({ channel, memberIds: [1] }), channel, T0, NO_LIMITS).ok, channel).to.equal(true);
      const zero = agent(1, { channels: { [channel]: { open: 99, capacity: 0 } } });
      expect(eligibility(zero, null, channel, T0, NO_LIMITS).ok, `${channel} capacity 0`).to.equal(true);
    }
  });

  it('voice capacity is 1 unless configured: one open call blocks the next, capacity 2 allows a second', () => {
    expect(eligibility(agent(1, { channels: { voice: { open: 1 } } }), voiceQueue, 'voice', T0, NO_LIMITS)).to.include({ reason: 'at-capacity' });
    expect(eligibility(agent(1, { channels: { voice: { open: 1, capacity: 2 } } }), voiceQueue, 'voice', T0, NO_LIMITS).ok).to.equal(true);
  });

  it('XCALLY "not in pause status on the channel": paused gives paused, with the pause reason as detail', () => {
    const a = agent(1, { channels: { chat: { paused: true, pauseReason: 'lunch', pausedSince: T0 - 60_000 } } });
    expect(eligibility(a, chatQueue, 'chat', T0, NO_LIMITS)).to.deep.equal({ ok: false, reason: 'paused', detail: 'lunch' });
  });

  it('XCALLY pause is per channel: paused on chat, still offered e-mails', () => {
    const a = agent(1, { channels: { chat: { paused: true } } });
    expect(eligibility(a, null, 'email', T0, NO_LIMITS).ok).to.equal(true);
  });

  it('XCALLY order: tab limit and capacity come before pause (a paused agent at capacity reads at-capacity)', () => {
    const a = agent(1, { openTabs: 1, channels: { chat: { paused: true, open: 1, capacity: 1 } } });
    expect(eligibility(a, chatQueue, 'chat', T0, NO_LIMITS)).to.include({ reason: 'at-capacity' });
    expect(eligibility(a, chatQueue, 'chat', T0, { maxOpenTabs: 1 })).to.include({ reason: 'at-tab-limit' });
  });

  it('XCALLY "popup only" when not paused, under the tab limit and under capacity: then ok', () => {
    const a = agent(1, { openTabs: 4, channels: { chat: { open: 2, capacity: 3 } } });
    expect(eligibility(a, chatQueue, 'chat', T0, { maxOpenTabs: 5 })).to.deep.equal({ ok: true });
  });
});

describe('acd routing: eligibility — presence, wrap-up, offers, refusals', () => {
  it('a logged-out agent is skipped before anything else', () => {
    const a = agent(1, { loggedIn: false, openTabs: 9, channels: { chat: { paused: true } } });
    expect(eligibility(a, chatQueue, 'chat', T0, { maxOpenTabs: 1 })).to.include({ reason: 'logged-out' });
  });

  it('voice: an unregistered (unavailable) or invalid phone is unreachable; unknown is still offered (as Asterisk does)', () => {
    expect(eligibility(agent(1, { device: 'unavailable' }), voiceQueue, 'voice', T0, NO_LIMITS)).to.deep.equal({ ok: false, reason: 'unreachable', detail: 'device unavailable' });
    expect(eligibility(agent(1, { device: 'invalid' }), voiceQueue, 'voice', T0, NO_LIMITS)).to.include({ reason: 'unreachable' });
    expect(eligibility(agent(1, { device: 'unknown' }), voiceQueue, 'voice', T0, NO_LIMITS).ok).to.equal(true);
  });

  it('voice: a phone in use or ringing is busy unless the agent has ring-in-use', () => {
    expect(eligibility(agent(1, { device: 'inuse' }), voiceQueue, 'voice', T0, NO_LIMITS)).to.include({ reason: 'busy' });
    expect(eligibility(agent(1, { device: 'ringing' }), voiceQueue, 'voice', T0, NO_LIMITS)).to.include({ reason: 'busy' });
    expect(eligibility(agent(1, { device: 'inuse', ringInUse: true }), voiceQueue, 'voice', T0, NO_LIMITS).ok).to.equal(true);
  });

  it('the phone does not matter for other channels', () => {
    expect(eligibility(agent(1, { device: 'unavailable' }), chatQueue, 'chat', T0, NO_LIMITS).ok).to.equal(true);
    expect(eligibility(agent(1, { device: 'inuse' }), chatQueue, 'chat', T0, NO_LIMITS).ok).to.equal(true);
  });

  it('in wrap-up until wrapupUntil (exclusive)', () => {
    const a = agent(1, { channels: { chat: { wrapupUntil: T0 + 1 } } });
    expect(eligibility(a, chatQueue, 'chat', T0, NO_LIMITS)).to.include({ reason: 'in-wrapup' });
    expect(eligibility(a, chatQueue, 'chat', T0 + 1, NO_LIMITS).ok).to.equal(true);
  });

  it('an agent with a pending offer on the channel gets no second one (but may on another channel)', () => {
    const a = agent(1, { channels: { chat: { pendingOffer: true } } });
    expect(eligibility(a, chatQueue, 'chat', T0, NO_LIMITS)).to.include({ reason: 'offer-pending' });
    expect(eligibility(a, null, 'sms', T0, NO_LIMITS).ok).to.equal(true);
  });

  it('an agent who refused the entry is skipped for retryMs, then eligible again', () => {
    const q = queue({ channel: 'chat', memberIds: [1], retryMs: 5000 });
    const e = entry({ refusals: [refusal(1, T0 - 4000, 'rejected'), refusal(2, T0 - 100)] });
    expect(eligibility(agent(1), q, 'chat', T0, NO_LIMITS, e)).to.deep.equal({ ok: false, reason: 'rejected-recently', detail: 'rejected 4000 ms ago (1×)' });
    expect(eligibility(agent(1), q, 'chat', T0 + 1000, NO_LIMITS, e).ok).to.equal(true);
    expect(eligibility(agent(3), q, 'chat', T0, NO_LIMITS, e).ok).to.equal(true);
  });
});

describe('acd routing: eligibility — bad input', () => {
  it('negative or fractional limits are a clear error', () => {
    expect(() => eligibility(agent(1), chatQueue, 'chat', T0, { maxOpenTabs: -1 })).to.throw(RoutingInputError, 'limits.maxOpenTabs: must be a whole number ≥ 0, got -1');
    expect(() => eligibility(agent(1), chatQueue, 'chat', T0, { maxOpenTabs: 1.5 })).to.throw(RoutingInputError, 'limits.maxOpenTabs');
  });

  it("an agent's negative capacity or NaN counters name the agent and field", () => {
    expect(() => eligibility(agent(7, { channels: { chat: { capacity: -2 } } }), chatQueue, 'chat', T0, NO_LIMITS)).to.throw(RoutingInputError, 'agent 7.channels.chat.capacity');
    expect(() => eligibility(agent(7, { channels: { chat: { open: -1, capacity: 3 } } }), chatQueue, 'chat', T0, NO_LIMITS)).to.throw(RoutingInputError, 'agent 7.channels.chat.open');
    expect(() => eligibility(agent(7, { openTabs: Number.NaN }), chatQueue, 'chat', T0, { maxOpenTabs: 3 })).to.throw(RoutingInputError, 'agent 7.openTabs');
  });

  it('a channel the queue does not serve, an unknown channel, an entry of another queue, a bad clock', () => {
    expect(() => eligibility(agent(1), chatQueue, 'voice', T0, NO_LIMITS)).to.throw(RoutingInputError, 'queue 1 serves chat, not voice');
    expect(() => eligibility(agent(1), null, 'telex' as 'chat', T0, NO_LIMITS)).to.throw(RoutingInputError, '"telex" is not one of');
    expect(() => eligibility(agent(1), chatQueue, 'chat', T0, NO_LIMITS, entry({ queueId: 2 }))).to.throw(RoutingInputError, 'is 2, but it is being routed in queue 1');
    expect(() => eligibility(agent(1), chatQueue, 'chat', Number.NaN, NO_LIMITS)).to.throw(RoutingInputError, 'now');
  });
});
