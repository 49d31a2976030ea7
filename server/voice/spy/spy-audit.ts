// The audit of listen / whisper / barge in spy_sessions and spy_mode_changes: every start (also a
// refused one, as a failed session), every mode change and every end. spy_sessions.mode is the
// session's CURRENT mode; spy_mode_changes holds the whole sequence, the starting mode first.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { spyModeChanges, spySessions, type SpyMode, type SpyOrigin } from '../../db/schema.ts';
import type { Principal } from '../../auth/permissions.ts';
import { agentScope } from '../../staff/scope.ts';

export type SpyStatus = 'calling' | 'active' | 'ended' | 'failed';
/** How a mode was chosen: the board / REST API, or keys on the supervisor's phone. */
export type SpyVia = 'api' | 'dtmf';

export interface SpySessionView {
  id: number;
  supervisorId: number;
  agentId: number;
  entryId: number | null;
  agentChannel: string | null;
  origin: SpyOrigin;
  supervisorTarget: string;
  status: SpyStatus;
  mode: SpyMode;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  endReason: string | null;
}

export interface SpyModeChangeView {
  mode: SpyMode;
  via: SpyVia;
  at: string;
}

type Row = typeof spySessions.$inferSelect;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function viewOf(row: Row): SpySessionView {
  return {
    id: row.id,
    supervisorId: row.supervisorId,
    agentId: row.agentId,
    entryId: row.entryId,
    agentChannel: row.agentChannel,
    origin: row.origin,
    supervisorTarget: row.supervisorTarget,
    status: row.status as SpyStatus,
    mode: row.mode,
    startedAt: row.startedAt.toISOString(),
    answeredAt: iso(row.answeredAt),
    endedAt: iso(row.endedAt),
    endReason: row.endReason,
  };
}

export interface NewSpySession {
  supervisorId: number;
  agentId: number;
  entryId?: number | null;
  agentChannel?: string | null;
  origin: SpyOrigin;
  supervisorTarget: string;
  mode: SpyMode;
  via: SpyVia;
}

/** A session starts as `calling`, with its first mode recorded. */
export async function openSpySession(db: Db, s: NewSpySession): Promise<SpySessionView> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(spySessions)
      .values({ supervisorId: s.supervisorId, agentId: s.agentId, entryId: s.entryId ?? null, agentChannel: s.agentChannel ?? null, origin: s.origin, supervisorTarget: s.supervisorTarget, mode: s.mode, status: 'calling' })
      .returning();
    await tx.insert(spyModeChanges).values({ sessionId: row!.id, mode: s.mode, via: s.via });
    return viewOf(row!);
  });
}

/** A refused attempt: a session that failed at once, with the refusal as its end reason. */
export async function recordRefusedSpy(db: Db, s: NewSpySession, reason: string): Promise<SpySessionView> {
  const [row] = await db
    .insert(spySessions)
    .values({ supervisorId: s.supervisorId, agentId: s.agentId, entryId: s.entryId ?? null, agentChannel: s.agentChannel ?? null, origin: s.origin, supervisorTarget: s.supervisorTarget, mode: s.mode, status: 'failed', endedAt: new Date(), endReason: reason })
    .returning();
  return viewOf(row!);
}

export async function markSpyAnswered(db: Db, id: number): Promise<void> {
  await db.update(spySessions).set({ status: 'active', answeredAt: new Date() }).where(and(eq(spySessions.id, id), eq(spySessions.status, 'calling')));
}

export async function recordSpyMode(db: Db, id: number, mode: SpyMode, via: SpyVia): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(spySessions).set({ mode }).where(eq(spySessions.id, id));
    await tx.insert(spyModeChanges).values({ sessionId: id, mode, via });
  });
}

/** Ends a session once: a session already ended keeps its first end. The row, when this call ended it. */
export async function closeSpySession(db: Db, id: number, status: 'ended' | 'failed', reason: string): Promise<typeof spySessions.$inferSelect | undefined> {
  const [row] = await db
    .update(spySessions)
    .set({ status, endedAt: new Date(), endReason: reason })
    .where(and(eq(spySessions.id, id), inArray(spySessions.status, ['calling', 'active'])))
    .returning();
  return row;
}

export async function getSpySession(db: Db, id: number): Promise<SpySessionView | undefined> {
  const [row] = await db.select().from(spySessions).where(eq(spySessions.id, id));
  return row ? viewOf(row) : undefined;
}

export async function spyModeChangesOf(db: Db, id: number): Promise<SpyModeChangeView[]> {
  const rows = await db.select().from(spyModeChanges).where(eq(spyModeChanges.sessionId, id)).orderBy(spyModeChanges.id);
  return rows.map((r) => ({ mode: r.mode, via: r.via as SpyVia, at: r.at.toISOString() }));
}

export interface SpySessionFilter {
  agentId?: number | undefined;
  supervisorId?: number | undefined;
  active?: boolean | undefined;
  limit: number;
}

/** Newest first; supervisors see only sessions on agents of their queues. */
export async function listSpySessions(db: Db, principal: Principal, f: SpySessionFilter): Promise<SpySessionView[]> {
  const rows = await db
    .select()
    .from(spySessions)
    .where(
      and(
        f.agentId === undefined ? undefined : eq(spySessions.agentId, f.agentId),
        f.supervisorId === undefined ? undefined : eq(spySessions.supervisorId, f.supervisorId),
        f.active === undefined ? undefined : f.active ? inArray(spySessions.status, ['calling', 'active']) : inArray(spySessions.status, ['ended', 'failed']),
        agentScope(principal, sql`${spySessions.agentId}`),
      ),
    )
    .orderBy(desc(spySessions.id))
    .limit(f.limit);
  return rows.map(viewOf);
}
