// The server decides (server/auth/permissions.ts); the app mirrors the rule only to hide what the
// server would refuse, so a read-only user sees a read-only canvas instead of failing saves.
import type { Account, PermissionLevel } from '../api/types.ts';

export type Action = 'read' | 'edit' | 'delete';

const RANK: Record<PermissionLevel, number> = { none: 0, read: 1, 'read-edit': 2, 'read-edit-delete': 3 };
const NEEDED: Record<Action, number> = { read: 1, edit: 2, delete: 3 };

export function can(account: Pick<Account, 'role' | 'permissions'> | null, module: string, action: Action): boolean {
  if (account === null) return false;
  if (account.role === 'admin') return true;
  if (account.role === 'agent') return false;
  const level = account.permissions[module] ?? 'none';
  return RANK[level] >= NEEDED[action];
}
