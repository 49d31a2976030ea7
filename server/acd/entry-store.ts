// The queue engine's waiting entries in PostgreSQL: queuing one, ending one (abandoned, cancelled,
// timed out: its offers withdrawn and its report row written in the same transaction), and the
// look-ups around them. Plain functions over a `Db` (a transaction is one too): the engine shell
// (engine.ts) decides when to call them and announces what they changed.
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { rowsOf, transaction, type Db } from '../db/database.ts';
import { offers, queueEntries, queueReports, queues, routingDecisions } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import { queueReportRow } from './routing/index.ts';
import { servedBefore, type EntryRow, type OfferRow } from './routing-pass.ts';

export type EntryStatus = 'waiting' | 'offered' | 'accepted' | 'timeout' | 'abandoned' | 'cancelled';
export type QueueRow = typeof queues.$inferSelect;

/** The statuses an entry ends in: it has left the queue. */
export const ENDED: readonly EntryStatus[] = ['accepted', 'timeout', 'abandoned', 'cancelled'];

/** Still in line: waiting, or offered to someone who has not answered yet. */
const IN_LINE: EntryStatus[] = ['waiting', 'offered'];

export interface NewEntry {
  interactionRef: string;
  caller?: string;
  priority?: number;
  data?: Record<string, unknown>;
}

export async function findQueue(db: Db, queueId: number): Promise<QueueRow | undefined> {
  const [queue] = await db.select().from(queues).where(eq(queues.id, queueId));
  return queue;
}

/** Entries of the queue still in line (what a queue's maximum counts). */
export async function inLineCount(db: Db, queueId: number): Promise<number> {
  const [waiting] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(queueEntries)
    .where(and(eq(queueEntries.queueId, queueId), inArray(queueEntries.status, IN_LINE)));
  return waiting?.n ?? 0;
}

/** Queues an interaction at `now`; it leaves at `now + timeoutMs` at the latest (0 = no deadline). */
export async function insertEntry(db: Db, queue: Pick<QueueRow, 'id' | 'channel'>, input: NewEntry, now: number, timeoutMs: number): Promise<EntryRow> {
  const [entry] = await db
    .insert(queueEntries)
    .values({
      queueId: queue.id,
      channel: queue.channel,
      interactionRef: input.interactionRef,
      caller: input.caller ?? '',
      priority: input.priority ?? 0,
      enqueuedAt: new Date(now),
      deadlineAt: timeoutMs > 0 ? new Date(now + timeoutMs) : null,
      data: input.data ?? {},
    })
    .returning();
  return entry!;
}

export async function entryById(db: Db, entryId: number): Promise<EntryRow> {
  const [e] = await db.select().from(queueEntries).where(eq(queueEntries.id, entryId));
  if (!e) throw notFound('queue entry', entryId);
  return e;
}

/** How many entries of the queue are served before this one (0 = next): the router's own order. */
export async function entriesAhead(db: Db, entry: EntryRow): Promise<number> {
  const [ahead] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(queueEntries)
    .where(and(eq(queueEntries.queueId, entry.queueId), inArray(queueEntries.status, IN_LINE), servedBefore(entry)));
  return Number(ahead?.n ?? 0);
}

/** The routing decisions stored for an entry, oldest first. */
export async function decisionsOf(db: Db, entryId: number): Promise<(typeof routingDecisions.$inferSelect)[]> {
  return db.select().from(routingDecisions).where(eq(routingDecisions.entryId, entryId)).orderBy(asc(routingDecisions.id));
}

/** Entries still in line whose deadline has passed. */
export async function entriesPastDeadline(db: Db, now: number): Promise<number[]> {
  const due = await db
    .select({ id: queueEntries.id })
    .from(queueEntries)
    .where(and(inArray(queueEntries.status, IN_LINE), lte(queueEntries.deadlineAt, new Date(now))));
  return due.map((d) => d.id);
}

/** The next instant an offer rings out or an entry reaches its deadline. */
export async function nextDeadline(db: Db): Promise<number | null> {
  const [row] = rowsOf<{ offer_at: Date | string | null; deadline_at: Date | string | null }>(
    await db.execute(sql`
      select (select min(expires_at) from offers where status = 'pending') as offer_at,
             (select min(deadline_at) from queue_entries where status in ('waiting', 'offered')) as deadline_at`),
  );
  const times = [row?.offer_at, row?.deadline_at].filter((t): t is Date | string => t !== null && t !== undefined).map((t) => new Date(t).getTime());
  return times.length ? Math.min(...times) : null;
}

/**
 * Ends an entry still in one of the `from` statuses, in one transaction: its pending offers are
 * withdrawn and, unless cancelled, its report row is written. Undefined when it had already left.
 */
export async function endEntry(
  db: Db,
  entryId: number,
  status: 'timeout' | 'abandoned' | 'cancelled',
  from: EntryStatus[],
  now: number,
  why?: string,
): Promise<{ entry: EntryRow; withdrawn: OfferRow[] } | undefined> {
  const at = new Date(now);
  return transaction(db, async (tx) => {
    const [entry] = await tx
      .update(queueEntries)
      .set({ status, endedAt: at, ...(why ? { data: sql`${queueEntries.data} || ${JSON.stringify({ endReason: why })}::jsonb` } : {}) })
      .where(and(eq(queueEntries.id, entryId), inArray(queueEntries.status, from)))
      .returning();
    if (!entry) return undefined;
    const withdrawn = await tx
      .update(offers)
      .set({ status: 'cancelled', decidedAt: at })
      .where(and(eq(offers.entryId, entryId), eq(offers.status, 'pending')))
      .returning();
    if (status !== 'cancelled') await tx.insert(queueReports).values(reportValues(entry, { outcome: status, at: now })).onConflictDoNothing();
    return { entry, withdrawn };
  });
}

/**
 * The report row of a queue passage (report_<channel>_queue), built by the routing core's
 * queueReportRow. An end stamped before the entry's arrival (another node's clock a little behind)
 * counts as the arrival itself rather than failing the passage.
 */
export function reportValues(entry: EntryRow, end: { outcome: 'accepted'; agentId: number; at: number } | { outcome: 'timeout' | 'abandoned'; at: number }): typeof queueReports.$inferInsert {
  const enqueuedAt = entry.enqueuedAt.getTime();
  const row = queueReportRow({ id: entry.queueId, channel: entry.channel }, { id: entry.id, enqueuedAt }, { ...end, at: Math.max(end.at, enqueuedAt) });
  return {
    channel: row.channel,
    queueId: row.queueId,
    entryId: entry.id,
    interactionRef: entry.interactionRef,
    reason: row.reason,
    userId: row.userId,
    enqueuedAt: new Date(row.enqueuedAt),
    endedAt: new Date(row.endedAt),
    waitMs: row.waitMs,
  };
}
