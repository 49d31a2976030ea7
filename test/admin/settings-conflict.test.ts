// Tools → Settings after someone else saved first: the save is refused and said so, with reload
// (their settings in the form) or overwrite (mine saved over theirs); a value the API's schema
// refuses is named next to its field before anything is sent.
import { expect } from 'chai';
import { okBody } from '../support/tandem.ts';
import { eventually } from '../support/eventually.ts';
import { adminSessionForSuite, seriousViolations } from './harness.ts';

interface Settings {
  maxFailedLogins: number;
  maxOpenTabs: number;
}

describe('settings: concurrent edits (browser)', function () {
  this.timeout(180_000);
  const session = adminSessionForSuite();

  it('reports a stale save, then reloads theirs or overwrites with mine', async () => {
    const { page, node, admin } = session();
    const settings = async () => okBody(await node.client.get<Settings>('/api/settings', node.adminToken));
    const someoneElse = async (body: Partial<Settings>) => okBody(await node.client.patch('/api/settings', body, node.adminToken));

    await page.goto(`${node.tandem.url}/admin/tools/settings`);
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    const failed = page.getByRole('textbox', { name: 'Failed sign-ins before an account locks (0: never)' });
    const tabs = page.getByRole('textbox', { name: 'Interactions an agent may have open at once (0: no limit)' });
    await eventually(() => failed.inputValue(), (v) => v === '5', 'the stored value in the form');

    // Checked in the browser against the API's schema: nothing is sent.
    await failed.fill('-1');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByTestId('field-error').first().waitFor();
    expect(await failed.getAttribute('aria-invalid')).to.equal('true');

    await someoneElse({ maxOpenTabs: 3 });
    await failed.fill('7');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const stale = page.getByTestId('stale-edit');
    await stale.waitFor();
    expect((await settings()).maxFailedLogins).to.equal(5);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await stale.getByRole('button', { name: 'Overwrite with mine' }).click();
    await stale.waitFor({ state: 'detached' });
    await eventually(settings, (s) => s.maxFailedLogins === 7, 'my value saved');
    // Only what I changed was sent: their change stays.
    expect((await settings()).maxOpenTabs).to.equal(3);

    await someoneElse({ maxOpenTabs: 4 });
    await failed.fill('8');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await stale.waitFor();
    await stale.getByRole('button', { name: 'Reload their version' }).click();
    await eventually(() => tabs.inputValue(), (v) => v === '4', 'their value in the form');
    expect(await failed.inputValue()).to.equal('7');
    expect((await settings()).maxFailedLogins).to.equal(7);

    // After the reload the next save goes through.
    await tabs.fill('6');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await eventually(settings, (s) => s.maxOpenTabs === 6, 'the save after reloading');
    expect(admin.errors).to.deep.equal([]);
  });
});
