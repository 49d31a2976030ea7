// Listen / whisper / barge from the realtime board in a real browser: a Tandem node wired to the ARI
// test peer (test/voice/spy/spy-world.ts, which replays test/fixtures/asterisk/
// ari-spy-whisper-barge.txt + ari-spy-events.jsonl), a queue call bridged with an agent, and a
// supervisor who starts listening from the agent's row, switches to whisper and barge in the same
// session from the panel, stops; then listens again and the agent hangs up, which ends the session
// on the page by itself.
import { expect } from 'chai';

import type { Browser } from 'playwright-core';
import { SpyWorld, type Agent } from '../voice/spy/spy-world.ts';
import { eventually } from '../support/eventually.ts';
import { artifact, ensureDesignerBuilt, launchChromium, openPage, type DesignerPage, signIn } from '../designer/harness.ts';

const SUPERVISOR = { username: `sup.spy.${process.pid}`, password: 'Spy-Sup3rvisor!' };

describe('listen, whisper and barge from the realtime board (browser, ARI test peer)', function () {
  this.timeout(90_000);
  const world = new SpyWorld();
  let browser: Browser;
  let board: DesignerPage;
  let agent: Agent;
  let agentName = '';
  let supervisorId = 0;

  before(async function () {
    this.timeout(240_000);
    await ensureDesignerBuilt();
    [browser] = await Promise.all([launchChromium(), world.start(2)]);
    agent = world.agents[0]!;
    const c = world.node.client;
    const admin = world.node.adminToken;
    const sup = await c.post<{ id: number }>(
      '/api/users',
      { role: 'supervisor', username: SUPERVISOR.username, fullName: 'Sam Spy', password: SUPERVISOR.password, permissions: { realtime: 'read', chanspy: 'read-edit', staff: 'read-edit', voice: 'read' } },
      admin,
    );
    expect(sup.status, sup.text).to.equal(201);
    supervisorId = sup.body.id;
    const scope = await c.put(`/api/users/${sup.body.id}/queues`, { queueIds: world.agents.map((a) => a.queueId) }, admin);
    expect(scope.status, scope.text).to.equal(200);
    const token = await c.login(SUPERVISOR.username, SUPERVISOR.password);
    const phone = await c.patch('/api/me/phone', { phone: { kind: 'external', value: '5551001' } }, token);
    expect(phone.status, phone.text).to.equal(200);
    const created = await c.get<{ fullName: string }>(`/api/agents/${agent.id}`, admin);
    agentName = created.body.fullName;

    board = await openPage(browser, world.node.tandem.url);
    await signIn(board.page, SUPERVISOR.username, SUPERVISOR.password, { next: '/realtime' });
    await board.page.getByTestId('board-connection').filter({ hasText: 'Live' }).waitFor();
  });

  after(async () => {
    await board?.close();
    await browser?.close();
    await world.stop();
  });

  const row = () => board.page.getByTestId(`agent-row-${agent.id}`);
  const latestSession = async () => (await world.sessionsOf(agent.id)).at(-1);

  it('listens from the agent’s row, switches to whisper and barge in the same session, and stops', async () => {
    const page = board.page;
    const call = await world.bridgedCall(agent);
    await row().and(page.locator('[data-status="busy"]')).waitFor();
    // Nothing to spy on for the other agent, who has no call.
    expect(await page.getByTestId(`agent-row-${world.agents[1]!.id}`).getByRole('button', { name: /^Listen to/ }).count()).to.equal(0);

    await row().getByRole('button', { name: `Listen to ${agentName}` }).click();
    const panel = page.getByTestId('spy-panel');
    await panel.getByTestId('spy-state').filter({ hasText: `Listening to ${agentName}` }).waitFor();
    await eventually(async () => (await latestSession())?.status === 'active', 'the session to be active');
    // Once the supervisor's phone answered, the panel stops saying it rings.
    await panel.getByTestId('spy-state').filter({ hasNotText: 'Calling your phone' }).waitFor();
    const session = (await latestSession())!;
    expect(session).to.include({ supervisorId, mode: 'listen', origin: 'board' });
    await page.getByTestId(`spied-${agent.id}`).filter({ hasText: 'Listened by you' }).waitFor();
    // One session at a time: the start buttons are disabled while it runs.
    expect(await row().getByRole('button', { name: `Whisper to ${agentName}` }).isDisabled()).to.equal(true);

    await panel.getByRole('button', { name: 'Whisper', exact: true }).click();
    await panel.getByRole('button', { name: 'Whisper', pressed: true }).waitFor();
    await eventually(async () => (await world.session(session.id)).mode === 'whisper', 'whisper recorded');
    await page.getByTestId(`spied-${agent.id}`).filter({ hasText: 'Whispered by you' }).waitFor();

    await panel.getByRole('button', { name: 'Barge', exact: true }).click();
    await panel.getByRole('button', { name: 'Barge', pressed: true }).waitFor();
    await eventually(async () => (await world.session(session.id)).mode === 'barge', 'barge recorded');
    await page.getByTestId(`spied-${agent.id}`).filter({ hasText: 'Barged by you' }).waitFor();
    expect(await world.modes(session.id)).to.deep.equal(['listen/api', 'whisper/api', 'barge/api']);
    await page.screenshot({ path: artifact('realtime-board-barge.png'), fullPage: true });

    await panel.getByRole('button', { name: 'Stop' }).click();
    await panel.getByTestId('spy-state').waitFor({ state: 'detached' });
    await eventually(async () => (await world.session(session.id)).status === 'ended', 'the session to end');
    await page.getByTestId(`spied-${agent.id}`).waitFor({ state: 'detached' });
    expect(await row().getByRole('button', { name: `Listen to ${agentName}` }).isEnabled()).to.equal(true);

    // Listening again, then the agent hangs up: the panel closes by itself.
    await row().getByRole('button', { name: `Listen to ${agentName}` }).click();
    await panel.getByTestId('spy-state').filter({ hasText: `Listening to ${agentName}` }).waitFor();
    await page.getByTestId(`spied-${agent.id}`).waitFor();
    await world.hangUpAgent(call);
    await page.getByTestId('toast-info').filter({ hasText: 'The supervised call has ended' }).waitFor();
    await panel.getByTestId('spy-state').waitFor({ state: 'detached' });
    await page.getByTestId(`spied-${agent.id}`).waitFor({ state: 'detached' });
    expect(board.errors).to.deep.equal([]);
  });

  it('shows the server’s refusal as a toast', async () => {
    const page = board.page;
    // The first agent's call is over; the second agent has a call, but the supervisor rings an
    // extension that is not a valid endpoint name, which the server refuses.
    const other = world.agents[1]!;
    await world.bridgedCall(other);
    const otherName = (await world.node.client.get<{ fullName: string }>(`/api/agents/${other.id}`, world.node.adminToken)).body.fullName;
    const otherRow = page.getByTestId(`agent-row-${other.id}`);
    await otherRow.and(page.locator('[data-status="busy"]')).waitFor();
    await page.getByTestId('spy-panel').getByLabel('Phone to ring').selectOption('extension');
    await page.getByTestId('spy-panel').getByLabel('Extension to ring').fill('not a phone!');
    await otherRow.getByRole('button', { name: `Listen to ${otherName}` }).click();
    await page.getByTestId('toast-error').filter({ hasText: /endpoint/ }).waitFor();
    expect(await page.getByTestId('spy-state').count()).to.equal(0);
  });
});
