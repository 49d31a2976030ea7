// Staff → Users, Teams and Service users & API keys in a real browser against a real node
// (PostgreSQL, the built app): a supervisor created with a permission grid and the queues they are
// enabled on, the server's refusals shown next to their fields, a concurrent edit caught by If-Match
// (reload shows the other save, overwrite keeps ours), a locked user unlocked, a team created with
// members and deleted after listing the queue that uses it, an API key whose secret is shown once
// (then only its prefix), rotated (the old secret refused at once) and revoked; axe finds nothing
// serious or critical.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { AccountView } from '../../contracts/api.ts';
import { agentBody, okBody, type TestNode } from '../support/tandem.ts';
import { artifact, type DesignerPage } from '../designer/harness.ts';
import { seriousViolations, startAdminSession, type AdminSession } from './harness.ts';
import { eventually } from '../support/eventually.ts';
import { queue } from '../support/world.ts';

interface Team {
  id: number;
  name: string;
  agentIds: number[];
}
interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  revokedAt: string | null;
}

const SUFFIX = process.pid;

describe('administration: Staff users, teams and API keys (browser)', function () {
  this.timeout(120_000);
  let session: AdminSession;
  let node: TestNode;
  let admin: DesignerPage;
  let page: Page;

  const users = async () => okBody(await node.client.get<AccountView[]>('/api/users?limit=1000', node.adminToken));
  const userNamed = async (username: string) => (await users()).find((u) => u.username === username);
  const dialogOf = (testId: string) => page.getByTestId(testId);

  before(async function () {
    this.timeout(300_000);
    session = await startAdminSession();
    ({ node, admin, page } = session);
  });

  after(async () => {
    await session?.stop();
  });

  it('creates a supervisor with a permission grid and queues, showing the server’s refusals next to their fields', async () => {
    const sales = await queue(node, { channel: 'voice', name: `Sales ${SUFFIX}` });
    const support = await queue(node, { channel: 'voice', name: `Support ${SUFFIX}` });
    okBody(await node.client.post('/api/users', { role: 'supervisor', username: `taken.${SUFFIX}`, fullName: 'Taken Name', password: 'Taken-Pass1!' }, node.adminToken), 201);

    await page.getByTestId('admin-nav').getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/admin/staff/users');
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = dialogOf('user-dialog');
    const username = dialog.getByRole('textbox', { name: 'Username' });
    const password = dialog.locator('input[name="password"]');
    await dialog.getByRole('combobox', { name: 'Role' }).selectOption('supervisor');
    await username.fill(`taken.${SUFFIX}`);
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Sue Pervisor');
    // The shared schema accepts a short password; only the server knows the password rules.
    await password.fill('short');
    const grid = dialog.getByTestId('permission-grid');
    await grid.getByRole('radio', { name: 'Voice: Read and edit', exact: true }).check();
    await grid.getByRole('radio', { name: 'Realtime: Read', exact: true }).check();
    await grid.getByRole('radio', { name: 'Staff (agents, teams): Read', exact: true }).check();
    const queues = dialog.getByTestId('supervisor-queues');
    await queues.getByRole('checkbox', { name: `Sales ${SUFFIX} (voice)` }).check();
    await queues.getByRole('checkbox', { name: `Support ${SUFFIX} (voice)` }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    const weak = dialog.getByTestId('field-error').filter({ hasText: 'must be at least 8 characters' });
    await weak.waitFor();
    expect(await password.getAttribute('aria-describedby')).to.contain(await weak.getAttribute('id'));
    expect(await password.getAttribute('aria-invalid')).to.equal('true');

    await password.fill('Sup3rvisor-Pass!');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const taken = dialog.getByTestId('field-error').filter({ hasText: 'username is already taken' });
    await taken.waitFor();
    expect(await username.getAttribute('aria-describedby')).to.contain(await taken.getAttribute('id'));
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.screenshot({ path: artifact('admin-users-form.png'), fullPage: true });

    await username.fill(`sue.${SUFFIX}`);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const table = page.getByTestId('users-table');
    await table.getByRole('cell', { name: 'Sue Pervisor', exact: true }).waitFor();
    const sue = await userNamed(`sue.${SUFFIX}`);
    expect(sue?.role).to.equal('supervisor');
    expect(sue?.permissions).to.deep.equal({ voice: 'read-edit', realtime: 'read', staff: 'read' });
    expect(okBody(await node.client.get<{ queueIds: number[] }>(`/api/users/${sue!.id}/queues`, node.adminToken)).queueIds).to.deep.equal([sales, support].sort((a, b) => a - b));
    // The supervisor signs in with the password given.
    expect(await node.client.login(`sue.${SUFFIX}`, 'Sup3rvisor-Pass!')).to.be.a('string');
    expect(await seriousViolations(page)).to.deep.equal([]);
    expect(admin.errors).to.deep.equal([]);
  });

  it('catches a concurrent edit: reload shows the other save, overwrite keeps ours', async () => {
    const created = okBody(await node.client.post<AccountView>('/api/users', { role: 'supervisor', username: `race.${SUFFIX}`, fullName: 'Rae Original', password: 'Race-Pass1!', permissions: { reports: 'read' } }, node.adminToken), 201);
    await page.goto('/admin/staff/users');
    const table = page.getByTestId('users-table');
    await table.getByRole('button', { name: 'Edit Rae Original' }).click();
    const dialog = dialogOf('user-dialog');
    const name = dialog.getByRole('textbox', { name: 'Name', exact: true });
    await eventually(() => name.inputValue(), (v) => v === 'Rae Original', 'the form to show the user as read');

    // Someone else saves while the form is open.
    okBody(await node.client.patch(`/api/users/${created.id}`, { fullName: 'Rae From The API' }, node.adminToken));
    await name.fill('Rae From The Page');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const notice = dialog.getByTestId('stale-edit');
    await notice.waitFor();
    expect((await userNamed(`race.${SUFFIX}`))?.fullName).to.equal('Rae From The API');
    expect(await seriousViolations(page)).to.deep.equal([]);

    // Reload: the form shows what the other person saved, and the notice goes.
    await notice.getByRole('button', { name: /reload/i }).click();
    await eventually(() => name.inputValue(), (v) => v === 'Rae From The API', 'the form to show the other save');
    expect(await notice.count()).to.equal(0);

    // Changed again behind the form's back; this time ours is kept over it.
    okBody(await node.client.patch(`/api/users/${created.id}`, { description: 'changed by the API' }, node.adminToken));
    await name.fill('Rae Kept');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await notice.waitFor();
    await notice.getByRole('button', { name: /overwrite/i }).click();
    await dialog.waitFor({ state: 'detached' });
    await table.getByRole('cell', { name: 'Rae Kept', exact: true }).waitFor();
    expect((await userNamed(`race.${SUFFIX}`))?.fullName).to.equal('Rae Kept');
    expect(admin.errors).to.deep.equal([]);
  });

  it('unlocks a locked user, and disables one after listing what it still oversees', async () => {
    const locked = okBody(await node.client.post<AccountView>('/api/users', { role: 'supervisor', username: `lock.${SUFFIX}`, fullName: 'Lok Ked', password: 'Lock-Pass1!' }, node.adminToken), 201);
    okBody(await node.client.patch(`/api/users/${locked.id}`, { locked: true }, node.adminToken));
    expect((await node.client.post('/api/auth/login', { username: `lock.${SUFFIX}`, password: 'Lock-Pass1!' })).status).to.not.equal(200);
    const oversees = await queue(node, { channel: 'voice', name: `Overseen ${SUFFIX}` });
    okBody(await node.client.put(`/api/users/${locked.id}/queues`, { queueIds: [oversees] }, node.adminToken));

    await page.goto('/admin/staff/users');
    const table = page.getByTestId('users-table');
    const row = table.locator('tr', { has: page.getByRole('cell', { name: 'Lok Ked', exact: true }) });
    await row.getByText('Locked', { exact: true }).waitFor();
    await table.getByRole('button', { name: 'Unlock Lok Ked' }).click();
    await row.getByText('Active', { exact: true }).waitFor();
    expect((await userNamed(`lock.${SUFFIX}`))?.locked).to.equal(false);
    expect(await node.client.login(`lock.${SUFFIX}`, 'Lock-Pass1!')).to.be.a('string');

    await table.getByRole('button', { name: 'Disable Lok Ked' }).click();
    const confirm = page.getByTestId('confirm-dialog');
    await confirm.getByTestId('confirm-dependents').getByText(`Queue Overseen ${SUFFIX} — supervised by this user`).waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);
    await confirm.getByRole('button', { name: 'Disable', exact: true }).click();
    await row.getByText('Disabled', { exact: true }).waitFor();
    expect((await userNamed(`lock.${SUFFIX}`))?.disabled).to.equal(true);
    expect(admin.errors).to.deep.equal([]);
  });

  it('creates a team with members and deletes it after listing the queue that uses it', async () => {
    const ann = okBody(await node.client.post<{ id: number }>('/api/agents', agentBody({ fullName: `Ann Member ${SUFFIX}` }), node.adminToken), 201);
    const bob = okBody(await node.client.post<{ id: number }>('/api/agents', agentBody({ fullName: `Bob Member ${SUFFIX}` }), node.adminToken), 201);
    okBody(await node.client.post('/api/agents', agentBody({ fullName: `Cid Outsider ${SUFFIX}` }), node.adminToken), 201);

    await page.getByTestId('admin-nav').getByRole('link', { name: 'Teams', exact: true }).click();
    await page.getByRole('heading', { name: 'Teams', exact: true }).waitFor();
    await page.getByRole('button', { name: 'New team' }).click();
    const dialog = dialogOf('team-dialog');
    // An empty name is refused in the browser by the API's own schema.
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByTestId('field-error').filter({ hasText: 'must not be empty' }).waitFor();
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(`Night shift ${SUFFIX}`);
    const members = dialog.getByTestId('team-members');
    // The picker searches the server; the keyboard picks (arrows, Enter), a click too.
    const picker = members.getByRole('combobox', { name: 'Add a member' });
    await picker.fill(`Member ${SUFFIX}`);
    await members.getByRole('option', { name: new RegExp(`Bob Member ${SUFFIX}`) }).waitFor();
    expect(await members.getByRole('option', { name: /Cid Outsider/ }).count()).to.equal(0);
    await picker.press('Enter');
    await members.getByTestId('team-member').filter({ hasText: `Ann Member ${SUFFIX}` }).waitFor();
    await picker.fill(`Bob Member ${SUFFIX}`);
    await members.getByRole('option', { name: new RegExp(`Bob Member ${SUFFIX}`) }).click();
    await members.getByTestId('team-member').filter({ hasText: `Bob Member ${SUFFIX}` }).waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const table = page.getByTestId('teams-table');
    await table.getByRole('cell', { name: `Night shift ${SUFFIX}`, exact: true }).waitFor();
    const teams = okBody(await node.client.get<Team[]>('/api/teams', node.adminToken));
    const team = teams.find((x) => x.name === `Night shift ${SUFFIX}`);
    expect(team?.agentIds).to.deep.equal([ann.id, bob.id].sort((a, b) => a - b));

    // A second team with the name is refused by the server, next to the name.
    await page.getByRole('button', { name: 'New team' }).click();
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(`Night shift ${SUFFIX}`);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByTestId('field-error').filter({ hasText: 'a team with this name already exists' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Deleting lists the queue that routes to the team first.
    const nightQueue = `Nights ${SUFFIX}`;
    const queueId = await queue(node, { channel: 'voice', name: nightQueue });
    okBody(await node.client.post(`/api/queues/${queueId}/teams`, { teamId: team!.id }, node.adminToken));
    await table.getByRole('button', { name: `Delete Night shift ${SUFFIX}` }).click();
    const confirm = page.getByTestId('confirm-dialog');
    await confirm.getByTestId('confirm-dependents').getByText(`Queue ${nightQueue} — team on the queue (penalty 0)`).waitFor();
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await table.getByText('Nothing to show.').waitFor();
    expect(okBody(await node.client.get<Team[]>('/api/teams', node.adminToken))).to.deep.equal([]);
    expect(admin.errors).to.deep.equal([]);
  });

  it('issues an API key whose secret is shown once, then only its prefix, rotates it and revokes it', async () => {
    await admin.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByTestId('admin-nav').getByRole('link', { name: 'Service users & API keys', exact: true }).click();
    await page.getByRole('heading', { name: 'Service users & API keys', exact: true }).waitFor();
    await page.getByText('No service user yet: add one to issue keys.').waitFor();
    await page.getByRole('textbox', { name: 'Username' }).fill(`crm.${SUFFIX}`);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('CRM bridge');
    await page.getByRole('button', { name: 'Add service user' }).click();
    await page.getByRole('heading', { name: 'Keys of CRM bridge' }).waitFor();
    const service = await userNamed(`crm.${SUFFIX}`);
    expect(service?.role).to.equal('service');
    // What the key may do is the user's permissions (Staff → Users); here, reading teams.
    okBody(await node.client.patch(`/api/users/${service!.id}`, { permissions: { staff: 'read' } }, node.adminToken));

    await page.getByRole('textbox', { name: 'Key name' }).fill('Nightly sync');
    await page.getByRole('button', { name: 'Issue key' }).click();
    const shown = dialogOf('api-key-secret');
    await shown.getByText('it will not be shown again').waitFor();
    const key = await shown.getByTestId('api-key-value').inputValue();
    expect(key).to.match(/^tdk_[0-9a-f]{12}_/);
    await shown.getByRole('button', { name: 'Copy' }).click();
    await shown.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(key);
    expect(await seriousViolations(page)).to.deep.equal([]);
    // The key works.
    expect((await node.client.get('/api/teams', key)).status).to.equal(200);
    await shown.getByRole('button', { name: 'I have copied it' }).click();
    await shown.waitFor({ state: 'detached' });

    // From now on only the prefix: not in the table, not anywhere in the page.
    const keys = okBody(await node.client.get<ApiKey[]>(`/api/users/${service!.id}/api-keys`, node.adminToken));
    expect(keys.map((k) => k.name)).to.deep.equal(['Nightly sync']);
    const table = page.getByTestId('api-keys-table');
    await table.getByText(`tdk_${keys[0]!.prefix}_…`).waitFor();
    const secret = key.slice(`tdk_${keys[0]!.prefix}_`.length);
    expect(await page.content()).to.not.contain(secret);
    await page.reload();
    await table.getByText(`tdk_${keys[0]!.prefix}_…`).waitFor();
    expect(await page.content()).to.not.contain(secret);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.screenshot({ path: artifact('admin-api-keys.png'), fullPage: true });

    // Rotating shows the new secret once; the old one stops working at once.
    await table.getByRole('button', { name: 'Rotate Nightly sync' }).click();
    const confirm = page.getByTestId('confirm-dialog');
    await confirm.getByRole('button', { name: 'Rotate', exact: true }).click();
    await shown.getByText('it will not be shown again').waitFor();
    const rotated = await shown.getByTestId('api-key-value').inputValue();
    expect(rotated).to.match(/^tdk_[0-9a-f]{12}_/);
    expect(rotated).to.not.equal(key);
    await shown.getByRole('button', { name: 'I have copied it' }).click();
    expect((await node.client.get('/api/teams', key)).status).to.equal(401);
    expect((await node.client.get('/api/teams', rotated)).status).to.equal(200);
    await eventually(() => table.getByText('Revoked', { exact: true }).count(), (n) => n === 1, 'the rotated-out key to show as revoked');

    await table.getByRole('button', { name: 'Revoke Nightly sync' }).click();
    await confirm.getByRole('button', { name: 'Revoke', exact: true }).click();
    await eventually(() => table.getByText('Revoked', { exact: true }).count(), (n) => n === 2, 'both keys to show as revoked');
    expect(await table.getByRole('button', { name: 'Revoke Nightly sync' }).count()).to.equal(0);
    expect((await node.client.get('/api/teams', rotated)).status).to.equal(401);
    const after = okBody(await node.client.get<ApiKey[]>(`/api/users/${service!.id}/api-keys`, node.adminToken));
    expect(after.map((k) => typeof k.revokedAt)).to.deep.equal(['string', 'string']);
    expect(admin.errors).to.deep.equal([]);
  });
});
