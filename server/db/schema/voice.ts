// Voice: trunks to carriers, the routes that send a call to a project or a trunk, and a record of
// every call (server/voice).
// Only drizzle-orm and type-only imports here: drizzle-kit loads these files with its own loader.
import type { RouteKind } from '../../voice/route-kind.ts';
import type { RouteSchedule } from '../../voice/route-schedule.ts';
import { sql } from 'drizzle-orm';
import { pgTable, bigint, boolean, integer, jsonb, text, timestamp, uniqueIndex, index, check } from 'drizzle-orm/pg-core';
import { id, createdAt, updatedAt } from './columns.ts';
import { ivrProjects } from './ivr.ts';

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
