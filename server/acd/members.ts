// A queue's members: its agents and the agents of its teams. An agent who is both keeps the lower
// (better) penalty. Ordered by penalty then id: the order `linear` follows and rrmemory rotates over.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';

export interface QueueMember {
  userId: number;
  penalty: number;
}

export async function queueMembers(db: Db, queueId: number): Promise<QueueMember[]> {
  const result = await db.execute<{ user_id: string | number; penalty: number }>(sql`
    select user_id, min(penalty)::int as penalty from (
      select qa.user_id, qa.penalty from queue_agents qa where qa.queue_id = ${queueId}
      union all
      select tm.user_id, qt.penalty
        from queue_teams qt
        join team_members tm on tm.team_id = qt.team_id
        join agents a on a.user_id = tm.user_id
       where qt.queue_id = ${queueId}
    ) m
    group by user_id
    order by min(penalty), user_id`);
  return (result as unknown as { rows: { user_id: string | number; penalty: number }[] }).rows.map((r) => ({ userId: Number(r.user_id), penalty: Number(r.penalty) }));
}
