// A user's own preferences from the header: the dialog (axe-checked), saved through the API, and every
// date on the page written at once in the chosen time zone and format, and still after a reload.
import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { okBody } from '../support/tandem.ts';
import { adminSessionForSuite, seriousViolations } from './harness.ts';

interface AuditEntry {
  id: number;
  action: string;
  at: string;
}

/** How the browser itself writes this instant with the app's date format, in `timeZone` (undefined: its own). */
const browserFormat = (page: Page, at: string, locale: string | undefined, timeZone: string | undefined) =>
  page.evaluate(
    ([iso, loc, zone]) => new Intl.DateTimeFormat(loc ?? navigator.language, { dateStyle: 'medium', timeStyle: 'short', ...(zone ? { timeZone: zone } : {}) }).format(new Date(iso!)),
    [at, locale, timeZone] as const,
  );

/** Waits until the element's own text is exactly `text`. */
const shows = (element: Locator, text: string) => element.filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).waitFor();

describe('user preferences (browser)', function () {
  this.timeout(180_000);
  const session = adminSessionForSuite();

  it('shows dates in the time zone and format chosen in the Preferences dialog', async () => {
    const { page, node, admin } = session();
    const [login] = okBody(await node.client.get<AuditEntry[]>('/api/audit?action=login&limit=1', node.adminToken));
    expect(login).to.not.equal(undefined);

    await page.goto(`${node.tandem.url}/admin/tools/audit`);
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    const table = page.getByTestId('audit-table');
    const loginRow = table.getByTestId('data-row').filter({ hasText: `user:${okBody(await node.client.get<{ id: number }>('/api/me', node.adminToken)).id}` }).filter({ has: page.locator('td', { hasText: /^login$/ }) }).first();
    // The first column of the row is the date (a row header).
    const when = loginRow.locator('th, td').first();
    const before = await browserFormat(page, login!.at, undefined, undefined);
    await shows(when, before);

    // Kiritimati is UTC+14: no machine running this test shares its wall clock.
    const zone = 'Pacific/Kiritimati';
    const after = await browserFormat(page, login!.at, 'en-GB', zone);
    expect(after).to.not.equal(before);

    await page.getByRole('button', { name: 'Preferences' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your preferences' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);
    await dialog.getByRole('combobox', { name: 'Time zone' }).selectOption(zone);
    await dialog.getByRole('combobox', { name: 'Date and number format' }).selectOption('en-GB');
    await dialog.getByRole('combobox', { name: 'Language' }).selectOption('en');
    await dialog.getByRole('button', { name: 'Save preferences' }).click();
    await dialog.waitFor({ state: 'detached' });

    await shows(when, after);
    const me = okBody(await node.client.get<{ preferences: unknown }>('/api/me', node.adminToken));
    expect(me.preferences).to.deep.equal({ language: 'en', locale: 'en-GB', timeZone: zone });

    await page.reload();
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    await shows(when, after);

    // The dialog opens on what is saved; by keyboard it closes with Escape.
    await page.getByRole('button', { name: 'Preferences' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await dialog.getByRole('combobox', { name: 'Time zone' }).inputValue()).to.equal(zone);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(admin.errors).to.deep.equal([]);
  });
});
