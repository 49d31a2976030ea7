// Supervision (server/voice/spy): who listened to, whispered to or barged into whose call, and when.
// Only drizzle-orm and type-only imports here: drizzle-kit loads these files with its own loader.
import type { SpyMode } from '../../voice/spy/spy-mode.ts';
import type { SpyOrigin } from '../../voice/spy/spy-origin.ts';
import { sql } from 'drizzle-orm';
import { pgTable, bigint, text, timestamp, index, check } from 'drizzle-orm/pg-core';
import { id, ownedBy } from './columns.ts';
import { users } from './staff.ts';

/**
 * Audit of listen/whisper/barge: one row per supervisor session on an agent's call (who, whom, which
 * call, when the supervisor's phone answered, when and why it ended); the mode changes in the next table.
 */
export const spySessions = pgTable(
  'spy_sessions',
  {
    id: id(),
    supervisorId: ownedBy('supervisor_id', () => users.id),
    agentId: ownedBy('agent_id', () => users.id),
    /** The queue entry of the call spied on (null when the call was not from a queue). */
    entryId: bigint('entry_id', { mode: 'number' }),
    /** The agent's channel (Asterisk unique id) at the start. */
    agentChannel: text('agent_channel'),
    origin: text('origin').$type<SpyOrigin>().notNull(),
    /** What was dialled to reach the supervisor (`PJSIP/1001`, `Local/…`), or the calling channel for a feature code. */
    supervisorTarget: text('supervisor_target').notNull(),
    /** calling → active → ended | failed */
    status: text('status').notNull().default('calling'),
    mode: text('mode').$type<SpyMode>().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endReason: text('end_reason'),
  },
  (t) => [
    index('spy_sessions_agent_idx').on(t.agentId, t.startedAt),
    index('spy_sessions_supervisor_idx').on(t.supervisorId, t.startedAt),
    check('spy_sessions_origin_check', sql`${t.origin} in ('board','feature-code')`),
    check('spy_sessions_status_check', sql`${t.status} in ('calling','active','ended','failed')`),
    check('spy_sessions_mode_check', sql`${t.mode} in ('listen','whisper','barge')`),
  ],
);

export const spyModeChanges = pgTable(
  'spy_mode_changes',
  {
    id: id(),
    sessionId: bigint('session_id', { mode: 'number' })
      .notNull()
      .references(() => spySessions.id, { onDelete: 'cascade' }),
    mode: text('mode').$type<SpyMode>().notNull(),
    /** api (the board or the REST API) | dtmf (keys on the supervisor's phone) */
    via: text('via').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('spy_mode_changes_session_idx').on(t.sessionId, t.id), check('spy_mode_changes_mode_check', sql`${t.mode} in ('listen','whisper','barge')`)],
);
