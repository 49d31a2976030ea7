// Dispositions: the one catalogue agents classify an interaction by when they close it, up to three
// levels deep. Every node carries its root's scope (global, one queue or one chat website), so a
// list or a check by scope reads one table with no recursion. A new scope (a contact list, another
// channel's account) is one more value of `scope` and its own reference column.
// Only drizzle-orm and type-only imports here: drizzle-kit loads these files with its own loader.
import type { DispositionScope } from '../../../contracts/dispositions.ts';
import { sql } from 'drizzle-orm';
import { pgTable, bigint, integer, text, uniqueIndex, index, check, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { id, createdAt, updatedAt } from './columns.ts';
import { queues } from './acd.ts';
import { chatWebsites } from './chat.ts';

export const dispositions = pgTable(
  'dispositions',
  {
    id: id(),
    name: text('name').notNull(),
    /** The node above this one; deleting it deletes its children. Null for a first-level node. */
    parentId: bigint('parent_id', { mode: 'number' }).references((): AnyPgColumn => dispositions.id, { onDelete: 'cascade' }),
    /** 1 for a root, 2 and 3 below it. */
    level: integer('level').notNull().default(1),
    scope: text('scope').$type<DispositionScope>().notNull(),
    queueId: bigint('queue_id', { mode: 'number' }).references(() => queues.id, { onDelete: 'cascade' }),
    websiteId: bigint('website_id', { mode: 'number' }).references(() => chatWebsites.id, { onDelete: 'cascade' }),
    /** Order among siblings, from 0. */
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Names are unique among siblings, whatever their case: roots per scope, children per parent.
    uniqueIndex('dispositions_root_name_key')
      .on(t.scope, sql`coalesce(${t.queueId}, 0)`, sql`coalesce(${t.websiteId}, 0)`, sql`lower(${t.name})`)
      .where(sql`${t.parentId} is null`),
    uniqueIndex('dispositions_child_name_key').on(t.parentId, sql`lower(${t.name})`).where(sql`${t.parentId} is not null`),
    index('dispositions_queue_idx').on(t.queueId),
    index('dispositions_website_idx').on(t.websiteId),
    check('dispositions_level_check', sql`${t.level} between 1 and 3 and (${t.level} = 1) = (${t.parentId} is null)`),
    check(
      'dispositions_scope_check',
      sql`(${t.scope} = 'global' and ${t.queueId} is null and ${t.websiteId} is null)
       or (${t.scope} = 'queue' and ${t.queueId} is not null and ${t.websiteId} is null)
       or (${t.scope} = 'website' and ${t.websiteId} is not null and ${t.queueId} is null)`,
    ),
  ],
);
