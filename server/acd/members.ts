// A queue's members: its agents and the agents of its teams. An agent who is both keeps the lower
// (better) penalty. Ordered by penalty then id: the order `linear` follows and rrmemory rotates over.
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/database.ts';

export interface QueueMember {
  userId: number;
  penalty: number;
}

export async function queueMembers(db: Db, queueId: number): Promise<QueueMember[]> {
  return (await queueMembersOf(db, [queueId])).get(queueId) ?? [];
}

/** The members of several queues in one query (a routing pass reads every queue it holds at once). */
export async function queueMembersOf(db: Db, queueIds: readonly number[]): Promise<Map<number, QueueMember[]>> {
  const out = new Map<number, QueueMember[]>(queueIds.map((id) => [id, []]));
  if (queueIds.length === 0) return out;
  const ids = sql.join(
    queueIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const result = await db.execute<{ queue_id: string | number; user_id: string | number; penalty: number }>(sql`
    select queue_id, user_id, min(penalty)::int as penalty from (
      select qa.queue_id, qa.user_id, qa.penalty from queue_agents qa where qa.queue_id in (${ids})
      union all
      select qt.queue_id, tm.user_id, qt.penalty
        from queue_teams qt
        join team_members tm on tm.team_id = qt.team_id
        join agents a on a.user_id = tm.user_id
       where qt.queue_id in (${ids})
    ) m
    group by queue_id, user_id
    order by queue_id, min(penalty), user_id`);
  for (const r of rowsOf<{ queue_id: string | number; user_id: string | number; penalty: number }>(result)) {
    out.get(Number(r.queue_id))?.push({ userId: Number(r.user_id), penalty: Number(r.penalty) });
  }
  return out;
}
