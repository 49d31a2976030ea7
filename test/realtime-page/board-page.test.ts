// The supervisor's realtime board in a real browser against a real Tandem node (PostgreSQL, the built
// app and the `/supervisor` namespace served by the node): a supervisor enabled on two queues sees
// their agents and not an agent of a third queue; agents log in, pause with a reason, unpause and log
// out through the API and the rows follow without a reload; filters by queue, channel and team hide
// and show rows; sorting flips with aria-sort; and pausing an agent from the page changes the agent's
// presence in the API.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { startTestNode, type TestNode } from '../support/tandem.ts';
import { artifact, ensureDesignerBuilt, launchChromium, openPage, type DesignerPage, signIn } from '../designer/harness.ts';
import { eventually } from '../support/eventually.ts';
import { agent as newAgent } from '../support/world.ts';

interface Presence {
  loggedIn: boolean;
  channels: { channel: string; paused: boolean; pauseReason: string | null }[];
}

const SUPERVISOR = { username: `sup.board.${process.pid}`, password: 'Board-Sup3rvisor' };
const PLAIN = { username: `sup.plain.${process.pid}`, password: 'Plain-Sup3rvisor' };

describe('supervisor realtime board (browser)', function () {
  this.timeout(90_000);
  let node: TestNode;
  let browser: Browser;
  let board: DesignerPage;
  const agents: Record<'ada' | 'bruno' | 'hidden', { id: number; name: string; token: string }> = {
    ada: { id: 0, name: '', token: '' },
    bruno: { id: 0, name: '', token: '' },
    hidden: { id: 0, name: '', token: '' },
  };
  let voiceQueue = 0;
  let chatQueue = 0;

  const api = () => node.client;
  const row = (id: number) => board.page.getByTestId(`agent-row-${id}`);
  const stateCell = (id: number) => board.page.getByTestId(`agent-state-${id}`);
  const asAgent = async (who: keyof typeof agents, path: string, body: unknown) => {
    const r = await api().post(path, body, agents[who].token);
    expect(r.status, r.text).to.equal(200);
  };

  before(async function () {
    this.timeout(240_000);
    await ensureDesignerBuilt();
    [node, browser] = await Promise.all([startTestNode('postgres', {}, { acdTickMs: 50, boardFlushMs: 100 }), launchChromium()]);
    const c = node.client;
    const admin = node.adminToken;
    const queueOf = async (name: string, channel: 'voice' | 'chat') => {
      const q = await c.post<{ id: number }>('/api/queues', { name: `${name} ${process.pid}`, channel, ringTimeoutSec: 30, retrySec: 0, strategy: 'linear' }, admin);
      expect(q.status, q.text).to.equal(201);
      return q.body.id;
    };
    voiceQueue = await queueOf('Board sales', 'voice');
    chatQueue = await queueOf('Board chat', 'chat');
    const otherQueue = await queueOf('Elsewhere', 'voice');

    const names = { ada: 'Ada Board', bruno: 'Bruno Board', hidden: 'Hidden Elsewhere' } as const;
    for (const who of ['ada', 'bruno', 'hidden'] as const) {
      const { id, token } = await newAgent(node, { fullName: names[who] });
      agents[who] = { id, name: names[who], token };
    }
    const member = async (queueId: number, agentId: number) => {
      const r = await c.post(`/api/queues/${queueId}/agents`, { agentId, penalty: 0 }, admin);
      expect(r.status, r.text).to.be.oneOf([200, 201, 204]);
    };
    await member(voiceQueue, agents.ada.id);
    await member(voiceQueue, agents.bruno.id);
    await member(chatQueue, agents.bruno.id);
    await member(otherQueue, agents.hidden.id);

    const team = await c.post<{ id: number }>('/api/teams', { name: `Blue ${process.pid}` }, admin);
    expect(team.status, team.text).to.equal(201);
    const teamAgents = await c.put(`/api/teams/${team.body.id}/agents`, { agentIds: [agents.ada.id] }, admin);
    expect(teamAgents.status, teamAgents.text).to.equal(200);
    const trunk = await c.post('/api/voice/trunks', { name: 'Carrier One', endpoint: `carrier-${process.pid}` }, admin);
    expect(trunk.status, trunk.text).to.equal(201);
    const reason = await c.post('/api/pause-reasons', { name: 'Lunch' }, admin);
    expect(reason.status, reason.text).to.equal(201);

    const sup = await c.post<{ id: number }>(
      '/api/users',
      { role: 'supervisor', username: SUPERVISOR.username, fullName: 'Sofia Supervisor', password: SUPERVISOR.password, permissions: { realtime: 'read', staff: 'read-edit', voice: 'read-edit', chat: 'read-edit' } },
      admin,
    );
    expect(sup.status, sup.text).to.equal(201);
    const scope = await c.put(`/api/users/${sup.body.id}/queues`, { queueIds: [voiceQueue, chatQueue] }, admin);
    expect(scope.status, scope.text).to.equal(200);
    const plain = await c.post('/api/users', { role: 'supervisor', username: PLAIN.username, fullName: 'Paul Plain', password: PLAIN.password, permissions: { voice: 'read' } }, admin);
    expect(plain.status, plain.text).to.equal(201);

    board = await openPage(browser, node.tandem.url);
    await signIn(board.page, SUPERVISOR.username, SUPERVISOR.password, { next: '/realtime' });
    await board.page.getByRole('heading', { name: 'Realtime', exact: true }).waitFor();
  });

  after(async () => {
    await board?.close();
    await browser?.close();
    await node?.stop();
  });

  it('shows the agents and queues of the supervisor’s scope, live, and nobody else', async () => {
    const page = board.page;
    await page.getByRole('link', { name: 'Realtime' }).waitFor();
    await page.getByTestId('board-connection').filter({ hasText: 'Live' }).waitFor();
    await row(agents.ada.id).waitFor();
    await row(agents.bruno.id).waitFor();
    expect(await row(agents.ada.id).getByRole('rowheader').textContent()).to.contain('Ada Board');
    expect(await row(agents.hidden.id).count()).to.equal(0);
    expect(await page.getByText('Hidden Elsewhere').count()).to.equal(0);
    await page.getByTestId(`queue-row-${voiceQueue}`).waitFor();
    await page.getByTestId(`queue-row-${chatQueue}`).waitFor();
    expect(await page.getByTestId('queues-count').textContent()).to.equal('2 queues');
    expect(await stateCell(agents.ada.id).textContent()).to.equal('Logged out');
  });

  it('follows agents logging in, pausing with a reason, unpausing and logging out without a reload', async () => {
    const page = board.page;
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    await asAgent('ada', '/api/me/login', { device: 'web' });
    await asAgent('bruno', '/api/me/login', { device: 'web' });
    await row(agents.ada.id).and(page.locator('[data-status="ready"]')).waitFor();
    await row(agents.bruno.id).and(page.locator('[data-status="ready"]')).waitFor();
    // Bruno's row has a cell per channel of his queues: voice and chat.
    await page.getByTestId(`agent-${agents.bruno.id}-chat`).filter({ hasText: 'Ready' }).waitFor();
    await page.getByTestId(`agent-${agents.bruno.id}-voice`).filter({ hasText: 'Ready' }).waitFor();
    await page.getByTestId('counter-logged-in').filter({ hasText: '2' }).waitFor();

    await asAgent('ada', '/api/me/pause', { reason: 'Lunch' });
    await page.getByTestId(`agent-${agents.ada.id}-voice`).filter({ hasText: 'Paused: Lunch' }).waitFor();
    await row(agents.ada.id).and(page.locator('[data-status="paused"]')).waitFor();
    // The pause counter ticks from the server's `since`: a time element with m:ss.
    expect(await page.getByTestId(`agent-${agents.ada.id}-voice`).locator('time').textContent()).to.match(/^\d+:\d\d$/);

    await asAgent('bruno', '/api/me/pause', { reason: 'Training', channels: ['chat'] });
    await page.getByTestId(`agent-${agents.bruno.id}-chat`).filter({ hasText: 'Paused: Training' }).waitFor();
    await page.getByTestId(`agent-${agents.bruno.id}-voice`).filter({ hasText: 'Ready' }).waitFor();

    await asAgent('ada', '/api/me/unpause', {});
    await page.getByTestId(`agent-${agents.ada.id}-voice`).filter({ hasText: 'Ready' }).waitFor();

    await asAgent('ada', '/api/me/logout', {});
    await stateCell(agents.ada.id).filter({ hasText: /^Logged out$/ }).waitFor();
    await row(agents.ada.id).and(page.locator('[data-status="offline"]')).waitFor();
    expect(navigations).to.deep.equal([]);
  });

  it('filters by queue, channel and team, and sorts by a column', async () => {
    const page = board.page;
    const shown = async () => (await page.locator('[data-testid^="agent-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')))).map((t) => Number(t?.replace('agent-row-', '')));

    await page.getByLabel('Queue', { exact: true }).selectOption({ label: `Board chat ${process.pid} (Chat)` });
    await row(agents.ada.id).waitFor({ state: 'detached' });
    expect(await shown()).to.deep.equal([agents.bruno.id]);
    expect(new URL(page.url()).searchParams.get('queue')).to.equal(String(chatQueue));
    await page.getByTestId(`queue-row-${voiceQueue}`).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await row(agents.ada.id).waitFor();
    await page.getByLabel('Channel', { exact: true }).selectOption('chat');
    await row(agents.ada.id).waitFor({ state: 'detached' });
    expect(await shown()).to.deep.equal([agents.bruno.id]);
    // With a channel filter the row shows that channel only.
    expect(await page.getByTestId(`agent-${agents.bruno.id}-voice`).count()).to.equal(0);
    await page.getByLabel('Channel', { exact: true }).selectOption('voice');
    await row(agents.ada.id).waitFor();
    expect((await shown()).sort()).to.deep.equal([agents.ada.id, agents.bruno.id].sort());

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Team', { exact: true }).selectOption({ label: `Blue ${process.pid}` });
    await row(agents.bruno.id).waitFor({ state: 'detached' });
    expect(await shown()).to.deep.equal([agents.ada.id]);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await row(agents.bruno.id).waitFor();

    const agentHeader = page.getByTestId('agents-table').getByRole('columnheader', { name: /^Agent/ });
    expect(await agentHeader.getAttribute('aria-sort')).to.equal('ascending');
    expect(await shown()).to.deep.equal([agents.ada.id, agents.bruno.id]);
    await agentHeader.getByRole('button').click();
    expect(await agentHeader.getAttribute('aria-sort')).to.equal('descending');
    expect(await shown()).to.deep.equal([agents.bruno.id, agents.ada.id]);
    await page.getByTestId('agents-table').getByRole('columnheader', { name: /^State/ }).getByRole('button').press('Enter');
    expect(await page.getByTestId('agents-table').getByRole('columnheader', { name: /^State/ }).getAttribute('aria-sort')).to.equal('ascending');
    expect(await agentHeader.getAttribute('aria-sort')).to.equal('none');
    // Bruno is logged in (ready on voice), Ada is logged out: logged-out agents come last.
    expect(await shown()).to.deep.equal([agents.bruno.id, agents.ada.id]);
    await page.screenshot({ path: artifact('realtime-board.png'), fullPage: true });
  });

  it('pauses an agent with a reason from the page, and the agent’s presence says so', async () => {
    const page = board.page;
    await asAgent('bruno', '/api/me/unpause', {});
    await page.getByTestId(`agent-${agents.bruno.id}-chat`).filter({ hasText: 'Ready' }).waitFor();

    const toggle = page.getByRole('button', { name: `Actions for ${agents.bruno.name}` });
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).to.equal('true');
    const menu = page.getByRole('group', { name: `Actions for ${agents.bruno.name}` });
    await menu.getByLabel('Pause reason').selectOption('Lunch');
    await page.screenshot({ path: artifact('realtime-board-actions.png') });
    await menu.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByTestId('toast-success').filter({ hasText: `${agents.bruno.name} paused (Lunch)` }).waitFor();
    await menu.waitFor({ state: 'detached' });
    await page.getByTestId(`agent-${agents.bruno.id}-voice`).filter({ hasText: 'Paused: Lunch' }).waitFor();
    await page.getByTestId(`agent-${agents.bruno.id}-chat`).filter({ hasText: 'Paused: Lunch' }).waitFor();
    const presence = await api().get<Presence>(`/api/agents/${agents.bruno.id}/presence`, node.adminToken);
    expect(presence.status, presence.text).to.equal(200);
    expect(presence.body.loggedIn).to.equal(true);
    expect(presence.body.channels.every((ch) => ch.paused && ch.pauseReason === 'Lunch')).to.equal(true);

    // Escape closes the panel and gives the focus back to its button.
    await toggle.click();
    await menu.waitFor();
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await toggle.evaluate((el) => el === document.activeElement)).to.equal(true);

    // Ada is logged out: her panel offers queue membership, not a pause.
    const adaToggle = page.getByRole('button', { name: `Actions for ${agents.ada.name}` });
    await adaToggle.click();
    const adaMenu = page.getByRole('group', { name: `Actions for ${agents.ada.name}` });
    expect(await adaMenu.getByRole('button', { name: 'Pause', exact: true }).count()).to.equal(0);
    await page.keyboard.press('Escape');

    await page.screenshot({ path: artifact('realtime-board-paused.png'), fullPage: true });
    expect(board.errors).to.deep.equal([]);
  });

  it('adds an agent to a queue and removes it from the page', async () => {
    const page = board.page;
    const members = async (queueId: number) => (await api().get<{ agentId: number }[]>(`/api/queues/${queueId}/agents`, node.adminToken)).body.map((m) => m.agentId);
    expect(await members(chatQueue)).to.not.include(agents.ada.id);
    const toggle = page.getByRole('button', { name: `Actions for ${agents.ada.name}` });
    await toggle.click();
    const menu = page.getByRole('group', { name: `Actions for ${agents.ada.name}` });
    await menu.getByLabel('Add to queue').selectOption({ label: `Board chat ${process.pid} (Chat)` });
    await menu.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByTestId('toast-success').filter({ hasText: `${agents.ada.name} added to Board chat ${process.pid}` }).waitFor();
    expect(await members(chatQueue)).to.include(agents.ada.id);
    // The board hears of it too: with the chat queue filter, Ada's row is there now.
    await page.keyboard.press('Escape');
    await page.getByLabel('Queue', { exact: true }).selectOption({ label: `Board chat ${process.pid} (Chat)` });
    await row(agents.ada.id).waitFor();

    await toggle.click();
    await menu.getByLabel('Remove from queue').selectOption({ label: `Board chat ${process.pid} (Chat)` });
    await menu.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByTestId('toast-success').filter({ hasText: `${agents.ada.name} removed from Board chat ${process.pid}` }).waitFor();
    expect(await members(chatQueue)).to.not.include(agents.ada.id);
    await row(agents.ada.id).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await row(agents.ada.id).waitFor();
  });

  it('shows who waits in a queue and for how long, whom an agent is busy with, and the trunks', async () => {
    const page = board.page;
    const entry = await api().post<{ id: number }>(`/api/queues/${chatQueue}/entries`, { interactionRef: `board-chat-${process.pid}`, caller: 'Vera <b>Visitor</b>' }, node.adminToken);
    expect(entry.status, entry.text).to.equal(201);
    const queueRow = page.getByTestId(`queue-row-${chatQueue}`);
    await page.getByTestId(`queue-${chatQueue}-waiting`).filter({ hasText: /^1$/ }).waitFor();
    expect(await queueRow.locator('time').textContent()).to.match(/^\d+:\d\d$/);
    await page.getByTestId('counter-waiting').filter({ hasText: '1' }).waitFor();

    // Bruno goes ready, gets the chat offered and accepts it: busy with the visitor (shown as text).
    await asAgent('bruno', '/api/me/unpause', {});
    const offerId = await eventually(
      async () => (await api().get<{ offerId: number }[]>('/api/me/offers', agents.bruno.token)).body[0]?.offerId ?? 0,
      (id) => id > 0,
      'an offer to Bruno',
    );
    expect(offerId).to.be.greaterThan(0);
    await asAgent('bruno', `/api/offers/${offerId}/accept`, {});
    await page.getByTestId(`agent-${agents.bruno.id}-chat`).filter({ hasText: 'Busy with Vera <b>Visitor</b>' }).waitFor();
    await row(agents.bruno.id).and(page.locator('[data-status="busy"]')).waitFor();
    await page.getByTestId('counter-waiting').filter({ hasText: '0' }).waitFor();
    await page.getByTestId(`queue-${chatQueue}-waiting`).filter({ hasText: /^0$/ }).waitFor();
    expect(await queueRow.locator('time').count()).to.equal(0);
    await page.getByTestId('trunks-list').getByText('Carrier One').waitFor();
    await page.screenshot({ path: artifact('realtime-board-busy.png'), fullPage: true });
    expect(board.errors).to.deep.equal([]);
  });

  it('refuses the board to a supervisor without the realtime permission', async () => {
    const other = await openPage(browser, node.tandem.url);
    try {
      await signIn(other.page, PLAIN.username, PLAIN.password, { next: '/realtime' });
      await other.page.getByTestId('no-realtime-access').waitFor();
      expect(await other.page.getByRole('link', { name: 'Realtime' }).count()).to.equal(0);
      expect(other.errors).to.deep.equal([]);
    } finally {
      await other.close();
    }
  });
});
