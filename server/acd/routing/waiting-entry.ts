// Waiting entries: their order in a queue, and the checks an entry must pass before routing.
import { notAnInstant, RoutingInputError } from './errors.ts';
import type { CompiledQueue } from './queue-config.ts';
import type { WaitingEntry } from './types.ts';

/**
 * Queue order: higher priority first (Asterisk's QUEUE_PRIO), then first come first served, then
 * by id so that two entries enqueued in the same millisecond always come out in the same order
 * (after a restart too). Use with `Array.prototype.sort`.
 */
export function compareWaiting(a: WaitingEntry, b: WaitingEntry): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.enqueuedAt !== b.enqueuedAt) return a.enqueuedAt - b.enqueuedAt;
  if (a.id === b.id) return 0;
  if (typeof a.id === 'number' && typeof b.id === 'number') return a.id - b.id;
  return String(a.id) < String(b.id) ? -1 : 1;
}

/** The entry belongs to this queue and its numbers are numbers. */
export function assertEntry(entry: WaitingEntry, queue: CompiledQueue): void {
  // Called once per decision: messages are only formatted on failure.
  if (entry.queueId !== queue.id) throw new RoutingInputError(`${entryLabel(entry)}.queueId`, `is ${entry.queueId}, but it is being routed in queue ${queue.id}`);
  if (!Number.isFinite(entry.priority)) throw new RoutingInputError(`${entryLabel(entry)}.priority`, `must be a finite number, got ${String(entry.priority)}`);
  if (!Number.isFinite(entry.enqueuedAt)) throw notAnInstant(`${entryLabel(entry)}.enqueuedAt`, entry.enqueuedAt);
  const refusals = entry.refusals;
  if (refusals === undefined) return;
  for (let i = 0; i < refusals.length; i++) {
    const r = refusals[i]!;
    if (!Number.isFinite(r.at)) throw notAnInstant(`${entryLabel(entry)}.refusals[${i}].at`, r.at);
    if (r.kind !== 'rejected' && r.kind !== 'timeout') throw new RoutingInputError(`${entryLabel(entry)}.refusals[${i}].kind`, `must be rejected or timeout, got ${JSON.stringify(r.kind)}`);
  }
}

function entryLabel(entry: WaitingEntry): string {
  return `entry ${String(entry.id)}`;
}
