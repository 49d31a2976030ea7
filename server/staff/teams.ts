// Staff → Teams: named groups of agents (reporting, routing by team later). A supervisor reaches only
// the teams lying wholly inside their scope, and fills them only with agents of it (server/staff/scope.ts).
import { z } from 'zod';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { teamMembers, teams } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import type { Principal } from '../auth/permissions.ts';
import { notFound } from '../errors.ts';
import { agentsInScope, teamInScope, teamScope } from './scope.ts';
import type { teamCreateSchema, teamUpdateSchema } from '../../contracts/staff.ts';
import { rethrowConflict } from './conflicts.ts';
import { assertUnchanged, staleEdit, unchangedSince } from '../db/row-version.ts';

export interface TeamView {
  id: number;
  name: string;
  description: string | null;
  agentIds: number[];
  createdAt: Date;
  updatedAt: Date;
}

async function members(db: Db, teamIds: number[]): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>(teamIds.map((id) => [id, []]));
  if (!teamIds.length) return map;
  const rows = await db.select().from(teamMembers).where(inArray(teamMembers.teamId, teamIds)).orderBy(asc(teamMembers.userId));
  for (const r of rows) map.get(r.teamId)?.push(r.userId);
  return map;
}

export async function listTeams(db: Db, principal: Principal): Promise<TeamView[]> {
  const rows = await db.select().from(teams).where(teamScope(principal)).orderBy(asc(teams.id));
  const m = await members(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, agentIds: m.get(r.id) ?? [] }));
}

export async function getTeam(db: Db, principal: Principal, id: number): Promise<TeamView> {
  const row = await teamInScope(db, principal, id);
  const m = await members(db, [id]);
  return { ...row, agentIds: m.get(id) ?? [] };
}

export async function createTeam(db: Db, input: z.output<typeof teamCreateSchema>, actorId: number): Promise<TeamView> {
  try {
    const [row] = await db.insert(teams).values({ name: input.name, description: input.description ?? null }).returning();
    await audit(db, actorId, 'team.created', `team:${row!.id}`, { name: input.name });
    return { ...row!, agentIds: [] };
  } catch (err) {
    rethrowConflict(err);
  }
}

export async function updateTeam(db: Db, principal: Principal, id: number, patch: z.output<typeof teamUpdateSchema>, expected?: Date): Promise<TeamView> {
  const current = await teamInScope(db, principal, id);
  assertUnchanged('team', id, current.updatedAt, expected);
  const values = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  try {
    const updated = await db
      .update(teams)
      .set({ ...values, updatedAt: sql`now()` })
      .where(and(eq(teams.id, id), unchangedSince(teams.updatedAt, expected)))
      .returning({ id: teams.id });
    if (!updated.length) throw expected ? staleEdit('team', id) : notFound('team', id);
  } catch (err) {
    rethrowConflict(err);
  }
  await audit(db, principal.userId, 'team.updated', `team:${id}`, { fields: Object.keys(values) });
  return getTeam(db, principal, id);
}

export async function deleteTeam(db: Db, principal: Principal, id: number): Promise<void> {
  await teamInScope(db, principal, id);
  const deleted = await db.delete(teams).where(eq(teams.id, id)).returning({ id: teams.id });
  if (!deleted.length) throw notFound('team', id);
  await audit(db, principal.userId, 'team.deleted', `team:${id}`);
}

/**
 * Replaces a team's agents; every id must be an agent of the principal's scope, checked before the
 * change (the team itself being in scope, its current members are too: a supervisor never removes
 * another supervisor's agent, since they cannot reach a team holding one).
 */
export async function setTeamAgents(db: Db, principal: Principal, id: number, agentIds: number[]): Promise<TeamView> {
  await teamInScope(db, principal, id);
  const unique = [...new Set(agentIds)];
  await agentsInScope(db, principal, unique);
  await db.transaction(async (tx) => {
    await tx.delete(teamMembers).where(eq(teamMembers.teamId, id));
    if (unique.length) await tx.insert(teamMembers).values(unique.map((userId) => ({ teamId: id, userId })));
  });
  await audit(db, principal.userId, 'team.agents', `team:${id}`, { agentIds: unique });
  return getTeam(db, principal, id);
}
