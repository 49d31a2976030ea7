// What the engine shell hands the pure routing core, and what it gets back. The adapter in
// ./routing-adapter.ts maps this onto server/acd/routing (the core's own model).
import type { Channel } from '../db/schema.ts';
import type { AgentPresence } from './presence.ts';
import type { QueueSettingsMs } from './queue-settings.ts';

export interface RoutingQueue {
  id: number;
  channel: Channel;
  /** In ms, as queue-settings.ts derives them from the queue's settings (offer ring time: `timeoutMs`). */
  settings: QueueSettingsMs;
  members: { agentId: number; penalty: number }[];
  rrLastAgentId: number | null;
}

export interface RoutingAgent {
  presence: AgentPresence;
  settings: { capacity: Partial<Record<Channel, number>>; autoAnswer: Partial<Record<Channel, { enabled: boolean; delaySeconds: number }>> };
  load: { open: Partial<Record<Channel, number>>; pendingChannels: Channel[] };
  /** Another node is offering this agent something right now. */
  lockedElsewhere: boolean;
  /** Asterisk's state of the phone voice offers ring (AMI), when known. */
  deviceState?: string;
}

export interface RoutingEntry {
  id: number;
  queueId: number;
  priority: number;
  enqueuedAt: number;
  refusals: { agentId: number; at: number; kind: 'rejected' | 'timeout' }[];
}

export interface RoutingInput {
  queues: RoutingQueue[];
  /** Waiting entries of those queues; decided in one service order across queues, an agent offered one is not offered the next. */
  entries: RoutingEntry[];
  agents: RoutingAgent[];
  maxOpenTabs: number;
  now: number;
}

/** Routing explainability: every member considered, and why it was skipped. */
export interface Considered {
  agentId: number;
  penalty: number;
  eligible: boolean;
  offered: boolean;
  reason?: string;
  detail?: string;
}

export interface RoutingDecision {
  entryId: number;
  offerTo: { agentId: number; autoAnswer: boolean; autoAnswerDelayMs: number }[];
  considered: Considered[];
}

export type Admission = { ok: true } | { ok: false; outcome: 'full' | 'unavailable'; reason: string };

export interface RoutingCore {
  /** Decisions in service order (priority, then arrival, across queues), and each queue's rrmemory position after them. */
  decideAcross(input: RoutingInput): { decisions: RoutingDecision[]; rrLastAgentIds: Map<number, number | null> };
  admit(queue: RoutingQueue, agents: AgentPresence[], waitingCount: number, now: number): Admission;
  /** The queue admits every interaction whoever is present and however many wait (no join-empty rule, no max waiting): admit() need not be asked. */
  admitsEveryone(settings: Pick<QueueSettingsMs, 'joinEmpty' | 'maxWaiting'>): boolean;
  /** Asterisk's leavewhenempty: nobody present any more, waiting interactions leave the queue. */
  shouldLeave(queue: RoutingQueue, agents: RoutingAgent[], maxOpenTabs: number, now: number): boolean;
}
