// The lockout (XCALLY's security suite: after maxFailedLogins failures the account is locked),
// counted per account name AND source. A source is the client address (its /64 for IPv6), or
// `phone` for PINs typed on a keypad, where the calling number proves nothing. Failures from one
// source lock the name for that source only: an attacker elsewhere can lock themselves out, never the
// administrator at their own desk. There is deliberately no threshold that locks for everyone: any
// such threshold is one a distributed attacker reaches (an administrator can still lock an account
// for everyone by hand, `locked: true`).
//
// Names that belong to no account are counted exactly like real ones, so a lock answers the same for
// both and tells nobody which names exist.
import { and, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { loginFailures } from '../db/schema.ts';
import type { Settings } from '../settings/settings.ts';
import { pruneBuckets } from './rate-limit.ts';
import type { Lockout as ApiLockout } from '../../contracts/api.ts';

/** The source of PINs typed on a phone keypad: one for every phone, since caller ids are forged at will. */
export const PHONE_SOURCE = 'phone';


export const lockName = (username: string) => username.toLowerCase();

const minutes = (n: number) => sql`make_interval(mins => ${n})`;

/**
 * Minutes a lock of this source lasts (0 = until unlocked). Phone locks always wait for an
 * administrator: a PIN has only 4 to 8 digits, and with every phone one source there is no
 * attacker's own address to confine the lock to, so expiring it would just schedule more guesses.
 */
const lockMinutes = (settings: Settings, source: string) => (source === PHONE_SOURCE ? 0 : settings.lockoutMinutes);

/** SQL: this row's lock is in force. */
function lockInForce(settings: Settings): SQL {
  const lockedAt = loginFailures.lockedAt;
  if (settings.lockoutMinutes === 0) return sql`(${lockedAt} is not null)`;
  return sql`(${lockedAt} is not null and (${loginFailures.source} = ${PHONE_SOURCE} or ${lockedAt} > now() - ${minutes(settings.lockoutMinutes)}))`;
}

/** SQL: this row is over (an expired lock, or failures too old to count): the next failure starts afresh. */
function stale(settings: Settings): SQL {
  // Failures short of a lock are forgotten after lockoutMinutes, or after a day when locks last until unlocked.
  const memory = settings.lockoutMinutes > 0 ? minutes(settings.lockoutMinutes) : sql`interval '1 day'`;
  return sql`((${loginFailures.lockedAt} is null and ${loginFailures.lastFailedAt} < now() - ${memory}) or (${loginFailures.lockedAt} is not null and not ${lockInForce(settings)}))`;
}

export async function lockedFor(db: Db, settings: Settings, name: string, source: string): Promise<boolean> {
  const [row] = await db
    .select({ name: loginFailures.name })
    .from(loginFailures)
    .where(and(eq(loginFailures.name, name), eq(loginFailures.source, source), lockInForce(settings)));
  return row !== undefined;
}

/** Counts one failure of `name` from `source`; true when this very failure locked it. */
export async function recordFailure(db: Db, settings: Settings, name: string, source: string): Promise<boolean> {
  const max = settings.maxFailedLogins;
  const failures = sql`(case when ${stale(settings)} then 1 else ${loginFailures.failures} + 1 end)`;
  const [row] = await db
    .insert(loginFailures)
    .values({ name, source, failures: 1, lastFailedAt: sql`now()`, lockedAt: max === 1 ? sql`now()` : null })
    .onConflictDoUpdate({
      target: [loginFailures.name, loginFailures.source],
      set: {
        failures,
        lockedAt: sql`(case when not ${stale(settings)} and ${loginFailures.lockedAt} is not null then ${loginFailures.lockedAt}
                            when ${max} > 0 and ${failures} >= ${max} then now() else null end)`,
        lastFailedAt: sql`now()`,
      },
    })
    // now() is the transaction's start: equal only to a lock set by this very statement.
    .returning({ justLocked: sql<boolean>`coalesce(${loginFailures.lockedAt} = now(), false)` });
  await pruneNowAndThen(db, settings);
  return row?.justLocked === true;
}

/** A successful login from a source forgets that source's failures. */
export async function clearFailures(db: Db, name: string, source: string): Promise<void> {
  await db.delete(loginFailures).where(and(eq(loginFailures.name, name), eq(loginFailures.source, source)));
}

/** Unlocking an account lifts its locks from every source; returns how many there were. */
export async function clearLockouts(db: Db, name: string): Promise<number> {
  const gone = await db.delete(loginFailures).where(eq(loginFailures.name, name)).returning({ source: loginFailures.source });
  return gone.length;
}

/** A lock in force after failed logins, for one source (the API's shape, contracts/api.ts). */
export type Lockout = ApiLockout<Date>;

/** Locks in force, by name. */
export async function activeLockouts(db: Db, settings: Settings, names: string[]): Promise<Map<string, Lockout[]>> {
  const byName = new Map<string, Lockout[]>();
  if (names.length === 0) return byName;
  const rows = await db
    .select()
    .from(loginFailures)
    .where(and(inArray(loginFailures.name, [...new Set(names)]), isNotNull(loginFailures.lockedAt), lockInForce(settings)))
    .orderBy(loginFailures.lockedAt);
  for (const r of rows) {
    const lockedAt = r.lockedAt!;
    const list = byName.get(r.name) ?? [];
    list.push({
      source: r.source,
      failedLogins: r.failures,
      lockedAt,
      expiresAt: lockMinutes(settings, r.source) > 0 ? new Date(lockedAt.getTime() + lockMinutes(settings, r.source) * 60_000) : null,
    });
    byName.set(r.name, list);
  }
  return byName;
}

// Rows are written by failed logins with any name: forget the ones that no longer count, at most
// every ten minutes per node, piggybacked on failures (no timer to stop). A lock on a name that
// belongs to no account is forgotten after 30 days without attempts, even when locks last until
// unlocked: nobody can unlock it, and the table must not grow without end.
let lastPrune = 0;
async function pruneNowAndThen(db: Db, settings: Settings): Promise<void> {
  if (Date.now() - lastPrune < 10 * 60_000) return;
  lastPrune = Date.now();
  try {
    await db.delete(loginFailures).where(
      sql`${stale(settings)}
          or (${loginFailures.lastFailedAt} < now() - interval '30 days'
              and not exists (select 1 from users u where lower(u.username) = ${loginFailures.name}))`,
    );
    // Buckets refill within two windows (a day at most): three days old is full, the same as none.
    await pruneBuckets(db, 3 * 24 * 3600_000);
  } catch {
    // Housekeeping only: the next failure tries again.
    lastPrune = 0;
  }
}
