// The queue engine (server/acd): queues and who serves them, agents' logins and per-channel states,
// the entries waiting, the offers made, why each routing decision went as it did, and the per-queue
// report rows.
// Only drizzle-orm and type-only imports here: drizzle-kit loads these files with its own loader.
import type { Channel } from '../../../contracts/channels.ts';
import { STRATEGIES, type Strategy } from '../../acd/routing/types.ts';
import { sql } from 'drizzle-orm';
import { pgTable, bigint, boolean, integer, jsonb, primaryKey, text, timestamp, uniqueIndex, index, check } from 'drizzle-orm/pg-core';
import { id, createdAt, updatedAt, ownedBy } from './columns.ts';
import { agents, teams, users } from './staff.ts';

/**
 * Queues, per channel. The queue engine (server/acd) adds its routing settings in later migrations;
 * the foundation needs them already because a supervisor's scope is "the queues they are enabled on".
 */
export const queues = pgTable(
  'queues',
  {
    id: id(),
    name: text('name').notNull(),
    channel: text('channel').$type<Channel>().notNull(),
    description: text('description'),
    strategy: text('strategy').$type<Strategy>().notNull().default('rrmemory'),
    /** Longest wait before the Queue block takes its timeout exit (0 = no limit of the queue's own). */
    timeoutSec: integer('timeout_sec').notNull().default(300),
    /** How long one offer rings an agent before the next is tried. */
    ringTimeoutSec: integer('ring_timeout_sec').notNull().default(20),
    /** Pause between rounds of offers when nobody took the previous one. */
    retrySec: integer('retry_sec').notNull().default(5),
    wrapupSec: integer('wrapup_sec').notNull().default(0),
    /** Waiting interactions accepted at once (0 = unlimited). */
    maxWaiting: integer('max_waiting').notNull().default(0),
    joinEmpty: text('join_empty').notNull().default('yes'),
    leaveWhenEmpty: text('leave_when_empty').notNull().default('no'),
    mohClass: text('moh_class').notNull().default('default'),
    announcement: text('announcement'),
    announcePosition: boolean('announce_position').notNull().default(false),
    announceFrequencySec: integer('announce_frequency_sec').notNull().default(0),
    /** Service level: share of the answered interactions that waited at most this long (the realtime board's figure). */
    serviceLevelSec: integer('service_level_sec').notNull().default(20),
    /** An agent must give a disposition to finish an interaction of this queue. */
    dispositionRequired: boolean('disposition_required').notNull().default(false),
    /** rrmemory: the agent offered last, so the next round starts after them. */
    rrLastAgentId: bigint('rr_last_agent_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('queues_channel_name_key').on(t.channel, sql`lower(${t.name})`),
    check('queues_channel_check', sql`${t.channel} in ('voice','chat','sms','email','openchannel','fax','whatsapp')`),
    // The one list of strategies, spelled as SQL literals (constants of ours, never user input).
    check('queues_strategy_check', sql`${t.strategy} in (${sql.raw(STRATEGIES.map((v) => `'${v}'`).join(','))})`),
  ],
);

/** Agents (and via teams, groups of agents) that serve a queue, with their penalty. */
export const queueAgents = pgTable(
  'queue_agents',
  {
    queueId: bigint('queue_id', { mode: 'number' })
      .notNull()
      .references(() => queues.id, { onDelete: 'cascade' }),
    userId: ownedBy('user_id', () => users.id),
    penalty: integer('penalty').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.queueId, t.userId] }), index('queue_agents_user_idx').on(t.userId)],
);

/** Teams serving a queue: every agent of the team is a member, with the team's penalty. */
export const queueTeams = pgTable(
  'queue_teams',
  {
    queueId: bigint('queue_id', { mode: 'number' })
      .notNull()
      .references(() => queues.id, { onDelete: 'cascade' }),
    teamId: bigint('team_id', { mode: 'number' })
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    penalty: integer('penalty').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.queueId, t.teamId] }), index('queue_teams_team_idx').on(t.teamId)],
);

/** Queues a supervisor is enabled on: their scope over agents. */
export const queueSupervisors = pgTable(
  'queue_supervisors',
  {
    queueId: bigint('queue_id', { mode: 'number' })
      .notNull()
      .references(() => queues.id, { onDelete: 'cascade' }),
    userId: ownedBy('user_id', () => users.id),
  },
  (t) => [primaryKey({ columns: [t.queueId, t.userId] }), index('queue_supervisors_user_idx').on(t.userId)],
);

/** An agent's login: the row exists while the agent is logged in, on one device. */
export const agentSessions = pgTable('agent_sessions', {
  userId: bigint('user_id', { mode: 'number' })
    .primaryKey()
    .references(() => agents.userId, { onDelete: 'cascade' }),
  /** web | phonebar | external | phone (logged in from any phone through the Agent login block) */
  device: text('device').notNull(),
  /** Where voice offers ring: PJSIP/1001, the hot-desk phone, or an external number through a trunk. */
  dialTarget: text('dial_target'),
  hotdeskPhone: text('hotdesk_phone'),
  loggedInAt: timestamp('logged_in_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: updatedAt(),
});

/** Per agent and channel: pause with reason, wrap-up. Kept across logins (login-in-pause sets it). */
export const agentChannelStates = pgTable(
  'agent_channel_states',
  {
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => agents.userId, { onDelete: 'cascade' }),
    channel: text('channel').$type<Channel>().notNull(),
    paused: boolean('paused').notNull().default(false),
    pauseReason: text('pause_reason'),
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    wrapupUntil: timestamp('wrapup_until', { withTimezone: true }),
    lastEndedAt: timestamp('last_ended_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.channel] })],
);

/** Pause reasons an admin offers agents (after-call, back-office, lunch…). */
export const pauseReasons = pgTable(
  'pause_reasons',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('pause_reasons_name_key').on(sql`lower(${t.name})`)],
);

/** Agent state history: login, logout, pause (reason), unpause, ready, busy — for reports and WFM. */
export const agentStateHistory = pgTable(
  'agent_state_history',
  {
    id: id(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    channel: text('channel'),
    state: text('state').notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('agent_state_history_user_at_idx').on(t.userId, t.at), index('agent_state_history_at_idx').on(t.at)],
);

/**
 * Interactions waiting in (or passing through) a queue. Several nodes route from this table: an entry
 * is claimed with FOR UPDATE SKIP LOCKED, so no two nodes offer it at once.
 */
export const queueEntries = pgTable(
  'queue_entries',
  {
    id: id(),
    queueId: bigint('queue_id', { mode: 'number' })
      .notNull()
      .references(() => queues.id, { onDelete: 'cascade' }),
    channel: text('channel').$type<Channel>().notNull(),
    /** The call's unique id or the interaction's id. */
    interactionRef: text('interaction_ref').notNull(),
    caller: text('caller').notNull().default(''),
    priority: integer('priority').notNull().default(0),
    enqueuedAt: timestamp('enqueued_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the entry times out if nobody takes it. */
    deadlineAt: timestamp('deadline_at', { withTimezone: true }),
    /** waiting | offered | accepted | timeout | abandoned | cancelled */
    status: text('status').notNull().default('waiting'),
    agentId: bigint('agent_id', { mode: 'number' }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('queue_entries_waiting_idx').on(t.queueId, t.priority, t.enqueuedAt).where(sql`${t.status} in ('waiting','offered')`),
    index('queue_entries_ref_idx').on(t.interactionRef),
  ],
);

/** Offers of an entry to an agent; accepting is a guarded update, so only one agent wins. */
export const offers = pgTable(
  'offers',
  {
    id: id(),
    entryId: bigint('entry_id', { mode: 'number' })
      .notNull()
      .references(() => queueEntries.id, { onDelete: 'cascade' }),
    agentId: bigint('agent_id', { mode: 'number' }).notNull(),
    /** pending | accepted | rejected | expired | cancelled */
    status: text('status').notNull().default('pending'),
    autoAnswer: boolean('auto_answer').notNull().default(false),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [index('offers_entry_idx').on(t.entryId), index('offers_agent_pending_idx').on(t.agentId).where(sql`${t.status} = 'pending'`)],
);

/** Why each routing decision went the way it did: every agent considered and why it was skipped. */
export const routingDecisions = pgTable(
  'routing_decisions',
  {
    id: id(),
    entryId: bigint('entry_id', { mode: 'number' })
      .notNull()
      .references(() => queueEntries.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    strategy: text('strategy').notNull(),
    considered: jsonb('considered').$type<unknown[]>().notNull(),
    offeredTo: jsonb('offered_to').$type<number[]>().notNull(),
  },
  (t) => [index('routing_decisions_entry_idx').on(t.entryId)],
);

/**
 * One row per queue an interaction passes (XCALLY's report_<channel>_queue): reason accepted (with
 * the agent), timeout or abandoned. Views report_voice_queue, report_chat_queue… select by channel.
 */
export const queueReports = pgTable(
  'queue_reports',
  {
    id: id(),
    channel: text('channel').$type<Channel>().notNull(),
    queueId: bigint('queue_id', { mode: 'number' }).notNull(),
    entryId: bigint('entry_id', { mode: 'number' }).notNull(),
    interactionRef: text('interaction_ref').notNull(),
    reason: text('reason').notNull(),
    userId: bigint('user_id', { mode: 'number' }),
    enqueuedAt: timestamp('enqueued_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }).notNull(),
    waitMs: integer('wait_ms').notNull(),
  },
  (t) => [index('queue_reports_channel_ended_idx').on(t.channel, t.endedAt), uniqueIndex('queue_reports_entry_key').on(t.entryId)],
);
