// IVR projects: drafts edited with compare-and-set (a stale revision is a 409, never a silent
// overwrite, as Node-RED's flow saves), published versions frozen with a content hash, rollback by
// copying a version back into the draft. Calls run published versions only.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { transaction, type Db } from '../db/database.ts';
import { ivrProjects, ivrProjectVersions } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import { DomainError, notFound } from '../errors.ts';
import { rethrowConflict } from '../staff/conflicts.ts';
import { CHANNEL_KINDS, CURRENT_SCHEMA_VERSION, ProjectLoadError, loadProject, type Project } from '../../flows/project/index.ts';
import { contentHash } from '../../flows/versioning.ts';
import { validateProject } from '../../flows/validate.ts';
import type { FlowChannel } from '../../contracts/channels.ts';
import type {
  ProjectDetail as ApiProjectDetail,
  ProjectSummary as ApiProjectSummary,
  PublishResult as ApiPublishResult,
  VersionDetail,
  VersionView as ApiVersionView,
} from '../../contracts/api.ts';

export const projectCreateSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    channel: z.enum(CHANNEL_KINDS, { message: `must be one of ${CHANNEL_KINDS.join(', ')}` }),
    description: z.string().max(2000).default(''),
    /** An exported project to import; without it the draft starts with a Start block. */
    project: z.unknown().optional(),
  })
  .strict();

export const draftSaveSchema = z
  .object({
    revision: z.number({ message: 'must be the revision the draft was loaded at' }).int().positive(),
    project: z.unknown().refine((v) => v !== undefined, 'is required'),
  })
  .strict();

export const publishSchema = z.object({ revision: z.number().int().positive().optional(), message: z.string().max(1000).default('') }).strict();
export const rollbackSchema = z.object({ version: z.number({ message: 'must be a version number' }).int().positive() }).strict();
export const projectListQuery = z.object({ channel: z.enum(CHANNEL_KINDS).optional() });

type ProjectRow = typeof ivrProjects.$inferSelect;

/** The API's shapes (contracts/api.ts), with the Date values the server builds them from. */
export type ProjectSummary = ApiProjectSummary<Date>;
export type ProjectDetail = ApiProjectDetail<Date>;

const summary = (r: ProjectRow): ProjectSummary => ({
  id: r.id,
  name: r.name,
  // Checked against CHANNEL_KINDS when the project was created; the column is plain text.
  channel: r.channel as FlowChannel,
  description: r.description,
  revision: r.revision,
  publishedVersion: r.publishedVersion,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** Parses a project document; a document that does not load is a 400 naming each path. */
export function parseProjectDocument(input: unknown, field = 'project'): Project {
  try {
    return loadProject(input);
  } catch (err) {
    if (err instanceof ProjectLoadError) {
      const fields = err.issues.length ? err.issues.map((i) => ({ field: i.path ? `${field}.${i.path}` : field, message: i.message })) : [{ field, message: err.message }];
      throw new DomainError('validation', `${field}: ${err.message}`, { fields, reason: err.code });
    }
    throw err;
  }
}

function starterProject(id: string, name: string, channel: Project['channel'], description: string): Project {
  return loadProject({
    schemaVersion: CURRENT_SCHEMA_VERSION,
    id,
    name,
    description,
    channel,
    entry: 'start',
    blocks: { start: { type: 'Start', label: 'Start', position: { x: 0, y: 0 }, params: {}, exits: {} } },
    variables: {},
  });
}

async function row(db: Db, id: string): Promise<ProjectRow> {
  const [r] = await db.select().from(ivrProjects).where(eq(ivrProjects.id, id));
  if (!r) throw notFound('IVR project', id);
  return r;
}

function detail(r: ProjectRow): ProjectDetail {
  const draft = loadProject(r.draft);
  return { ...summary(r), draft, problems: [...validateProject(draft).problems] };
}

export async function listProjects(db: Db, channel?: string): Promise<ProjectSummary[]> {
  const rows = await db.select().from(ivrProjects).where(channel ? eq(ivrProjects.channel, channel) : undefined).orderBy(asc(ivrProjects.name));
  return rows.map(summary);
}

export async function getProject(db: Db, id: string): Promise<ProjectDetail> {
  return detail(await row(db, id));
}

export async function createProject(db: Db, input: z.output<typeof projectCreateSchema>, actorId: number): Promise<ProjectDetail> {
  const id = randomUUID();
  const draft =
    input.project === undefined
      ? starterProject(id, input.name, input.channel, input.description)
      : { ...parseProjectDocument(input.project), id, name: input.name, channel: input.channel };
  try {
    const [r] = await db
      .insert(ivrProjects)
      .values({ id, name: input.name, channel: input.channel, description: input.description, draft: draft as unknown as Record<string, unknown>, createdBy: actorId, updatedBy: actorId })
      .returning();
    await audit(db, actorId, 'ivr.created', `ivr:${id}`, { name: input.name, imported: input.project !== undefined });
    return detail(r!);
  } catch (err) {
    rethrowConflict(err);
  }
}

/** Saves the draft if nobody saved since `revision`; otherwise 409 with the current revision. */
export async function saveDraft(db: Db, id: string, input: z.output<typeof draftSaveSchema>, actorId: number): Promise<ProjectDetail> {
  const current = await row(db, id);
  const parsed = parseProjectDocument(input.project);
  // The row is the authority on identity and channel; name and description follow the document.
  const draft: Project = { ...parsed, id, channel: current.channel as Project['channel'] };
  const [saved] = await db
    .update(ivrProjects)
    .set({
      draft: draft as unknown as Record<string, unknown>,
      name: draft.name,
      description: draft.description,
      revision: sql`${ivrProjects.revision} + 1`,
      updatedBy: actorId,
      updatedAt: new Date(),
    })
    .where(and(eq(ivrProjects.id, id), eq(ivrProjects.revision, input.revision)))
    .returning()
    .catch((err: unknown) => rethrowConflict(err));
  if (!saved) {
    const now = await row(db, id);
    throw new DomainError('conflict', `The draft was saved by someone else meanwhile (you had revision ${input.revision}, it is now ${now.revision}); reload it`, {
      fields: [{ field: 'revision', message: 'is stale' }],
      currentRevision: now.revision,
      updatedBy: now.updatedBy,
    });
  }
  return detail(saved);
}

export type VersionView = ApiVersionView<Date>;

/** What publishing did: a new version, or nothing because the draft is the latest version already. */
export type PublishResult = ApiPublishResult<Date>;

/**
 * Publishes the draft as the next version, if it has no errors (warnings are allowed). A draft
 * identical to the latest published version stores nothing: the answer is that version with
 * `unchanged: true` (so a repeated click, or a script publishing in a loop, never piles up copies).
 */
export async function publish(db: Db, id: string, input: z.output<typeof publishSchema>, actorId: number): Promise<PublishResult> {
  return transaction(db, async (tx) => {
    const [current] = await tx.select().from(ivrProjects).where(eq(ivrProjects.id, id)).for('update');
    if (!current) throw notFound('IVR project', id);
    if (input.revision !== undefined && input.revision !== current.revision) {
      throw new DomainError('conflict', `The draft changed since revision ${input.revision} (now ${current.revision}); reload before publishing`, {
        fields: [{ field: 'revision', message: 'is stale' }],
        currentRevision: current.revision,
      });
    }
    const draft = loadProject(current.draft);
    const errors = validateProject(draft).problems.filter((p) => p.severity === 'error');
    if (errors.length) {
      throw new DomainError('validation', `The project has ${errors.length} problem(s) to fix before publishing`, {
        fields: errors.map((p) => ({ field: [p.blockId === null ? 'project' : `blocks.${p.blockId}`, p.field].filter(Boolean).join('.'), message: p.message })),
        problems: errors,
      });
    }
    const hash = contentHash(draft);
    if (current.publishedVersion !== null) {
      // The row is locked above, so two publishes of one draft cannot both see "changed".
      const [latest] = await tx
        .select()
        .from(ivrProjectVersions)
        .where(and(eq(ivrProjectVersions.projectId, id), eq(ivrProjectVersions.version, current.publishedVersion)));
      if (latest && latest.hash === hash) return { ...versionView(latest), unchanged: true };
    }
    const version = (current.publishedVersion ?? 0) + 1;
    const [v] = await tx
      .insert(ivrProjectVersions)
      .values({ projectId: id, version, hash, project: draft as unknown as Record<string, unknown>, message: input.message, publishedBy: actorId })
      .returning();
    await tx.update(ivrProjects).set({ publishedVersion: version }).where(eq(ivrProjects.id, id));
    await audit(tx, actorId, 'ivr.published', `ivr:${id}`, { version });
    return { ...versionView(v!), unchanged: false };
  });
}

const versionView = (v: typeof ivrProjectVersions.$inferSelect): VersionView => ({
  projectId: v.projectId,
  version: v.version,
  hash: v.hash,
  message: v.message,
  publishedBy: v.publishedBy,
  publishedAt: v.publishedAt,
});

export async function listVersions(db: Db, id: string): Promise<VersionView[]> {
  await row(db, id);
  const rows = await db.select().from(ivrProjectVersions).where(eq(ivrProjectVersions.projectId, id)).orderBy(desc(ivrProjectVersions.version));
  return rows.map(versionView);
}

/** A published version as calls run it; verified against its hash. */
export async function getVersion(db: Db, id: string, version: number | 'latest'): Promise<VersionDetail<Date>> {
  const r = await row(db, id);
  const wanted = version === 'latest' ? r.publishedVersion : version;
  if (wanted === null) throw notFound('published version of IVR project', id);
  const [v] = await db
    .select()
    .from(ivrProjectVersions)
    .where(and(eq(ivrProjectVersions.projectId, id), eq(ivrProjectVersions.version, wanted)));
  if (!v) throw notFound(`version ${wanted} of IVR project`, id);
  const project = loadProject(v.project);
  if (contentHash(project) !== v.hash) throw new DomainError('internal', `Version ${wanted} of IVR project ${id} does not match its hash`);
  return { ...versionView(v), project };
}

/** Makes a published version the draft again (a new revision); publishing it makes a new version. */
export async function rollback(db: Db, id: string, version: number, actorId: number): Promise<ProjectDetail> {
  const v = await getVersion(db, id, version);
  const [r] = await db
    .update(ivrProjects)
    .set({ draft: v.project as unknown as Record<string, unknown>, name: v.project.name, revision: sql`${ivrProjects.revision} + 1`, updatedBy: actorId, updatedAt: new Date() })
    .where(eq(ivrProjects.id, id))
    .returning();
  await audit(db, actorId, 'ivr.rolled-back', `ivr:${id}`, { version });
  return detail(r!);
}

export async function deleteProject(db: Db, id: string, actorId: number): Promise<void> {
  const deleted = await db.delete(ivrProjects).where(eq(ivrProjects.id, id)).returning({ id: ivrProjects.id });
  if (!deleted.length) throw notFound('IVR project', id);
  await audit(db, actorId, 'ivr.deleted', `ivr:${id}`);
}
