// An agent reloading the desktop gets its work back: the chats it accepted (tabs with their history,
// still live both ways), a chat the visitor ended before the agent's disposition, a chat reference the chat server does not know (removable, which frees the
// slot), a call in progress, a call that ended without a disposition (the form stays until it is
// saved), and an offer still pending, with its caller and queue. Real browser, real node
// (PostgreSQL), real visitors on /chat-widget over socket.io.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { io as ioClient, type Socket } from 'socket.io-client';
import { agentBody, startTestNode, type TestNode } from '../support/tandem.ts';
import { ensureDesignerBuilt, launchChromium, openPage, type DesignerPage, signInToDesktop } from '../designer/harness.ts';
import { eventually } from '../support/eventually.ts';
import { agent as newAgent, queue as newQueue } from '../support/world.ts';
import { websiteDispositions } from '../support/dispositions.ts';

interface Entry {
  id: number;
  status: string;
  agentId: number | null;
  data: Record<string, unknown>;
  endedAt: string | null;
}
interface OpenEntry {
  entryId: number;
  queueId: number;
  queueName: string;
  channel: string;
  caller: string;
  interactionRef: string;
  endedAt: string | null;
}

async function visitorSocket(url: string, key: string, origin: string, name: string): Promise<{ socket: Socket; received: { from: string; text: string }[] }> {
  const socket: Socket = ioClient(`${url}/chat-widget`, { auth: { key }, extraHeaders: { origin }, transports: ['websocket'], reconnection: false });
  const received: { from: string; text: string }[] = [];
  socket.on('message', (m: { from: string; text: string }) => received.push(m));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const started = (await socket.timeout(5000).emitWithAck('start', { form: { name, email: `${name.toLowerCase()}@example.com` } })) as { ok: boolean };
  expect(started.ok, JSON.stringify(started)).to.equal(true);
  return { socket, received };
}

describe('agent desktop: work restored after a reload (browser)', function () {
  this.timeout(90_000);
  let node: TestNode;
  let browser: Browser;
  let agent: DesignerPage;
  let agentId = 0;
  let agentToken = '';
  let chatQueue = 0;
  let voiceQueue = 0;
  const sockets: Socket[] = [];

  before(async function () {
    this.timeout(180_000);
    await ensureDesignerBuilt();
    [node, browser] = await Promise.all([startTestNode('postgres', {}, { acdTickMs: 50 }), launchChromium()]);
    const rita = await newAgent(node, { fullName: 'Rita Reload' });
    agentId = rita.id;
    agentToken = rita.token;
    for (const channel of ['chat', 'voice'] as const) {
      // Long ring time: the offer left pending must still be pending after the reload.
      const q = await newQueue(node, { name: `Restore ${channel} ${process.pid}`, channel, ringTimeoutSec: 120, retrySec: 0, wrapupSec: 0, strategy: 'linear' }, [{ id: agentId, penalty: 0 }]);
      if (channel === 'chat') chatQueue = q;
      else voiceQueue = q;
    }
    agent = await openPage(browser, node.tandem.url);
    const page = agent.page;
    await signInToDesktop(page, rita.username, rita.password);
    await page.getByLabel('Device').selectOption('web');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('presence-state').filter({ hasText: /^Ready$/ }).waitFor();
  });

  after(async () => {
    for (const s of sockets) s.disconnect();
    await agent?.close();
    await browser?.close();
    await node?.stop();
  });

  const entry = async (id: number) => (await node.client.get<Entry>(`/api/queue-entries/${id}`, node.adminToken)).body;
  const openEntries = async () => (await node.client.get<OpenEntry[]>('/api/me/entries', agentToken)).body;
  const acceptOffer = async (page: Page, name: string) => {
    const offer = page.getByRole('alert', { name });
    await offer.waitFor();
    await offer.getByRole('button', { name: 'Accept' }).click();
    await offer.waitFor({ state: 'detached' });
  };
  const enqueue = async (queueId: number, interactionRef: string, caller: string) => {
    const r = await node.client.post<Entry>(`/api/queues/${queueId}/entries`, { interactionRef, caller }, node.adminToken);
    expect(r.status, r.text).to.equal(201);
    return r.body;
  };

  it('brings back chats with their history, a chat closed by the visitor, an unknown chat, calls in progress or without a disposition, and a pending offer', async () => {
    const page = agent.page;
    const c = node.client;
    const admin = node.adminToken;
    const origin = 'http://shop.example';
    const site = await c.post<{ id: number; key: string }>('/api/chat/websites', { name: `Restore shop ${process.pid}`, allowedOrigins: [origin], queueId: chatQueue }, admin);
    await websiteDispositions(c, admin, site.body.id, ['Solved']);
    expect(site.status, site.text).to.equal(201);

    // 1. A real visitor's chat, accepted on the desktop, with a line each way.
    const vera = await visitorSocket(node.tandem.url, site.body.key, origin, 'Vera');
    sockets.push(vera.socket);
    await acceptOffer(page, 'New chat from Vera');
    const veraTab = page.getByRole('tab', { name: 'Vera' });
    await veraTab.waitFor();
    const veraChat = page.locator('section.chat');
    const veraId = Number((await veraChat.getAttribute('data-testid'))?.replace('chat-', ''));
    expect(veraId).to.be.greaterThan(0);
    expect(((await vera.socket.timeout(5000).emitWithAck('message', { text: 'Where is my order?' })) as { ok: boolean }).ok).to.equal(true);
    await veraChat.getByTestId('chat-line').filter({ hasText: 'Where is my order?' }).waitFor();
    await veraChat.getByLabel('Message').fill('Let me check.');
    await veraChat.getByRole('button', { name: 'Send' }).click();
    await veraChat.getByTestId('chat-line').filter({ hasText: 'Let me check.' }).waitFor();
    await veraChat.getByLabel('Tags').fill('vip, order');
    await veraChat.getByRole('button', { name: 'Save tags' }).click();
    await page.locator('.toast').filter({ hasText: 'Tags saved: vip, order' }).waitFor();

    // 1b. A chat the visitor ends before the agent has given a disposition.
    const zoe = await visitorSocket(node.tandem.url, site.body.key, origin, 'Zoe');
    sockets.push(zoe.socket);
    await acceptOffer(page, 'New chat from Zoe');
    await page.getByRole('tab', { name: 'Zoe', selected: true }).waitFor();
    const zoeId = Number((await page.locator('section.chat').getAttribute('data-testid'))?.replace('chat-', ''));
    expect(zoeId).to.be.greaterThan(veraId);
    expect(((await zoe.socket.timeout(5000).emitWithAck('close', {})) as { ok: boolean }).ok).to.equal(true);
    await page.getByTestId(`chat-${zoeId}`).getByText('Closed by visitor', { exact: true }).waitFor();

    // 2. A chat reference from an integration, which the chat server does not know.
    const unknown = await enqueue(chatQueue, 'chat:999999', 'Integration customer');
    await acceptOffer(page, 'New chat from Integration customer');
    await page.getByTestId('chat-999999').waitFor();

    // 3. A call that ended without a disposition: the voice queue finishes the entry when the agent's
    //    leg hangs up, with no disposition (server/voice/voice-queue.ts, #agentLegEnded).
    const ended = await enqueue(voiceQueue, `restore-call-1-${process.pid}`, '+39 055 111');
    await acceptOffer(page, 'Incoming call from +39 055 111');
    await page.getByTestId(`call-${ended.id}`).waitFor();
    await node.tandem.acd.finish(ended.id);
    expect((await entry(ended.id)).endedAt).to.be.a('string');

    // 4. A call still in progress.
    const inProgress = await enqueue(voiceQueue, `restore-call-2-${process.pid}`, '+39 055 222');
    await acceptOffer(page, 'Incoming call from +39 055 222');
    await page.getByTestId(`call-${inProgress.id}`).waitFor();

    // 5. An offer left pending.
    const omar = await visitorSocket(node.tandem.url, site.body.key, origin, 'Omar');
    sockets.push(omar.socket);
    await page.getByRole('alert', { name: 'New chat from Omar' }).waitFor();

    // The API lists exactly the work to restore, for this agent only.
    const listed = await openEntries();
    expect(listed.map((e) => [e.channel, e.caller, e.endedAt === null])).to.deep.equal([
      ['chat', 'Vera', true],
      ['chat', 'Integration customer', true],
      ['voice', '+39 055 111', false],
      ['voice', '+39 055 222', true],
    ]);
    expect(listed.find((e) => e.caller === 'Vera')?.interactionRef).to.equal(`chat:${veraId}`);
    expect(listed.every((e) => e.queueName.startsWith('Restore '))).to.equal(true);
    expect((await c.get('/api/me/entries', admin)).status).to.equal(403);
    const other = agentBody();
    expect((await c.post('/api/agents', other, admin)).status).to.equal(201);
    expect((await c.get<OpenEntry[]>('/api/me/entries', await c.login(String(other.username), String(other.password)))).body).to.deep.equal([]);

    await page.reload();
    await page.getByRole('heading', { name: 'Agent desktop' }).waitFor();
    await page.getByTestId('socket-state').filter({ hasText: 'Live' }).waitFor();

    // Every tab is back, the pending offer too, with its caller and queue.
    await page.getByRole('tab', { name: 'Vera' }).waitFor();
    await page.getByRole('tab', { name: 'Zoe' }).waitFor();
    await page.getByRole('tab', { name: 'Integration customer' }).waitFor();
    await page.getByRole('tab', { name: 'Call +39 055 111' }).waitFor();
    await page.getByRole('tab', { name: 'Call +39 055 222' }).waitFor();
    expect(await page.getByRole('tab').count()).to.equal(5);
    const offer = page.getByRole('alert', { name: 'New chat from Omar' });
    await offer.waitFor();
    expect(await offer.getByTestId('offer-queue').textContent()).to.contain(`#${chatQueue}`);

    // The chat has its history and is live both ways.
    await page.getByRole('tab', { name: 'Vera' }).click();
    const chat = page.getByTestId(`chat-${veraId}`);
    await chat.getByTestId('chat-line').filter({ hasText: 'Where is my order?' }).waitFor();
    await chat.getByTestId('chat-line').filter({ hasText: 'Let me check.' }).waitFor();
    // Its tags too, even when the tab opened before the chat's record arrived.
    await eventually(() => chat.getByLabel('Tags').inputValue(), (v) => v === 'vip, order', 'the saved tags in the restored tab');
    expect(((await vera.socket.timeout(5000).emitWithAck('message', { text: 'Still there?' })) as { ok: boolean }).ok).to.equal(true);
    await chat.getByTestId('chat-line').filter({ hasText: 'Still there?' }).waitFor();
    await chat.getByLabel('Message').fill('Yes, it ships today.');
    await chat.getByRole('button', { name: 'Send' }).click();
    await eventually(async () => vera.received, (r) => r.some((m) => m.from === 'agent' && m.text === 'Yes, it ships today.'), 'the agent line at the visitor');

    // The ended call shows its caller and queue and takes its disposition after the reload.
    await page.getByRole('tab', { name: 'Call +39 055 111' }).click();
    const panel = page.getByTestId(`call-${ended.id}`);
    expect(await panel.textContent()).to.contain(`Restore voice ${process.pid} (queue #${voiceQueue})`);
    await panel.getByLabel('Disposition', { exact: true }).fill('Callback');
    await panel.getByRole('button', { name: 'Finish call' }).click();
    await panel.waitFor({ state: 'detached' });
    expect((await entry(ended.id)).data).to.include({ disposition: 'Callback' });

    // The chat the visitor ended is back with its history, read-only, and takes its disposition.
    await page.getByRole('tab', { name: 'Zoe' }).click();
    const zoeChat = page.getByTestId(`chat-${zoeId}`);
    await zoeChat.getByText('Closed by visitor', { exact: true }).waitFor();
    expect(await zoeChat.getByLabel('Message').isDisabled()).to.equal(true);
    await zoeChat.getByRole('button', { name: 'Close chat' }).click();
    await zoeChat.getByLabel('Disposition', { exact: true }).selectOption('Solved');
    await zoeChat.getByRole('button', { name: 'Close with disposition' }).click();
    await zoeChat.waitFor({ state: 'detached' });
    const closedChats = await c.get<{ id: number; disposition: string | null }[]>('/api/interactions?status=closed', admin);
    expect(closedChats.body.find((i) => i.id === zoeId)?.disposition).to.equal('Solved');

    // The unknown chat is restored with its queue entry: removing it ends the entry (frees the slot).
    await page.getByRole('tab', { name: 'Integration customer' }).click();
    const unknownTab = page.getByTestId('chat-999999');
    await unknownTab.getByRole('button', { name: 'Remove this tab' }).click();
    await unknownTab.waitFor({ state: 'detached' });
    await eventually(() => entry(unknown.id), (e) => e.endedAt !== null, 'the unknown chat entry to end');

    // A second reload: what was disposed or removed stays away, the rest comes back again.
    await page.reload();
    await page.getByRole('tab', { name: 'Vera' }).waitFor();
    await page.getByRole('tab', { name: 'Call +39 055 222' }).waitFor();
    expect(await page.getByRole('tab').count()).to.equal(2);
    expect((await openEntries()).map((e) => e.caller)).to.deep.equal(['Vera', '+39 055 222']);

    // Closing the chat with a disposition takes it off the restored work.
    await page.getByRole('tab', { name: 'Vera' }).click();
    await chat.getByRole('button', { name: 'Close chat' }).click();
    await chat.getByLabel('Disposition', { exact: true }).selectOption('Solved');
    await chat.getByRole('button', { name: 'Close with disposition' }).click();
    await chat.waitFor({ state: 'detached' });
    expect((await openEntries()).map((e) => e.caller)).to.deep.equal(['+39 055 222']);

    // The offer that survived two reloads knows its channel: accepted, it opens one chat tab (a bare
    // offer used to open as a call panel beside the chat).
    await page.getByRole('alert', { name: 'New chat from Omar' }).getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('tab', { name: 'Omar', selected: true }).waitFor();
    await page.locator('section.chat').waitFor();
    expect(await page.getByRole('tab').count()).to.equal(2);
    expect((await openEntries()).map((e) => e.caller)).to.deep.equal(['+39 055 222', 'Omar']);
    expect(agent.errors).to.deep.equal([]);
  });
});
