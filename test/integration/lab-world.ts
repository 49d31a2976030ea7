// What integration suites put on the lab's node before calling: a voice flow that sends callers to
// a queue, and an agent serving a voice queue. Several suites start the same way; these keep that
// setup in one place so a change to the API (a field, a status) is made once.
import { expect } from 'chai';
import { agentBody, type TestNode } from '../support/tandem.ts';

/**
 * A voice flow project: answer, wait in `queue` up to `timeoutSec`, then hang up. With `thanks`,
 * an answered caller hears "thank you" after the agent hangs up before the flow ends.
 */
export function queueLineProject(o: { name: string; queue: string; timeoutSec: number; thanks?: boolean }) {
  const bye = { type: 'Hangup', params: {}, exits: {} };
  const queue = { type: 'Queue', params: { queue: o.queue, timeoutSec: o.timeoutSec }, exits: { answered: o.thanks ? 'thanks' : 'bye', timeout: 'bye', full: 'bye', unavailable: 'bye', failed: 'bye' } };
  const start = { type: 'Start', params: { answer: true }, exits: { next: 'queue' } };
  const blocks = o.thanks ? { start, queue, thanks: { type: 'Playback', params: { prompts: ['queue-thankyou'] }, exits: { next: 'bye' } }, bye } : { start, queue, bye };
  return { schemaVersion: 2, id: 'x', name: o.name, channel: 'voice', entry: 'start', blocks };
}

export interface QueuedAgent {
  id: number;
  username: string;
  password: string;
  queueId: number;
}

/**
 * An agent with the desk phone `extension`, member of a new voice queue `queue` (20 s ring, no
 * wrap-up), made through the API as an administrator does. Fails naming the refused step.
 */
export async function agentInVoiceQueue(node: TestNode, o: { extension: string; queue: string }): Promise<QueuedAgent> {
  const { client, adminToken: t } = node;
  const body = agentBody({ extension: o.extension });
  const a = await client.post<{ id: number }>('/api/agents', body, t);
  expect(a.status, a.text).to.equal(201);
  const q = await client.post<{ id: number }>('/api/queues', { name: o.queue, channel: 'voice', ringTimeoutSec: 20, wrapupSec: 0 }, t);
  expect(q.status, q.text).to.equal(201);
  expect((await client.post(`/api/queues/${q.body.id}/agents`, { agentId: a.body.id }, t)).status).to.be.oneOf([200, 201, 204]);
  return { id: a.body.id, username: String(body.username), password: String(body.password), queueId: q.body.id };
}
