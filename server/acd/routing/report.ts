// The `report_<channel>_queue` row written when an interaction's passage through a queue ends.
//
// XCALLY's queue report rules:
// - the row's reason is `timeout` when nobody took the interaction within the routing's timeout,
//   `accepted` when an agent took it, `abandoned` when the customer left before an agent answered;
// - an accepted row carries the user id of the agent who accepted;
// - a routing through several queues one after the other writes a row for each queue it ran
//   → one row per passage: call this once per queue the interaction leaves;
// - an agent at capacity or at the open-tab limit must not be notified, and the row then reads
//   `timeout` → nothing special to do here: such an agent is never offered (eligibility.ts), so
//   nobody accepts and the passage ends in timeout.
import { assertInstant, RoutingInputError } from './errors.ts';
import { CHANNELS, type AgentId, type Channel, type EntryId, type QueueId } from './types.ts';

export type QueueReportReason = 'accepted' | 'timeout' | 'abandoned';

/** How a passage ended. */
export type PassageEnd =
  | { readonly outcome: 'accepted'; readonly agentId: AgentId; readonly at: number }
  /** Nobody accepted within the queue's time (the Queue block's timeout exit). */
  | { readonly outcome: 'timeout'; readonly at: number }
  /** The customer left first (hung up, closed the chat window…). */
  | { readonly outcome: 'abandoned'; readonly at: number }
  /**
   * leaveWhenEmpty sent the interaction out. XCALLY knows three reasons only; this is the
   * routing giving up without an agent while the customer was still there — a timeout, not an
   * abandon.
   */
  | { readonly outcome: 'left-empty'; readonly at: number };

/** What the row needs of the queue (a CompiledQueue or QueueConfig fits). */
export interface ReportQueue {
  readonly id: QueueId;
  readonly channel: Channel;
}
/** What the row needs of the entry (a WaitingEntry fits). */
export interface ReportEntry {
  readonly id: EntryId;
  readonly enqueuedAt: number;
}

export interface QueueReportRow {
  readonly table: `report_${Channel}_queue`;
  readonly queueId: QueueId;
  readonly channel: Channel;
  readonly entryId: EntryId;
  readonly reason: QueueReportReason;
  /** The accepting agent's user id; null unless accepted. */
  readonly userId: AgentId | null;
  readonly enqueuedAt: number;
  readonly endedAt: number;
  readonly waitMs: number;
}

/** The report row of one queue passage. */
export function queueReportRow(queue: ReportQueue, entry: ReportEntry, end: PassageEnd): QueueReportRow {
  if (!(CHANNELS as readonly string[]).includes(queue.channel)) {
    throw new RoutingInputError(`queue ${queue.id}.channel`, `${JSON.stringify(queue.channel)} is not one of ${CHANNELS.join(', ')}`);
  }
  assertInstant(`entry ${String(entry.id)}.enqueuedAt`, entry.enqueuedAt);
  assertInstant('end.at', end.at);
  if (end.at < entry.enqueuedAt) throw new RoutingInputError('end.at', `${end.at} is before entry ${String(entry.id)} was enqueued (${entry.enqueuedAt})`);
  let reason: QueueReportReason;
  let userId: AgentId | null = null;
  switch (end.outcome) {
    case 'accepted':
      if (!Number.isInteger(end.agentId)) throw new RoutingInputError('end.agentId', `an accepted passage needs the accepting agent's user id, got ${String(end.agentId)}`);
      reason = 'accepted';
      userId = end.agentId;
      break;
    case 'timeout':
    case 'left-empty':
      reason = 'timeout';
      break;
    case 'abandoned':
      reason = 'abandoned';
      break;
    default:
      throw new RoutingInputError('end.outcome', `${JSON.stringify((end as { outcome: unknown }).outcome)} is not accepted, timeout, abandoned or left-empty`);
  }
  return {
    table: `report_${queue.channel}_queue`,
    queueId: queue.id,
    channel: queue.channel,
    entryId: entry.id,
    reason,
    userId,
    enqueuedAt: entry.enqueuedAt,
    endedAt: end.at,
    waitMs: end.at - entry.enqueuedAt,
  };
}
