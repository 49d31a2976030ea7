// Who may listen to whom: the same rules for the board and the feature code. An admin always may;
// a supervisor needs the chanspy module at read-edit and the agent in one of their queues; nobody
// may spy on an agent whose chanspy flag is off, nor on themselves.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { agents, users } from '../../db/schema.ts';
import { can, type Principal } from '../../auth/permissions.ts';
import { isAgentInScope } from '../../staff/scope.ts';
import { SpyRefusal } from './spy-refusal.ts';

export interface SpyTarget {
  agentId: number;
  extension: string;
  username: string;
}

/** The agent as a user row, or a not-found refusal (nothing to audit against). */
export async function findSpyTarget(db: Db, agentId: number): Promise<(SpyTarget & { chanspy: boolean }) | undefined> {
  const [row] = await db
    .select({ agentId: users.id, extension: agents.extension, username: users.username, chanspy: agents.chanspy })
    .from(users)
    .innerJoin(agents, eq(agents.userId, users.id))
    .where(eq(users.id, agentId));
  return row;
}

export async function findAgentByExtension(db: Db, extension: string): Promise<number | undefined> {
  const [row] = await db.select({ id: agents.userId }).from(agents).where(eq(agents.extension, extension));
  return row?.id;
}

/**
 * The permission alone. Also checked before an unknown agent is answered for: otherwise a user
 * without it would tell existing agent ids (403) from unknown ones (404).
 */
export function checkSpyPermission(principal: Principal): void {
  if (!can(principal, 'chanspy', 'edit')) throw new SpyRefusal('forbidden', 'no-permission', "Listening to agents needs the 'read-edit' permission on 'chanspy'");
}

/**
 * Checks everything that does not depend on the call; throws SpyRefusal. The order gives the most
 * useful answer first: oneself, then the permission, then the agent.
 */
export async function checkSpyAccess(db: Db, principal: Principal, target: SpyTarget & { chanspy: boolean }): Promise<void> {
  if (principal.userId === target.agentId) throw new SpyRefusal('conflict', 'self', 'You cannot listen to your own calls');
  checkSpyPermission(principal);
  // Outside the scope, the agent is answered for as an unknown one (no id probing); the audit says why.
  if (!(await isAgentInScope(db, principal, target.agentId))) throw new SpyRefusal('not-found', 'no-agent', `Agent ${target.agentId} not found`, {}, 'out-of-scope');
  if (!target.chanspy) throw new SpyRefusal('forbidden', 'agent-not-spyable', `Agent ${target.username} may not be listened to (chanspy is off for this agent)`);
}

/**
 * The supervisor whose phone is this extension (users.phone = {kind: 'extension', value}), as a
 * principal for the same checks as the board. Disabled accounts and agents never match.
 */
export async function principalOfExtension(db: Db, endpoint: string): Promise<Principal | undefined> {
  const [row] = await db
    .select({ id: users.id, role: users.role, username: users.username, permissions: users.permissions, disabled: users.disabled, locked: users.locked })
    .from(users)
    .where(and(inArray(users.role, ['admin', 'supervisor']), sql`${users.phone}->>'kind' = 'extension'`, sql`${users.phone}->>'value' = ${endpoint}`))
    .limit(1);
  if (!row || row.disabled || row.locked) return undefined;
  // A feature code is dialled from the supervisor's own desk phone: it stands for their session.
  return { userId: row.id, role: row.role, username: row.username, permissions: row.permissions, via: 'session', mustChangePassword: false };
}
