// What the board's tables show (designer/src/realtime/boardView.ts): filters by queue, team, channel
// and text, sorting per column, counters, and the channels worth a cell in an agent's row.
import { expect } from 'chai';
import {
  NO_FILTERS,
  agentChannels,
  agentCounters,
  agentOverallStatus,
  queueDirectory,
  sortedAgents,
  linePositions,
  sortedCalls,
  sortedQueues,
  type BoardFilters,
} from '../../designer/src/realtime/boardView.ts';
import { formatDuration, ordinal, spokenDuration } from '../../designer/src/realtime/format.ts';
import { agent, call, channelState, queue } from './fixtures.ts';

const queues = new Map([
  [1, queue(1, 'voice', { name: 'Sales', waiting: 2, longestWaitingSince: '2026-11-22T08:58:00.000Z', serviceLevel: 90 })],
  [2, queue(2, 'chat', { name: 'Web chat', waiting: 0, serviceLevel: 40 })],
  [3, queue(3, 'voice', { name: 'Support', waiting: 5, longestWaitingSince: '2026-11-22T08:50:00.000Z', serviceLevel: null })],
]);
const directory = queueDirectory(queues);
const ada = agent(1, { name: 'Ada', queueIds: [1], teamIds: [5], channels: [channelState('voice', { status: 'busy', open: 1 }), channelState('chat')] });
const bob = agent(2, {
  name: 'bob',
  queueIds: [2],
  teamIds: [6],
  channels: [channelState('voice'), channelState('chat', { status: 'paused', pauseReason: 'Lunch', since: '2026-11-22T08:00:00.000Z' })],
});
const cy = agent(3, { name: 'Cy', extension: '2042', queueIds: [3], loggedIn: false, loggedInAt: null, channels: [channelState('voice', { status: 'offline', since: null })] });
const agents = new Map([ada, bob, cy].map((a) => [a.id, a]));
const names = (list: { name: string }[]) => list.map((x) => x.name);
const filters = (patch: Partial<BoardFilters>): BoardFilters => ({ ...NO_FILTERS, ...patch });

describe('realtime board view', () => {
  it('filters agents by queue, team, channel (through their queues) and text', () => {
    const by = (f: Partial<BoardFilters>) => names(sortedAgents(agents.values(), filters(f), directory, { key: 'name', direction: 'ascending' }));
    expect(by({})).to.deep.equal(['Ada', 'bob', 'Cy']);
    expect(by({ queueId: 1 })).to.deep.equal(['Ada']);
    expect(by({ teamId: 6 })).to.deep.equal(['bob']);
    expect(by({ channel: 'voice' })).to.deep.equal(['Ada', 'Cy']);
    expect(by({ channel: 'chat' })).to.deep.equal(['bob']);
    expect(by({ channel: 'email' })).to.deep.equal([]);
    expect(by({ text: '2042' })).to.deep.equal(['Cy']);
    expect(by({ text: 'BO' })).to.deep.equal(['bob']);
    expect(by({ queueId: 1, teamId: 6 })).to.deep.equal([]);
  });

  it('sorts agents by each column, both ways', () => {
    const by = (key: 'name' | 'status' | 'open' | 'loggedIn', direction: 'ascending' | 'descending' = 'ascending') =>
      names(sortedAgents(agents.values(), NO_FILTERS, directory, { key, direction }));
    expect(by('name', 'descending')).to.deep.equal(['Cy', 'bob', 'Ada']);
    // Busy, then ready/paused by the most telling channel, logged out last.
    expect(by('status')).to.deep.equal(['Ada', 'bob', 'Cy']);
    expect(by('status', 'descending')).to.deep.equal(['Cy', 'bob', 'Ada']);
    expect(by('open', 'descending')[0]).to.equal('Ada');
    expect(by('loggedIn').at(-1)).to.equal('Cy');
  });

  it('shows the channels of the agent’s queues, plus any channel with work', () => {
    expect(agentChannels(ada, directory, null).map((c) => c.channel)).to.deep.equal(['voice']);
    expect(agentChannels(bob, directory, null).map((c) => c.channel)).to.deep.equal(['chat']);
    expect(agentChannels(bob, directory, 'voice').map((c) => c.channel)).to.deep.equal(['voice']);
    const chatting = agent(4, { queueIds: [1], channels: [channelState('voice'), channelState('chat', { status: 'busy', open: 2 })] });
    expect(agentChannels(chatting, directory, null).map((c) => c.channel)).to.deep.equal(['voice', 'chat']);
    expect(agentOverallStatus(chatting, agentChannels(chatting, directory, null))).to.equal('busy');
    expect(agentOverallStatus(cy, agentChannels(cy, directory, null))).to.equal('offline');
  });

  it('counts agents by state for what the filters show', () => {
    const shown = sortedAgents(agents.values(), NO_FILTERS, directory, { key: 'name', direction: 'ascending' });
    expect(agentCounters(shown, directory, null)).to.deep.equal({ total: 3, loggedIn: 2, ready: 0, paused: 1, busy: 1, wrapUp: 0 });
    expect(agentCounters(shown, directory, 'chat')).to.deep.equal({ total: 3, loggedIn: 2, ready: 1, paused: 1, busy: 0, wrapUp: 0 });
  });

  it('filters and sorts queues; a team shows the queues its agents work in', () => {
    const by = (f: Partial<BoardFilters>, key: 'name' | 'waiting' | 'longestWait' | 'serviceLevel' = 'name', direction: 'ascending' | 'descending' = 'ascending') =>
      names(sortedQueues(queues.values(), agents.values(), filters(f), { key, direction }));
    expect(by({})).to.deep.equal(['Sales', 'Support', 'Web chat']);
    expect(by({ channel: 'chat' })).to.deep.equal(['Web chat']);
    expect(by({ teamId: 5 })).to.deep.equal(['Sales']);
    expect(by({}, 'waiting', 'descending')).to.deep.equal(['Support', 'Sales', 'Web chat']);
    expect(by({}, 'longestWait', 'descending')).to.deep.equal(['Support', 'Sales', 'Web chat']);
    expect(by({}, 'serviceLevel', 'descending')).to.deep.equal(['Sales', 'Web chat', 'Support']);
  });

  it('filters calls by queue, team and channel (calls are voice) and sorts them', () => {
    const calls = [call(1, { queueId: 1, agentId: 1, startedAt: '2026-11-22T08:59:00.000Z' }), call(2, { queueId: 3, agentId: null, state: 'queued', startedAt: '2026-11-22T08:50:00.000Z' })];
    const by = (f: Partial<BoardFilters>, key: 'duration' | 'state' | 'agent' = 'duration', direction: 'ascending' | 'descending' = 'descending') =>
      sortedCalls(calls, agents, directory, filters(f), { key, direction }).map((c) => c.id);
    expect(by({})).to.deep.equal([2, 1]);
    expect(by({}, 'duration', 'ascending')).to.deep.equal([1, 2]);
    expect(by({ queueId: 1 })).to.deep.equal([1]);
    expect(by({ teamId: 5 })).to.deep.equal([1]);
    expect(by({ channel: 'chat' })).to.deep.equal([]);
    expect(by({ channel: 'voice' })).to.deep.equal([2, 1]);
    expect(by({ text: 'ada' })).to.deep.equal([1]);
    expect(by({}, 'state', 'ascending')).to.deep.equal([1, 2]);
  });

  it('places callers in line in the order the router serves them: priority, then arrival, then entry id, per queue', () => {
    const inLine = (id: number, queueId: number, priority: number, since: string, entryId: number) =>
      call(id, { queueId, state: 'queued', agentId: null, talkingSince: null, line: { entryId, priority, since: `2026-11-22T09:00:${since}.000Z` } });
    const calls = [
      inLine(1, 1, 0, '05', 10),
      inLine(2, 1, 0, '01', 11),
      inLine(3, 1, 1, '09', 12), // priority first, though it arrived last
      inLine(4, 1, 0, '01', 9), // same instant as call 2: the lower entry id first
      inLine(5, 3, 0, '00', 13), // another queue: its own line
      call(6, { queueId: 1 }), // talking: not in line
    ];
    const positions = linePositions(calls);
    expect([1, 2, 3, 4, 5, 6].map((id) => positions.get(id) ?? null)).to.deep.equal([4, 3, 1, 2, 1, null]);
    expect(sortedCalls(calls, agents, directory, filters({ queueId: 1 }), { key: 'state', direction: 'ascending' }).map((c) => c.id)).to.deep.equal([6, 3, 4, 2, 1]);
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).to.deep.equal(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th']);
  });

  it('keeps the queue directory signature when only counters change', () => {
    const changed = new Map(queues);
    changed.set(1, { ...queues.get(1)!, waiting: 9 });
    expect(queueDirectory(changed).signature).to.equal(directory.signature);
    changed.set(2, { ...queues.get(2)!, name: 'Chat' });
    expect(queueDirectory(changed).signature).to.not.equal(directory.signature);
    expect(directory.list.map((q) => q.name)).to.deep.equal(['Sales', 'Support', 'Web chat']);
  });

  it('formats ticking durations', () => {
    expect(formatDuration(7_000)).to.equal('0:07');
    expect(formatDuration(765_000)).to.equal('12:45');
    expect(formatDuration(3_723_000)).to.equal('1:02:03');
    expect(formatDuration(-5_000)).to.equal('0:00');
    expect(spokenDuration(3_723_000)).to.equal('1 h 2 min 3 s');
  });
});
