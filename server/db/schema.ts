// The relational model of Tandem. drizzle-kit reads this file to generate the SQL migrations in
// ./migrations (committed, applied in order at boot); the same tables serve PGlite and PostgreSQL,
// so only types both engines share are used here. Keep imports to drizzle-orm only: drizzle-kit
// loads this file with its own loader (type-only imports are erased, so they are safe).
import type { AgentTypology } from '../../contracts/agents.ts';
import type { PermissionLevel, Role } from '../../contracts/api.ts';
import type { Channel } from '../../contracts/channels.ts';
import type { Strategy } from '../acd/routing/types.ts';
import { sql } from 'drizzle-orm';
import {
  pgTable,
  bigint,
  boolean,
  doublePrecision,
  integer,
  jsonb,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  index,
  check,
} from 'drizzle-orm/pg-core';

const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const userRef = (name: string) =>
  bigint(name, { mode: 'number' })
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' });

/** A supervisor's own phone: an extension (PJSIP endpoint) or an external number dialled through the outbound routes. */
export interface SupervisorPhone {
  kind: 'extension' | 'external';
  value: string;
}

/** Per-module permission levels and roles: the API's (contracts/api.ts). */
export type { PermissionLevel, Role };
/** The shared channel list (contracts/channels.ts); the queues_channel_check constraint below repeats it in SQL. */
export type { Channel };

/** Everyone who authenticates: admins, supervisors, agents and service users (API keys only). */
export const users = pgTable(
  'users',
  {
    id: id(),
    role: text('role').$type<Role>().notNull(),
    username: text('username').notNull(),
    fullName: text('full_name').notNull(),
    email: text('email'),
    description: text('description'),
    // null for service users: they authenticate with API keys only.
    passwordHash: text('password_hash'),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    permissions: jsonb('permissions').$type<Record<string, PermissionLevel>>().notNull().default({}),
    /** Where a supervisor is called first for listen/whisper/barge, and how a feature code recognises them. */
    phone: jsonb('phone').$type<SupervisorPhone>(),
    disabled: boolean('disabled').notNull().default(false),
    locked: boolean('locked').notNull().default(false),
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    failedLogins: integer('failed_logins').notNull().default(0),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_username_key').on(sql`lower(${t.username})`),
    check('users_role_check', sql`${t.role} in ('admin','supervisor','agent','service')`),
  ],
);

export type { AgentTypology };
export type ChannelSettings = Partial<Record<Exclude<Channel, 'voice'>, number>>;
export type AutoAnswer = Partial<Record<Channel, { enabled: boolean; delaySeconds: number }>>;

/** Agent-only settings, one row per user of role agent (XCALLY's Staff → Agents). */
export const agents = pgTable(
  'agents',
  {
    userId: bigint('user_id', { mode: 'number' })
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    alias: text('alias'),
    typology: text('typology').$type<AgentTypology>().notNull().default('phonebar'),
    extension: text('extension').notNull(),
    voicemail: boolean('voicemail').notNull().default(false),
    loginInPause: boolean('login_in_pause').notNull().default(false),
    capacity: jsonb('capacity').$type<ChannelSettings>().notNull().default({}),
    autoAnswer: jsonb('auto_answer').$type<AutoAnswer>().notNull().default({}),
    hotdesk: boolean('hotdesk').notNull().default(false),
    maskSensitiveData: boolean('mask_sensitive_data').notNull().default(false),
    chanspy: boolean('chanspy').notNull().default(true),
    /** PIN for logging in from any phone (Agent login IVR block); only its hash is kept. */
    phonePinHash: text('phone_pin_hash'),
  },
  (t) => [
    uniqueIndex('agents_extension_key').on(t.extension),
    check('agents_typology_check', sql`${t.typology} in ('phonebar','external','webrtc','mobile')`),
  ],
);

export const teams = pgTable(
  'teams',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('teams_name_key').on(sql`lower(${t.name})`)],
);

export const teamMembers = pgTable(
  'team_members',
  {
    teamId: bigint('team_id', { mode: 'number' })
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: userRef('user_id'),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_members_user_idx').on(t.userId)],
);

/**
 * Queues, per channel. The queue engine (server/acd) adds its routing settings in later migrations;
 * the foundation needs them already because a supervisor's scope is "the queues they are enabled on".
 */
/** The routing core's strategies (server/acd/routing): the column holds one of them. */
export type QueueStrategy = Strategy;

export const queues = pgTable(
  'queues',
  {
    id: id(),
    name: text('name').notNull(),
    channel: text('channel').$type<Channel>().notNull(),
    description: text('description'),
    strategy: text('strategy').$type<QueueStrategy>().notNull().default('rrmemory'),
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
    /** rrmemory: the agent offered last, so the next round starts after them. */
    rrLastAgentId: bigint('rr_last_agent_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('queues_channel_name_key').on(t.channel, sql`lower(${t.name})`),
    check('queues_channel_check', sql`${t.channel} in ('voice','chat','sms','email','openchannel','fax','whatsapp')`),
    check('queues_strategy_check', sql`${t.strategy} in ('ringall','beepall','leastrecent','fewestcalls','random','rrmemory','linear','wrandom')`),
  ],
);

/** Agents (and via teams, groups of agents) that serve a queue, with their penalty. */
export const queueAgents = pgTable(
  'queue_agents',
  {
    queueId: bigint('queue_id', { mode: 'number' })
      .notNull()
      .references(() => queues.id, { onDelete: 'cascade' }),
    userId: userRef('user_id'),
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
    userId: userRef('user_id'),
  },
  (t) => [primaryKey({ columns: [t.queueId, t.userId] }), index('queue_supervisors_user_idx').on(t.userId)],
);

/** Login sessions. Only a hash of the bearer token is kept. */
export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    userId: userRef('user_id'),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    userAgent: text('user_agent'),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

/** API keys of service users (integrations, workforce tools). Only a hash of the secret is kept. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    userId: userRef('user_id'),
    name: text('name').notNull(),
    // The public part shown in lists ("tdk_3f9a1c…"), so an admin can tell keys apart.
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_keys_prefix_key').on(t.prefix), index('api_keys_user_idx').on(t.userId)],
);

export const passwordResets = pgTable(
  'password_resets',
  {
    id: id(),
    userId: userRef('user_id'),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('password_resets_token_hash_key').on(t.tokenHash)],
);

/**
 * Failed logins per account name and source (a client address, its /64 for IPv6, or `phone` for
 * PINs typed on a keypad): the lockout locks a name for the source that failed, never for everyone,
 * so nobody can lock an administrator out from elsewhere. Kept for unknown names too, so that a
 * locked name answers exactly like an unknown one (server/auth/lockout.ts).
 */
export const loginFailures = pgTable(
  'login_failures',
  {
    /** lower(username) as typed: not a reference, since unknown names are tracked alike. */
    name: text('name').notNull(),
    source: text('source').notNull(),
    failures: integer('failures').notNull().default(0),
    lastFailedAt: timestamp('last_failed_at', { withTimezone: true }).notNull().defaultNow(),
    lockedAt: timestamp('locked_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.name, t.source] }), index('login_failures_last_failed_idx').on(t.lastFailedAt)],
);

/** Token buckets shared by every node (failed logins per address, reset mails per address and account). */
export const rateLimits = pgTable('rate_limits', {
  bucket: text('bucket').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Global settings (security suite, lockout threshold, max open tabs…), one JSON value per key. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: updatedAt(),
});

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

/** SIP trunks to carriers, as Asterisk knows them (a PJSIP endpoint name). */
export const trunks = pgTable(
  'trunks',
  {
    id: id(),
    name: text('name').notNull(),
    /** The Asterisk endpoint dialled through: Dial(PJSIP/<number>@<endpoint>). */
    endpoint: text('endpoint').notNull(),
    /** Caller id presented on outbound calls unless a route overrides it. */
    callerId: text('caller_id'),
    enabled: boolean('enabled').notNull().default(true),
    description: text('description'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('trunks_name_key').on(sql`lower(${t.name})`)],
);

export type RouteKind = 'inbound' | 'internal' | 'outbound';
export interface RouteSchedule {
  timezone: string;
  intervals: { days: ('sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat')[]; from: string; to: string; dateFrom?: string; dateTo?: string }[];
  holidays: string[];
}

/**
 * Voice routes, tried in `position` order within their kind: inbound (DID pattern → IVR project),
 * internal (extension pattern → IVR project), outbound (number pattern → trunk, with digit
 * manipulation and caller-id rules). A schedule limits a route to its time intervals.
 */
export const voiceRoutes = pgTable(
  'voice_routes',
  {
    id: id(),
    kind: text('kind').$type<RouteKind>().notNull(),
    name: text('name').notNull(),
    pattern: text('pattern').notNull(),
    position: integer('position').notNull().default(0),
    projectId: text('project_id').references(() => ivrProjects.id, { onDelete: 'restrict' }),
    trunkId: bigint('trunk_id', { mode: 'number' }).references(() => trunks.id, { onDelete: 'restrict' }),
    stripDigits: integer('strip_digits').notNull().default(0),
    prepend: text('prepend').notNull().default(''),
    callerId: text('caller_id'),
    schedule: jsonb('schedule').$type<RouteSchedule>(),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('voice_routes_kind_name_key').on(t.kind, sql`lower(${t.name})`),
    index('voice_routes_kind_position_idx').on(t.kind, t.position),
    check('voice_routes_kind_check', sql`${t.kind} in ('inbound','internal','outbound')`),
  ],
);

/** One row per voice call handed to Tandem: who, where from, which project version, how it went. */
export const calls = pgTable(
  'calls',
  {
    id: id(),
    uniqueId: text('unique_id').notNull(),
    channelName: text('channel_name').notNull(),
    direction: text('direction').$type<RouteKind>().notNull(),
    callerNumber: text('caller_number').notNull().default(''),
    callerName: text('caller_name').notNull().default(''),
    did: text('did').notNull().default(''),
    routeId: bigint('route_id', { mode: 'number' }),
    projectId: text('project_id'),
    projectVersion: integer('project_version'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** completed | hangup | error | step-limit | stopped | no-route | no-version */
    outcome: text('outcome'),
    reason: text('reason'),
    /** The agent who answered the call from a queue (the last one, after overflows). */
    agentId: bigint('agent_id', { mode: 'number' }),
    /** Set when the agent disposes the call from the desktop (with hot-desking, this is what ties the call to the agent). */
    disposition: text('disposition'),
    dispositionNote: text('disposition_note'),
    disposedBy: bigint('disposed_by', { mode: 'number' }),
    disposedAt: timestamp('disposed_at', { withTimezone: true }),
    steps: integer('steps').notNull().default(0),
    /** The blocks traversed: [{blockId, type, exit, durationMs, …}] as the interpreter traced them. */
    trace: jsonb('trace').$type<unknown[]>().notNull().default([]),
    variables: jsonb('variables').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('calls_started_idx').on(t.startedAt), index('calls_unique_id_idx').on(t.uniqueId)],
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


/**
 * Telephones (Staff → Telephones): desk phones that hot-desking agents of typology external pick at
 * login. `heldBy` is the agent whose login took the phone; logout frees it.
 */
export const phones = pgTable(
  'phones',
  {
    id: id(),
    /** The PJSIP endpoint name; offers ring PJSIP/<name>. */
    name: text('name').notNull(),
    description: text('description'),
    heldBy: bigint('held_by', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('phones_name_key').on(sql`lower(${t.name})`)],
);

// --- Web chat and the interactions of every non-voice channel (issue 7) ---------------------------

export type InteractionStatus = 'open' | 'pending' | 'closed';
export type MessageFrom = 'visitor' | 'agent' | 'bot' | 'system';

/** A website that embeds the chat widget; its settings are one validated JSON document. */
export const chatWebsites = pgTable(
  'chat_websites',
  {
    id: id(),
    name: text('name').notNull(),
    /** Public key in the snippet; not a secret (the origin check guards the namespace). */
    key: text('key').notNull(),
    projectId: text('project_id'),
    queueId: bigint('queue_id', { mode: 'number' }).references(() => queues.id, { onDelete: 'set null' }),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('chat_websites_key_key').on(t.key), uniqueIndex('chat_websites_name_key').on(sql`lower(${t.name})`)],
);

/** People who reached the contact center by any channel, matched by e-mail or phone. */
export const contacts = pgTable(
  'contacts',
  {
    id: id(),
    name: text('name').notNull().default(''),
    email: text('email'),
    phone: text('phone'),
    /**
     * False for what a visitor typed into a form (anyone can type anyone's e-mail): such a contact is
     * never matched to another by e-mail or phone, nor linked to calls from that phone.
     */
    verified: boolean('verified').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('contacts_email_idx').on(sql`lower(${t.email})`), index('contacts_phone_idx').on(t.phone)],
);

/** One conversation of a non-voice channel (chat, SMS, e-mail, open channel): the "virtual call". */
export const interactions = pgTable(
  'interactions',
  {
    id: id(),
    channel: text('channel').$type<Channel>().notNull(),
    /** The chat website (or the account of another channel). */
    accountId: bigint('account_id', { mode: 'number' }),
    contactId: bigint('contact_id', { mode: 'number' }).references(() => contacts.id, { onDelete: 'set null' }),
    status: text('status').$type<InteractionStatus>().notNull().default('open'),
    queueId: bigint('queue_id', { mode: 'number' }),
    agentId: bigint('agent_id', { mode: 'number' }),
    entryId: bigint('entry_id', { mode: 'number' }),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    disposition: text('disposition'),
    note: text('note'),
    /** Form fields the contact gave (online or offline form). */
    form: jsonb('form').$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('interactions_contact_idx').on(t.contactId),
    index('interactions_agent_status_idx').on(t.agentId, t.status),
    // A website's open chats are counted on every new chat (its cap) and swept for the unattended timeout.
    index('interactions_account_status_idx').on(t.accountId, t.status),
    check('interactions_status_check', sql`${t.status} in ('open','pending','closed')`),
  ],
);

export const attachments = pgTable('attachments', {
  id: id(),
  interactionId: bigint('interaction_id', { mode: 'number' })
    .notNull()
    .references(() => interactions.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  type: text('type').notNull(),
  size: integer('size').notNull(),
  /** Path relative to <dataDir>/attachments. */
  path: text('path').notNull(),
  createdAt: createdAt(),
});

export const messages = pgTable(
  'messages',
  {
    id: id(),
    interactionId: bigint('interaction_id', { mode: 'number' })
      .notNull()
      .references(() => interactions.id, { onDelete: 'cascade' }),
    from: text('from').$type<MessageFrom>().notNull(),
    /** The agent who wrote it, for agent messages. */
    userId: bigint('user_id', { mode: 'number' }),
    text: text('text').notNull().default(''),
    quickReplies: jsonb('quick_replies').$type<{ id: string; label: string }[]>(),
    attachmentId: bigint('attachment_id', { mode: 'number' }).references(() => attachments.id, { onDelete: 'set null' }),
    /** Supervisor notes: only the agent sees them, never the visitor. */
    secret: boolean('secret').notNull().default(false),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('messages_interaction_idx').on(t.interactionId, t.id), check('messages_from_check', sql`${t.from} in ('visitor','agent','bot','system')`)],
);

/** A browser that opened the widget: the token itself is only in the visitor's localStorage. */
export const visitors = pgTable(
  'visitors',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    websiteId: bigint('website_id', { mode: 'number' })
      .notNull()
      .references(() => chatWebsites.id, { onDelete: 'cascade' }),
    contactId: bigint('contact_id', { mode: 'number' }).references(() => contacts.id, { onDelete: 'set null' }),
    interactionId: bigint('interaction_id', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('visitors_token_hash_key').on(t.tokenHash)],
);

export type SpyMode = 'listen' | 'whisper' | 'barge';
export type SpyOrigin = 'board' | 'feature-code';

/**
 * Audit of listen/whisper/barge: one row per supervisor session on an agent's call (who, whom, which
 * call, when the supervisor's phone answered, when and why it ended); the mode changes in the next table.
 */
export const spySessions = pgTable(
  'spy_sessions',
  {
    id: id(),
    supervisorId: userRef('supervisor_id'),
    agentId: userRef('agent_id'),
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
