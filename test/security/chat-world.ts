// The web chat as the security tests attack it: a real node, chat queues with their agents, chat
// websites on those queues, supervisors enabled on some of them, visitors on real socket.io widgets
// and agents taking chats through the real API. Shared by the chat rows of issue 22 (3, 4, 5, 10, 13).
import { expect } from 'chai';
import type { StartOptions } from '../../server/tandem.ts';
import { startTestNode, type ApiClient, type ErrorBody, type TestNode } from '../support/tandem.ts';
import { openAgentSocket, openWidget, ORIGIN, type Widget, type WidgetOptions } from '../channels/chat/support.ts';
import { eventually } from '../support/eventually.ts';
import { agent as newAgent } from '../support/world.ts';
import { postWebsite } from '../support/dispositions.ts';

export interface Account {
  id: number;
  token: string;
  username: string;
}
export interface WebsiteBody {
  id: number;
  key: string;
  name: string;
  queueId: number | null;
  allowedOrigins: string[];
  cannedAnswers: { title: string; text: string }[];
}
export type ApiResult = { status: number; body: unknown; text: string };

const SUPERVISOR_PASSWORD = 'Sup-Passw0rd!';

export class ChatWorld {
  node!: TestNode;
  c!: ApiClient;
  admin!: string;
  #seq = 0;
  readonly #open: { close(): void }[] = [];

  async start(options: Partial<StartOptions> = {}): Promise<void> {
    this.node = await startTestNode('postgres', {}, { acdTickMs: 50, ...options });
    this.c = this.node.client;
    this.admin = this.node.adminToken;
  }

  async stop(): Promise<void> {
    this.closeSockets();
    await this.node?.stop();
  }

  closeSockets(): void {
    for (const s of this.#open.splice(0)) s.close();
  }

  get db() {
    return this.node.tandem.database.db;
  }

  async agent(): Promise<Account> {
    const { id, token, username } = await newAgent({ client: this.c, adminToken: this.admin });
    return { id, token, username };
  }

  async queue(members: { id: number }[], settings: Record<string, unknown> = {}): Promise<{ id: number; name: string }> {
    const q = await this.c.post<{ id: number; name: string }>('/api/queues', { name: `SQ${++this.#seq}-${process.pid}`, channel: 'chat', ringTimeoutSec: 30, retrySec: 0, ...settings }, this.admin);
    expect(q.status, q.text).to.equal(201);
    for (const m of members) {
      const added = await this.c.post(`/api/queues/${q.body.id}/agents`, { agentId: m.id, penalty: 0 }, this.admin);
      expect(added.status, added.text).to.be.oneOf([200, 201]);
    }
    return q.body;
  }

  async website(body: Record<string, unknown>): Promise<WebsiteBody> {
    const w = await postWebsite<WebsiteBody>(this.c, this.admin, { name: `Site ${++this.#seq}-${process.pid}`, allowedOrigins: [ORIGIN], ...body });
    expect(w.status, w.text).to.equal(201);
    return w.body;
  }

  /** A supervisor with the given permissions, enabled on `queueIds`. */
  async supervisor(queueIds: number[], permissions: Record<string, string> = { chat: 'read-edit-delete' }): Promise<Account> {
    const username = `sup.${process.pid}_${++this.#seq}`;
    const u = await this.c.post<{ id: number }>('/api/users', { role: 'supervisor', username, fullName: username, password: SUPERVISOR_PASSWORD, permissions }, this.admin);
    expect(u.status, u.text).to.equal(201);
    const scope = await this.c.put(`/api/users/${u.body.id}/queues`, { queueIds }, this.admin);
    expect(scope.status, scope.text).to.equal(200);
    return { id: u.body.id, token: await this.c.login(username, SUPERVISOR_PASSWORD), username };
  }

  async widget(key: string, opts: WidgetOptions = {}): Promise<Widget> {
    const w = await openWidget(this.c.baseUrl, key, opts);
    this.#open.push(w);
    return w;
  }

  async socket(token: string) {
    const s = await openAgentSocket(this.c.baseUrl, token);
    this.#open.push({ close: () => s.socket.disconnect() });
    return s;
  }

  /** A visitor starts a chat; resolves with its id. */
  async startChat(w: Widget, form: Record<string, string> = { name: 'Visitor' }): Promise<number> {
    const started = await w.call<{ chatId: number }>('start', { form });
    expect(started.ok, JSON.stringify(started)).to.equal(true);
    return (started as { chatId: number }).chatId;
  }

  /** The agent logs in (web), takes the next offer and is connected to that chat. */
  async acceptNext(agent: Account): Promise<void> {
    await this.c.post('/api/me/login', { device: 'web' }, agent.token);
    const offers = await eventually(() => this.c.get<{ id: number }[]>('/api/me/offers', agent.token).then((r) => r.body), (o) => Array.isArray(o) && o.length > 0, 'an offer');
    const r = await this.c.post(`/api/offers/${offers[0]!.id}/accept`, {}, agent.token);
    expect(r.status, r.text).to.equal(200);
  }

  /** A chat started on `key` and accepted by `agent` (the website's queue must have them). */
  async connectedChat(key: string, agent: Account, form: Record<string, string> = { name: 'Visitor' }, opts: WidgetOptions = {}): Promise<{ visitor: Widget; chatId: number }> {
    const visitor = await this.widget(key, opts);
    const chatId = await this.startChat(visitor, form);
    await this.acceptNext(agent);
    await visitor.next('state', (s: { status: string }) => s.status === 'connected');
    await eventually(() => this.c.get<{ id: number }[]>('/api/me/interactions', agent.token).then((r) => r.body.map((i) => i.id)), (ids) => ids.includes(chatId), 'the chat on the agent');
    return { visitor, chatId };
  }

  /** A message left through the offline form by a new visitor: a pending interaction of the website's queue. */
  async pendingMessage(key: string, text = 'Call me back'): Promise<number> {
    const v = await this.widget(key);
    const left = await v.call<{ chatId: number }>('offline', { form: { name: 'Later' }, message: text });
    expect(left.ok, JSON.stringify(left)).to.equal(true);
    return (left as { chatId: number }).chatId;
  }
}

/** 404 with the NOT_FOUND code: what an unknown id answers too. */
export function expectNotFound(res: ApiResult, what: string): void {
  expect(res.status, `${what}: ${res.text}`).to.equal(404);
  expect((res.body as ErrorBody).error.code, what).to.equal('NOT_FOUND');
}
