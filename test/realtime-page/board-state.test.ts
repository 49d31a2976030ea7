// The board page's state (designer/src/realtime/boardState.ts): snapshot + deltas in seq order,
// gaps detected, stale deltas ignored, and structural sharing (what a delta does not touch keeps its
// identity, which is what lets the page's memoised rows skip rendering).
import { expect } from 'chai';
import type { BoardDelta } from '../../contracts/realtime-board.ts';
import { applyDelta, applyDeltas, boardFromSnapshot } from '../../designer/src/realtime/boardState.ts';
import { parseDelta, parseSnapshot } from '../../designer/src/realtime/boardSchema.ts';
import { IdMap } from '../../designer/src/realtime/idMap.ts';
import { agent, call, channelState, queue, snapshot } from './fixtures.ts';

const delta = (seq: number, patch: Omit<BoardDelta, 'seq' | 'at'> = {}): BoardDelta => ({ seq, at: `2026-11-22T09:00:${String(seq).padStart(2, '0')}.000Z`, ...patch });

describe('realtime board state', () => {
  it('builds the state from a snapshot, by id', () => {
    const state = boardFromSnapshot(snapshot());
    expect(state.seq).to.equal(10);
    expect([...state.agents.keys()]).to.deep.equal([1, 2]);
    expect(state.queues.get(2)?.channel).to.equal('chat');
    expect(state.trunks.get(1)?.name).to.equal('Carrier');
    expect(state.pauseReasons.map((r) => r.name)).to.deep.equal(['Lunch']);
  });

  it('replaces the agents a delta names and shares everything else', () => {
    const before = boardFromSnapshot(snapshot());
    const paused = agent(2, { channels: [channelState('voice', { status: 'paused', pauseReason: 'Lunch' }), channelState('chat')] });
    const { state, gap, applied } = applyDelta(before, delta(11, { agents: [paused] }));
    expect(gap).to.equal(false);
    expect(applied).to.equal(1);
    expect(state.seq).to.equal(11);
    expect(state.at).to.equal('2026-11-22T09:00:11.000Z');
    expect(state.agents.get(2)).to.equal(paused);
    // The untouched agent is the same object; untouched collections are the same maps.
    expect(state.agents.get(1)).to.equal(before.agents.get(1));
    expect(state.queues).to.equal(before.queues);
    expect(state.calls).to.equal(before.calls);
    expect(state.trunks).to.equal(before.trunks);
    // The previous state is not modified.
    expect(before.agents.get(2)?.channels[0]?.status).to.equal('ready');
    expect(before.seq).to.equal(10);
  });

  it('adds new entities and removes the ones listed in removed', () => {
    const before = boardFromSnapshot(snapshot({ calls: [call(7), call(8)] }));
    const { state } = applyDeltas(before, [delta(11, { agents: [agent(3)], calls: [call(9)] }), delta(12, { removed: { agents: [1], calls: [7], queues: [2] } })]);
    expect([...state.agents.keys()].sort()).to.deep.equal([2, 3]);
    expect([...state.calls.keys()].sort()).to.deep.equal([8, 9]);
    expect([...state.queues.keys()]).to.deep.equal([1]);
    expect(state.seq).to.equal(12);
  });

  it('a call that ends and comes back within a batch follows the order of the deltas', () => {
    const before = boardFromSnapshot(snapshot({ calls: [call(7)] }));
    const ended = applyDeltas(before, [delta(11, { removed: { calls: [7] } }), delta(12, { calls: [call(7, { state: 'queued' })] })]).state;
    expect(ended.calls.get(7)?.state).to.equal('queued');
    const gone = applyDeltas(before, [delta(11, { calls: [call(7, { state: 'ringing' })] }), delta(12, { removed: { calls: [7] } })]).state;
    expect(gone.calls.has(7)).to.equal(false);
  });

  it('copies a touched collection once per batch, not once per delta', () => {
    const before = boardFromSnapshot(snapshot());
    const batch = [delta(11, { agents: [agent(1, { name: 'A' })] }), delta(12, { agents: [agent(2, { name: 'B' })] }), delta(13, { agents: [agent(1, { name: 'C' })] })];
    const { state, applied } = applyDeltas(before, batch);
    expect(applied).to.equal(3);
    expect(state.agents.get(1)?.name).to.equal('C');
    expect(state.agents.get(2)?.name).to.equal('B');
    expect(state.agents).to.not.equal(before.agents);
    expect(before.agents.get(1)?.name).to.equal('Agent 1');
  });

  it('removing an id the state never had costs nothing', () => {
    const before = boardFromSnapshot(snapshot());
    const { state } = applyDelta(before, delta(11, { removed: { calls: [99], agents: [42] } }));
    expect(state.calls).to.equal(before.calls);
    expect(state.agents).to.equal(before.agents);
    expect(state.seq).to.equal(11);
  });

  it('ignores deltas the snapshot already covers (seq at or below its own)', () => {
    const before = boardFromSnapshot(snapshot());
    const outcome = applyDeltas(before, [delta(9, { agents: [agent(1, { name: 'old' })] }), delta(10, { agents: [agent(1, { name: 'old too' })] })]);
    expect(outcome.state).to.equal(before);
    expect(outcome.applied).to.equal(0);
    expect(outcome.gap).to.equal(false);
  });

  it('stops at a gap in seq and says a resync is needed, keeping what came before the gap', () => {
    const before = boardFromSnapshot(snapshot());
    const outcome = applyDeltas(before, [delta(11, { agents: [agent(1, { name: 'applied' })] }), delta(13, { agents: [agent(2, { name: 'after the gap' })] })]);
    expect(outcome.gap).to.equal(true);
    expect(outcome.applied).to.equal(1);
    expect(outcome.state.seq).to.equal(11);
    expect(outcome.state.agents.get(1)?.name).to.equal('applied');
    expect(outcome.state.agents.get(2)?.name).to.equal('Agent 2');

    const only = applyDelta(before, delta(12));
    expect(only.gap).to.equal(true);
    expect(only.state).to.equal(before);
  });

  it('a fresh snapshot after a gap replaces the state entirely', () => {
    const stale = applyDelta(boardFromSnapshot(snapshot()), delta(11, { agents: [agent(1, { name: 'stale' })] })).state;
    const fresh = boardFromSnapshot(snapshot({ seq: 40, agents: [agent(1, { name: 'fresh' })] }));
    expect(fresh.agents.get(1)?.name).to.equal('fresh');
    expect(fresh.agents.has(2)).to.equal(false);
    expect(applyDelta(fresh, delta(41, { agents: [agent(2)] })).state.agents.has(2)).to.equal(true);
    expect(stale.seq).to.equal(11);
  });

  it('queues and trunks are replaced like agents', () => {
    const before = boardFromSnapshot(snapshot());
    const busyQueue = queue(1, 'voice', { waiting: 3, longestWaitingSince: '2026-11-22T08:59:00.000Z' });
    const { state } = applyDelta(before, delta(11, { queues: [busyQueue], trunks: [{ id: 1, name: 'Carrier', endpoint: 'carrier', enabled: true, state: 'UNAVAILABLE', activeCalls: 0 }] }));
    expect(state.queues.get(1)?.waiting).to.equal(3);
    expect(state.queues.get(2)).to.equal(before.queues.get(2));
    expect(state.trunks.get(1)?.state).to.equal('UNAVAILABLE');
  });

  it('applies 1,000 deltas on a 500-agent board without touching the agents they do not name', () => {
    const agents = Array.from({ length: 500 }, (_, i) => agent(i + 1));
    let state = boardFromSnapshot(snapshot({ seq: 0, agents }));
    const first = state.agents.get(1);
    for (let seq = 1; seq <= 1000; seq++) {
      const id = 2 + (seq % 499);
      state = applyDelta(state, { seq, at: '2026-11-22T09:01:00.000Z', agents: [agent(id, { name: `n${seq}` })] }).state;
    }
    expect(state.seq).to.equal(1000);
    expect(state.agents.size).to.equal(500);
    expect(state.agents.get(1)).to.equal(first);
    expect(state.agents.get(2 + (1000 % 499))?.name).to.equal('n1000');
  });
});

describe('realtime board id map', () => {
  const item = (id: number, v = 0) => ({ id, v });

  it('reads what it was built from, whatever the ids', () => {
    const map = IdMap.from([item(1), item(129), item(257), item(3), item(1, 9)]);
    expect(map.size).to.equal(4);
    expect(map.get(1)?.v).to.equal(9);
    expect(map.get(129)?.id).to.equal(129);
    expect(map.has(2)).to.equal(false);
    expect(map.get(2)).to.equal(undefined);
    expect([...map.keys()].sort((a, b) => a - b)).to.deep.equal([1, 3, 129, 257]);
    expect([...map.values()].map((x) => x.id).sort((a, b) => a - b)).to.deep.equal([1, 3, 129, 257]);
  });

  it('changes by copy: the old map is untouched, an empty edit gives the same map', () => {
    const before = IdMap.from(Array.from({ length: 500 }, (_, i) => item(i + 1)));
    expect(before.edit().done()).to.equal(before);
    const missing = before.edit();
    missing.delete(9999);
    expect(missing.done()).to.equal(before);
    const editor = before.edit();
    editor.set(item(7, 1));
    editor.set(item(600, 2));
    editor.delete(8);
    editor.delete(600);
    editor.set(item(601, 3));
    const after = editor.done();
    expect(after.size).to.equal(500);
    expect(after.get(7)?.v).to.equal(1);
    expect(after.has(8)).to.equal(false);
    expect(after.has(600)).to.equal(false);
    expect(after.get(601)?.v).to.equal(3);
    expect(after.get(9)).to.equal(before.get(9));
    expect(before.size).to.equal(500);
    expect(before.get(7)?.v).to.equal(0);
    expect(before.has(8)).to.equal(true);
    expect(before.has(601)).to.equal(false);
  });
});

describe('realtime board messages', () => {
  it('accepts a snapshot and a delta shaped as the contract says', () => {
    const s = parseSnapshot(snapshot({ calls: [call(1, { agentId: 1 })] }));
    expect(s.ok).to.equal(true);
    const d = parseDelta({ seq: 11, at: '2026-11-22T09:00:11.000Z', agents: [agent(1)], removed: { calls: [3] } });
    expect(d.ok).to.equal(true);
  });

  it('refuses messages the page could not draw, naming the field', () => {
    const bad = parseSnapshot({ ...snapshot(), agents: [{ ...agent(1), channels: [{ ...channelState('voice'), status: 'sleeping' }] }] });
    expect(bad.ok).to.equal(false);
    if (!bad.ok) expect(bad.error).to.contain('agents.0.channels.0.status');
    expect(parseDelta({ seq: '11', at: 'x' }).ok).to.equal(false);
    expect(parseDelta(null).ok).to.equal(false);
    expect(parseSnapshot({ ...snapshot(), can: undefined }).ok).to.equal(false);
  });
});
