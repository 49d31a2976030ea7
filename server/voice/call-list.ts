// The call records list: one page, newest first, filtered by date range, direction, DID, caller,
// outcome and route, within what the principal may read (a supervisor: their queues and agents).
import { and, count, desc, eq, gte, ilike, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { calls } from '../db/schema.ts';
import { callScope } from '../staff/scope.ts';
import { escapeLike } from '../staff/users.ts';
import type { Principal } from '../auth/permissions.ts';
import type { CallListQuery } from '../../contracts/voice.ts';

export type CallRecord = typeof calls.$inferSelect;

/** The WHERE of a list query (pure: no I/O), shared by the page and its total. */
export function callListFilter(principal: Principal, q: CallListQuery): SQL | undefined {
  const caller = q.caller ? `%${escapeLike(q.caller)}%` : undefined;
  return and(
    callScope(principal),
    q.from ? gte(calls.startedAt, new Date(q.from)) : undefined,
    q.to ? lt(calls.startedAt, new Date(q.to)) : undefined,
    q.direction ? eq(calls.direction, q.direction) : undefined,
    q.did ? eq(calls.did, q.did) : undefined,
    caller ? or(ilike(calls.callerNumber, caller), ilike(calls.callerName, caller)) : undefined,
    q.outcome ? eq(calls.outcome, q.outcome) : undefined,
    q.routeId ? eq(calls.routeId, q.routeId) : undefined,
    q.before ? lt(calls.id, q.before) : undefined,
  );
}

export async function listCalls(db: Db, principal: Principal, q: CallListQuery): Promise<{ rows: CallRecord[]; total: number }> {
  const where = callListFilter(principal, q);
  const [rows, totals] = await Promise.all([
    db.select().from(calls).where(where).orderBy(desc(calls.id)).limit(q.limit).offset(q.offset),
    db.select({ n: count() }).from(calls).where(where),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}
