// Roles and per-module permissions, as XCALLY's Staff → Users has them: an admin can do everything; a
// supervisor has a level per module (none, read, read-edit, read-edit-delete); a service user
// (integration, workforce tool) has the same kind of levels, on its API keys; an agent reaches only
// its own desktop routes.
import type { PermissionLevel, Role } from '../db/schema.ts';

// The modules and levels are part of what the API accepts (a user's permissions), so they live with its schemas.
export { MODULES, LEVELS, type Module } from '../../contracts/staff.ts';
import type { Module } from '../../contracts/staff.ts';

export type Action = 'read' | 'edit' | 'delete';

const RANK: Record<PermissionLevel, number> = { none: 0, read: 1, 'read-edit': 2, 'read-edit-delete': 3 };
const NEEDED: Record<Action, number> = { read: 1, edit: 2, delete: 3 };

export interface Principal {
  userId: number;
  role: Role;
  username: string;
  permissions: Partial<Record<string, PermissionLevel>>;
  via: 'session' | 'api-key';
  sessionId?: number;
  apiKeyId?: number;
  mustChangePassword: boolean;
}

export function can(principal: Pick<Principal, 'role' | 'permissions'>, module: Module, action: Action): boolean {
  if (principal.role === 'admin') return true;
  if (principal.role === 'agent') return false;
  const level = principal.permissions[module] ?? 'none';
  return RANK[level] >= NEEDED[action];
}

/** Supervisors only see agents of the queues they are enabled on; admins and service users see all. */
export function isScopedToQueues(principal: Pick<Principal, 'role'>): boolean {
  return principal.role === 'supervisor';
}
