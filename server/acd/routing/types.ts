// The data the routing core reads and returns. Plain, immutable TypeScript values: the engine shell
// builds them from PostgreSQL rows, AMI device states and its own bookkeeping, and passes every
// instant in as epoch milliseconds — the core never reads a clock, a database or a socket.
import type { AgentTypology } from '../../../contracts/agents.ts';
import type { Channel } from '../../../contracts/channels.ts';
import type { EmptyPolicyKeyword, Strategy } from '../../../contracts/queues.ts';

export type { AgentTypology, Channel };

/** Every channel a queue can serve, in a stable order (the shared list). */
export { CHANNELS } from '../../../contracts/channels.ts';

/** Users are agents; their ids are the `users.id` the reports carry. */
export type AgentId = number;
export type QueueId = number;
/** Hot-desk telephones are users too (XCALLY records their id as the user id of unclaimed calls). */
export type PhoneId = number;
/** Waiting interactions may be identified by a database id or a UUID. */
export type EntryId = number | string;

/**
 * What Asterisk says about an agent's voice device, from AMI `DeviceStateChange` / ARI
 * `deviceStates` (see device-state.ts for the mapping). `registered` is Asterisk's NOT_INUSE.
 */
export type DeviceReachability = 'registered' | 'unavailable' | 'invalid' | 'inuse' | 'ringing' | 'unknown';

/** One agent's state on one channel. */
export interface AgentChannelState {
  /** Paused on this channel (pauses are per channel). */
  readonly paused: boolean;
  readonly pauseReason?: string | null;
  readonly pausedSince?: number | null;
  /** Interactions of this channel the agent has open now (accepted, not closed). Pending offers are NOT counted. */
  readonly open: number;
  /** Most open interactions of this channel; 0 = unlimited; absent = the default (voice 1, every other channel 0). */
  readonly capacity?: number;
  readonly autoAnswer?: { readonly enabled: boolean; readonly delaySeconds: number } | null;
  /** End of the wrap-up (after-work) time on this channel, epoch ms; no offers before it. */
  readonly wrapupUntil?: number | null;
  /** The agent has an offer on this channel that is neither accepted nor expired yet. */
  readonly pendingOffer?: boolean;
}

/** Per-queue statistics of an agent, for leastrecent and fewestcalls. */
export interface AgentQueueStats {
  /** When the agent's last interaction from this queue ended (epoch ms); null = never. */
  readonly lastCallEndAt: number | null;
  /** Interactions of this queue the agent answered today. */
  readonly callsToday: number;
}

/** Everything routing needs to know about one agent, at one instant. */
export interface AgentSnapshot {
  readonly id: AgentId;
  readonly loggedIn: boolean;
  /** Interactions open on the agent's desktop, all channels together (compared with the global max open tabs). */
  readonly openTabs: number;
  /** Per-channel state; a missing channel means "not paused, nothing open, default capacity". */
  readonly channels: Partial<Record<Channel, AgentChannelState>>;
  /** State of the device voice offers ring (own phone, hot-desk phone…); absent = 'unknown'. */
  readonly device?: DeviceReachability;
  /** Ring the agent's phone even while it is in use or ringing (XCALLY phonebar "Ring in Use"). */
  readonly ringInUse?: boolean;
  readonly queueStats?: ReadonlyMap<QueueId, AgentQueueStats>;
  /** Hot-desk telephone chosen at login, if any. */
  readonly hotdeskPhoneId?: PhoneId | null;
}

/** Anything that finds an agent's snapshot by id — typically the shell's `Map`. */
export interface AgentLookup {
  get(id: AgentId): AgentSnapshot | undefined;
}

// The strategy and keyword lists are part of what the API accepts, so they live with its schemas.
export { STRATEGIES, EMPTY_POLICY_KEYWORDS, type Strategy, type EmptyPolicyKeyword } from '../../../contracts/queues.ts';

/**
 * Conditions under which a logged-in member does NOT count as present for joinEmpty /
 * leaveWhenEmpty (Asterisk's `joinempty` / `leavewhenempty` options, see admission.ts).
 */
export const EMPTY_CONDITIONS = ['paused', 'inuse', 'ringing', 'unavailable', 'invalid', 'unknown', 'wrapup'] as const;
export type EmptyCondition = (typeof EMPTY_CONDITIONS)[number];
/** Asterisk's keywords, or an explicit list of conditions. */
export type EmptyPolicy = EmptyPolicyKeyword | readonly EmptyCondition[];

export interface QueueMember {
  readonly agentId: AgentId;
  /** 0 = best. Lower tiers are tried first (except by wrandom, which weights by it). */
  readonly penalty: number;
}

/**
 * A queue's routing settings in the core's unit, milliseconds. The core does not validate them: the
 * shell derives them from the settings in seconds that the API validated once (server/acd/queue-settings.ts).
 */
export interface QueueRoutingSettings {
  readonly strategy: Strategy;
  /** How long one offer waits for acceptance (Asterisk `timeout`). */
  readonly timeoutMs: number;
  /** Wrap-up time after an interaction of this queue (Asterisk `wrapuptime`); the shell sets `wrapupUntil` from it. */
  readonly wrapupMs: number;
  /** An agent who refused or let an offer expire is not offered the same entry again for this long (Asterisk `retry`). Default 5000. */
  readonly retryMs?: number;
  /** Most interactions waiting at once; 0 = unlimited (Asterisk `maxlen`). */
  readonly maxWaiting: number;
  /** Default 'yes' (always join), as in Asterisk. */
  readonly joinEmpty?: EmptyPolicy;
  /** Default 'no' (never leave), as in Asterisk. */
  readonly leaveWhenEmpty?: EmptyPolicy;
}

/** A queue as the core routes it: its settings and its members. Compile it with `compileQueue`. */
export interface QueueConfig extends QueueRoutingSettings {
  readonly id: QueueId;
  readonly channel: Channel;
  /** In the configured order: linear follows it, rrmemory rotates over it, ties break by it. */
  readonly members: readonly QueueMember[];
}

export type RefusalKind = 'rejected' | 'timeout';

/** An offer of this entry that an agent declined or let expire. */
export interface Refusal {
  readonly agentId: AgentId;
  readonly at: number;
  readonly kind: RefusalKind;
}

/** An interaction waiting in a queue (one queue passage). */
export interface WaitingEntry {
  readonly id: EntryId;
  readonly queueId: QueueId;
  /** Higher first. */
  readonly priority: number;
  readonly enqueuedAt: number;
  readonly refusals?: readonly Refusal[];
}

/** Global settings that bound every agent. */
export interface RoutingLimits {
  /** XCALLY's "Max Open Tab Limit" (Settings → General); 0 = unlimited. */
  readonly maxOpenTabs: number;
}

/**
 * Why an agent is not offered an interaction. `eligibility` gives every reason but 'penalty', and
 * 'rejected-recently' only for the retry cooldown: 'penalty' and the "others not tried yet" half of
 * 'rejected-recently' compare agents with each other, so only `decide` gives them.
 */
export type SkipReason =
  | 'logged-out'
  | 'at-tab-limit'
  | 'at-capacity'
  | 'paused'
  | 'unreachable'
  | 'busy'
  | 'in-wrapup'
  | 'offer-pending'
  | 'rejected-recently'
  | 'penalty';

export type Eligibility = { readonly ok: true } | { readonly ok: false; readonly reason: SkipReason; readonly detail: string | null };

/** Why an offer is (not) answered automatically. */
export type AutoAnswerBlock = 'not-enabled' | 'beepall' | 'logged-out' | 'at-tab-limit' | 'at-capacity' | 'paused' | 'in-wrapup';
export type AutoAnswerDecision = { readonly auto: true; readonly delayMs: number } | { readonly auto: false; readonly reason: AutoAnswerBlock };

/** One member in a routing decision: the explainability record. */
export interface ConsideredAgent {
  readonly agentId: AgentId;
  readonly penalty: number;
  /** Passed every check, penalty tier included. */
  readonly eligible: boolean;
  /** Chosen for this decision (an eligible agent of a sequential strategy may not be). */
  readonly offered: boolean;
  /** Why not eligible; null when eligible. */
  readonly reason: SkipReason | null;
  /** Extra words: the pause reason, 'rejected' / 'timeout', 'not in snapshot', the better tier… */
  readonly detail: string | null;
}

export interface Offer {
  readonly agentId: AgentId;
  readonly autoAnswer: AutoAnswerDecision;
}

export interface RoutingDecision {
  readonly queueId: QueueId;
  readonly entryId: EntryId;
  readonly strategy: Strategy;
  readonly decidedAt: number;
  /** In offer order: one agent for sequential strategies, every eligible one for ringall/beepall; empty = nobody now. */
  readonly offers: readonly Offer[];
  /** now + queue.timeoutMs when there are offers, else null. */
  readonly offerExpiresAt: number | null;
  /** Lowest penalty among the offered agents, null without offers. */
  readonly tier: number | null;
  /** Every member of the queue, in member order. */
  readonly considered: readonly ConsideredAgent[];
  /** rrmemory: the last agent offered — store it and pass it to the next decision. Other strategies return the input. */
  readonly rrLastAgentId: AgentId | null;
}

/** The inputs of `decide` that change from one decision to the next. */
export interface DecideState {
  readonly limits: RoutingLimits;
  readonly rrLastAgentId?: AgentId | null;
  /** Uniform in [0, 1); required by random and wrandom (inject a seeded one in tests). */
  readonly random?: () => number;
}
