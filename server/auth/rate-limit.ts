// Token buckets in PostgreSQL, so that every node of a cluster counts against the same limit (an
// attacker spreading requests over the nodes gains nothing). A bucket holds up to `capacity`
// tokens and refills `capacity` per `windowMs`; one statement reads, refills and spends atomically.
// A bucket never seen, or refilled to full, is the same thing: rows are only written when spent.
import { eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { rateLimits } from '../db/schema.ts';

export interface Limit {
  capacity: number;
  windowMs: number;
}

export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const perSecond = (limit: Limit) => limit.capacity / (limit.windowMs / 1000);

/** The bucket's tokens now, refilled since its last spending, capped at capacity (SQL). */
const refilled = (limit: Limit) =>
  sql`least(${limit.capacity}::float8, ${rateLimits.tokens} + extract(epoch from (now() - ${rateLimits.updatedAt})) * ${perSecond(limit)}::float8)`;

const retryAfter = (limit: Limit, tokens: number) => Math.max(1, Math.ceil((1 - tokens) / perSecond(limit)));

/** Whether one more token is there, without spending it. */
export async function peek(db: Db, bucket: string, limit: Limit): Promise<Verdict> {
  const [row] = await db.select({ tokens: sql<number>`${refilled(limit)}` }).from(rateLimits).where(eq(rateLimits.bucket, bucket));
  if (!row || Number(row.tokens) >= 1) return { allowed: true };
  return { allowed: false, retryAfterSeconds: retryAfter(limit, Number(row.tokens)) };
}

/**
 * Spends one token even when none is left: the bucket goes into debt (down to -capacity), so that a
 * burst of concurrent requests that all passed `peek` is paid for by a longer wait afterwards.
 */
export async function charge(db: Db, bucket: string, limit: Limit): Promise<void> {
  await db
    .insert(rateLimits)
    .values({ bucket, tokens: limit.capacity - 1, updatedAt: sql`now()` })
    .onConflictDoUpdate({
      target: rateLimits.bucket,
      set: { tokens: sql`greatest(${-limit.capacity}::float8, ${refilled(limit)} - 1)`, updatedAt: sql`now()` },
    });
}

/** Spends one token if there is one; refuses (spending nothing) otherwise. */
export async function take(db: Db, bucket: string, limit: Limit): Promise<Verdict> {
  const spent = await db
    .insert(rateLimits)
    .values({ bucket, tokens: limit.capacity - 1, updatedAt: sql`now()` })
    .onConflictDoUpdate({
      target: rateLimits.bucket,
      set: { tokens: sql`${refilled(limit)} - 1`, updatedAt: sql`now()` },
      setWhere: sql`${refilled(limit)} >= 1`,
    })
    .returning({ tokens: rateLimits.tokens });
  if (spent.length > 0) return { allowed: true };
  const now = await peek(db, bucket, limit);
  // Refilled between the two statements: still refused this time, and a retry right away will do.
  return now.allowed ? { allowed: false, retryAfterSeconds: 1 } : now;
}

/** Forgets buckets that have refilled completely: they are the same as no row. */
export async function pruneBuckets(db: Db, olderThanMs: number): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.updatedAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`));
}
