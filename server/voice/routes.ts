// Voice routes and trunks: which IVR project answers a DID (inbound) or an extension (internal), and
// which trunk carries an outbound number with what digits and caller id. Matching is pure and runs
// on the routes loaded from the database, in their order.
import { z } from 'zod';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { ivrProjects, trunks, voiceRoutes, type RouteKind, type RouteSchedule } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { rethrowConflict } from '../staff/conflicts.ts';
import { assertUnchanged, staleEdit, unchangedSince } from '../db/row-version.ts';
import { matchDialPattern } from '../../flows/expression/index.ts';
import { inInterval, isHoliday, localTimeIn } from '../../flows/runtime/time-window.ts';
import { missingTarget, type routeCreateSchema, type routeUpdateSchema, type trunkCreateSchema, type trunkUpdateSchema } from '../../contracts/voice.ts';

export type RouteRow = typeof voiceRoutes.$inferSelect;
export type TrunkRow = typeof trunks.$inferSelect;

// --- pure matching -----------------------------------------------------------------------------

/** Whether a route's schedule allows it at `now` (no schedule = always). */
export function scheduleAllows(schedule: RouteSchedule | null, now: number): boolean {
  if (!schedule) return true;
  const local = localTimeIn(schedule.timezone)(now);
  if (isHoliday(local, schedule.holidays)) return false;
  return schedule.intervals.some((i) => inInterval(local, i));
}

/** The first enabled route of `kind` (in position order) whose pattern matches and schedule allows. */
export function matchRoute(routes: readonly RouteRow[], kind: RouteKind, number: string, now: number): RouteRow | undefined {
  return [...routes]
    .filter((r) => r.kind === kind && r.enabled)
    .sort((a, b) => a.position - b.position || a.id - b.id)
    .find((r) => matchDialPattern(number, r.pattern) && scheduleAllows(r.schedule, now));
}

/** The number sent to the trunk: leading digits stripped, then the prefix added. */
export function outboundNumber(route: Pick<RouteRow, 'stripDigits' | 'prepend'>, dialed: string): string {
  return route.prepend + dialed.slice(route.stripDigits);
}

// --- storage -------------------------------------------------------------------------------------

export async function listRoutes(db: Db, kind?: RouteKind): Promise<RouteRow[]> {
  return db
    .select()
    .from(voiceRoutes)
    .where(kind ? eq(voiceRoutes.kind, kind) : undefined)
    .orderBy(asc(voiceRoutes.kind), asc(voiceRoutes.position), asc(voiceRoutes.id));
}

export async function getRoute(db: Db, id: number): Promise<RouteRow> {
  const [r] = await db.select().from(voiceRoutes).where(eq(voiceRoutes.id, id));
  if (!r) throw notFound('route', id);
  return r;
}

async function assertTargets(db: Db, projectId: string | null | undefined, trunkId: number | null | undefined): Promise<void> {
  if (projectId) {
    const [p] = await db.select({ id: ivrProjects.id, channel: ivrProjects.channel }).from(ivrProjects).where(eq(ivrProjects.id, projectId));
    if (!p) throw new ApiError('VALIDATION_FAILED', `projectId: IVR project ${projectId} does not exist`, { fields: [{ field: 'projectId', message: 'does not exist' }] });
    if (p.channel !== 'voice') throw new ApiError('VALIDATION_FAILED', 'projectId: must be a voice project', { fields: [{ field: 'projectId', message: 'must be a voice project' }] });
  }
  if (trunkId) {
    const [t] = await db.select({ id: trunks.id }).from(trunks).where(eq(trunks.id, trunkId));
    if (!t) throw new ApiError('VALIDATION_FAILED', `trunkId: trunk ${trunkId} does not exist`, { fields: [{ field: 'trunkId', message: 'does not exist' }] });
  }
}

export async function createRoute(db: Db, input: z.output<typeof routeCreateSchema>, actorId: number): Promise<RouteRow> {
  await assertTargets(db, input.projectId, input.trunkId);
  try {
    const [r] = await db.insert(voiceRoutes).values(input).returning();
    await audit(db, actorId, 'route.created', `route:${r!.id}`, { kind: input.kind, pattern: input.pattern });
    return r!;
  } catch (err) {
    rethrowConflict(err);
  }
}

export async function updateRoute(db: Db, id: number, patch: z.output<typeof routeUpdateSchema>, actorId: number, expected?: Date): Promise<RouteRow> {
  const current = await getRoute(db, id);
  assertUnchanged('route', id, current.updatedAt, expected);
  const merged = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as RouteRow;
  const problem = missingTarget(merged);
  if (problem) throw new ApiError('VALIDATION_FAILED', `${problem.field}: ${problem.message}`, { fields: [problem] });
  await assertTargets(db, patch.projectId, patch.trunkId);
  try {
    const [r] = await db
      .update(voiceRoutes)
      .set({ ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), updatedAt: sql`now()` })
      .where(and(eq(voiceRoutes.id, id), unchangedSince(voiceRoutes.updatedAt, expected)))
      .returning();
    if (!r) throw staleEdit('route', id);
    await audit(db, actorId, 'route.updated', `route:${id}`, { fields: Object.keys(patch) });
    return r!;
  } catch (err) {
    rethrowConflict(err);
  }
}

/** Renumbers the routes of one kind in the order given (every route of that kind must be listed). */
export async function reorderRoutes(db: Db, kind: RouteKind, routeIds: number[], actorId: number): Promise<RouteRow[]> {
  const current = await listRoutes(db, kind);
  const known = new Set(current.map((r) => r.id));
  const given = new Set(routeIds);
  if (given.size !== routeIds.length || given.size !== known.size || routeIds.some((id) => !known.has(id))) {
    throw new ApiError('VALIDATION_FAILED', `routeIds: must list every ${kind} route exactly once`, { fields: [{ field: 'routeIds', message: `must list every ${kind} route exactly once` }] });
  }
  await db.transaction(async (tx) => {
    for (const [i, id] of routeIds.entries()) await tx.update(voiceRoutes).set({ position: (i + 1) * 10 }).where(and(eq(voiceRoutes.id, id), eq(voiceRoutes.kind, kind)));
  });
  await audit(db, actorId, 'route.reordered', null, { kind, routeIds });
  return listRoutes(db, kind);
}

export async function deleteRoute(db: Db, id: number, actorId: number): Promise<void> {
  const deleted = await db.delete(voiceRoutes).where(eq(voiceRoutes.id, id)).returning({ id: voiceRoutes.id });
  if (!deleted.length) throw notFound('route', id);
  await audit(db, actorId, 'route.deleted', `route:${id}`);
}

export async function listTrunks(db: Db): Promise<TrunkRow[]> {
  return db.select().from(trunks).orderBy(asc(trunks.id));
}

export async function getTrunk(db: Db, id: number): Promise<TrunkRow> {
  const [t] = await db.select().from(trunks).where(eq(trunks.id, id));
  if (!t) throw notFound('trunk', id);
  return t;
}

export async function createTrunk(db: Db, input: z.output<typeof trunkCreateSchema>, actorId: number): Promise<TrunkRow> {
  try {
    const [t] = await db
      .insert(trunks)
      .values({ ...input, callerId: input.callerId ?? null, description: input.description ?? null })
      .returning();
    await audit(db, actorId, 'trunk.created', `trunk:${t!.id}`, { name: input.name });
    return t!;
  } catch (err) {
    rethrowConflict(err);
  }
}

export async function updateTrunk(db: Db, id: number, patch: z.output<typeof trunkUpdateSchema>, actorId: number, expected?: Date): Promise<TrunkRow> {
  const current = await getTrunk(db, id);
  assertUnchanged('trunk', id, current.updatedAt, expected);
  try {
    const [t] = await db
      .update(trunks)
      .set({ ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), updatedAt: sql`now()` })
      .where(and(eq(trunks.id, id), unchangedSince(trunks.updatedAt, expected)))
      .returning();
    if (!t) throw staleEdit('trunk', id);
    await audit(db, actorId, 'trunk.updated', `trunk:${id}`, { fields: Object.keys(patch) });
    return t!;
  } catch (err) {
    rethrowConflict(err);
  }
}

export async function deleteTrunk(db: Db, id: number, actorId: number): Promise<void> {
  await getTrunk(db, id);
  const [used] = await db.select({ id: voiceRoutes.id }).from(voiceRoutes).where(eq(voiceRoutes.trunkId, id)).limit(1);
  if (used) throw new ApiError('CONFLICT', `Trunk ${id} is used by route ${used.id}; change that route first`, { fields: [{ field: 'id', message: 'in use by a route' }] });
  await db.delete(trunks).where(eq(trunks.id, id));
  await audit(db, actorId, 'trunk.deleted', `trunk:${id}`);
}
