// Maps the engine shell's view (rows from PostgreSQL: presence, load, agent settings) onto the pure
// routing core's model (./routing), and its decisions back.
import { CHANNELS, type Channel } from '../../contracts/channels.ts';
import { admit, compileQueue, decideAcross, emptyMask, reachabilityFromDeviceState, shouldLeave, type AgentChannelState, type AgentSnapshot, type RoutingDecision as CoreDecision } from './routing/index.ts';
import type { AgentPresence } from './presence.ts';
import type { QueueSettingsMs } from './queue-settings.ts';
import type { Admission, RoutingAgent, RoutingCore, RoutingDecision, RoutingInput, RoutingQueue } from './routing-port.ts';

function snapshot(agent: RoutingAgent, now: number): AgentSnapshot {
  const p = agent.presence;
  const channels: Partial<Record<Channel, AgentChannelState>> = {};
  let openTabs = 0;
  for (const channel of CHANNELS) {
    const c = p.channels.find((x) => x.channel === channel);
    const open = agent.load.open[channel] ?? 0;
    openTabs += open;
    const capacity = agent.settings.capacity[channel];
    channels[channel] = {
      paused: c?.paused ?? false,
      pauseReason: c?.pauseReason ?? null,
      pausedSince: c?.pausedAt?.getTime() ?? null,
      open,
      ...(capacity === undefined ? {} : { capacity }),
      autoAnswer: agent.settings.autoAnswer[channel] ?? null,
      wrapupUntil: c?.wrapupUntil && c.wrapupUntil.getTime() > now ? c.wrapupUntil.getTime() : null,
      // An agent another node is offering to right now counts as having an offer pending.
      pendingOffer: agent.load.pendingChannels.includes(channel) || agent.lockedElsewhere,
    };
  }
  return { id: p.agentId, loggedIn: p.loggedIn, openTabs, channels, ...(agent.deviceState ? { device: reachabilityFromDeviceState(agent.deviceState) } : {}) };
}

function presenceSnapshot(p: AgentPresence): AgentSnapshot {
  return snapshot({ presence: p, settings: { capacity: {}, autoAnswer: {} }, load: { open: {}, pendingChannels: [] }, lockedElsewhere: false }, 0);
}

function compiled(queue: RoutingQueue) {
  return compileQueue({ ...queue.settings, id: queue.id, channel: queue.channel, members: queue.members });
}

export const routingCore: RoutingCore = {
  decideAcross(input: RoutingInput) {
    const agents = new Map(input.agents.map((a) => [a.presence.agentId, snapshot(a, input.now)]));
    const compiledById = new Map(input.queues.map((q) => [q.id, compiled(q)]));
    const rrById = new Map(input.queues.map((q) => [q.id, q.rrLastAgentId]));
    const result = decideAcross(
      input.entries.map((e) => {
        const queue = compiledById.get(e.queueId);
        if (!queue) throw new Error(`entry ${e.id} waits in queue ${e.queueId}, which is not among the queues routed`);
        return { queue, entry: { id: e.id, queueId: e.queueId, priority: e.priority, enqueuedAt: e.enqueuedAt, refusals: e.refusals } };
      }),
      agents,
      input.now,
      { limits: { maxOpenTabs: input.maxOpenTabs }, random: Math.random, rrLastAgentIdOf: (id) => rrById.get(id) ?? null },
    );
    return { decisions: result.decisions.map(toDecision), rrLastAgentIds: result.rrLastAgentIds };
  },
  shouldLeave(queue: RoutingQueue, agents: RoutingAgent[], maxOpenTabs: number, now: number): boolean {
    const lookup = new Map(agents.map((a) => [a.presence.agentId, snapshot(a, now)]));
    return shouldLeave(compiled(queue), lookup, now, { maxOpenTabs });
  },
  admitsEveryone(settings: Pick<QueueSettingsMs, 'joinEmpty' | 'maxWaiting'>): boolean {
    return settings.maxWaiting === 0 && emptyMask(settings.joinEmpty, 'joinEmpty') === 0;
  },
  admit(queue: RoutingQueue, agents: AgentPresence[], waitingCount: number, now: number): Admission {
    const lookup = new Map(agents.map((p) => [p.agentId, presenceSnapshot(p)]));
    const a = admit(compiled(queue), lookup, waitingCount, now, { maxOpenTabs: 0 });
    return a.ok ? a : { ok: false, outcome: a.outcome, reason: a.outcome === 'full' ? 'the queue is full' : 'no agent can take interactions of this queue' };
  },
};

function toDecision(d: CoreDecision): RoutingDecision {
  return {
    entryId: Number(d.entryId),
    offerTo: d.offers.map((o) => ({ agentId: o.agentId, autoAnswer: o.autoAnswer.auto, autoAnswerDelayMs: o.autoAnswer.auto ? o.autoAnswer.delayMs : 0 })),
    considered: d.considered.map((c) => ({
      agentId: c.agentId,
      eligible: c.eligible,
      offered: c.offered,
      penalty: c.penalty,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.detail ? { detail: c.detail } : {}),
    })),
  };
}
