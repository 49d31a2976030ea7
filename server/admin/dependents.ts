// "Where used": before deleting a queue, a project, a trunk, a sound, a team, an agent, a user, a
// website or a route, the admin pages show what depends on it (for a website or a route, what it
// uses: deleting it lets go of them). Flow projects name queues (Queue, CallbackRequest blocks), sounds
// (any prompt) and other projects (SubProject) inside their documents, so both the draft and the
// published version are searched; everything else is a foreign key. A supervisor sees only the
// dependents of their scope and learns how many others exist (`hidden`), never their names.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { apiKeys, chatWebsites, ivrProjects, ivrProjectVersions, queueAgents, queues, queueSupervisors, queueTeams, sounds, teamMembers, teams, trunks, voiceRoutes } from '../db/schema.ts';
import { can, type Principal } from '../auth/permissions.ts';
import { queueScope, teamScope } from '../staff/scope.ts';

import type { Dependent, Dependents } from '../../contracts/admin.ts';

export { DEPENDENT_TARGETS, type Dependent, type Dependents, type DependentTarget } from '../../contracts/admin.ts';

// --- pure: searching project documents

interface BlockLike {
  type?: unknown;
  params?: unknown;
}

function blocksOf(document: Record<string, unknown>): [string, BlockLike][] {
  const blocks = document.blocks;
  return blocks && typeof blocks === 'object' ? (Object.entries(blocks) as [string, BlockLike][]) : [];
}

function paramsOf(block: BlockLike): Record<string, unknown> {
  return block.params && typeof block.params === 'object' ? (block.params as Record<string, unknown>) : {};
}

const sameName = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

/** Ids of the blocks that send to the queue of this name (Queue and CallbackRequest blocks; names match as the runtime matches them, case-insensitively). */
export function blocksUsingQueue(document: Record<string, unknown>, queueName: string): string[] {
  return blocksOf(document)
    .filter(([, b]) => (b.type === 'Queue' || b.type === 'CallbackRequest') && sameName(paramsOf(b).queue, queueName))
    .map(([id]) => id);
}

function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

/** Ids of the blocks naming the library sound in a prompt: `name` or `tandem:name` (as the prompt resolver reads them). */
export function blocksUsingSound(document: Record<string, unknown>, soundName: string): string[] {
  return blocksOf(document)
    .filter(([, b]) => stringsIn(paramsOf(b)).some((s) => s === soundName || s === `tandem:${soundName}`))
    .map(([id]) => id);
}

/** Ids of the SubProject blocks running the project (named by id or by name). */
export function blocksUsingProject(document: Record<string, unknown>, project: { id: string; name: string }): string[] {
  return blocksOf(document)
    .filter(([, b]) => b.type === 'SubProject' && (paramsOf(b).project === project.id || sameName(paramsOf(b).project, project.name)))
    .map(([id]) => id);
}

// --- I/O: the documents and the foreign keys

interface ProjectDocuments {
  id: string;
  name: string;
  channel: string;
  draft: Record<string, unknown>;
  publishedVersion: number | null;
  published: Record<string, unknown> | null;
}

async function projectDocuments(db: Db, channel?: string): Promise<ProjectDocuments[]> {
  return db
    .select({
      id: ivrProjects.id,
      name: ivrProjects.name,
      channel: ivrProjects.channel,
      draft: ivrProjects.draft,
      publishedVersion: ivrProjects.publishedVersion,
      published: ivrProjectVersions.project,
    })
    .from(ivrProjects)
    .leftJoin(ivrProjectVersions, and(eq(ivrProjectVersions.projectId, ivrProjects.id), eq(ivrProjectVersions.version, ivrProjects.publishedVersion)))
    .where(channel ? eq(ivrProjects.channel, channel) : undefined)
    .orderBy(asc(ivrProjects.name));
}

/** Projects whose draft or published version has blocks `find` picks, one entry per project and document. */
function projectsUsing(projects: ProjectDocuments[], what: string, find: (document: Record<string, unknown>) => string[]): Dependent[] {
  const out: Dependent[] = [];
  for (const p of projects) {
    const inDraft = find(p.draft);
    if (inDraft.length) out.push({ kind: 'project', id: p.id, name: p.name, via: `${what} in the draft (blocks ${inDraft.join(', ')})` });
    const inPublished = p.published ? find(p.published) : [];
    if (inPublished.length) out.push({ kind: 'project', id: p.id, name: p.name, via: `${what} in published version ${p.publishedVersion} (blocks ${inPublished.join(', ')})` });
  }
  return out;
}

async function routesTo(db: Db, projectIds: string[]): Promise<Dependent[]> {
  if (!projectIds.length) return [];
  const rows = await db
    .select({ id: voiceRoutes.id, name: voiceRoutes.name, kind: voiceRoutes.kind, projectId: voiceRoutes.projectId })
    .from(voiceRoutes)
    .where(inArray(voiceRoutes.projectId, projectIds))
    .orderBy(asc(voiceRoutes.id));
  return rows.map((r) => ({ kind: 'route', id: r.id, name: r.name, via: `${r.kind} route to project ${r.projectId}` }));
}

export async function queueDependents(db: Db, queue: { id: number; name: string; channel: string }): Promise<Dependents> {
  const projects = projectsUsing(await projectDocuments(db, queue.channel), 'Queue block', (d) => blocksUsingQueue(d, queue.name));
  const routes = await routesTo(db, [...new Set(projects.map((p) => String(p.id)))]);
  const websites = await db.select({ id: chatWebsites.id, name: chatWebsites.name }).from(chatWebsites).where(eq(chatWebsites.queueId, queue.id)).orderBy(asc(chatWebsites.id));
  return {
    dependents: [...projects, ...routes, ...websites.map((w): Dependent => ({ kind: 'website', id: w.id, name: w.name, via: 'chat website queue' }))],
    hidden: 0,
  };
}

export async function projectDependents(db: Db, project: { id: string; name: string }): Promise<Dependents> {
  const others = (await projectDocuments(db)).filter((p) => p.id !== project.id);
  const websites = await db.select({ id: chatWebsites.id, name: chatWebsites.name }).from(chatWebsites).where(eq(chatWebsites.projectId, project.id)).orderBy(asc(chatWebsites.id));
  return {
    dependents: [
      ...(await routesTo(db, [project.id])),
      ...websites.map((w): Dependent => ({ kind: 'website', id: w.id, name: w.name, via: 'chat website project' })),
      ...projectsUsing(others, 'SubProject block', (d) => blocksUsingProject(d, project)),
    ],
    hidden: 0,
  };
}

export async function trunkDependents(db: Db, trunkId: number): Promise<Dependents> {
  const rows = await db.select({ id: voiceRoutes.id, name: voiceRoutes.name, kind: voiceRoutes.kind }).from(voiceRoutes).where(eq(voiceRoutes.trunkId, trunkId)).orderBy(asc(voiceRoutes.id));
  return { dependents: rows.map((r) => ({ kind: 'route', id: r.id, name: r.name, via: `${r.kind} route through the trunk` })), hidden: 0 };
}

export async function soundDependents(db: Db, name: string): Promise<Dependents> {
  return { dependents: projectsUsing(await projectDocuments(db), 'prompt', (d) => blocksUsingSound(d, name)), hidden: 0 };
}

/** The queues a team serves (a team in the principal's scope serves only queues of it). */
export async function teamDependents(db: Db, principal: Principal, teamId: number): Promise<Dependents> {
  const rows = await db
    .select({ id: queues.id, name: queues.name, penalty: queueTeams.penalty, visible: sql<boolean>`${queueScope(principal) ?? sql`true`}` })
    .from(queueTeams)
    .innerJoin(queues, eq(queues.id, queueTeams.queueId))
    .where(eq(queueTeams.teamId, teamId))
    .orderBy(asc(queues.id));
  return split(rows.map((r) => ({ visible: r.visible, dependent: { kind: 'queue', id: r.id, name: r.name, via: `team on the queue (penalty ${r.penalty})` } as Dependent })));
}

/** The queues an agent serves directly and the teams they belong to. */
export async function agentDependents(db: Db, principal: Principal, agentId: number): Promise<Dependents> {
  return split(await agentMemberships(db, principal, agentId));
}

async function agentMemberships(db: Db, principal: Principal, agentId: number): Promise<Scoped[]> {
  const queueRows = await db
    .select({ id: queues.id, name: queues.name, penalty: queueAgents.penalty, visible: sql<boolean>`${queueScope(principal) ?? sql`true`}` })
    .from(queueAgents)
    .innerJoin(queues, eq(queues.id, queueAgents.queueId))
    .where(eq(queueAgents.userId, agentId))
    .orderBy(asc(queues.id));
  const teamRows = await db
    .select({ id: teams.id, name: teams.name, visible: sql<boolean>`${teamScope(principal) ?? sql`true`}` })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.userId, agentId))
    .orderBy(asc(teams.id));
  return [
    ...queueRows.map((r) => ({ visible: r.visible, dependent: { kind: 'queue', id: r.id, name: r.name, via: `agent on the queue (penalty ${r.penalty})` } as Dependent })),
    ...teamRows.map((r) => ({ visible: r.visible, dependent: { kind: 'team', id: r.id, name: r.name, via: 'team member' } as Dependent })),
  ];
}

/**
 * What goes with a user: an agent's queues and teams, the queues a supervisor is enabled on, the API
 * keys still in force, and the IVR projects and sounds they created (which stay, without their author).
 * API keys are an administrator's to see; what a principal may not read is counted, not named.
 */
export async function userDependents(db: Db, principal: Principal, user: { id: number; role: string }): Promise<Dependents> {
  const rows: Scoped[] = user.role === 'agent' ? await agentMemberships(db, principal, user.id) : [];
  if (user.role === 'supervisor') {
    const enabledOn = await db
      .select({ id: queues.id, name: queues.name, visible: sql<boolean>`${queueScope(principal) ?? sql`true`}` })
      .from(queueSupervisors)
      .innerJoin(queues, eq(queues.id, queueSupervisors.queueId))
      .where(eq(queueSupervisors.userId, user.id))
      .orderBy(asc(queues.id));
    rows.push(...enabledOn.map((r) => ({ visible: r.visible, dependent: { kind: 'queue', id: r.id, name: r.name, via: 'supervised by this user' } as Dependent })));
  }
  const keys = await db
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, user.id), isNull(apiKeys.revokedAt)))
    .orderBy(asc(apiKeys.id));
  rows.push(...keys.map((k) => ({ visible: principal.role === 'admin', dependent: { kind: 'apiKey', id: k.id, name: k.name, via: `key ${k.prefix}… stops working` } as Dependent })));
  const projects = await db.select({ id: ivrProjects.id, name: ivrProjects.name }).from(ivrProjects).where(eq(ivrProjects.createdBy, user.id)).orderBy(asc(ivrProjects.name));
  rows.push(...projects.map((r) => ({ visible: can(principal, 'ivr', 'read'), dependent: { kind: 'project', id: r.id, name: r.name, via: 'created by the user' } as Dependent })));
  const soundNames = await db.selectDistinct({ name: sounds.name }).from(sounds).where(eq(sounds.createdBy, user.id)).orderBy(asc(sounds.name));
  rows.push(...soundNames.map((r) => ({ visible: can(principal, 'voice', 'read'), dependent: { kind: 'sound', id: r.name, name: r.name, via: 'uploaded by the user' } as Dependent })));
  return split(rows);
}

/** What a chat website uses: its chat flow and the queue its chats wait in. */
export async function websiteDependents(db: Db, principal: Principal, website: { projectId: string | null; queueId: number | null }): Promise<Dependents> {
  const rows: Scoped[] = [];
  if (website.projectId !== null) {
    const [project] = await db.select({ id: ivrProjects.id, name: ivrProjects.name }).from(ivrProjects).where(eq(ivrProjects.id, website.projectId));
    if (project) rows.push({ visible: can(principal, 'ivr', 'read'), dependent: { kind: 'project', id: project.id, name: project.name, via: 'chat flow of the website' } });
  }
  if (website.queueId !== null) {
    const [queue] = await db
      .select({ id: queues.id, name: queues.name, visible: sql<boolean>`${queueScope(principal) ?? sql`true`}` })
      .from(queues)
      .where(eq(queues.id, website.queueId));
    if (queue) rows.push({ visible: queue.visible, dependent: { kind: 'queue', id: queue.id, name: queue.name, via: 'queue of the website' } });
  }
  return split(rows);
}

/** What a route uses: the IVR project it runs and the trunk it dials through. */
export async function routeDependents(db: Db, principal: Principal, route: { projectId: string | null; trunkId: number | null }): Promise<Dependents> {
  const rows: Scoped[] = [];
  if (route.projectId !== null) {
    const [project] = await db.select({ id: ivrProjects.id, name: ivrProjects.name }).from(ivrProjects).where(eq(ivrProjects.id, route.projectId));
    if (project) rows.push({ visible: can(principal, 'ivr', 'read'), dependent: { kind: 'project', id: project.id, name: project.name, via: 'IVR project the route runs' } });
  }
  if (route.trunkId !== null) {
    const [trunk] = await db.select({ id: trunks.id, name: trunks.name }).from(trunks).where(eq(trunks.id, route.trunkId));
    if (trunk) rows.push({ visible: true, dependent: { kind: 'trunk', id: trunk.id, name: trunk.name, via: 'trunk the route dials through' } });
  }
  return split(rows);
}

/**
 * What a queue must not be deleted from under without saying so: published IVR versions that send
 * calls to it and websites whose chats wait in it (drafts are not running; they are listed by
 * queueDependents but do not block).
 */
export async function queueDeleteBlockers(db: Db, queue: { id: number; name: string; channel: string }): Promise<Dependent[]> {
  const published = (await projectDocuments(db, queue.channel)).flatMap((p): Dependent[] => {
    const blocks = p.published ? blocksUsingQueue(p.published, queue.name) : [];
    return blocks.length ? [{ kind: 'project', id: p.id, name: p.name, via: `Queue block in published version ${p.publishedVersion} (blocks ${blocks.join(', ')})` }] : [];
  });
  const websites = await db.select({ id: chatWebsites.id, name: chatWebsites.name }).from(chatWebsites).where(eq(chatWebsites.queueId, queue.id)).orderBy(asc(chatWebsites.id));
  return [...published, ...websites.map((w): Dependent => ({ kind: 'website', id: w.id, name: w.name, via: 'chat website queue' }))];
}

interface Scoped {
  visible: boolean;
  dependent: Dependent;
}

function split(rows: Scoped[]): Dependents {
  return { dependents: rows.filter((r) => r.visible).map((r) => r.dependent), hidden: rows.filter((r) => !r.visible).length };
}
