// The sound library (server/sounds).
// Only drizzle-orm and type-only imports here: drizzle-kit loads these files with its own loader.
import { sql } from 'drizzle-orm';
import { pgTable, bigint, integer, text, timestamp, uniqueIndex, check } from 'drizzle-orm/pg-core';

/** The sound library: one row per (name, language); the audio is in <dataDir>/sounds/<language>/. */
export const sounds = pgTable(
  'sounds',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    language: text('language').notNull(),
    description: text('description').notNull().default(''),
    /** What was uploaded: `wav` or `mp3`, and its size in bytes. */
    sourceFormat: text('source_format').$type<'wav' | 'mp3'>().notNull(),
    sourceBytes: integer('source_bytes').notNull(),
    /** Length of the converted audio. */
    durationMs: integer('duration_ms').notNull(),
    /** Size of the converted 8 kHz `.wav`. */
    wavBytes: integer('wav_bytes').notNull(),
    /** SHA-256 (hex) of the converted `.wav`: the ETag and the version in media URLs. */
    sha256: text('sha256').notNull(),
    createdBy: bigint('created_by', { mode: 'number' }),
    updatedBy: bigint('updated_by', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sounds_name_language_key').on(t.name, t.language),
    check('sounds_name_check', sql`${t.name} ~ '^[a-z0-9][a-z0-9_-]{0,63}$'`),
    check('sounds_language_check', sql`${t.language} ~ '^[a-z]{2,3}(_[A-Z]{2})?$'`),
    check('sounds_source_format_check', sql`${t.sourceFormat} in ('wav','mp3')`),
  ],
);
