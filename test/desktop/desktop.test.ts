// The agent desktop in a real browser against a real Tandem node (PostgreSQL, the built app served by
// the node): an agent logs in and lands on the desktop, goes ready, receives a chat offer as a
// notification, accepts it, pauses with a reason; then a voice offer shows the caller and the queue,
// and the disposition entered after the call is saved on the queue entry; finally a real visitor
// (socket.io on /chat-widget) and the agent exchange messages, a canned answer and a file, and the
// agent tags and closes the chat with one of the website's dispositions.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { io as ioClient, type Socket } from 'socket.io-client';
import { startTestNode, type TestNode } from '../support/tandem.ts';
import { eventually } from '../support/eventually.ts';
import { agent as newAgent, queue as newQueue } from '../support/world.ts';
import { artifact, ensureDesignerBuilt, launchChromium, openPage, signInToDesktop, type DesignerPage } from '../designer/harness.ts';
import { websiteDispositions } from '../support/dispositions.ts';

interface Entry {
  id: number;
  status: string;
  agentId: number | null;
  data: Record<string, unknown>;
  endedAt: string | null;
}

describe('agent desktop (browser)', function () {
  this.timeout(60_000);
  let node: TestNode;
  let browser: Browser;
  let agent: DesignerPage;
  let agentId = 0;
  let chatQueue = 0;
  let voiceQueue = 0;
  let firstChatEntry = 0;

  before(async function () {
    this.timeout(180_000);
    await ensureDesignerBuilt();
    [node, browser] = await Promise.all([startTestNode('postgres', {}, { acdTickMs: 50 }), launchChromium()]);
    const c = node.client;
    const admin = node.adminToken;
    const dana = await newAgent(node, { fullName: 'Dana <b>Agent</b>' });
    agentId = dana.id;
    const reason = await c.post('/api/pause-reasons', { name: 'Lunch' }, admin);
    expect(reason.status, reason.text).to.equal(201);
    for (const channel of ['chat', 'voice'] as const) {
      const q = await newQueue(node, { name: `Desk ${channel} ${process.pid}`, channel, ringTimeoutSec: 30, retrySec: 0, strategy: 'linear' }, [{ id: agentId, penalty: 0 }]);
      if (channel === 'chat') chatQueue = q;
      else voiceQueue = q;
    }
    agent = await openPage(browser, node.tandem.url);
    await signInToDesktop(agent.page, dana.username, dana.password);
  });

  after(async () => {
    await agent?.close();
    await browser?.close();
    await node?.stop();
  });

  const enqueue = async (queueId: number, interactionRef: string, caller: string) => {
    const r = await node.client.post<Entry>(`/api/queues/${queueId}/entries`, { interactionRef, caller }, node.adminToken);
    expect(r.status, r.text).to.equal(201);
    return r.body;
  };
  const entry = async (id: number) => (await node.client.get<Entry>(`/api/queue-entries/${id}`, node.adminToken)).body;

  it('lands agents on the desktop; they log in with a device, go ready, accept a chat offer and pause with a reason', async () => {
    const page = agent.page;
    expect(new URL(page.url()).pathname).to.equal('/desktop');
    // The header links agents to their desktop; the account name is text, not markup.
    await page.getByRole('link', { name: 'Agent desktop' }).waitFor();
    expect(await page.getByTestId('account').textContent()).to.contain('Dana <b>Agent</b>');
    await page.getByTestId('socket-state').filter({ hasText: 'Live' }).waitFor();

    expect(await page.getByTestId('presence-state').textContent()).to.equal('Logged out');
    await page.getByLabel('Device').selectOption('web');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out of queues' }).waitFor();
    if (await page.getByRole('button', { name: 'Ready' }).isEnabled()) await page.getByRole('button', { name: 'Ready' }).click();
    await page.getByTestId('presence-state').filter({ hasText: /^Ready$/ }).waitFor();

    const chat = await enqueue(chatQueue, 'chat:424242', 'Visitor <script>x</script>');
    firstChatEntry = chat.id;
    const offer = page.getByRole('alert', { name: /New chat from/ });
    await offer.waitFor();
    expect(await offer.getByTestId('offer-caller').textContent()).to.equal('Visitor <script>x</script>');
    expect(await offer.getByTestId('offer-queue').textContent()).to.contain(`#${chatQueue}`);
    await offer.getByRole('button', { name: 'Accept' }).click();
    await offer.waitFor({ state: 'detached' });
    await page.getByTestId('chat-424242').waitFor();
    await page.getByRole('tab', { name: /Visitor <script>x<\/script>|Chat #424242/ }).waitFor();
    expect((await entry(chat.id)).status).to.equal('accepted');
    expect((await entry(chat.id)).agentId).to.equal(agentId);

    await page.getByLabel('Pause reason').selectOption('Lunch');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByTestId('presence-state').filter({ hasText: 'Paused (Lunch)' }).waitFor();
    const presence = await node.client.get<{ channels: { channel: string; paused: boolean; pauseReason: string | null }[] }>(`/api/agents/${agentId}/presence`, node.adminToken);
    expect(presence.body.channels.every((c) => c.paused && c.pauseReason === 'Lunch')).to.equal(true);

    // A free-text reason on one channel only.
    await page.getByRole('button', { name: 'Ready' }).click();
    await page.getByTestId('presence-state').filter({ hasText: /^Ready$/ }).waitFor();
    await page.getByLabel('Pause reason').selectOption({ label: 'Other…' });
    await page.getByLabel('Other reason').fill('Training');
    await page.getByLabel('Pause channel').selectOption('chat');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByTestId('presence-state').filter({ hasText: 'Paused on chat' }).waitFor();
    expect(await page.getByTestId('channel-chat').textContent()).to.contain('Training');
  });

  it('shows an incoming call with the caller and the queue, and saves the disposition chosen level by level after the call', async () => {
    const page = agent.page;
    // The voice queue's own tree: a second level appears once a choice with children is made.
    const post = async (body: Record<string, unknown>) => {
      const r = await node.client.post<{ id: number }>('/api/dispositions', body, node.adminToken);
      expect(r.status, r.text).to.equal(201);
      return r.body.id;
    };
    const sale = await post({ name: 'Sale', scope: 'queue', queueId: voiceQueue });
    await post({ name: 'Upgrade', parentId: sale });
    await post({ name: 'New customer', parentId: sale });
    await post({ name: 'Callback', scope: 'queue', queueId: voiceQueue });
    const call = await enqueue(voiceQueue, `desk-call-${process.pid}`, '+39 055 123456');
    const offer = page.getByRole('alert', { name: 'Incoming call from +39 055 123456' });
    await offer.waitFor();
    expect(await offer.getByTestId('offer-queue').textContent()).to.contain(`#${voiceQueue}`);
    await offer.getByRole('button', { name: 'Accept' }).click();
    const panel = page.getByTestId(`call-${call.id}`);
    await panel.waitFor();
    expect(await panel.textContent()).to.contain('+39 055 123456');
    const first = panel.getByLabel('Disposition', { exact: true });
    await first.selectOption({ label: 'Sale' });
    const finish = panel.getByRole('button', { name: 'Finish call' });
    expect(await finish.isDisabled(), 'no leaf chosen yet').to.equal(true);
    await panel.getByLabel('Disposition, level 2').selectOption({ label: 'Upgrade' });
    await panel.getByLabel('Note').fill('Wants the <i>premium</i> plan');
    await page.screenshot({ path: artifact('desktop-voice.png') });
    await panel.getByRole('button', { name: 'Finish call' }).click();
    await panel.waitFor({ state: 'detached' });
    const saved = await entry(call.id);
    expect(saved.data).to.include({ disposition: 'Sale / Upgrade', dispositionNote: 'Wants the <i>premium</i> plan' });
    expect(agent.errors).to.deep.equal([]);
  });

  it('exchanges messages, a canned answer and a file with a real visitor, then tags and closes with a disposition', async () => {
    const page = agent.page;
    const c = node.client;
    const admin = node.adminToken;
    const origin = 'http://shop.example';
    const site = await c.post<{ id: number; key: string }>(
      '/api/chat/websites',
      { name: `Shop ${process.pid}`, allowedOrigins: [origin], queueId: chatQueue, cannedAnswers: [{ title: 'Greeting', text: 'Hello, how can I help?' }] },
      admin,
    );
    expect(site.status, site.text).to.equal(201);
    await websiteDispositions(c, admin, site.body.id, ['Solved', 'Escalated']);
    // The first test left chat paused with a free-text reason: unpause that channel from its chip.
    await page.getByRole('button', { name: 'Unpause chat' }).click();
    await page.getByTestId('presence-state').filter({ hasText: /^Ready$/ }).waitFor();

    const visitor: Socket = ioClient(`${node.tandem.url}/chat-widget`, { auth: { key: site.body.key }, extraHeaders: { origin }, transports: ['websocket'], reconnection: false });
    const toVisitor: { from: string; text: string; attachment?: { name: string } }[] = [];
    visitor.on('message', (m: { from: string; text: string; attachment?: { name: string } }) => toVisitor.push(m));
    try {
      await new Promise<void>((resolve, reject) => {
        visitor.once('connect', () => resolve());
        visitor.once('connect_error', reject);
      });
      const started = (await visitor.timeout(5000).emitWithAck('start', { form: { name: 'Vera <i>V</i>', email: 'vera@example.com' } })) as { ok: boolean };
      expect(started.ok, JSON.stringify(started)).to.equal(true);

      const offer = page.getByRole('alert', { name: 'New chat from Vera <i>V</i>' });
      await offer.waitFor();
      await offer.getByRole('button', { name: 'Accept' }).click();
      // The chat accepted in the first test is still open in its own tab: pick the visitor's one.
      await page.getByRole('tab', { name: 'Vera <i>V</i>', selected: true }).waitFor();
      const chat = page.locator('section.chat:not([data-testid="chat-424242"])');
      await chat.waitFor();
      const interactionId = Number((await chat.getAttribute('data-testid'))?.replace('chat-', ''));
      expect(interactionId).to.be.greaterThan(0);

      // The chat service records the agent on the interaction when the engine reports the accept.
      const assigned = async () => (await c.get<{ id: number; agentId: number | null }[]>('/api/interactions?status=open', admin)).body.find((i) => i.id === interactionId)?.agentId;
      expect(await eventually(assigned, (id) => id === agentId, 'the agent on the interaction')).to.equal(agentId);

      // Visitor → agent, markup shown as text; typing indicator.
      const typed = (await visitor.timeout(5000).emitWithAck('typing', { typing: true })) as { ok: boolean };
      expect(typed.ok, JSON.stringify(typed)).to.equal(true);
      await chat.getByTestId('visitor-typing').waitFor();
      const hostile = '<img src=x onerror="window.__pwned=1">Hi there';
      expect(((await visitor.timeout(5000).emitWithAck('message', { text: hostile })) as { ok: boolean }).ok).to.equal(true);
      await chat.getByTestId('chat-line').filter({ hasText: hostile }).waitFor();
      expect(await chat.locator('.chat-log img').count()).to.equal(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).to.equal(undefined);

      // Agent → visitor with a canned answer.
      await chat.getByLabel('Canned answer').selectOption({ label: 'Greeting' });
      expect(await chat.getByLabel('Message').inputValue()).to.equal('Hello, how can I help?');
      await chat.getByRole('button', { name: 'Send' }).click();
      await chat.getByTestId('chat-line').filter({ hasText: 'Hello, how can I help?' }).waitFor();
      await eventually(() => toVisitor.some((m) => m.from === 'agent' && m.text === 'Hello, how can I help?'), 'the canned answer at the visitor');

      // A file from the agent: listed with a download button, delivered to the visitor.
      await chat.locator('input[type=file]').setInputFiles({ name: 'terms.txt', mimeType: 'text/plain', buffer: Buffer.from('terms and conditions') });
      await chat.getByRole('button', { name: /Download terms\.txt/ }).waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), chat.getByRole('button', { name: /Download terms\.txt/ }).click()]);
      expect(download.suggestedFilename()).to.equal('terms.txt');
      await eventually(() => toVisitor.some((m) => m.attachment?.name === 'terms.txt'), 'the file at the visitor');

      // The journey of the contact lists this chat.
      await page.getByTestId('journey').locator('li').filter({ hasText: 'chat' }).first().waitFor();

      await chat.getByLabel('Tags').fill('vip, refund');
      await chat.getByRole('button', { name: 'Save tags' }).click();
      await page.locator('.toast').filter({ hasText: 'Tags saved: vip, refund' }).waitFor();
      await page.screenshot({ path: artifact('desktop.png') });
      await chat.getByRole('button', { name: 'Close chat' }).click();
      // The website's dispositions, from the catalogue, as a select.
      await chat.getByLabel('Disposition', { exact: true }).selectOption({ label: 'Solved' });
      await chat.getByRole('button', { name: 'Close with disposition' }).click();
      await page.getByTestId(`chat-${interactionId}`).waitFor({ state: 'detached' });
      const closed = await c.get<{ id: number; tags: string[]; disposition: string | null; status: string }[]>('/api/interactions?status=closed', admin);
      const row = closed.body.find((i) => i.id === interactionId);
      expect(row).to.include({ status: 'closed', disposition: 'Solved' });
      expect(row?.tags).to.deep.equal(['vip', 'refund']);

      // The first test's chat (a reference the chat server does not know) can be removed; its entry ends.
      const unknown = page.getByTestId('chat-424242');
      await unknown.getByRole('button', { name: 'Remove this tab' }).click();
      await unknown.waitFor({ state: 'detached' });
      expect(await page.getByRole('tab').count()).to.equal(0);
      expect((await eventually(() => entry(firstChatEntry), (e) => e.endedAt !== null, 'the removed chat\'s entry to end')).endedAt).to.be.a('string');
      expect(agent.errors).to.deep.equal([]);
    } finally {
      visitor.disconnect();
    }
  });
});
