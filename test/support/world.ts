// Shared world builders for tests that need agents in queues: each creates what it names through the
// API (as an administrator would), so the tests exercise the same routes a real set-up does.
import { agentBody, type ApiClient, type TestNode } from './tandem.ts';

/** Where to build: a node, or one node's client of a cluster with the administrator's token. */
export type Site = Pick<TestNode, 'client' | 'adminToken'>;

export interface WorldAgent {
  id: number;
  /** A session token of the agent. */
  token: string;
  username: string;
  password: string;
}

export interface Member {
  id: number;
  penalty?: number;
}

let seq = 0;

function refuse(what: string, status: number, text: string): never {
  throw new Error(`${what} failed: ${status} ${text}`);
}

/** An agent created through the API (fields of `agentBody`, overridden), with a session token. */
export async function agent(site: Site, overrides: Record<string, unknown> = {}): Promise<WorldAgent> {
  const body = agentBody(overrides);
  const created = await site.client.post<{ id: number }>('/api/agents', body, site.adminToken);
  if (created.status !== 201) refuse('creating an agent', created.status, created.text);
  const username = String(body.username);
  const password = String(body.password);
  return { id: created.body.id, token: await site.client.login(username, password), username, password };
}

/** An agent as `agent` makes one, then logged in to the ACD (`POST /api/me/login` with `login`). */
export async function loggedInAgent(site: Site, overrides: Record<string, unknown> = {}, login: Record<string, unknown> = { device: 'web' }): Promise<WorldAgent> {
  const a = await agent(site, overrides);
  await logIn(site.client, a, login);
  return a;
}

/** Logs an existing agent in to the ACD. */
export async function logIn(client: ApiClient, a: Pick<WorldAgent, 'token'>, login: Record<string, unknown> = { device: 'web' }): Promise<void> {
  const r = await client.post('/api/me/login', login, a.token);
  if (r.status !== 200) refuse('the ACD login', r.status, r.text);
}

/** A queue (a unique name and chat unless `settings` say otherwise) with `members` added in order. */
export async function queue(site: Site, settings: Record<string, unknown> = {}, members: readonly (Member | number)[] = []): Promise<number> {
  seq++;
  const q = await site.client.post<{ id: number }>('/api/queues', { name: `Q${seq}-${process.pid}`, channel: 'chat', ...settings }, site.adminToken);
  if (q.status !== 201) refuse('creating a queue', q.status, q.text);
  for (const m of members) {
    const member = typeof m === 'number' ? { id: m } : m;
    const r = await site.client.post(`/api/queues/${q.body.id}/agents`, { agentId: member.id, ...(member.penalty === undefined ? {} : { penalty: member.penalty }) }, site.adminToken);
    if (r.status !== 200) refuse('adding a queue member', r.status, r.text);
  }
  return q.body.id;
}

/**
 * A voice flow project whose Queue block sends callers to `queueName` (every exit ends the flow),
 * after a Playback block playing `prompt` when one is given: what "used by" and routing lists find.
 */
export function queueFlowProject(queueName: string, prompt?: string) {
  const line = { type: 'Queue', params: { queue: queueName }, exits: { answered: null, timeout: null, full: null, unavailable: null, failed: null } };
  const blocks =
    prompt === undefined
      ? { start: { type: 'Start', params: { answer: true }, exits: { next: 'line' } }, line }
      : { start: { type: 'Start', params: { answer: true }, exits: { next: 'hello' } }, hello: { type: 'Playback', params: { prompts: [prompt] }, exits: { next: 'line' } }, line };
  return { schemaVersion: 2, id: 'ignored-on-import', name: 'ignored', channel: 'voice', entry: 'start', blocks };
}
