// Issue 7's acceptance, the two paths beyond the main story (web-chat.test.ts), in real browsers:
// - offline form: the visitor is queued, no agent of the queue is logged in; at the queue timeout
//   the widget offers the offline form, the visitor leaves a message, and it becomes a pending
//   interaction (API, PostgreSQL) instead of being lost;
// - capacity: an agent with chat capacity 2 (max open tabs left as configured: 0 = no limit), three
//   visitors in three browser contexts start chats at once; the desktop gets exactly two, the third
//   waits in the queue and is offered only when one of the two is closed.
import { expect } from 'chai';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { buildWidgetIfStale } from '../../designer/build.ts';
import { interactions, offers, queueEntries, routingDecisions } from '../../server/db/schema.ts';
import { agentBody, startTestNode, type TestNode } from '../support/tandem.ts';
import { ensureDesignerBuilt, launchChromium, openPage, type DesignerPage, signInToDesktop } from '../designer/harness.ts';
import { startCustomerSite, type CustomerSite } from './customer-site.ts';
import { eventually } from '../support/eventually.ts';
import { websiteDispositions } from '../support/dispositions.ts';

/** Start → Queue (with its own timeout) → End: the chat flow of both paths. */
const queueProject = (queue: string, timeoutSec: number) => ({
  schemaVersion: 2,
  id: 'x',
  name: 'Queue only',
  channel: 'chat',
  entry: 'start',
  variables: {},
  blocks: {
    start: { type: 'Start', params: {}, exits: { next: 'queue' } },
    queue: { type: 'Queue', params: { queue, timeoutSec }, exits: { answered: 'end', timeout: 'end', full: 'end', unavailable: 'end', failed: 'end' } },
    end: { type: 'End', params: {}, exits: {} },
  },
});

/** One agent of a routing decision as the engine stores it (server/acd/routing-adapter.ts). */
interface ConsideredAgent {
  agentId: number;
  eligible: boolean;
  offered: boolean;
  reason?: string;
}

describe('web chat acceptance: offline form and capacity (widget and agent desktop in browsers)', function () {
  this.timeout(120_000);
  let node: TestNode;
  let site: CustomerSite | undefined;
  let siteOrigin: string;
  let browser: Browser;
  const pages: DesignerPage[] = [];

  before(async function () {
    this.timeout(180_000);
    await Promise.all([buildWidgetIfStale(), ensureDesignerBuilt()]);
    node = await startTestNode('postgres', {}, { acdTickMs: 50 });
    site = await startCustomerSite(node.tandem.url);
    siteOrigin = site.origin;
    browser = await launchChromium();
  });

  after(async () => {
    for (const p of pages) await p.close().catch(() => undefined);
    await browser?.close();
    await site?.close();
    await node?.stop();
  });

  const db = () => node.testDb.database.db;
  /** Raw SQL (a view, a join) through node-postgres: the rows of the result. */
  const query = async <T,>(q: ReturnType<typeof sql>): Promise<T[]> => ((await db().execute(q)) as unknown as { rows: T[] }).rows;

  /** A chat queue with one member agent and a website whose flow queues there. */
  async function setUp(tag: string, agent: Record<string, unknown>, queueTimeoutSec: number, website: Record<string, unknown> = {}) {
    const c = node.client;
    const admin = node.adminToken;
    const a = await c.post<{ id: number }>('/api/agents', agent, admin);
    expect(a.status, a.text).to.equal(201);
    // retrySec 1: a waiting chat is looked at again every second, not on every engine tick.
    const q = await c.post<{ id: number; name: string }>('/api/queues', { name: `${tag.replace(/ /g, '-')}-${process.pid}`, channel: 'chat', ringTimeoutSec: 60, retrySec: 1, wrapupSec: 0, strategy: 'linear' }, admin);
    expect(q.status, q.text).to.equal(201);
    expect((await c.post(`/api/queues/${q.body.id}/agents`, { agentId: a.body.id, penalty: 0 }, admin)).status).to.be.oneOf([200, 201, 204]);
    const p = await c.post<{ id: string }>('/api/ivr/projects', { name: `${tag} flow`, channel: 'chat', project: queueProject(q.body.name, queueTimeoutSec) }, admin);
    expect(p.status, p.text).to.equal(201);
    const published = await c.post(`/api/ivr/projects/${p.body.id}/publish`, {}, admin);
    expect(published.status, published.text).to.equal(201);
    const w = await c.post<{ id: number; key: string }>(
      '/api/chat/websites',
      {
        name: tag,
        allowedOrigins: [siteOrigin],
        projectId: p.body.id,
        appearance: { title: `${tag} help`, greeting: 'Welcome!', color: '#2563eb', position: 'right' },
        onlineForm: [
          { name: 'name', label: 'Your name', type: 'text', required: true },
          { name: 'email', label: 'E-mail', type: 'email', required: true },
        ],
        ...website,
      },
      admin,
    );
    expect(w.status, w.text).to.equal(201);
    await websiteDispositions(c, admin, w.body.id, ['Solved', 'No answer']);
    return { agentId: a.body.id, queueId: q.body.id, website: w.body };
  }

  async function openVisitor(key: string, title: string, name: string): Promise<Page> {
    const visitor = await openPage(browser, siteOrigin);
    pages.push(visitor);
    const vp = visitor.page;
    await vp.goto(`/?key=${key}`);
    await vp.getByRole('button', { name: `Open chat: ${title}` }).click();
    await vp.getByLabel('Your name').fill(name);
    await vp.getByLabel('E-mail').fill(`${name.toLowerCase()}@example.com`);
    await vp.keyboard.press('Enter');
    return vp;
  }

  /** The chat interaction a visitor's widget started (the widget keeps no id on the page). */
  const interactionOf = async (email: string) =>
    eventually(
      () => query<{ id: number | string }>(sql`select i.id from interactions i join contacts c on c.id = i.contact_id where c.email = ${email} order by i.id desc limit 1`),
      (rows) => rows.length === 1,
      `the interaction of ${email}`,
      { timeoutMs: 15_000 },
    ).then((rows) => Number(rows[0]!.id));

  const entryOf = async (interactionId: number) =>
    eventually(
      () => db().select().from(queueEntries).where(eq(queueEntries.interactionRef, `chat:${interactionId}`)),
      (rows) => rows.length === 1,
      `the queue entry of chat ${interactionId}`,
      { timeoutMs: 15_000 },
    ).then((rows) => rows[0]!);

  it('offline form: queued with no agent logged in, offered the form at the queue timeout, the message becomes a pending interaction', async () => {
    const c = node.client;
    const admin = node.adminToken;
    const body = agentBody({ fullName: 'Olga Offline' });
    const { agentId, queueId, website } = await setUp('Offline shop', body, 3, {
      offlineForm: { enabled: true, title: 'Nobody is free: leave us a message', fields: [{ name: 'phone', label: 'Phone', type: 'tel', required: true }] },
    });
    // The queue's only agent never logs in.
    const presence = await c.get<{ loggedIn: boolean }>(`/api/agents/${agentId}/presence`, admin);
    expect(presence.body.loggedIn).to.equal(false);

    const vp = await openVisitor(website.key, 'Offline shop help', 'Paula');
    const interactionId = await interactionOf('paula@example.com');
    // Queued: the flow put the chat in the queue (joinEmpty 'yes' lets it wait with nobody there).
    const entry = await entryOf(interactionId);
    expect(entry.queueId).to.equal(queueId);

    // At the queue timeout the widget shows the offline form.
    await vp.getByText('Nobody is free: leave us a message').waitFor();
    const timedOut = await eventually(() => db().select().from(queueEntries).where(eq(queueEntries.id, entry.id)), (r) => r[0]?.status === 'timeout', 'the entry to time out', { timeoutMs: 15_000 });
    expect(timedOut[0]!.agentId).to.equal(null);
    await vp.getByLabel('Phone').fill('+39 055 987654');
    await vp.getByLabel('Message').fill('Please call me <b>back</b> about order 42');
    await vp.getByRole('button', { name: 'Send message' }).click();
    await vp.getByText('Thank you, your message was sent. We will get back to you.').waitFor();

    // A pending interaction (the same chat, not a new one), with the message and both forms.
    const pending = await eventually(
      () => c.get<{ id: number; status: string; agentId: number | null; queueId: number | null; contact: { email: string | null } | null }[]>('/api/interactions?status=pending', admin).then((r) => r.body),
      (l) => l.some((i) => i.id === interactionId),
      'the pending interaction',
      { timeoutMs: 15_000 },
    );
    expect(pending.find((i) => i.id === interactionId)).to.deep.include({ status: 'pending', agentId: null, queueId });
    expect(pending.find((i) => i.id === interactionId)?.contact?.email).to.equal('paula@example.com');
    const messages = await c.get<{ from: string; text: string }[]>(`/api/interactions/${interactionId}/messages`, admin);
    expect(messages.body.filter((m) => m.from === 'visitor').map((m) => m.text)).to.deep.equal(['Please call me <b>back</b> about order 42']);
    const [row] = await db().select().from(interactions).where(eq(interactions.id, interactionId));
    expect(row).to.deep.include({ status: 'pending', agentId: null, closedAt: null });
    expect(row!.form).to.deep.equal({ name: 'Paula', email: 'paula@example.com', phone: '+39 055 987654' });
    // The queue passage is reported as a timeout (report_chat_queue).
    expect(await query(sql`select reason, user_id from report_chat_queue where entry_id = ${entry.id}`)).to.deep.equal([{ reason: 'timeout', user_id: null }]);

    // Later, the queue's agent opens the desktop: the message waits there; taking it opens the chat.
    const agent = await openPage(browser, node.tandem.url);
    pages.push(agent);
    const ap = agent.page;
    await signInToDesktop(ap, String(body.username), String(body.password));
    const waiting = ap.getByTestId('pending-message').filter({ hasText: 'Paula' });
    await waiting.waitFor();
    await waiting.getByRole('button', { name: /^Take the message of Paula/ }).click();
    await ap.getByRole('tab', { name: 'Paula' }).waitFor();
    await ap.getByText('Please call me <b>back</b> about order 42').waitFor();
    await ap.getByTestId('pending-message').filter({ hasText: 'Paula' }).waitFor({ state: 'detached' });
    const [taken] = await db().select().from(interactions).where(eq(interactions.id, interactionId));
    expect(taken).to.deep.include({ status: 'pending', agentId });
    expect(pages.flatMap((p) => p.errors)).to.deep.equal([]);
  });

  it('capacity: with chat capacity 2, three parallel chats give the agent two; the third is offered when one closes', async () => {
    const c = node.client;
    const body = agentBody({ fullName: 'Carla Capacity', capacity: { chat: 2 } });
    const { agentId, website } = await setUp('Busy shop', body, 0);
    const settings = await c.get<{ maxOpenTabs: number }>('/api/settings', node.adminToken);
    expect(settings.body.maxOpenTabs, 'max open tabs must not be what limits here').to.satisfy((n: number) => n === 0 || n > 2);

    const agent = await openPage(browser, node.tandem.url);
    pages.push(agent);
    const ap = agent.page;
    await signInToDesktop(ap, String(body.username), String(body.password));
    await ap.getByLabel('Device').selectOption('web');
    await ap.getByRole('button', { name: 'Log in' }).click();
    await ap.getByTestId('presence-state').filter({ hasText: /^Ready$/ }).waitFor();

    // Three visitors, three browser contexts, at once.
    const names = ['Anna', 'Bruno', 'Chiara'];
    const visitors = new Map<string, Page>(await Promise.all(names.map(async (n) => [n, await openVisitor(website.key, 'Busy shop help', n)] as const)));
    const ids = new Map<string, number>(await Promise.all(names.map(async (n) => [n, await interactionOf(`${n.toLowerCase()}@example.com`)] as const)));
    const entries = new Map<string, number>(await Promise.all(names.map(async (n) => [n, (await entryOf(ids.get(n)!)).id] as const)));

    // The desktop is offered one chat at a time; the agent accepts two.
    const accepted: string[] = [];
    const acceptNext = async () => {
      const offer = ap.getByRole('alert', { name: /^New chat from / });
      await offer.waitFor();
      const who = (await offer.getByTestId('offer-caller').textContent()) ?? '';
      expect(names).to.include(who);
      await offer.getByRole('button', { name: 'Accept' }).click();
      await ap.getByRole('tab', { name: who, exact: true }).waitFor();
      accepted.push(who);
      return who;
    };
    await acceptNext();
    await acceptNext();
    const third = names.find((n) => !accepted.includes(n))!;
    expect(accepted).to.have.members(names.filter((n) => n !== third));

    // The engine looked at the third chat again with the agent at capacity…
    await eventually(
      () => db().select().from(routingDecisions).where(eq(routingDecisions.entryId, entries.get(third)!)),
      (rows) => rows.some((r) => (r.considered as ConsideredAgent[]).some((a) => a.agentId === agentId && a.reason === 'at-capacity')),
      'a routing decision that finds the agent at capacity',
      { timeoutMs: 15_000 },
    );
    // …and so the third waits: no offer on the desktop or in the database, two tabs, two open chats.
    expect(await ap.getByRole('alert').count()).to.equal(0);
    expect(await ap.getByRole('tab').count()).to.equal(2);
    expect(await db().select().from(offers).where(eq(offers.entryId, entries.get(third)!))).to.deep.equal([]);
    expect((await db().select().from(queueEntries).where(eq(queueEntries.id, entries.get(third)!)))[0]?.status).to.equal('waiting');
    const agentToken = await c.login(String(body.username), String(body.password));
    const open = await c.get<{ id: number }[]>('/api/me/interactions?status=open', agentToken);
    expect(open.body.map((i) => i.id)).to.have.members(accepted.map((n) => ids.get(n)!));
    for (const n of accepted) await visitors.get(n)!.getByText('Carla Capacity joined the chat').waitFor({ state: 'attached' });
    expect(await visitors.get(third)!.getByText('Carla Capacity joined the chat').count()).to.equal(0);

    // A line each way on one of the two, to show both chats are live.
    const [first, second] = accepted as [string, string];
    await ap.getByRole('tab', { name: first, exact: true }).click();
    const chat = ap.getByTestId(`chat-${ids.get(first)!}`);
    await visitors.get(first)!.getByRole('textbox', { name: 'Message' }).fill(`Hello from ${first}`);
    await visitors.get(first)!.keyboard.press('Enter');
    await chat.getByTestId('chat-line').filter({ hasText: `Hello from ${first}` }).waitFor();

    // The agent closes the first: the third is offered now, and accepted.
    await chat.getByRole('button', { name: 'Close chat' }).click();
    await chat.getByLabel('Disposition', { exact: true }).selectOption('Solved');
    await chat.getByRole('button', { name: 'Close with disposition' }).click();
    await chat.waitFor({ state: 'detached' });
    expect(await acceptNext()).to.equal(third);
    await visitors.get(third)!.getByText('Carla Capacity joined the chat').waitFor({ state: 'attached' });
    expect(await ap.getByRole('tab').count()).to.equal(2);
    await ap.getByRole('tab', { name: second, exact: true }).waitFor();

    // In PostgreSQL: one offer per chat, each accepted (none had to be withdrawn or refused), and
    // the decision that finally offered the third found the agent eligible again. (Offer times are
    // transaction starts, so they cannot be compared with the moments chats closed.)
    const made = await db()
      .select()
      .from(offers)
      .where(and(eq(offers.agentId, agentId), inArray(offers.entryId, [...entries.values()])));
    expect(made.map((o) => [o.entryId, o.status]).sort()).to.deep.equal([...entries.values()].map((id) => [id, 'accepted']).sort());
    const decisions = await db().select().from(routingDecisions).where(eq(routingDecisions.entryId, entries.get(third)!));
    const offering = decisions.filter((d) => (d.offeredTo as number[]).includes(agentId));
    expect(offering).to.have.length(1);
    expect((offering[0]!.considered as ConsideredAgent[]).find((a) => a.agentId === agentId)).to.deep.include({ eligible: true, offered: true });
    const before = decisions.filter((d) => d.id < offering[0]!.id).flatMap((d) => d.considered as ConsideredAgent[]);
    expect(before.every((a) => !a.eligible && (a.reason === 'offer-pending' || a.reason === 'at-capacity')), JSON.stringify(before)).to.equal(true);
    expect(pages.flatMap((p) => p.errors)).to.deep.equal([]);
  });
});
