// maxWaiting, joinEmpty and leaveWhenEmpty, with Asterisk's semantics (app_queue.c join_queue,
// parse_empty_options, get_member_status).
import { expect } from 'chai';
import { admit, emptyConditions, RoutingInputError, shouldLeave, type EmptyPolicy } from '../../../server/acd/routing/index.ts';
import { agent, agentMap, NO_LIMITS, queue, T0 } from './helpers.ts';

const voice = (joinEmpty: EmptyPolicy, leaveWhenEmpty: EmptyPolicy = 'no', maxWaiting = 0) =>
  queue({ channel: 'voice', memberIds: [1, 2], joinEmpty, leaveWhenEmpty, maxWaiting });

describe('acd routing: admission — maxWaiting', () => {
  it('full once maxWaiting are waiting; 0 = unlimited', () => {
    const agents = agentMap(agent(1), agent(2));
    expect(admit(voice('yes', 'no', 3), agents, 2, T0, NO_LIMITS)).to.deep.equal({ ok: true });
    expect(admit(voice('yes', 'no', 3), agents, 3, T0, NO_LIMITS)).to.deep.equal({ ok: false, outcome: 'full' });
    expect(admit(voice('yes', 'no', 0), agents, 10_000, T0, NO_LIMITS)).to.deep.equal({ ok: true });
  });

  it('the empty check comes before the full check (Asterisk join_queue order)', () => {
    const nobody = agentMap(agent(1, { loggedIn: false }), agent(2, { loggedIn: false }));
    expect(admit(voice('no', 'no', 1), nobody, 5, T0, NO_LIMITS)).to.deep.equal({ ok: false, outcome: 'unavailable' });
  });

  it('a negative or fractional waiting count is a clear error', () => {
    expect(() => admit(voice('yes'), agentMap(), -1, T0, NO_LIMITS)).to.throw(RoutingInputError, 'waitingCount');
    expect(() => admit(voice('yes'), agentMap(), 1.5, T0, NO_LIMITS)).to.throw(RoutingInputError, 'waitingCount');
  });
});

describe('acd routing: admission — joinEmpty', () => {
  it("'yes' (the default): joins even with nobody logged in", () => {
    expect(admit(voice('yes'), agentMap(), 0, T0, NO_LIMITS).ok).to.equal(true);
    expect(admit(queue({ channel: 'voice', memberIds: [] }), agentMap(), 0, T0, NO_LIMITS).ok).to.equal(true);
  });

  it("'no' = {paused, invalid}: refuses when every logged-in member is paused or has an invalid device", () => {
    const allPaused = agentMap(agent(1, { channels: { voice: { paused: true } } }), agent(2, { loggedIn: false }));
    expect(admit(voice('no'), allPaused, 0, T0, NO_LIMITS)).to.deep.equal({ ok: false, outcome: 'unavailable' });
    const invalid = agentMap(agent(1, { device: 'invalid' }), agent(2, { channels: { voice: { paused: true } } }));
    expect(admit(voice('no'), invalid, 0, T0, NO_LIMITS).ok).to.equal(false);
    // In use, ringing, unregistered, in wrap-up: still present for 'no' — they may be free soon.
    for (const busy of [agent(1, { device: 'inuse' }), agent(1, { device: 'ringing' }), agent(1, { device: 'unavailable' }), agent(1, { channels: { voice: { wrapupUntil: T0 + 9 } } })]) {
      expect(admit(voice('no'), agentMap(busy), 0, T0, NO_LIMITS).ok, JSON.stringify(busy)).to.equal(true);
    }
  });

  it("'strict' adds unavailable (unregistered phones); 'loose' only invalid (paused agents count as present)", () => {
    const unregistered = agentMap(agent(1, { device: 'unavailable' }));
    expect(admit(voice('strict'), unregistered, 0, T0, NO_LIMITS).ok).to.equal(false);
    expect(admit(voice('no'), unregistered, 0, T0, NO_LIMITS).ok).to.equal(true);
    const paused = agentMap(agent(1, { channels: { voice: { paused: true } } }));
    expect(admit(voice('loose'), paused, 0, T0, NO_LIMITS).ok).to.equal(true);
    expect(admit(voice('loose'), agentMap(agent(1, { device: 'invalid' })), 0, T0, NO_LIMITS).ok).to.equal(false);
  });

  it("a logged-out agent is never present, whatever the policy (Asterisk: a dynamic member who logs out leaves)", () => {
    expect(admit(voice('loose'), agentMap(agent(1, { loggedIn: false })), 0, T0, NO_LIMITS).ok).to.equal(false);
    expect(admit(voice(['wrapup']), agentMap(), 0, T0, NO_LIMITS).ok).to.equal(false);
  });

  it('an explicit list: inuse covers at-capacity and at-tab-limit, ringing covers a pending offer, wrapup the wrap-up', () => {
    const chat = (policy: EmptyPolicy) => queue({ channel: 'chat', memberIds: [1], joinEmpty: policy });
    expect(admit(chat(['inuse']), agentMap(agent(1, { channels: { chat: { open: 2, capacity: 2 } } })), 0, T0, NO_LIMITS).ok).to.equal(false);
    expect(admit(chat(['inuse']), agentMap(agent(1, { openTabs: 2 })), 0, T0, { maxOpenTabs: 2 }).ok).to.equal(false);
    expect(admit(chat(['inuse']), agentMap(agent(1, { channels: { chat: { open: 1, capacity: 2 } } })), 0, T0, NO_LIMITS).ok).to.equal(true);
    expect(admit(chat(['ringing']), agentMap(agent(1, { channels: { chat: { pendingOffer: true } } })), 0, T0, NO_LIMITS).ok).to.equal(false);
    expect(admit(chat(['wrapup']), agentMap(agent(1, { channels: { chat: { wrapupUntil: T0 + 1 } } })), 0, T0, NO_LIMITS).ok).to.equal(false);
    expect(admit(chat(['wrapup']), agentMap(agent(1, { channels: { chat: { wrapupUntil: T0 } } })), 0, T0, NO_LIMITS).ok).to.equal(true);
  });

  it('device conditions do not apply to channels without a phone', () => {
    const chat = queue({ channel: 'chat', memberIds: [1], joinEmpty: ['unavailable', 'invalid', 'unknown'] });
    expect(admit(chat, agentMap(agent(1, { device: 'unavailable' })), 0, T0, NO_LIMITS).ok).to.equal(true);
  });

  it("keywords expand as Asterisk's parse_empty_options does (minus the caller penalty window)", () => {
    const masks = (policy: EmptyPolicy) => [
      emptyConditions(queue({ joinEmpty: policy }).joinEmptyMask),
      emptyConditions(queue({ leaveWhenEmpty: policy }).leaveWhenEmptyMask),
    ];
    expect(masks('yes')).to.deep.equal([[], ['paused', 'invalid']]);
    expect(masks('no')).to.deep.equal([['paused', 'invalid'], []]);
    expect(masks('strict')).to.deep.equal([
      ['paused', 'unavailable', 'invalid'],
      ['paused', 'unavailable', 'invalid'],
    ]);
    expect(masks('loose')).to.deep.equal([['invalid'], ['invalid']]);
  });
});

describe('acd routing: admission — leaveWhenEmpty', () => {
  it("'no' (the default): waiting interactions never leave", () => {
    expect(shouldLeave(voice('yes', 'no'), agentMap(), T0, NO_LIMITS)).to.equal(false);
  });

  it("'yes' = {paused, invalid}: leave once every member is logged out, paused or invalid — not when merely busy", () => {
    const q = voice('yes', 'yes');
    expect(shouldLeave(q, agentMap(agent(1, { loggedIn: false }), agent(2, { channels: { voice: { paused: true } } })), T0, NO_LIMITS)).to.equal(true);
    expect(shouldLeave(q, agentMap(agent(1, { device: 'inuse' })), T0, NO_LIMITS)).to.equal(false);
    expect(shouldLeave(q, agentMap(agent(1, { device: 'invalid' })), T0, NO_LIMITS)).to.equal(true);
  });

  it("'strict': unregistered phones count as empty too; it reverses as soon as one registers", () => {
    const q = voice('yes', 'strict');
    const down = agentMap(agent(1, { device: 'unavailable' }), agent(2, { device: 'unavailable' }));
    expect(shouldLeave(q, down, T0, NO_LIMITS)).to.equal(true);
    expect(shouldLeave(q, new Map(down).set(2, agent(2, { device: 'registered' })), T0, NO_LIMITS)).to.equal(false);
  });
});
