// The relational model of Tandem: one file per subsystem in ./schema/, gathered here so the code
// imports every table from one place. drizzle-kit reads ./schema/ (drizzle.config.ts) to generate
// the SQL migrations in ./migrations (committed, applied in order at boot); the same tables serve
// PGlite and PostgreSQL, so only types both engines share are used there.
export * from './schema/staff.ts';
export * from './schema/auth.ts';
export * from './schema/settings.ts';
export * from './schema/audit.ts';
export * from './schema/ivr.ts';
export * from './schema/voice.ts';
export * from './schema/acd.ts';
export * from './schema/sounds.ts';
export * from './schema/chat.ts';
export * from './schema/spy.ts';
export * from './schema/dispositions.ts';

// The domain types the columns hold live with their subsystems (or in contracts/ when the web app
// reads them too); they are also found here, where the code has always imported them from.
/** Per-module permission levels and roles: the API's. */
export type { PermissionLevel, Role } from '../../contracts/api.ts';
/** The shared channel list; the queues_channel_check constraint repeats it in SQL. */
export type { Channel } from '../../contracts/channels.ts';
export type { AgentTypology, AutoAnswer, ChannelSettings } from '../../contracts/agents.ts';
/** The routing core's strategies: queues.strategy holds one of them. */
export type { Strategy as QueueStrategy } from '../acd/routing/types.ts';
export type { SupervisorPhone } from '../voice/spy/supervisor-phone.ts';
export type { SpyMode } from '../voice/spy/spy-mode.ts';
export type { SpyOrigin } from '../voice/spy/spy-origin.ts';
export type { RouteKind } from '../voice/route-kind.ts';
export type { RouteSchedule } from '../voice/route-schedule.ts';
export type { InteractionStatus } from '../channels/interaction-status.ts';
/** The sender of a message: the widget's own list. */
export type { Sender as MessageFrom } from '../../contracts/chat-widget.ts';
