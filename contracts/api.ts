// Shapes of the HTTP API that the web app (designer/src) reads and the server builds. The server
// builds them with Date values; JSON carries those as ISO strings. Each shape therefore takes the
// type of its times: the server uses `<Date>`, the web app the default, `string`.
import type { Problem, Project } from '../flows/index.ts';
import type { FlowChannel } from './channels.ts';
import type { Preferences } from './preferences.ts';

/** Per-module permission levels, as XCALLY's Staff → Users has them. */
export type PermissionLevel = 'none' | 'read' | 'read-edit' | 'read-edit-delete';
export type Role = 'admin' | 'supervisor' | 'agent' | 'service';

/** A lock in force after failed logins, for one source. */
export interface Lockout<Time = string> {
  /** The client address (IPv6: its /64), or `phone`. */
  source: string;
  failedLogins: number;
  lockedAt: Time;
  /** null: until an administrator unlocks it. */
  expiresAt: Time | null;
}

/** An account (user or agent) as the API shows it. */
export interface AccountView<Time = string> {
  id: number;
  role: Role;
  username: string;
  fullName: string;
  email: string | null;
  description: string | null;
  permissions: Record<string, PermissionLevel>;
  /** The account's own language, locale and time zone (PUT /api/me/preferences); empty: the browser's. */
  preferences: Preferences;
  disabled: boolean;
  /** Refuses logins from somewhere: locked for everyone by an administrator, or from the `lockouts` sources. */
  locked: boolean;
  lockedAt: Time | null;
  /** Locks in force after failed logins, each for one source (client address or `phone`). */
  lockouts: Lockout<Time>[];
  failedLogins: number;
  mustChangePassword: boolean;
  passwordChangedAt: Time | null;
  lastLoginAt: Time | null;
  createdAt: Time;
  updatedAt: Time;
}

/** POST /api/auth/login. */
export interface LoginAnswer<Time = string> {
  token: string;
  expiresAt: Time;
  mustChangePassword: boolean;
  user: AccountView<Time>;
}

/** An IVR project in lists (GET /api/ivr/projects). */
export interface ProjectSummary<Time = string> {
  id: string;
  name: string;
  channel: FlowChannel;
  description: string;
  revision: number;
  publishedVersion: number | null;
  createdAt: Time;
  updatedAt: Time;
}

/** One project with its draft and what the validator says of it. */
export interface ProjectDetail<Time = string> extends ProjectSummary<Time> {
  draft: Project;
  problems: Problem[];
}

export interface VersionView<Time = string> {
  projectId: string;
  version: number;
  hash: string;
  message: string;
  publishedBy: number | null;
  publishedAt: Time;
}

/** POST …/publish: `unchanged` when the draft equals the latest version, which is then what comes back. */
export type PublishResult<Time = string> = VersionView<Time> & { unchanged: boolean };

/** One published version with its project document. */
export type VersionDetail<Time = string> = VersionView<Time> & { project: Project };
