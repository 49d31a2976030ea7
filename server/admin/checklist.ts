// The first-run checklist of the admin app's home page: the steps from an empty install to a first
// call answered by an agent, each read from what the system holds now (nothing is stored about the
// checklist itself, so it can never disagree with the configuration).
import { and, count, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { agents, agentSessions, calls, ivrProjects, queues, voiceRoutes } from '../db/schema.ts';

import type { ChecklistEntry } from '../../contracts/admin.ts';

/** The Asterisk links as the node reports them (`up` when connected). */
export interface AsteriskLinks {
  ami: string;
  ari: string;
}

const exists = async (db: Db, query: Promise<unknown[]>): Promise<boolean> => (await query).length > 0;

export async function setupChecklist(db: Db, asterisk: AsteriskLinks): Promise<ChecklistEntry[]> {
  const [[agentCount], [queueCount], ivrPublished, routeToIvr, agentLoggedIn, [lastCall]] = await Promise.all([
    db.select({ n: count() }).from(agents),
    db.select({ n: count() }).from(queues),
    exists(db, db.select({ id: ivrProjects.id }).from(ivrProjects).where(and(eq(ivrProjects.channel, 'voice'), isNotNull(ivrProjects.publishedVersion))).limit(1)),
    // An enabled inbound route to a published voice project: a call from the trunk reaches a flow.
    exists(
      db,
      db
        .select({ id: voiceRoutes.id })
        .from(voiceRoutes)
        .innerJoin(ivrProjects, eq(ivrProjects.id, voiceRoutes.projectId))
        .where(and(eq(voiceRoutes.kind, 'inbound'), eq(voiceRoutes.enabled, true), isNotNull(ivrProjects.publishedVersion)))
        .limit(1),
    ),
    exists(db, db.select({ id: agentSessions.userId }).from(agentSessions).limit(1)),
    db.select({ startedAt: calls.startedAt }).from(calls).orderBy(desc(calls.id)).limit(1),
  ]);
  const connected = asterisk.ami === 'up' && asterisk.ari === 'up';
  const nAgents = agentCount?.n ?? 0;
  const nQueues = queueCount?.n ?? 0;
  return [
    { item: 'asteriskConnected', done: connected, detail: `AMI ${asterisk.ami}, ARI ${asterisk.ari}` },
    { item: 'agentExists', done: nAgents > 0, detail: `${nAgents} agent(s)` },
    { item: 'queueExists', done: nQueues > 0, detail: `${nQueues} queue(s)` },
    { item: 'ivrPublished', done: ivrPublished, detail: ivrPublished ? 'a voice project is published' : 'no voice project is published' },
    { item: 'routeToIvr', done: routeToIvr, detail: routeToIvr ? 'an inbound route reaches a published project' : 'no enabled inbound route reaches a published project' },
    { item: 'agentLoggedIn', done: agentLoggedIn, detail: agentLoggedIn ? 'an agent is logged in' : 'no agent is logged in' },
    { item: 'testCallPlaced', done: lastCall !== undefined, detail: lastCall ? `last call at ${lastCall.startedAt.toISOString()}` : 'no call yet' },
  ];
}
