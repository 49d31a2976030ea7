// Global settings (server/settings).
// Only drizzle-orm and type-only imports here: drizzle-kit loads these files with its own loader.
import { pgTable, jsonb, text } from 'drizzle-orm/pg-core';
import { updatedAt } from './columns.ts';

/** Global settings (security suite, lockout threshold, max open tabs…), one JSON value per key. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: updatedAt(),
});
