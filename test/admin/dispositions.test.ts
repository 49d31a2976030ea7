// Tools → Dispositions in the browser, against a real node: a name the API's schema refuses is marked
// next to its field before anything is sent; three levels built with "Add below" (none offered at the
// third); siblings reordered from the keyboard; a rename; the website filter in the address with a
// disposition added there; a delete whose confirmation says how many go with it; axe finds nothing
// serious or critical.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { okBody, type TestNode } from '../support/tandem.ts';
import { seriousViolations, startAdminSession, type AdminSession } from './harness.ts';
import { eventually } from '../support/eventually.ts';
import { queue as newQueue } from '../support/world.ts';
import type { Disposition } from '../../contracts/dispositions.ts';

describe('administration: Tools → Dispositions (browser)', function () {
  this.timeout(180_000);
  let session: AdminSession;
  let node: TestNode;
  let page: Page;

  const catalogue = async (query = '') => okBody(await node.client.get<Disposition[]>(`/api/dispositions${query}`, node.adminToken));
  const paths = async (query = '') => (await catalogue(query)).map((d) => d.path);

  before(async function () {
    this.timeout(300_000);
    session = await startAdminSession();
    ({ node, page } = session);
  });
  after(async () => {
    await session?.stop();
  });

  async function addWith(button: string, name: string) {
    await page.getByRole('button', { name: button, exact: true }).click();
    const dialog = page.getByTestId('disposition-dialog');
    await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  it('builds a three-level tree, reorders from the keyboard, renames, filters by website and deletes with the children', async () => {
    const queueId = await newQueue(node, { name: `Support-${process.pid}` });
    const site = okBody(await node.client.post<{ id: number }>('/api/chat/websites', { name: 'Shop', queueId }, node.adminToken), 201);

    await page.getByTestId('admin-nav').getByRole('link', { name: 'Dispositions', exact: true }).click();
    await page.getByRole('heading', { name: 'Dispositions', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/admin/tools/dispositions');

    // A slash is refused by the shared schema, next to the field, before anything is sent.
    await page.getByRole('button', { name: 'Add disposition' }).click();
    const dialog = page.getByTestId('disposition-dialog');
    const name = dialog.getByRole('textbox', { name: 'Name' });
    await name.fill('Sale/Big');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await eventually(() => name.getAttribute('aria-invalid'), (v) => v === 'true', 'the name to be marked invalid');
    expect(await dialog.getByTestId('field-error').first().textContent()).to.contain('must not contain /');
    expect(await paths()).to.deep.equal([]);
    await name.fill('Sale');
    expect(await dialog.getByLabel('Scope').inputValue()).to.equal('global');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    await addWith('Add a disposition below Sale', 'Upgrade');
    await addWith('Add a disposition below Sale / Upgrade', 'Annual');
    await addWith('Add disposition', 'Callback');
    await eventually(() => paths(), (p) => p.length === 4, 'four dispositions');
    expect(await paths()).to.deep.equal(['Sale', 'Sale / Upgrade', 'Sale / Upgrade / Annual', 'Callback']);
    // The third level takes no child.
    await page.getByRole('button', { name: 'Rename Sale / Upgrade / Annual' }).waitFor();
    expect(await page.getByRole('button', { name: 'Add a disposition below Sale / Upgrade / Annual' }).count()).to.equal(0);

    // Reorder from the keyboard: focus "Move Callback up" and press Enter.
    await page.getByRole('button', { name: 'Move Callback up', exact: true }).focus();
    await page.keyboard.press('Enter');
    await eventually(() => paths(), (p) => p[0] === 'Callback', 'Callback first');

    await page.getByRole('button', { name: 'Rename Sale / Upgrade', exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Upsell');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => paths(), (p) => p.includes('Sale / Upsell / Annual'), 'the renamed path');

    // The website filter lives in the address (the website editor links there); a new one takes it.
    await page.getByLabel('Show', { exact: true }).selectOption('website');
    await page.getByLabel('Website', { exact: true }).selectOption(String(site.id));
    await eventually(async () => new URL(page.url()).search, (s) => s === `?scope=website&websiteId=${site.id}`, 'the filter in the address');
    await addWith('Add disposition', 'Solved');
    await eventually(() => paths(`?scope=website&websiteId=${site.id}`), (p) => p.length === 1, 'the website disposition');
    expect(await page.getByTestId('dispositions-table').getByText('Sale', { exact: true }).count()).to.equal(0);
    await page.getByTestId('dispositions-table').getByText('Solved', { exact: true }).waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);

    // Back to every scope; delete Sale, whose confirmation counts what goes with it.
    await page.getByLabel('Show', { exact: true }).selectOption('');
    await page.getByRole('button', { name: 'Delete Sale', exact: true }).click();
    const confirm = page.getByTestId('confirm-dialog');
    expect(await confirm.getByTestId('disposition-children').textContent()).to.equal('The 2 dispositions below it are deleted with it.');
    expect(await seriousViolations(page)).to.deep.equal([]);
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await confirm.waitFor({ state: 'detached' });
    await eventually(() => paths(), (p) => p.length === 2, 'Sale and its children gone');
    expect(await paths()).to.deep.equal(['Callback', 'Solved']);
  });
});
