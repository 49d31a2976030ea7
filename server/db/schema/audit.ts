// The audit trail of accounts and security settings (server/db/audit.ts writes it).
// Only drizzle-orm and type-only imports here: drizzle-kit loads these files with its own loader.
import { pgTable, bigint, jsonb, text, timestamp, index } from 'drizzle-orm/pg-core';
import { id } from './columns.ts';

/** Who did what to accounts and security settings: an admin must be able to answer "who unlocked him". */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: bigint('actor_id', { mode: 'number' }),
    action: text('action').notNull(),
    subject: text('subject'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_at_idx').on(t.at)],
);
