// Who sees what on the board (pure, from the directory in memory so 500 sockets cost no queries):
// admins and service users see everything; a supervisor sees the queues they are enabled on and
// the agents of those queues (directly or through teams) — the same rule as Staff → Agents.
import { isScopedToQueues, type Principal } from '../../auth/permissions.ts';
import type { BoardCall } from '../../../contracts/realtime-board.ts';
import type { Directory } from './queries.ts';

export interface BoardScope {
  all: boolean;
  queueIds: ReadonlySet<number>;
  agentIds: ReadonlySet<number>;
}

export function scopeOf(principal: Pick<Principal, 'role' | 'userId'>, dir: Directory): BoardScope {
  if (!isScopedToQueues(principal)) return { all: true, queueIds: new Set(), agentIds: new Set() };
  const queueIds = new Set(dir.supervisorQueues.get(principal.userId) ?? []);
  const agentIds = new Set<number>();
  for (const q of queueIds) for (const a of dir.members.get(q) ?? []) agentIds.add(a);
  return { all: false, queueIds, agentIds };
}

export const seesAgent = (s: BoardScope, id: number): boolean => s.all || s.agentIds.has(id);
export const seesQueue = (s: BoardScope, id: number): boolean => s.all || s.queueIds.has(id);
/** A call is visible through its queue or its agent; calls still in the IVR only to unscoped users. */
export const seesCall = (s: BoardScope, c: Pick<BoardCall, 'queueId' | 'agentId'>): boolean =>
  s.all || (c.queueId !== null && s.queueIds.has(c.queueId)) || (c.agentId !== null && s.agentIds.has(c.agentId));
