// What the supervisor's realtime board receives on the `/supervisor` socket.io namespace. The server
// sends `board:snapshot` on connect (and on `board:resync` from the client), then `board:delta`
// batches: the latest state of every agent, queue, call or trunk that changed since the last batch
// (coalesced, so a burst of events costs one message per interval, never one per event). Everything
// is scoped to what the supervisor may see: agents of the queues they are enabled on (directly or
// through teams) and those queues; admins see everything. Times are ISO strings; the page makes the
// counters tick from them, so the server never sends a message just because a second passed.
// The server (server/realtime/board) sends these; the web app (designer/src/realtime) checks and draws them.
import type { AgentTypology } from './agents.ts';
import type { Channel } from './channels.ts';

export const BOARD_NAMESPACE = '/supervisor';

/** Server → client events. */
export const BOARD_EVENTS = {
  snapshot: 'board:snapshot',
  delta: 'board:delta',
  /** Client → server: ask for a fresh snapshot (after a gap in `seq`). */
  resync: 'board:resync',
  /** Added by the namespace's implementation: the snapshot could not be loaded ({ code, message }); ask again with `resync`. */
  error: 'board:error',
} as const;

export type AgentChannelStatus = 'offline' | 'ready' | 'paused' | 'busy' | 'wrap-up';

export interface BoardAgentChannel {
  channel: Channel;
  status: AgentChannelStatus;
  /** When the current status began (login, pause, first open interaction, wrap-up start). */
  since: string | null;
  pauseReason: string | null;
  /** Open interactions on this channel vs. what the agent may hold at once. */
  open: number;
  /** 0 = unlimited (the default of every channel but voice, whose capacity is 1). */
  capacity: number;
}

/** An interaction the agent is handling now (a call or a chat…). */
export interface BoardAgentInteraction {
  entryId: number;
  channel: Channel;
  queueId: number;
  /** Caller number, visitor name, address… as the queue entry has it. */
  with: string | null;
  since: string;
}

export interface BoardAgent {
  id: number;
  name: string;
  username: string;
  extension: string;
  typology: AgentTypology;
  teamIds: number[];
  queueIds: number[];
  /** May supervisors listen/whisper/barge on this agent (the agent's chanspy flag)? */
  chanspy: boolean;
  loggedIn: boolean;
  loginDevice: string | null;
  loggedInAt: string | null;
  /** The phone Tandem rings for voice offers and the state Asterisk reports for it (NOT_INUSE, INUSE, UNAVAILABLE…). */
  phone: { target: string | null; state: string | null };
  channels: BoardAgentChannel[];
  interactions: BoardAgentInteraction[];
  /** A supervisor listening/whispering/barging on this agent now. */
  spiedBy: { sessionId: number; supervisorId: number; mode: 'listen' | 'whisper' | 'barge' } | null;
}

export interface BoardQueue {
  id: number;
  name: string;
  channel: Channel;
  waiting: number;
  /** Enqueue time of the longest-waiting entry (null when nobody waits). */
  longestWaitingSince: string | null;
  agents: { loggedIn: number; ready: number; busy: number; paused: number };
  /** Since local midnight of the server. */
  today: { offered: number; answered: number; abandoned: number; timeout: number; answeredWithinServiceLevel: number };
  serviceLevelSec: number;
  /** answeredWithinServiceLevel / answered × 100, null before the first answer of the day. */
  serviceLevel: number | null;
}

export type BoardCallState = 'ivr' | 'queued' | 'ringing' | 'talking';

export interface BoardCall {
  /** The call record id (calls.id). */
  id: number;
  direction: 'inbound' | 'internal' | 'outbound';
  caller: string;
  callerName: string;
  did: string;
  state: BoardCallState;
  queueId: number | null;
  agentId: number | null;
  startedAt: string;
  answeredAt: string | null;
  /** When the caller was connected to the agent. */
  talkingSince: string | null;
  /**
   * While the call is in a queue (queued or ringing an agent): what orders it in the line, the
   * router's own order — higher priority first, then earlier arrival, then lower entry id. The page
   * derives each caller's place from it (positions change whenever anyone ahead leaves, these never do).
   */
  line: { entryId: number; priority: number; since: string } | null;
}

export interface BoardTrunk {
  id: number;
  name: string;
  endpoint: string;
  enabled: boolean;
  /** Asterisk's device state of the endpoint (NOT_INUSE, INUSE, UNAVAILABLE…), null when unknown (no AMI). */
  state: string | null;
  /**
   * Calls through it now. Counted from the open call records whose channel is the trunk's
   * (`PJSIP/<endpoint>-…`): inbound calls. Outbound legs are not in the call records while they run.
   */
  activeCalls: number;
}

export interface BoardSnapshot {
  /**
   * The next delta carries seq + 1. Not necessarily 1: sockets with the same scope share one
   * numbering (the server encodes their deltas once), so a snapshot starts where its group is.
   */
  seq: number;
  at: string;
  /** What this user may do from the board. */
  can: { editAgents: boolean; chanspy: boolean };
  agents: BoardAgent[];
  queues: BoardQueue[];
  calls: BoardCall[];
  trunks: BoardTrunk[];
  teams: { id: number; name: string }[];
  pauseReasons: { id: number; name: string }[];
}

/** Upserts replace the whole entity; `removed` lists ids that left the supervisor's view (or ended, for calls). */
export interface BoardDelta {
  /** One more than the previous message's; a gap means the client should ask for `board:resync`. */
  seq: number;
  at: string;
  agents?: BoardAgent[];
  queues?: BoardQueue[];
  calls?: BoardCall[];
  trunks?: BoardTrunk[];
  removed?: { agents?: number[]; queues?: number[]; calls?: number[] };
}
