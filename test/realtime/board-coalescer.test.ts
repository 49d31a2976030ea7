// The board's coalescing, pure: dirty keys collapse to a set per flush, and a socket's pending
// delta keeps only the latest version of each entity, with removals and upserts cancelling.
import { expect } from 'chai';
import { DirtySet, PendingDelta } from '../../server/realtime/board/coalescer.ts';
import { boardAgent, boardQueue, type AgentLive, type AgentStatic } from '../../server/realtime/board/agent-status.ts';
import type { BoardAgent, BoardQueue } from '../../contracts/realtime-board.ts';

const agentStatic: AgentStatic = { id: 7, name: 'Ann', username: 'ann', extension: '1007', typology: 'phonebar', chanspy: true, capacity: { chat: 3 }, teamIds: [], queueIds: [1, 2], channels: ['voice', 'chat'] };
const loggedIn = (over: Partial<AgentLive> = {}): AgentLive => ({ session: { device: 'web', dialTarget: 'PJSIP/1007', loggedInAt: new Date('2026-01-01T08:00:00Z') }, states: [], interactions: [], spiedBy: null, ...over });
const now = new Date('2026-01-01T09:00:00Z');

function agent(id: number, reason: string | null): BoardAgent {
  const a = boardAgent({ ...agentStatic, id }, loggedIn(reason ? { states: [{ channel: 'voice', paused: true, pauseReason: reason, pausedAt: now, wrapupUntil: null, lastEndedAt: null }] } : {}), null, now);
  return a;
}

describe('supervisor board: coalescing', () => {
  it('collects each key once per flush and starts over after take()', () => {
    const d = new DirtySet();
    expect(d.empty).to.equal(true);
    for (let i = 0; i < 200; i++) d.agent(i % 3);
    d.queue(5);
    d.queue(5);
    d.callRef('1700000000.1');
    d.merge({ agents: [2, 9], structure: true, entries: [4] });
    const keys = d.take();
    expect(keys.agents.sort()).to.deep.equal([0, 1, 2, 9]);
    expect(keys.queues).to.deep.equal([5]);
    expect(keys.callRefs).to.deep.equal(['1700000000.1']);
    expect(keys.entries).to.deep.equal([4]);
    expect(keys.structure).to.equal(true);
    expect(d.empty).to.equal(true);
    expect(d.take()).to.deep.equal({ agents: [], queues: [], calls: [], callRefs: [], entries: [], trunks: [], structure: false });
  });

  it('keeps only the latest version of an entity in a pending delta', () => {
    const p = new PendingDelta();
    for (let i = 0; i < 50; i++) p.upsertAgent(agent(1, `r${i}`));
    p.upsertAgent(agent(2, null));
    const delta = p.take(4, now.toISOString());
    expect(delta.seq).to.equal(4);
    expect(delta.agents).to.have.length(2);
    expect(delta.agents!.find((a) => a.id === 1)!.channels.find((c) => c.channel === 'voice')!.pauseReason).to.equal('r49');
    expect(delta).to.not.have.property('queues');
    expect(delta).to.not.have.property('removed');
    expect(p.empty).to.equal(true);
  });

  it('a removal cancels an earlier upsert and an upsert cancels an earlier removal', () => {
    const p = new PendingDelta();
    p.upsertAgent(agent(1, null));
    p.remove('agents', 1);
    p.remove('agents', 2);
    p.upsertAgent(agent(2, 'lunch'));
    p.remove('calls', 30);
    const delta = p.take(1, now.toISOString());
    expect(delta.agents!.map((a) => a.id)).to.deep.equal([2]);
    expect(delta.removed).to.deep.equal({ agents: [1], calls: [30] });
  });

  it('clear() forgets everything (a snapshot replaces it)', () => {
    const p = new PendingDelta();
    p.upsertAgent(agent(1, null));
    p.remove('queues', 3);
    p.clear();
    expect(p.empty).to.equal(true);
  });
});

describe('supervisor board: agent and queue status', () => {
  it('orders busy over wrap-up over paused over ready, and offline when logged out', () => {
    const wrap = new Date(now.getTime() + 30_000);
    const a = boardAgent(
      agentStatic,
      loggedIn({
        states: [
          { channel: 'voice', paused: true, pauseReason: 'lunch', pausedAt: now, wrapupUntil: wrap, lastEndedAt: now },
          { channel: 'chat', paused: true, pauseReason: 'lunch', pausedAt: now, wrapupUntil: null, lastEndedAt: null },
        ],
        interactions: [{ entryId: 3, channel: 'chat', queueId: 2, with: 'Zoe', since: now }],
      }),
      'NOT_INUSE',
      now,
    );
    const byChannel = Object.fromEntries(a.channels.map((c) => [c.channel, c]));
    expect(byChannel.voice).to.include({ status: 'wrap-up', open: 0, capacity: 1 });
    expect(byChannel.chat).to.include({ status: 'busy', open: 1, capacity: 3 });
    expect(a.phone).to.deep.equal({ target: 'PJSIP/1007', state: 'NOT_INUSE' });
    const paused = boardAgent(agentStatic, loggedIn({ states: [{ channel: 'voice', paused: true, pauseReason: 'lunch', pausedAt: now, wrapupUntil: null, lastEndedAt: null }] }), null, now);
    expect(paused.channels.find((c) => c.channel === 'voice')).to.include({ status: 'paused', pauseReason: 'lunch', since: now.toISOString() });
    const off = boardAgent(agentStatic, { session: null, states: [], interactions: [], spiedBy: null }, null, now);
    expect(off.loggedIn).to.equal(false);
    expect(off.channels.every((c) => c.status === 'offline')).to.equal(true);
  });

  it('keeps the ready `since` across recomputations and dates a new ready when first seen', () => {
    const voice = (a: BoardAgent) => a.channels.find((c) => c.channel === 'voice')!;
    const first = boardAgent(agentStatic, loggedIn(), null, now);
    expect(voice(first).since).to.equal('2026-01-01T08:00:00.000Z');
    const later = new Date(now.getTime() + 60_000);
    expect(voice(boardAgent(agentStatic, loggedIn(), null, later, first)).since).to.equal('2026-01-01T08:00:00.000Z');
    const paused = agent(7, 'lunch');
    expect(voice(boardAgent(agentStatic, loggedIn(), null, later, paused)).since).to.equal(later.toISOString());
  });

  it("counts a queue's agents on the queue's channel and its service level", () => {
    const ready = boardAgent(agentStatic, loggedIn(), null, now);
    const paused = agent(8, 'lunch');
    const off = boardAgent({ ...agentStatic, id: 9 }, { session: null, states: [], interactions: [], spiedBy: null }, null, now);
    const q: BoardQueue = boardQueue(
      { id: 1, name: 'Sales', channel: 'voice', serviceLevelSec: 20 },
      { waiting: 2, longestWaitingSince: now, offered: 6, answered: 3, abandoned: 1, timeout: 0, answeredWithinServiceLevel: 2 },
      [ready, paused, off, undefined],
    );
    expect(q.agents).to.deep.equal({ loggedIn: 2, ready: 1, busy: 0, paused: 1 });
    expect(q.serviceLevel).to.equal(66.7);
    expect(q.longestWaitingSince).to.equal(now.toISOString());
  });
});
