// Accounts: everyone who authenticates (users), agents' own settings, teams, and the desk phones
// hot-desking agents pick up (Staff in the admin pages).
// Only drizzle-orm and type-only imports here: drizzle-kit loads these files with its own loader.
import type { AgentTypology, AutoAnswer, ChannelSettings } from '../../../contracts/agents.ts';
import type { PermissionLevel, Role } from '../../../contracts/api.ts';
import type { Preferences } from '../../../contracts/preferences.ts';
import type { SupervisorPhone } from '../../voice/spy/supervisor-phone.ts';
import { sql } from 'drizzle-orm';
import { pgTable, bigint, boolean, integer, jsonb, primaryKey, text, timestamp, uniqueIndex, index, check } from 'drizzle-orm/pg-core';
import { id, createdAt, updatedAt, ownedBy } from './columns.ts';

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
    /** Language, locale and time zone of the web app; what is missing follows the browser. */
    preferences: jsonb('preferences').$type<Preferences>().notNull().default({}),
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
    // The admin app's agents list sorts by name by default: a page is read from the index, not sorted from every row.
    index('users_full_name_idx').on(t.fullName, t.id),
    check('users_role_check', sql`${t.role} in ('admin','supervisor','agent','service')`),
  ],
);

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
    userId: ownedBy('user_id', () => users.id),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_members_user_idx').on(t.userId)],
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
