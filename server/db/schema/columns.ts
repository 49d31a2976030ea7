// Column shapes the tables of every subsystem repeat. Not re-exported by ../schema.ts: they are how
// tables are written, not something the code queries.
// Only drizzle-orm here: drizzle-kit loads these files with its own loader.
import { bigint, timestamp, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** A required reference to the row this one belongs to (a user, mostly): deleting that row deletes this one. */
export const ownedBy = (name: string, owner: () => AnyPgColumn) =>
  bigint(name, { mode: 'number' })
    .notNull()
    .references(owner, { onDelete: 'cascade' });
