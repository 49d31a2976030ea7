// Shapes of the Tandem API as the designer reads them (server/ivr/projects.ts, routes/auth.ts).
import type { ChannelKind, Problem, Project } from '../../../flows/index.ts';

export type Role = 'admin' | 'supervisor' | 'agent' | 'service';
export type PermissionLevel = 'none' | 'read' | 'read-edit' | 'read-edit-delete';

export interface Account {
  id: number;
  role: Role;
  username: string;
  fullName: string;
  permissions: Partial<Record<string, PermissionLevel>>;
  mustChangePassword: boolean;
}

export interface LoginAnswer {
  token: string;
  mustChangePassword: boolean;
  user: Account;
}

export interface ProjectSummary {
  id: string;
  name: string;
  channel: ChannelKind;
  description: string;
  revision: number;
  publishedVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface ProjectDetail extends ProjectSummary {
  draft: Project;
  problems: Problem[];
}

export interface VersionView {
  projectId: string;
  version: number;
  hash: string;
  message: string;
  publishedBy: number | null;
  publishedAt: string;
}

/** POST …/publish: `unchanged` when the draft equals the latest version, which is then what comes back. */
export interface PublishResult extends VersionView {
  unchanged: boolean;
}

export interface VersionDetail extends VersionView {
  project: Project;
}
