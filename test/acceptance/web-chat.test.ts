// Issue 7's acceptance story in two browsers: a customer page on its own origin embeds the snippet
// (GET /chat/tandem-chat.js from the node); the visitor talks to a published bot flow and is queued;
// the agent, on the agent desktop in a second browser context, accepts; they exchange messages both
// ways; the agent closes with a disposition; the contact's journey shows the chat.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { buildWidgetIfStale } from '../../designer/build.ts';
import { agentBody, startTestNode, type TestNode } from '../support/tandem.ts';
import { ensureDesignerBuilt, launchChromium, openPage, type DesignerPage, signInToDesktop } from '../designer/harness.ts';
import { salesBotProject } from '../channels/chat/support.ts';
import { startCustomerSite, type CustomerSite } from './customer-site.ts';
import { websiteDispositions } from '../support/dispositions.ts';

const botProject = (queue: string) => salesBotProject(queue, { name: 'Shop bot' });

describe('web chat end to end (widget and agent desktop in two browsers)', function () {
  this.timeout(90_000);
  let node: TestNode;
  let site: CustomerSite | undefined;
  let siteOrigin: string;
  let browser: Browser;
  const pages: DesignerPage[] = [];

  before(async () => {
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

  it('bot, queue, agent accepts on the desktop, messages both ways, close with disposition, journey', async () => {
    const c = node.client;
    const admin = node.adminToken;
    const body = agentBody({ fullName: 'Ada Agent' });
    const a = await c.post<{ id: number }>('/api/agents', body, admin);
    const q = await c.post<{ id: number; name: string }>('/api/queues', { name: `Shop-${process.pid}`, channel: 'chat', ringTimeoutSec: 60, retrySec: 0 }, admin);
    await c.post(`/api/queues/${q.body.id}/agents`, { agentId: a.body.id }, admin);
    const p = await c.post<{ id: string }>('/api/ivr/projects', { name: 'Shop bot', channel: 'chat', project: botProject(q.body.name) }, admin);
    expect((await c.post(`/api/ivr/projects/${p.body.id}/publish`, {}, admin)).status).to.equal(201);
    const w = await c.post<{ id: number; key: string }>(
      '/api/chat/websites',
      {
        name: 'Shop',
        allowedOrigins: [siteOrigin],
        projectId: p.body.id,
        appearance: { title: 'Shop help', greeting: 'Welcome!', color: '#2563eb', position: 'right' },
        onlineForm: [
          { name: 'name', label: 'Your name', type: 'text', required: true },
          { name: 'email', label: 'E-mail', type: 'email', required: true },
        ],
      },
      admin,
    );
    expect(w.status, JSON.stringify(w.body)).to.equal(201);
    await websiteDispositions(c, admin, w.body.id, ['Sold', 'No sale']);

    // The agent, in one browser context, logs in to the desktop and goes ready.
    const agent = await openPage(browser, node.tandem.url);
    pages.push(agent);
    const ap = agent.page;
    await signInToDesktop(ap, String(body.username), String(body.password));
    await ap.getByLabel('Device').selectOption('web');
    await ap.getByRole('button', { name: 'Log in' }).click();
    await ap.getByRole('button', { name: 'Log out of queues' }).waitFor();

    // The visitor, in another context, on the customer's site.
    const visitor = await openPage(browser, siteOrigin);
    pages.push(visitor);
    const vp = visitor.page;
    await vp.goto(`/?key=${w.body.key}`);
    await vp.getByRole('button', { name: 'Open chat: Shop help' }).click();
    await vp.getByLabel('Your name').fill('Vic Visitor');
    await vp.getByLabel('E-mail').fill('vic@example.com');
    await vp.keyboard.press('Enter');
    await vp.getByText('Sales or support?').waitFor();
    await vp.getByRole('button', { name: 'Sales' }).click();

    const offer = ap.getByRole('alert', { name: 'New chat from Vic Visitor' });
    await offer.waitFor();
    await offer.getByRole('button', { name: 'Accept' }).click();
    await ap.getByRole('tab', { name: 'Vic Visitor', selected: true }).waitFor();
    const chat = ap.locator('section.chat');
    await chat.waitFor();

    await vp.getByRole('textbox', { name: 'Message' }).fill('Do you ship to Rome?');
    await vp.keyboard.press('Enter');
    await chat.getByTestId('chat-line').filter({ hasText: 'Do you ship to Rome?' }).waitFor();
    await chat.getByLabel('Message').fill('Yes, in two days.');
    await chat.getByRole('button', { name: 'Send' }).click();
    await vp.getByText('Yes, in two days.').waitFor();

    await chat.getByRole('button', { name: 'Close chat' }).click();
    // The website's catalogue offers its dispositions as a select (not "Close with disposition", which also holds the word).
    await chat.getByLabel('Disposition', { exact: true }).selectOption({ label: 'Sold' });
    await chat.getByRole('button', { name: 'Close with disposition' }).click();
    await chat.waitFor({ state: 'detached' });
    await vp.getByRole('button', { name: 'Start a new chat' }).waitFor();

    const closed = await c.get<{ id: number; disposition: string | null; contact: { id: number } | null; contactId?: number }[]>('/api/interactions?status=closed', admin);
    const row = closed.body.find((i) => i.disposition === 'Sold');
    expect(row, JSON.stringify(closed.body)).to.not.equal(undefined);
    const contactId = row!.contact?.id ?? row!.contactId;
    const journey = await c.get<{ channel: string; id: number }[]>(`/api/contacts/${contactId}/journey`, admin);
    expect(journey.status, JSON.stringify(journey.body)).to.equal(200);
    expect(journey.body.some((j) => j.channel === 'chat' && j.id === row!.id)).to.equal(true);
    expect(visitor.errors).to.deep.equal([]);
    expect(agent.errors).to.deep.equal([]);
  });
});
