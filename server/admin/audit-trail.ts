// The audit trail as administrators read it: newest first, filtered by who (username, or 'system'
// for what no account did), by the beginning of the action, by subject and by a time range, one page
// at a time with the number of matching entries. The index on `at` serves the time range; the trail
// grows by human actions (a few thousand a day at most), so the other filters scan what remains.
import { and, count, desc, eq, gte, isNull, like, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { auditLog, users } from '../db/schema.ts';
import { escapeLike } from '../staff/users.ts';
import { SYSTEM_ACTOR, type AuditEntry, type AuditQuery } from '../../contracts/audit.ts';

/** The WHERE of a query: every filter given, combined with AND. */
function conditions(q: AuditQuery): SQL | undefined {
  const actor = q.actor?.toLowerCase();
  return and(
    q.before !== undefined ? lt(auditLog.id, q.before) : undefined,
    actor === SYSTEM_ACTOR ? isNull(auditLog.actorId) : actor !== undefined ? eq(sql`lower(${users.username})`, actor) : undefined,
    q.action !== undefined ? like(auditLog.action, `${escapeLike(q.action)}%`) : undefined,
    q.subject !== undefined ? eq(auditLog.subject, q.subject) : undefined,
    q.from !== undefined ? gte(auditLog.at, new Date(q.from)) : undefined,
    q.to !== undefined ? lte(auditLog.at, new Date(q.to)) : undefined,
  );
}

export async function listAuditTrail(db: Db, q: AuditQuery): Promise<{ entries: AuditEntry[]; total: number }> {
  const where = conditions(q);
  const [rows, [counted]] = await Promise.all([
    db
      .select({ id: auditLog.id, at: auditLog.at, actorId: auditLog.actorId, actorName: users.username, action: auditLog.action, subject: auditLog.subject, details: auditLog.details })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(where)
      .orderBy(desc(auditLog.id))
      .limit(q.limit)
      .offset(q.offset),
    db.select({ n: count() }).from(auditLog).leftJoin(users, eq(users.id, auditLog.actorId)).where(where),
  ]);
  return { entries: rows.map((r) => ({ ...r, at: r.at.toISOString() })), total: counted?.n ?? 0 };
}
