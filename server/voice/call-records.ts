// The call record: written when Tandem takes a call (so a crash still leaves a trace of it) and
// completed when the flow ends, with the project version, the blocks traversed and the outcome.
import { EventEmitter } from 'node:events';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { calls, type RouteKind } from '../db/schema.ts';

export interface CallStart {
  uniqueId: string;
  channelName: string;
  direction: RouteKind;
  callerNumber: string;
  callerName: string;
  did: string;
  startedAt: Date;
}

export interface CallEnd {
  routeId?: number | null;
  projectId?: string | null;
  projectVersion?: number | null;
  answeredAt?: Date | null;
  endedAt: Date;
  outcome: string;
  reason?: string | null;
  agentId?: number | null;
  steps?: number;
  trace?: unknown[];
  variables?: Record<string, unknown>;
}

/**
 * Call records opened and closed in this process (the supervisor board shows calls in progress).
 * Only ids: listeners read the rows from the database they watch.
 */
export const callRecordEvents = new EventEmitter<{ opened: [id: number]; closed: [id: number] }>();
callRecordEvents.setMaxListeners(0);

export async function openCallRecord(db: Db, start: CallStart): Promise<number> {
  const [row] = await db.insert(calls).values(start).returning({ id: calls.id });
  callRecordEvents.emit('opened', row!.id);
  return row!.id;
}

export async function closeCallRecord(db: Db, id: number, end: CallEnd): Promise<void> {
  await db
    .update(calls)
    .set({
      routeId: end.routeId ?? null,
      projectId: end.projectId ?? null,
      projectVersion: end.projectVersion ?? null,
      answeredAt: end.answeredAt ?? null,
      endedAt: end.endedAt,
      outcome: end.outcome,
      reason: end.reason ?? null,
      agentId: end.agentId ?? null,
      steps: end.steps ?? 0,
      trace: end.trace ?? [],
      variables: end.variables ?? {},
    })
    .where(eq(calls.id, id));
  callRecordEvents.emit('closed', id);
}
