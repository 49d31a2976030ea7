// IVR projects: the flow documents (flows/) as drafts and published versions (server/ivr).
// Only drizzle-orm and type-only imports here: drizzle-kit loads these files with its own loader.
import { sql } from 'drizzle-orm';
import { pgTable, bigint, integer, jsonb, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';

/**
 * IVR projects (flows/ documents). The draft is edited with compare-and-set on `revision` (two
 * designers get a conflict, not a silent overwrite); publishing copies the draft into an immutable
 * version row that calls run.
 */
export const ivrProjects = pgTable(
  'ivr_projects',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    channel: text('channel').notNull(),
    description: text('description').notNull().default(''),
    draft: jsonb('draft').$type<Record<string, unknown>>().notNull(),
    revision: integer('revision').notNull().default(1),
    publishedVersion: integer('published_version'),
    createdBy: bigint('created_by', { mode: 'number' }),
    updatedBy: bigint('updated_by', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('ivr_projects_channel_name_key').on(t.channel, sql`lower(${t.name})`)],
);

/** Published versions: written once, never updated or deleted (a trigger refuses it). */
export const ivrProjectVersions = pgTable(
  'ivr_project_versions',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => ivrProjects.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    hash: text('hash').notNull(),
    project: jsonb('project').$type<Record<string, unknown>>().notNull(),
    message: text('message').notNull().default(''),
    publishedBy: bigint('published_by', { mode: 'number' }),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.version] })],
);
