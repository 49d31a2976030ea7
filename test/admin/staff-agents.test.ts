// Staff → Agents and Voice → Hot-desk phones in a real browser against a real node (PostgreSQL, the
// built app served by the node): the agent form creates an agent with every group of fields, after
// showing the server's refusal next to its field; an edit sent after someone else saved is refused
// and the form offers to reload (then saves) or to overwrite (and does); rows selected in the table
// are added to a queue and a team in bulk; the CSV export downloads what the list shows (search,
// type filter, order); telephones are added and deleted; axe finds nothing serious or critical on
// these pages and the form.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { agentBody, type TestNode } from '../support/tandem.ts';
import type { DesignerPage } from '../designer/harness.ts';
import { seriousViolations, startAdminSession, type AdminSession } from './harness.ts';
import { eventually } from '../support/eventually.ts';
import { queue } from '../support/world.ts';
import { agentCreateSchema, agentUpdateSchema } from '../../contracts/staff.ts';
import { checkAgainst } from '../../designer/src/admin/kit/forms.tsx';
import { createBody, updateBody, valuesOf, type AgentDetail } from '../../designer/src/admin/pages/agent-form.ts';
import { membershipChanges, teamMembersAfter } from '../../designer/src/admin/pages/agentMembership.ts';
import { agentsExportPath, agentsPath } from '../../designer/src/admin/pages/AgentsPage.tsx';

interface Agent {
  id: number;
  username: string;
  fullName: string;
  alias: string | null;
  typology: string;
  extension: string;
  hotdesk: boolean;
  capacity: Record<string, number>;
  autoAnswer: Record<string, { enabled: boolean; delaySeconds: number }>;
}

const pid = process.pid;

describe('agent form bodies and list paths', () => {
  const read: AgentDetail = {
    id: 7,
    username: 'ann',
    fullName: 'Ann',
    alias: 'A',
    email: null,
    description: null,
    typology: 'external',
    extension: '1001',
    voicemail: false,
    loginInPause: false,
    capacity: { chat: 2 },
    autoAnswer: { voice: { enabled: true, delaySeconds: 3 } },
    hotdesk: true,
    maskSensitiveData: false,
    chanspy: true,
    disabled: false,
    locked: true,
    hasPhonePin: true,
  };

  it('makes a create body the API schema accepts, leaving out what was left empty', () => {
    const values = { ...valuesOf(null), fullName: 'New One', username: 'new.one', password: 'Pass-w0rd' };
    const body = createBody(values);
    expect(body).to.not.have.any.keys('extension', 'alias', 'email', 'pin');
    expect(body.autoAnswer).to.deep.equal({});
    expect(checkAgainst(agentCreateSchema, body).ok).to.equal(true);
  });

  it('hands what is not a number to the schema, which names the channel', () => {
    const values = valuesOf(null);
    const body = createBody({ ...values, fullName: 'X', username: 'x', password: 'p', capacity: { ...values.capacity, sms: 'lots' } });
    const checked = checkAgainst(agentCreateSchema, body);
    expect(checked.ok).to.equal(false);
    if (!checked.ok) expect(checked.errors.fields).to.have.property('capacity.sms', 'must be a number');
  });

  it('makes an edit body from the agent read: cleared fields null, unlocking and the PIN only when asked', () => {
    const unchanged = updateBody(valuesOf(read), read);
    expect(unchanged).to.not.have.any.keys('locked', 'pin');
    expect(unchanged).to.include({ alias: 'A', email: null, extension: '1001', hotdesk: true });
    expect(unchanged.capacity).to.include({ chat: 2 });
    expect(unchanged.autoAnswer).to.deep.equal({ voice: { enabled: true, delaySeconds: 3 } });
    expect(checkAgainst(agentUpdateSchema, unchanged).ok).to.equal(true);
    const changed = updateBody({ ...valuesOf(read), alias: ' ', locked: false, removePin: true }, read);
    expect(changed).to.include({ alias: null, locked: false, pin: null });
  });

  it('computes membership changes and team member lists', () => {
    expect(membershipChanges([1, 2], [2, 3])).to.deep.equal({ added: [3], removed: [1] });
    expect(teamMembersAfter([5, 1], [3, 5])).to.deep.equal([1, 3, 5]);
    expect(teamMembersAfter([5, 1, 3], [], [1])).to.deep.equal([3, 5]);
  });

  it('asks the export for the list’s search, filter and order, without its page', () => {
    const sorting = [{ id: 'fullName', desc: true }];
    expect(agentsExportPath(' Csv ', sorting, 'external')).to.equal('/api/agents/export.csv?q=Csv&typology=external&sort=fullName&order=desc');
    expect(agentsExportPath('', [], '')).to.equal('/api/agents/export.csv');
    expect(agentsPath('Csv', sorting, { pageIndex: 2, pageSize: 25 }, 'external')).to.equal('/api/agents?q=Csv&typology=external&sort=fullName&order=desc&limit=25&offset=50');
  });
});

describe('Staff → Agents and Voice → Hot-desk phones (browser)', function () {
  this.timeout(120_000);
  let session: AdminSession;
  let node: TestNode;
  let admin: DesignerPage;

  const newAgent = async (overrides: Record<string, unknown>): Promise<Agent> => {
    const r = await node.client.post<Agent>('/api/agents', agentBody(overrides), node.adminToken);
    expect(r.status, r.text).to.equal(201);
    return r.body;
  };
  const agentNamed = async (username: string): Promise<Agent | undefined> =>
    (await node.client.get<Agent[]>(`/api/agents?q=${encodeURIComponent(username)}`, node.adminToken)).body.find((a) => a.username === username);
  const openAgents = async (page: Page, search: string) => {
    await page.goto('/admin/staff/agents');
    await page.getByTestId('agents-table').getByRole('searchbox').fill(search);
  };
  /** The error shown under the form field whose input has this accessible name. */
  const errorOf = (scope: Locator, name: string) => scope.locator('.field').filter({ has: scope.page().getByRole('textbox', { name, exact: true }) }).getByTestId('field-error');

  before(async function () {
    this.timeout(300_000);
    session = await startAdminSession();
    ({ node, admin } = session);
  });

  after(async () => {
    await session?.stop();
  });

  it('creates an agent with the form, after showing the server’s refusal next to the username', async () => {
    const page = admin.page;
    const taken = await newAgent({ username: `taken.${pid}`, fullName: 'Already Here' });
    const voiceQueue = await queue(node, { channel: 'voice', name: `Form queue ${pid}` });
    await openAgents(page, 'Form Agent');
    await page.getByRole('button', { name: 'New agent' }).click();
    const form = page.getByTestId('agent-form');
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Form Agent');
    await form.getByRole('textbox', { name: 'Username', exact: true }).fill(taken.username);
    await form.getByLabel('Password').fill('Form-Pass1');
    await form.getByLabel('Type').selectOption('external');
    await form.getByLabel('Hot-desking (picks a telephone at login)').check();
    await form.getByLabel('Capacity for chat').fill('3');
    await form.getByLabel('Auto-answer chat').check();
    await form.getByLabel('Auto-answer delay for chat, in seconds').fill('5');
    await form.getByLabel(`Form queue ${pid}`).check();
    await form.getByRole('button', { name: 'Create agent' }).click();

    // The browser's schema check passes; only the server knows the username is taken.
    await errorOf(form, 'Username').getByText('username is already taken').waitFor();
    expect(await form.getByRole('textbox', { name: 'Username', exact: true }).getAttribute('aria-invalid')).to.equal('true');
    expect(await agentNamed(`form.${pid}`)).to.equal(undefined);

    await form.getByRole('textbox', { name: 'Username', exact: true }).fill(`form.${pid}`);
    await form.getByRole('button', { name: 'Create agent' }).click();
    await page.getByTestId('agent-form-dialog').waitFor({ state: 'hidden' });
    const created = await eventually(() => agentNamed(`form.${pid}`), (a) => a !== undefined, 'the agent made by the form');
    expect(created).to.include({ fullName: 'Form Agent', typology: 'external', hotdesk: true });
    expect(created!.capacity.chat).to.equal(3);
    expect(created!.autoAnswer.chat).to.deep.equal({ enabled: true, delaySeconds: 5 });
    expect(created!.extension).to.match(/^[0-9]{2,10}$/);
    const queues = (await node.client.get<{ queueId: number }[]>(`/api/agents/${created!.id}/queues`, node.adminToken)).body;
    expect(queues.map((q) => q.queueId)).to.deep.equal([voiceQueue]);
    // The new agent signs in with the password the form gave.
    expect(await node.client.login(`form.${pid}`, 'Form-Pass1')).to.be.a('string');
    await page.getByTestId('agents-table').getByText('Form Agent').waitFor();
    expect(admin.errors).to.deep.equal([]);
  });

  it('refuses an edit made after someone else saved, then saves once reloaded, or over the other change', async () => {
    const page = admin.page;
    const edited = await newAgent({ fullName: `Edit Me ${pid}` });
    await openAgents(page, `Edit Me ${pid}`);
    await page.getByRole('button', { name: `Edit Edit Me ${pid}` }).click();
    const form = page.getByTestId('agent-form');
    const name = form.getByRole('textbox', { name: 'Name', exact: true });
    await eventually(() => name.inputValue(), (v) => v === `Edit Me ${pid}`, 'the form filled from the agent');

    // Someone else saves the agent while the form is open.
    const other = await node.client.patch(`/api/agents/${edited.id}`, { fullName: `Changed Elsewhere ${pid}` }, node.adminToken);
    expect(other.status, other.text).to.equal(200);

    await form.getByRole('textbox', { name: 'Alias' }).fill('Ally');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    const conflict = form.getByTestId('stale-edit');
    await conflict.waitFor();
    const afterRefusal = (await node.client.get<Agent>(`/api/agents/${edited.id}`, node.adminToken)).body;
    expect(afterRefusal).to.include({ fullName: `Changed Elsewhere ${pid}`, alias: null });

    // Reload: the form shows the other change, and a save from there goes through.
    await conflict.getByRole('button').first().click();
    await eventually(() => name.inputValue(), (v) => v === `Changed Elsewhere ${pid}`, 'the form reloaded with the other change');
    expect(await form.getByTestId('stale-edit').count()).to.equal(0);
    await form.getByRole('textbox', { name: 'Alias' }).fill('Ally');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('agent-form-dialog').waitFor({ state: 'hidden' });
    const saved = (await node.client.get<Agent>(`/api/agents/${edited.id}`, node.adminToken)).body;
    expect(saved).to.include({ fullName: `Changed Elsewhere ${pid}`, alias: 'Ally' });

    // Once more, and this time the person keeps theirs: overwrite saves the form over the other change.
    await openAgents(page, `Changed Elsewhere ${pid}`);
    await page.getByRole('button', { name: `Edit Changed Elsewhere ${pid}` }).click();
    await eventually(() => name.inputValue(), (v) => v === `Changed Elsewhere ${pid}`, 'the form filled again');
    const again = await node.client.patch(`/api/agents/${edited.id}`, { alias: 'Theirs' }, node.adminToken);
    expect(again.status, again.text).to.equal(200);
    await form.getByRole('textbox', { name: 'Alias' }).fill('Mine');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await form.getByTestId('stale-edit').getByRole('button').last().click();
    await page.getByTestId('agent-form-dialog').waitFor({ state: 'hidden' });
    expect((await node.client.get<Agent>(`/api/agents/${edited.id}`, node.adminToken)).body).to.include({ alias: 'Mine' });
    expect(admin.errors).to.deep.equal([]);
  });

  it('adds the selected agents to a queue and to a team', async () => {
    const page = admin.page;
    const a = await newAgent({ fullName: `Bulk A ${pid}` });
    const b = await newAgent({ fullName: `Bulk B ${pid}` });
    const left = await newAgent({ fullName: `Bulk C ${pid}` });
    const q = await queue(node, { name: `Bulk queue ${pid}` });
    const team = await node.client.post<{ id: number }>('/api/teams', { name: `Bulk team ${pid}` }, node.adminToken);
    expect(team.status, team.text).to.equal(201);
    // A member already there stays, with its penalty.
    const keep = await node.client.put(`/api/teams/${team.body.id}/agents`, { agentIds: [left.id] }, node.adminToken);
    expect(keep.status, keep.text).to.equal(200);

    await openAgents(page, `Bulk `);
    const table = page.getByTestId('agents-table');
    await table.getByText(`Bulk C ${pid}`).waitFor();
    await table.getByRole('checkbox', { name: `Select Bulk A ${pid}` }).check();
    await table.getByRole('checkbox', { name: `Select Bulk B ${pid}` }).check();
    const bulk = page.getByTestId('agents-bulk');
    await bulk.getByText('2 agents selected').waitFor();
    await bulk.getByLabel('Queue to add them to').selectOption({ label: `Bulk queue ${pid} (chat)` });
    await bulk.getByRole('button', { name: 'Add to queue' }).click();
    const members = await eventually(
      async () => (await node.client.get<{ agentId: number }[]>(`/api/queues/${q}/agents`, node.adminToken)).body.map((m) => m.agentId),
      (ids) => ids.length === 2,
      'both agents on the queue',
    );
    expect(members).to.have.members([a.id, b.id]);

    await bulk.getByLabel('Team to add them to').selectOption({ label: `Bulk team ${pid}` });
    await bulk.getByRole('button', { name: 'Add to team' }).click();
    const teamMembers = await eventually(
      async () => (await node.client.get<{ agentIds: number[] }>(`/api/teams/${team.body.id}`, node.adminToken)).body.agentIds,
      (ids) => ids.length === 3,
      'both agents in the team besides its member',
    );
    expect(teamMembers).to.have.members([a.id, b.id, left.id]);
    expect(admin.errors).to.deep.equal([]);
  });

  it('exports the listed agents as CSV: the search, the type filter and the order', async () => {
    const page = admin.page;
    await newAgent({ fullName: `Csv Gamma ${pid}`, typology: 'external' });
    await newAgent({ fullName: `Csv Beta ${pid}`, typology: 'webrtc' });
    await newAgent({ fullName: `Csv Alpha ${pid}`, typology: 'external' });
    await newAgent({ fullName: `Other External ${pid}`, typology: 'external' });
    await openAgents(page, `Csv `);
    await page.getByRole('combobox', { name: 'Type' }).selectOption('external');
    const table = page.getByTestId('agents-table');
    await table.getByRole('button', { name: 'Name', exact: true }).click();
    const names = () => table.locator('tbody tr[data-testid="data-row"]').allTextContents();
    await eventually(names, (rows) => rows.length === 2 && rows[0]!.includes('Csv Alpha') && rows[1]!.includes('Csv Gamma'), 'the filtered list in name order');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).to.equal('agents.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r\n/);
    expect(lines[0]).to.match(/^"id","fullName","username"/);
    expect(lines.slice(1).map((l) => /^"\d+","([^"]*)"/.exec(l)?.[1])).to.deep.equal([`Csv Alpha ${pid}`, `Csv Gamma ${pid}`]);
    expect(admin.errors).to.deep.equal([]);
  });

  it('adds and deletes hot-desk telephones', async () => {
    const page = admin.page;
    const phoneName = `desk-${pid}`;
    await page.goto('/admin');
    await page.getByTestId('admin-nav').getByRole('link', { name: 'Hot-desk phones' }).click();
    await page.getByRole('heading', { name: 'Hot-desk phones' }).waitFor();
    const form = page.getByRole('form', { name: 'Add telephone' });
    const name = form.getByRole('textbox', { name: 'Endpoint name' });

    // A name that is no PJSIP endpoint is refused in the browser with the API's own words.
    await name.fill('desk 1!');
    await form.getByRole('button', { name: 'Add' }).click();
    await errorOf(form, 'Endpoint name').getByText('must be the PJSIP endpoint name').waitFor();

    await name.fill(phoneName);
    await form.getByRole('textbox', { name: 'Description' }).fill('Second floor');
    await form.getByRole('button', { name: 'Add' }).click();
    const table = page.getByTestId('hotdesk-phones-table');
    await table.getByText(phoneName).waitFor();
    const phones = async () => (await node.client.get<{ id: number; name: string; description: string | null }[]>('/api/phones', node.adminToken)).body;
    expect((await phones()).find((p) => p.name === phoneName)).to.include({ description: 'Second floor' });

    // The same name again: the server's refusal lands next to the field.
    await name.fill(phoneName);
    await form.getByRole('button', { name: 'Add' }).click();
    await errorOf(form, 'Endpoint name').getByText('a telephone with this name already exists').waitFor();

    await table.getByRole('button', { name: `Delete ${phoneName}` }).click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Delete' }).click();
    await table.getByText(phoneName).waitFor({ state: 'detached' });
    expect((await phones()).map((p) => p.name)).not.to.include(phoneName);
    expect(admin.errors).to.deep.equal([]);
  });

  it('has no serious or critical accessibility violations on the agents list, its form and the telephones', async () => {
    const page = admin.page;
    await openAgents(page, `Bulk `);
    await page.getByTestId('agents-table').getByRole('checkbox', { name: `Select Bulk A ${pid}` }).check();
    await page.getByTestId('agents-bulk').waitFor();
    expect(await seriousViolations(page), 'agents list with a selection').to.deep.equal([]);
    await page.getByRole('button', { name: 'New agent' }).click();
    await page.getByTestId('agent-form').waitFor();
    expect(await seriousViolations(page), 'new agent form').to.deep.equal([]);
    await page.keyboard.press('Escape');
    await page.goto('/admin/voice/hotdesk-phones');
    await page.getByRole('heading', { name: 'Hot-desk phones' }).waitFor();
    expect(await seriousViolations(page), 'hot-desk phones').to.deep.equal([]);
  });
});
