// The administration shell in a real browser against a real node (PostgreSQL, the built app served by
// the node): the menu by area follows the account's permissions, deep links survive a reload and a
// page the account may not open says so; Tools → Pause reasons creates (with the field's error next
// to the field, from the shared schema and from the server), lists and deletes behind a confirmation;
// the Home checklist ticks steps once the node has what they ask for; axe finds nothing serious or
// critical; the menu and the form work from the keyboard alone; and Staff → Agents pages, searches
// and sorts on the server.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { agentBody, type TestNode } from '../support/tandem.ts';
import { artifact, openPage, signIn, type DesignerPage } from '../designer/harness.ts';
import { seriousViolations, startAdminSession, type AdminSession } from './harness.ts';
import { eventually } from '../support/eventually.ts';
import { loggedInAgent, queue } from '../support/world.ts';

const WATCHER = { username: `sup.watch.${process.pid}`, password: 'Watch-Sup3rvisor' };

interface PauseReason {
  id: number;
  name: string;
}

const nav = (page: Page) => page.getByTestId('admin-nav');
const areaNames = async (page: Page) => (await nav(page).locator('[data-testid^="nav-area-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).map((id) => id?.replace('nav-area-', ''));

describe('administration shell (browser)', function () {
  this.timeout(90_000);
  let session: AdminSession;
  let node: TestNode;
  let browser: Browser;
  let admin: DesignerPage;

  const reasons = async () => (await node.client.get<PauseReason[]>('/api/pause-reasons', node.adminToken)).body;

  before(async function () {
    this.timeout(240_000);
    session = await startAdminSession({
      beforeSignIn: async (started) => {
        const watcher = await started.client.post('/api/users', { role: 'supervisor', username: WATCHER.username, fullName: 'Wanda Watcher', password: WATCHER.password, permissions: { realtime: 'read' } }, started.adminToken);
        expect(watcher.status, watcher.text).to.equal(201);
      },
    });
    ({ node, browser, admin } = session);
  });

  after(async () => {
    await session?.stop();
  });

  it('lands an admin on Home with every area in the menu, and keeps a deep link through a reload', async () => {
    const page = admin.page;
    // The root is Home, under its own address.
    expect(new URL(page.url()).pathname).to.equal('/admin');
    expect(await areaNames(page)).to.deep.equal(['staff', 'voice', 'chat', 'tools']);
    for (const name of ['Home', 'Agents', 'Realtime', 'IVR projects', 'Chat flows', 'Pause reasons']) await nav(page).getByRole('link', { name, exact: true }).waitFor();
    expect(await nav(page).getByRole('link', { name: 'Home' }).getAttribute('aria-current')).to.equal('page');

    await nav(page).getByRole('link', { name: 'Pause reasons' }).click();
    await page.getByRole('heading', { name: 'Pause reasons' }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/admin/tools/pause-reasons');
    await page.reload();
    await page.getByRole('heading', { name: 'Pause reasons' }).waitFor();
    expect(await nav(page).getByRole('link', { name: 'Pause reasons' }).getAttribute('aria-current')).to.equal('page');
    expect(await nav(page).getByRole('link', { name: 'Home' }).getAttribute('aria-current')).to.equal(null);

    await page.goto('/admin/no-such-page');
    await page.getByTestId('not-found').getByText('/admin/no-such-page').waitFor();
    // The existing pages keep their addresses inside the shell.
    await nav(page).getByRole('link', { name: 'IVR projects' }).click();
    await page.getByRole('heading', { name: 'IVR projects' }).waitFor();
    expect(new URL(page.url()).search).to.equal('?channel=voice');
    expect(admin.errors).to.deep.equal([]);
  });

  it('shows a supervisor only the areas their permissions open, and refuses a deep link to the rest', async () => {
    const sup = await openPage(browser, node.tandem.url);
    try {
      await signIn(sup.page, WATCHER.username, WATCHER.password, { heading: 'Home' });
      expect(await areaNames(sup.page)).to.deep.equal(['staff']);
      expect(await nav(sup.page).getByRole('link', { name: 'Pause reasons' }).count()).to.equal(0);
      await sup.page.getByTestId('step-queueExists').waitFor();

      await sup.page.goto('/admin/tools/pause-reasons');
      await sup.page.getByTestId('forbidden').waitFor();
      expect(await sup.page.getByTestId('pause-reasons-page').count()).to.equal(0);
      expect(await seriousViolations(sup.page)).to.deep.equal([]);
      await nav(sup.page).getByRole('link', { name: 'Realtime' }).click();
      await sup.page.getByRole('heading', { name: 'Realtime', exact: true }).waitFor();
      expect(sup.errors).to.deep.equal([]);
    } finally {
      await sup.close();
    }
  });

  it('creates, lists and deletes pause reasons, with each refusal next to its field', async () => {
    const page = admin.page;
    await page.goto('/admin/tools/pause-reasons');
    const name = page.getByRole('textbox', { name: 'Name', exact: true });

    // Refused in the browser by the API's own schema: nothing is sent.
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const empty = page.getByTestId('field-error').filter({ hasText: 'must not be empty' });
    await empty.waitFor();
    expect(await name.getAttribute('aria-invalid')).to.equal('true');
    expect(await name.getAttribute('aria-describedby')).to.equal(await empty.getAttribute('id'));

    await name.fill('Lunch break');
    await page.getByRole('textbox', { name: 'Description' }).fill('Forty-five minutes');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const table = page.getByTestId('pause-reasons-table');
    await table.getByRole('cell', { name: 'Lunch break', exact: true }).waitFor();
    expect(await empty.count()).to.equal(0);
    await table.getByText('1 row', { exact: true }).waitFor();
    const created = await reasons();
    expect(created.map((r) => r.name)).to.deep.equal(['Lunch break']);

    // Only the server knows a name is taken: its 409 names the field, and the page puts it there.
    await name.fill('LUNCH BREAK');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const taken = page.getByTestId('field-error').filter({ hasText: 'a pause reason with this name already exists' });
    await taken.waitFor();
    expect(await name.getAttribute('aria-describedby')).to.equal(await taken.getAttribute('id'));
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.screenshot({ path: artifact('admin-pause-reasons.png'), fullPage: true });

    await table.getByRole('button', { name: 'Delete Lunch break' }).click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.getByRole('heading', { name: 'Delete pause reason “Lunch break”?' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await reasons()).to.have.length(1);
    await table.getByRole('button', { name: 'Delete Lunch break' }).click();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await table.getByText('Nothing to show.').waitFor();
    expect(await reasons()).to.deep.equal([]);
    expect(admin.errors).to.deep.equal([]);
  });

  it('ticks checklist steps once the node has what they ask for', async () => {
    const page = admin.page;
    await page.goto('/admin');
    const state = (id: string) => page.getByTestId(`step-${id}`).getAttribute('data-state');
    await eventually(() => state('queueExists'), (s) => s === 'todo', 'the queue step to load as to do');
    // No Asterisk on this node: the step is not done and says what the node reports.
    expect(await state('asteriskConnected')).to.equal('todo');
    await page.getByTestId('step-asteriskConnected').getByText('AMI not configured, ARI not configured').waitFor();
    expect(await state('agentExists')).to.equal('todo');
    expect(await state('agentLoggedIn')).to.equal('todo');
    expect(await seriousViolations(page)).to.deep.equal([]);

    await queue(node, { channel: 'voice' });
    await loggedInAgent(node);
    await page.reload();
    await eventually(() => state('queueExists'), (s) => s === 'done', 'the queue step to tick');
    expect(await state('agentExists')).to.equal('done');
    expect(await state('agentLoggedIn')).to.equal('done');
    expect(await state('testCallPlaced')).to.equal('todo');
    await page.screenshot({ path: artifact('admin-home.png'), fullPage: true });
    expect(admin.errors).to.deep.equal([]);
  });

  it('pages, searches and sorts the agents on the server', async () => {
    const page = admin.page;
    // 30 agents: more than one page of 25. Usernames sort the other way round from the names.
    const ids: number[] = [];
    for (let i = 1; i <= 30; i++) {
      const n = String(i).padStart(2, '0');
      const r = await node.client.post<{ id: number }>('/api/agents', agentBody({ username: `zz.agent.${String(31 - i).padStart(2, '0')}`, fullName: `Listed ${n}`, extension: `7${n}` }), node.adminToken);
      expect(r.status, r.text).to.equal(201);
      ids.push(r.body.id);
    }
    await page.goto('/admin/staff/agents');
    const table = page.getByTestId('agents-table');
    const names = () => table.locator('tbody tr[data-testid="data-row"] td:first-child').allTextContents();
    // Other tests' agents are there too: the search keeps to these 30.
    await table.getByRole('searchbox').fill('Listed');
    await table.getByText('30 rows').waitFor();
    expect(await names()).to.have.length(25);
    await table.getByText('Page 1 of 2').waitFor();
    await table.getByRole('button', { name: 'Next page' }).click();
    await table.getByText('Page 2 of 2').waitFor();
    // The first page stays on screen until the second arrives.
    await eventually(names, (n) => n.join() === 'Listed 26,Listed 27,Listed 28,Listed 29,Listed 30', 'the second page of agents');

    // A narrower search goes to the server and starts from the first page.
    await table.getByRole('searchbox').fill('Listed 1');
    await table.getByText('10 rows').waitFor();
    expect(await names()).to.deep.equal(['Listed 10', 'Listed 11', 'Listed 12', 'Listed 13', 'Listed 14', 'Listed 15', 'Listed 16', 'Listed 17', 'Listed 18', 'Listed 19']);

    // Sorting by username (the server's order, the reverse of the names here).
    await table.getByRole('button', { name: 'Username' }).click();
    const username = table.locator('th', { has: page.getByRole('button', { name: 'Username' }) });
    await eventually(() => username.getAttribute('aria-sort'), (s) => s === 'ascending', 'the username column to sort ascending');
    await eventually(names, (n) => n[0] === 'Listed 19' && n[9] === 'Listed 10', 'agents in username order');

    // A column can be hidden from the column chooser.
    await table.locator('summary', { hasText: 'Columns' }).click();
    await table.getByRole('checkbox', { name: 'Extension' }).uncheck();
    expect(await table.getByRole('columnheader', { name: 'Extension' }).count()).to.equal(0);
    expect(await seriousViolations(page)).to.deep.equal([]);

    // Deleting says first where the agent is still used (GET /api/dependents), then deletes.
    const listed19 = ids[18]!;
    const queueId = await queue(node, { channel: 'voice', name: `Where-used ${process.pid}` }, [listed19]);
    expect(queueId).to.be.above(0);
    await table.getByRole('button', { name: 'Delete Listed 19' }).click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.getByTestId('confirm-dependents').getByText(`Queue Where-used ${process.pid} — agent on the queue (penalty 0)`).waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await table.getByText('9 rows').waitFor();
    expect((await node.client.get(`/api/agents/${listed19}`, node.adminToken)).status).to.equal(404);
    expect(admin.errors).to.deep.equal([]);
  });

  it('reaches a page through the menu and adds a pause reason with the keyboard alone', async () => {
    const page = admin.page;
    await page.goto('/admin');
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    // The first Tab reaches the skip link, then the header, then the menu.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Skip to content');
    let focused = '';
    // Bounded by the menu's length (every page link, and the header's controls), with room to grow.
    for (let presses = 0; presses < 60 && focused !== 'Pause reasons'; presses++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    }
    expect(focused).to.equal('Pause reasons');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Pause reasons' }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/admin/tools/pause-reasons');

    for (let presses = 0; presses < 20 && !(await page.getByRole('textbox', { name: 'Name', exact: true }).evaluate((el) => el === document.activeElement)); presses++) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.type('Training');
    await page.keyboard.press('Enter');
    await page.getByTestId('pause-reasons-table').getByRole('cell', { name: 'Training', exact: true }).waitFor();
    expect((await reasons()).map((r) => r.name)).to.deep.equal(['Training']);
    expect(admin.errors).to.deep.equal([]);
  });
});
