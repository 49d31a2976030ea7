// What the board shows of an agent and a queue, computed (pure) from the rows the queries load:
// per channel offline / busy / wrap-up / paused / ready, in that precedence (an agent on a call
// who paused for after it is busy until the call ends; wrap-up hides a pause taken during it).
import type { Channel } from '../../db/schema.ts';
import type { AgentChannelStatus, BoardAgent, BoardAgentChannel, BoardAgentInteraction, BoardQueue } from '../../../contracts/realtime-board.ts';

export interface AgentStatic {
  id: number;
  name: string;
  username: string;
  extension: string;
  typology: BoardAgent['typology'];
  chanspy: boolean;
  capacity: Partial<Record<Channel, number>>;
  teamIds: number[];
  queueIds: number[];
  /** Channels of the agent's queues: those the board shows a state for. */
  channels: Channel[];
}

export interface AgentLive {
  session: { device: string; dialTarget: string | null; loggedInAt: Date } | null;
  states: { channel: Channel; paused: boolean; pauseReason: string | null; pausedAt: Date | null; wrapupUntil: Date | null; lastEndedAt: Date | null }[];
  interactions: { entryId: number; channel: Channel; queueId: number; with: string | null; since: Date }[];
  spiedBy: BoardAgent['spiedBy'];
}

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** Voice carries one call; other channels default to 0 = unlimited (as the routing core has it). */
export function capacityOf(capacity: Partial<Record<Channel, number>>, channel: Channel): number {
  if (channel === 'voice') return 1;
  return capacity[channel] ?? 0;
}

/**
 * The board's view of one agent. `previous` is what the board showed last: a ready agent keeps the
 * `since` it had (there is no "ready since" column; a change to ready is dated when first seen).
 */
export function boardAgent(s: AgentStatic, live: AgentLive, phoneState: string | null, now: Date, previous?: BoardAgent): BoardAgent {
  const channelSet = new Set<Channel>(s.channels);
  for (const i of live.interactions) channelSet.add(i.channel);
  if (channelSet.size === 0) channelSet.add('voice');
  const channels: BoardAgentChannel[] = [...channelSet].sort().map((channel) => {
    const st = live.states.find((x) => x.channel === channel);
    const mine = live.interactions.filter((i) => i.channel === channel);
    const base = { channel, open: mine.length, capacity: capacityOf(s.capacity, channel), pauseReason: null as string | null };
    let status: AgentChannelStatus;
    let since: string | null;
    if (!live.session) {
      status = 'offline';
      since = null;
    } else if (mine.length > 0) {
      status = 'busy';
      since = iso(new Date(Math.min(...mine.map((i) => i.since.getTime()))));
    } else if (st?.wrapupUntil && st.wrapupUntil.getTime() > now.getTime()) {
      status = 'wrap-up';
      since = iso(st.lastEndedAt ?? now);
    } else if (st?.paused) {
      return { ...base, status: 'paused' as const, since: iso(st.pausedAt ?? now), pauseReason: st.pauseReason };
    } else {
      status = 'ready';
      const before = previous?.channels.find((c) => c.channel === channel);
      if (before?.status === 'ready' && before.since) since = before.since;
      else if (previous) since = now.toISOString();
      else {
        // First sight (node start): the latest of login and end of the last interaction.
        const candidates = [live.session.loggedInAt.getTime(), st?.lastEndedAt?.getTime() ?? 0, st?.wrapupUntil?.getTime() ?? 0];
        since = new Date(Math.max(...candidates)).toISOString();
      }
    }
    return { ...base, status, since };
  });
  const interactions: BoardAgentInteraction[] = live.interactions.map((i) => ({ entryId: i.entryId, channel: i.channel, queueId: i.queueId, with: i.with, since: i.since.toISOString() }));
  const target = live.session?.dialTarget ?? `PJSIP/${s.extension}`;
  return {
    id: s.id,
    name: s.name,
    username: s.username,
    extension: s.extension,
    typology: s.typology,
    teamIds: s.teamIds,
    queueIds: s.queueIds,
    chanspy: s.chanspy,
    loggedIn: live.session !== null,
    loginDevice: live.session?.device ?? null,
    loggedInAt: iso(live.session?.loggedInAt),
    phone: { target: live.session ? target : null, state: phoneState },
    channels,
    interactions,
    spiedBy: live.spiedBy,
  };
}

/** When the earliest wrap-up of the agent ends (the board must change it to ready then). */
export function nextWrapupEnd(live: AgentLive, now: Date): Date | null {
  const ends = live.states.map((s) => s.wrapupUntil?.getTime() ?? 0).filter((t) => t > now.getTime());
  return ends.length ? new Date(Math.min(...ends)) : null;
}

export interface QueueStats {
  waiting: number;
  longestWaitingSince: Date | null;
  offered: number;
  answered: number;
  abandoned: number;
  timeout: number;
  answeredWithinServiceLevel: number;
}

export const NO_STATS: QueueStats = { waiting: 0, longestWaitingSince: null, offered: 0, answered: 0, abandoned: 0, timeout: 0, answeredWithinServiceLevel: 0 };

/** The board's view of a queue: its figures from the database, its agents' counts from the board's agents. */
export function boardQueue(q: { id: number; name: string; channel: Channel; serviceLevelSec: number }, stats: QueueStats, members: readonly (BoardAgent | undefined)[]): BoardQueue {
  const agents = { loggedIn: 0, ready: 0, busy: 0, paused: 0 };
  for (const m of members) {
    if (!m?.loggedIn) continue;
    agents.loggedIn++;
    const c = m.channels.find((x) => x.channel === q.channel);
    if (c?.status === 'ready') agents.ready++;
    else if (c?.status === 'busy') agents.busy++;
    else if (c?.status === 'paused') agents.paused++;
  }
  return {
    id: q.id,
    name: q.name,
    channel: q.channel,
    waiting: stats.waiting,
    longestWaitingSince: iso(stats.longestWaitingSince),
    agents,
    today: { offered: stats.offered, answered: stats.answered, abandoned: stats.abandoned, timeout: stats.timeout, answeredWithinServiceLevel: stats.answeredWithinServiceLevel },
    serviceLevelSec: q.serviceLevelSec,
    serviceLevel: stats.answered > 0 ? Math.round((stats.answeredWithinServiceLevel / stats.answered) * 1000) / 10 : null,
  };
}
