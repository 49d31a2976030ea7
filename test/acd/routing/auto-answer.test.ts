// XCALLY's auto-answer rules: per channel with a delay in seconds, never with beepall, and no
// automatic accept while the agent is at the open-tab limit or at the channel's capacity.
import { expect } from 'chai';
import { autoAnswerFor, decide, RoutingInputError } from '../../../server/acd/routing/index.ts';
import { agent, agentMap, entry, NO_LIMITS, queue, T0 } from './helpers.ts';

const auto = (delaySeconds = 5) => ({ enabled: true, delaySeconds });

describe('acd routing: auto-answer (XCALLY rules)', () => {
  it('XCALLY auto answer "per channel" with "answer delay in seconds": enabled gives the delay in ms', () => {
    const a = agent(1, { channels: { chat: { autoAnswer: auto(5) }, email: { autoAnswer: auto(0) } } });
    expect(autoAnswerFor(a, 'chat', T0, NO_LIMITS)).to.deep.equal({ auto: true, delayMs: 5000 });
    expect(autoAnswerFor(a, 'email', T0, NO_LIMITS)).to.deep.equal({ auto: true, delayMs: 0 });
    // Set per channel: sms has none.
    expect(autoAnswerFor(a, 'sms', T0, NO_LIMITS)).to.deep.equal({ auto: false, reason: 'not-enabled' });
  });

  it('XCALLY auto answer disabled: the agent must accept the popup', () => {
    const a = agent(1, { channels: { chat: { autoAnswer: { enabled: false, delaySeconds: 5 } } } });
    expect(autoAnswerFor(a, 'chat', T0, NO_LIMITS)).to.deep.equal({ auto: false, reason: 'not-enabled' });
  });

  it('XCALLY "Don\'t use this feature when using beepall queue strategy": beepall never auto-answers', () => {
    const a = agent(1, { channels: { chat: { autoAnswer: auto() } } });
    expect(autoAnswerFor(a, 'chat', T0, NO_LIMITS, 'beepall')).to.deep.equal({ auto: false, reason: 'beepall' });
    expect(autoAnswerFor(a, 'chat', T0, NO_LIMITS, 'ringall')).to.deep.equal({ auto: true, delayMs: 5000 });
  });

  it('XCALLY scenario "auto answer enabled, but already reached the Max Tab Limit": not automatically accepted', () => {
    const a = agent(1, { openTabs: 4, channels: { chat: { autoAnswer: auto(), open: 1, capacity: 5 } } });
    expect(autoAnswerFor(a, 'chat', T0, { maxOpenTabs: 4 })).to.deep.equal({ auto: false, reason: 'at-tab-limit' });
  });

  it('XCALLY scenario "auto answer enabled, but already reached the Max Capacity": not automatically accepted', () => {
    const a = agent(1, { openTabs: 2, channels: { chat: { autoAnswer: auto(), open: 2, capacity: 2 } } });
    expect(autoAnswerFor(a, 'chat', T0, { maxOpenTabs: 10 })).to.deep.equal({ auto: false, reason: 'at-capacity' });
  });

  it('XCALLY scenario "…as long as the number of tabs/capacity decreases by 1": one slot freed → auto again', () => {
    const full = agent(1, { openTabs: 3, channels: { chat: { autoAnswer: auto(2), open: 3, capacity: 3 } } });
    expect(autoAnswerFor(full, 'chat', T0, { maxOpenTabs: 3 }).auto).to.equal(false);
    const oneTabClosed = agent(1, { openTabs: 2, channels: { chat: { autoAnswer: auto(2), open: 3, capacity: 3 } } });
    expect(autoAnswerFor(oneTabClosed, 'chat', T0, { maxOpenTabs: 3 })).to.deep.equal({ auto: false, reason: 'at-capacity' });
    const oneChatClosed = agent(1, { openTabs: 2, channels: { chat: { autoAnswer: auto(2), open: 2, capacity: 3 } } });
    expect(autoAnswerFor(oneChatClosed, 'chat', T0, { maxOpenTabs: 3 })).to.deep.equal({ auto: true, delayMs: 2000 });
  });

  it('XCALLY scenario, whole path: an agent at capacity with auto-answer gets no offer at all', () => {
    const q = queue({ strategy: 'ringall', memberIds: [1, 2] });
    const agents = agentMap(agent(1, { channels: { chat: { autoAnswer: auto(), open: 2, capacity: 2 } } }), agent(2, { channels: { chat: { autoAnswer: auto(1) } } }));
    const d = decide(q, entry(), agents, T0, { limits: NO_LIMITS });
    expect(d.offers).to.deep.equal([{ agentId: 2, autoAnswer: { auto: true, delayMs: 1000 } }]);
  });

  it('no auto-answer for a logged-out, paused or wrapping-up agent (the delay may outlive the state the offer was made in)', () => {
    const ch = (extra: object) => ({ channels: { chat: { autoAnswer: auto(), ...extra } } });
    expect(autoAnswerFor(agent(1, { loggedIn: false, ...ch({}) }), 'chat', T0, NO_LIMITS)).to.deep.equal({ auto: false, reason: 'logged-out' });
    expect(autoAnswerFor(agent(1, ch({ paused: true })), 'chat', T0, NO_LIMITS)).to.deep.equal({ auto: false, reason: 'paused' });
    expect(autoAnswerFor(agent(1, ch({ wrapupUntil: T0 + 1 })), 'chat', T0, NO_LIMITS)).to.deep.equal({ auto: false, reason: 'in-wrapup' });
  });

  it('a negative delay is a clear error', () => {
    const a = agent(3, { channels: { chat: { autoAnswer: auto(-1) } } });
    expect(() => autoAnswerFor(a, 'chat', T0, NO_LIMITS)).to.throw(RoutingInputError, 'agent 3.channels.chat.autoAnswer.delaySeconds');
  });
});
