// The flow language's QueuePort: what the Queue block's "require agents" check reads.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { queueEntries, queues } from '../db/schema.ts';
import { queueMembers } from './members.ts';
import type { QueuePort, QueueStatus } from '../../flows/services.ts';
import { presenceOf } from './presence.ts';
import type { Channel } from '../../contracts/channels.ts';

export function createQueuePort(db: Db, channel: Channel | null = null): QueuePort {
  return {
    async status(name: string): Promise<QueueStatus> {
      const [queue] = await db
        .select()
        .from(queues)
        .where(and(sql`lower(${queues.name}) = lower(${name})`, channel ? eq(queues.channel, channel) : undefined))
        .limit(1);
      if (!queue) return { exists: false, agentsAvailable: 0, waiting: 0 };
      const members = await queueMembers(db, queue.id);
      const presence = await presenceOf(db, members.map((m) => m.userId));
      const agentsAvailable = [...presence.values()].filter((p) => p.loggedIn && !p.channels.find((c) => c.channel === queue.channel)?.paused).length;
      const [w] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(queueEntries)
        .where(and(eq(queueEntries.queueId, queue.id), inArray(queueEntries.status, ['waiting', 'offered'])));
      return { exists: true, agentsAvailable, waiting: w?.n ?? 0 };
    },
  };
}
