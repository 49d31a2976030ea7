// Board entities for the page's unit tests, shaped as contracts/realtime-board.ts has them.
import type { BoardAgent, BoardAgentChannel, BoardCall, BoardQueue, BoardSnapshot } from '../../contracts/realtime-board.ts';
import type { Channel } from '../../server/db/schema.ts';

export const T0 = '2026-11-22T09:00:00.000Z';

export function channelState(channel: Channel, patch: Partial<BoardAgentChannel> = {}): BoardAgentChannel {
  return { channel, status: 'ready', since: T0, pauseReason: null, open: 0, capacity: channel === 'voice' ? 1 : 3, ...patch };
}

export function agent(id: number, patch: Partial<BoardAgent> = {}): BoardAgent {
  return {
    id,
    name: `Agent ${id}`,
    username: `agent${id}`,
    extension: String(1000 + id),
    typology: 'phonebar',
    teamIds: [],
    queueIds: [1],
    chanspy: true,
    loggedIn: true,
    loginDevice: 'web',
    loggedInAt: T0,
    phone: { target: `PJSIP/${1000 + id}`, state: 'NOT_INUSE' },
    channels: [channelState('voice'), channelState('chat')],
    interactions: [],
    spiedBy: null,
    ...patch,
  };
}

export function queue(id: number, channel: Channel, patch: Partial<BoardQueue> = {}): BoardQueue {
  return {
    id,
    name: `Queue ${id}`,
    channel,
    waiting: 0,
    longestWaitingSince: null,
    agents: { loggedIn: 0, ready: 0, busy: 0, paused: 0 },
    today: { offered: 0, answered: 0, abandoned: 0, timeout: 0, answeredWithinServiceLevel: 0 },
    serviceLevelSec: 20,
    serviceLevel: null,
    ...patch,
  };
}

export function call(id: number, patch: Partial<BoardCall> = {}): BoardCall {
  return {
    id,
    direction: 'inbound',
    caller: `+3905500${id}`,
    callerName: '',
    did: '0551234',
    state: 'talking',
    queueId: 1,
    agentId: null,
    startedAt: T0,
    answeredAt: T0,
    talkingSince: T0,
    line: null,
    ...patch,
  };
}

export function snapshot(patch: Partial<BoardSnapshot> = {}): BoardSnapshot {
  return {
    seq: 10,
    at: T0,
    can: { editAgents: true, chanspy: true },
    agents: [agent(1), agent(2)],
    queues: [queue(1, 'voice'), queue(2, 'chat')],
    calls: [],
    trunks: [{ id: 1, name: 'Carrier', endpoint: 'carrier', enabled: true, state: 'NOT_INUSE', activeCalls: 0 }],
    teams: [{ id: 5, name: 'Blue' }],
    pauseReasons: [{ id: 1, name: 'Lunch' }],
    ...patch,
  };
}
