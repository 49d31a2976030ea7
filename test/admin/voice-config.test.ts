// Voice → Queues, Routes and Trunks in a real browser against a real node (PostgreSQL, the built
// app): a queue created with its settings and members (penalties added, changed, removed), a field
// refused next to the field, a concurrent edit caught by If-Match (reload or overwrite), delete
// behind a confirmation listing what still uses the thing (and the server's refusal shown when it
// refuses); inbound routes reordered by dragging and by the keyboard's move buttons, the order read
// back from the API; trunks created, edited and deleted; axe finds nothing serious or critical.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { okBody, type TestNode } from '../support/tandem.ts';
import { artifact, type DesignerPage } from '../designer/harness.ts';
import { seriousViolations, startAdminSession, type AdminSession } from './harness.ts';
import { eventually } from '../support/eventually.ts';
import { agent, queueFlowProject } from '../support/world.ts';

interface Queue {
  id: number;
  name: string;
  strategy: string;
  ringTimeoutSec: number;
  serviceLevelSec: number;
  description: string | null;
}
interface Route {
  id: number;
  name: string;
}
interface Trunk {
  id: number;
  name: string;
  endpoint: string;
  callerId: string | null;
}

const SUFFIX = process.pid;

describe('administration: Voice queues, routes and trunks (browser)', function () {
  this.timeout(120_000);
  let session: AdminSession;
  let node: TestNode;
  let admin: DesignerPage;
  let page: Page;
  let queueId = 0;

  const api = <T>(path: string) => node.client.get<T>(path, node.adminToken).then((r) => okBody(r));
  const routeNames = async () => (await api<Route[]>('/api/voice/routes?kind=inbound')).map((r) => r.name);

  before(async function () {
    this.timeout(300_000);
    session = await startAdminSession();
    ({ node, admin, page } = session);
  });

  after(async () => {
    await session?.stop();
  });

  it('creates a voice queue with its settings, refusing a bad field next to it, and its members with penalties', async () => {
    const ada = await agent(node, { fullName: 'Ada Lovelace' });
    const bob = await agent(node, { fullName: 'Bob Babbage' });
    const team = okBody(await node.client.post<{ id: number }>('/api/teams', { name: `Night shift ${SUFFIX}` }, node.adminToken), 201);

    await page.getByTestId('admin-nav').getByRole('link', { name: 'Queues', exact: true }).click();
    await page.getByRole('heading', { name: 'Queues', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/admin/voice/queues');
    await page.getByRole('button', { name: 'New queue' }).click();
    const editor = page.getByTestId('queue-editor');
    await editor.getByRole('textbox', { name: 'Name' }).fill(`Sales-${SUFFIX}`);
    await editor.getByLabel('Strategy').selectOption('leastrecent');
    const ring = editor.getByRole('spinbutton', { name: 'Ring time (s)' });
    await ring.fill('0');
    await editor.getByRole('spinbutton', { name: 'Service level (s)' }).fill('30');
    await editor.getByRole('button', { name: 'Create queue' }).click();
    // Refused by the API's own schema before anything is sent, the message tied to the field.
    await eventually(() => ring.getAttribute('aria-invalid'), (v) => v === 'true', 'the ring time to be marked invalid');
    const ringError = editor.getByTestId('field-error').first();
    expect(await ring.getAttribute('aria-describedby')).to.contain(await ringError.getAttribute('id'));
    expect(await api<Queue[]>('/api/queues?channel=voice')).to.deep.equal([]);

    await ring.fill('25');
    await editor.getByRole('button', { name: 'Create queue' }).click();
    // Once created the editor stays open on the queue, for its members.
    const agents = editor.getByTestId('queue-agents');
    await agents.waitFor();
    const [created] = await api<Queue[]>('/api/queues?channel=voice');
    expect(created).to.include({ name: `Sales-${SUFFIX}`, strategy: 'leastrecent', ringTimeoutSec: 25, serviceLevelSec: 30 });
    queueId = created!.id;
    expect(await seriousViolations(page)).to.deep.equal([]);

    const addAgent = async (name: string, penalty: string) => {
      // The picker searches the server: type, then pick the match.
      await agents.getByRole('combobox', { name: 'Agent', exact: true }).fill(name);
      await agents.getByRole('option', { name: new RegExp(`^${name} `) }).click();
      await agents.getByRole('spinbutton', { name: 'Penalty', exact: true }).fill(penalty);
      await agents.getByRole('button', { name: 'Add agent' }).click();
      await agents.getByRole('spinbutton', { name: `Penalty of ${name}` }).waitFor();
    };
    await addAgent('Ada Lovelace', '3');
    await addAgent('Bob Babbage', '0');
    const members = () => api<{ agentId: number; penalty: number }[]>(`/api/queues/${queueId}/agents`);
    expect(await members()).to.have.deep.members([
      { agentId: ada.id, penalty: 3 },
      { agentId: bob.id, penalty: 0 },
    ]);
    // A penalty changed in place is saved on Enter; one out of range is refused with the reason.
    const adaPenalty = agents.getByRole('spinbutton', { name: 'Penalty of Ada Lovelace' });
    await adaPenalty.fill('7');
    await adaPenalty.press('Enter');
    await eventually(members, (m) => m.some((x) => x.agentId === ada.id && x.penalty === 7), 'Ada’s penalty to become 7');
    await adaPenalty.fill('101');
    await adaPenalty.press('Enter');
    await agents.getByText('must be at most 100').waitFor();
    await agents.getByRole('button', { name: 'Remove Bob Babbage' }).click();
    await eventually(members, (m) => m.length === 1, 'Bob to leave the queue');
    expect(await members()).to.deep.equal([{ agentId: ada.id, penalty: 7 }]);

    const teams = editor.getByTestId('queue-teams');
    await teams.getByLabel('Team', { exact: true }).selectOption({ label: `Night shift ${SUFFIX}` });
    await teams.getByRole('spinbutton', { name: 'Penalty', exact: true }).fill('2');
    await teams.getByRole('button', { name: 'Add team' }).click();
    await teams.getByRole('spinbutton', { name: `Penalty of Night shift ${SUFFIX}` }).waitFor();
    expect(await api(`/api/queues/${queueId}/teams`)).to.deep.equal([{ teamId: team.id, penalty: 2 }]);
    await page.screenshot({ path: artifact('admin-voice-queue.png'), fullPage: true });
    await editor.getByRole('button', { name: 'Close' }).last().click();
    await page.getByTestId('queues-table').getByRole('cell', { name: `Sales-${SUFFIX}`, exact: true }).waitFor();
    expect(admin.errors).to.deep.equal([]);
  });

  it('catches a concurrent edit: reload shows theirs, overwrite saves mine', async () => {
    await page.goto('/admin/voice/queues');
    await page.getByRole('button', { name: `Edit Sales-${SUFFIX}` }).click();
    const editor = page.getByTestId('queue-editor');
    const description = editor.getByRole('textbox', { name: 'Description' });
    await description.waitFor();

    // Someone else saves while the editor is open.
    okBody(await node.client.patch(`/api/queues/${queueId}`, { description: 'Theirs' }, node.adminToken));
    await description.fill('Mine');
    await editor.getByRole('button', { name: 'Save' }).click();
    const stale = editor.getByTestId('stale-edit');
    await stale.getByText('Someone else saved this first').waitFor();
    expect((await api<Queue>(`/api/queues/${queueId}`)).description).to.equal('Theirs');
    expect(await seriousViolations(page)).to.deep.equal([]);

    await stale.getByRole('button', { name: 'Reload their version' }).click();
    await eventually(() => description.inputValue(), (v) => v === 'Theirs', 'the editor to show their description');

    // Again, and this time mine wins.
    okBody(await node.client.patch(`/api/queues/${queueId}`, { description: 'Theirs again' }, node.adminToken));
    await description.fill('Mine');
    await editor.getByRole('button', { name: 'Save' }).click();
    await stale.getByRole('button', { name: 'Overwrite with mine' }).click();
    await eventually(async () => (await api<Queue>(`/api/queues/${queueId}`)).description, (d) => d === 'Mine', 'my description to be saved');
    expect(await stale.count()).to.equal(0);
    // Saved with the new version: a further save goes through without a conflict.
    await description.fill('Mine, later');
    await editor.getByRole('button', { name: 'Save' }).click();
    await eventually(async () => (await api<Queue>(`/api/queues/${queueId}`)).description, (d) => d === 'Mine, later', 'the later save');
    expect(await stale.count()).to.equal(0);
    expect(admin.errors).to.deep.equal([]);
  });

  it('creates two inbound routes and reorders them by dragging and by the keyboard', async () => {
    const project = okBody(await node.client.post<{ id: string }>('/api/ivr/projects', { name: `Main menu ${SUFFIX}`, channel: 'voice', project: queueFlowProject(`Sales-${SUFFIX}`) }, node.adminToken), 201);
    okBody(await node.client.post(`/api/ivr/projects/${project.id}/publish`, {}, node.adminToken), 201);

    await page.goto('/admin/voice/routes');
    await page.getByRole('heading', { name: 'Routes', exact: true }).waitFor();
    for (const [name, pattern] of [
      ['First line', '5550100'],
      ['Second line', '_555XXXX'],
    ] as const) {
      await page.getByRole('button', { name: 'New Inbound route' }).click();
      const editor = page.getByTestId('route-editor');
      await editor.getByRole('textbox', { name: 'Name' }).fill(name);
      await editor.getByRole('textbox', { name: 'Pattern' }).fill(pattern);
      await editor.getByLabel('IVR project').selectOption({ label: `Main menu ${SUFFIX}` });
      if (name === 'Second line') {
        // Open on weekday mornings only: a schedule with one interval.
        await editor.getByRole('checkbox', { name: 'Only at certain times' }).check();
        await editor.getByRole('textbox', { name: 'Time zone' }).fill('Europe/Rome');
      }
      await editor.getByRole('button', { name: 'Create route' }).click();
      await page.getByTestId('routes-table').getByRole('cell', { name, exact: true }).waitFor();
    }
    expect(await routeNames()).to.deep.equal(['First line', 'Second line']);
    const second = (await api<(Route & { schedule: { timezone: string; intervals: unknown[] } | null })[]>('/api/voice/routes?kind=inbound'))[1]!;
    expect(second.schedule?.timezone).to.equal('Europe/Rome');
    expect(second.schedule?.intervals).to.deep.equal([{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }]);
    expect(await seriousViolations(page)).to.deep.equal([]);

    const rows = page.getByTestId('routes-table').getByTestId('route-row');
    const shown = () => rows.locator('td:nth-child(2)').allTextContents();
    // Drag the second row onto the first.
    await rows.filter({ hasText: 'Second line' }).dragTo(rows.filter({ hasText: 'First line' }));
    await eventually(routeNames, (n) => n.join() === 'Second line,First line', 'the dragged order to be saved');
    await eventually(shown, (n) => n.join() === 'Second line,First line', 'the list in the dragged order');

    // The keyboard alternative: focus the move button and press Enter.
    // (The move buttons wait while an order is being saved.)
    const down = page.getByRole('button', { name: 'Move Second line down' });
    await eventually(() => down.isEnabled(), Boolean, 'the move buttons to be usable again');
    await down.focus();
    await page.keyboard.press('Enter');
    await eventually(routeNames, (n) => n.join() === 'First line,Second line', 'the keyboard order to be saved');
    await eventually(shown, (n) => n.join() === 'First line,Second line', 'the list in the keyboard order');
    await page.screenshot({ path: artifact('admin-voice-routes.png'), fullPage: true });
    expect(admin.errors).to.deep.equal([]);
  });

  it('filters queues by channel, and Chat → Chat queues opens on the chat ones', async () => {
    okBody(await node.client.post('/api/queues', { name: `Web-help-${SUFFIX}`, channel: 'chat' }, node.adminToken), 201);
    await page.goto('/admin/voice/queues');
    const table = page.getByTestId('queues-table');
    await table.getByRole('cell', { name: `Sales-${SUFFIX}`, exact: true }).waitFor();
    expect(await table.getByRole('cell', { name: `Web-help-${SUFFIX}`, exact: true }).count()).to.equal(0);

    // The menu's Chat entry is the same page on the chat channel.
    await page.getByTestId('admin-nav').getByRole('link', { name: 'Chat queues', exact: true }).click();
    await table.getByRole('cell', { name: `Web-help-${SUFFIX}`, exact: true }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/admin/chat/queues');
    expect(await page.getByTestId('queue-channel-filter').inputValue()).to.equal('chat');
    expect(await table.getByRole('cell', { name: `Sales-${SUFFIX}`, exact: true }).count()).to.equal(0);

    // And the filter picks another channel.
    await page.getByTestId('queue-channel-filter').selectOption('voice');
    await table.getByRole('cell', { name: `Sales-${SUFFIX}`, exact: true }).waitFor();
    expect(await table.getByRole('cell', { name: `Web-help-${SUFFIX}`, exact: true }).count()).to.equal(0);
    expect(admin.errors).to.deep.equal([]);
  });

  it('deletes a queue after listing the projects and routes that still use it', async () => {
    await page.goto('/admin/voice/queues');
    await page.getByRole('button', { name: `Delete Sales-${SUFFIX}` }).click();
    const dialog = page.getByTestId('confirm-dialog');
    const dependents = dialog.getByTestId('confirm-dependents');
    await dependents.getByText(`IVR project Main menu ${SUFFIX} — Queue block in published version`).waitFor();
    await dependents.getByText('Route First line — inbound route to project').waitFor();
    await dependents.getByText('Route Second line — inbound route to project').waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    okBody(await node.client.get(`/api/queues/${queueId}`, node.adminToken));

    await page.getByRole('button', { name: `Delete Sales-${SUFFIX}` }).click();
    await dialog.getByTestId('confirm-dependents').waitFor();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    // Its published version still sends calls there: the server refuses, naming it; an administrator may insist.
    await dialog.getByRole('alert').getByText(`Main menu ${SUFFIX}`, { exact: false }).waitFor();
    okBody(await node.client.get(`/api/queues/${queueId}`, node.adminToken));
    await dialog.getByRole('checkbox', { name: 'Delete it even though published flows or websites still use it' }).check();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByTestId('queues-table').getByText('Nothing to show.').waitFor();
    expect((await node.client.get(`/api/queues/${queueId}`, node.adminToken)).status).to.equal(404);
    expect(admin.errors).to.deep.equal([]);
  });

  it('creates, edits and deletes a trunk; a trunk a route still uses is refused with the route named', async () => {
    await page.goto('/admin/voice/trunks');
    await page.getByRole('heading', { name: 'Trunks', exact: true }).waitFor();
    await page.getByRole('button', { name: 'New trunk' }).click();
    const editor = page.getByTestId('trunk-editor');
    await editor.getByRole('textbox', { name: 'Name' }).fill('Carrier A');
    const endpoint = editor.getByRole('textbox', { name: 'Asterisk endpoint' });
    await endpoint.fill('carrier a!');
    await editor.getByRole('button', { name: 'Create trunk' }).click();
    await editor.getByTestId('field-error').filter({ hasText: 'must be an Asterisk endpoint name' }).waitFor();
    expect(await endpoint.getAttribute('aria-invalid')).to.equal('true');
    await endpoint.fill('carrier-a');
    await editor.getByRole('button', { name: 'Create trunk' }).click();
    const table = page.getByTestId('trunks-table');
    await table.getByRole('cell', { name: 'Carrier A', exact: true }).waitFor();
    const [trunk] = await api<Trunk[]>('/api/voice/trunks');
    expect(trunk).to.include({ name: 'Carrier A', endpoint: 'carrier-a', callerId: null });

    await table.getByRole('button', { name: 'Edit Carrier A' }).click();
    await editor.getByRole('textbox', { name: 'Caller id' }).fill('+390612345');
    await editor.getByRole('button', { name: 'Save' }).click();
    await table.getByRole('cell', { name: '+390612345' }).waitFor();
    expect((await api<Trunk>(`/api/voice/trunks/${trunk!.id}`)).callerId).to.equal('+390612345');
    expect(await seriousViolations(page)).to.deep.equal([]);

    // An outbound route through the trunk: listed before the delete, and the server refuses it.
    const route = okBody(await node.client.post<Route>('/api/voice/routes', { kind: 'outbound', name: 'Out national', pattern: '_0X.', trunkId: trunk!.id }, node.adminToken), 201);
    await table.getByRole('button', { name: 'Delete Carrier A' }).click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.getByTestId('confirm-dependents').getByText('Route Out national — outbound route through the trunk').waitFor();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.getByRole('alert').getByText('is used by route').waitFor();
    okBody(await node.client.get(`/api/voice/trunks/${trunk!.id}`, node.adminToken));
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    okBody(await node.client.delete(`/api/voice/routes/${route.id}`, node.adminToken), 204);
    await table.getByRole('button', { name: 'Delete Carrier A' }).click();
    await eventually(() => dialog.getByRole('button', { name: 'Delete', exact: true }).isEnabled(), Boolean, 'the dependents check to finish');
    expect(await dialog.getByTestId('confirm-dependents').count()).to.equal(0);
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await table.getByText('Nothing to show.').waitFor();
    expect(await api<Trunk[]>('/api/voice/trunks')).to.deep.equal([]);
    expect(admin.errors).to.deep.equal([]);
  });
});
