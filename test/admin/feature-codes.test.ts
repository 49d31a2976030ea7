// Tools → Feature codes in a real browser against a real node: the codes loaded from the settings,
// a clash refused by the server and shown next to the field that caused it, a change saved (only
// the code that changed is sent), the help saying where the in-call codes do not apply, a save
// made elsewhere meanwhile reported (reload theirs, or overwrite with mine), and a
// supervisor with read-only settings seeing the codes without being able to change them. Axe finds
// nothing serious or critical.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEFAULT_FEATURE_CODES, type FeatureCodes } from '../../contracts/feature-codes.ts';
import type { TestNode } from '../support/tandem.ts';
import { artifact, openPage, signIn, type DesignerPage } from '../designer/harness.ts';
import { seriousViolations, startAdminSession, type AdminSession } from './harness.ts';
import { eventually } from '../support/eventually.ts';

const READER = { username: `sup.codes.${process.pid}`, password: 'Read-Sup3rvisor' };
const nav = (page: Page) => page.getByTestId('admin-nav');

describe('tools: feature codes (browser)', function () {
  this.timeout(180_000);
  let session: AdminSession;
  let node: TestNode;
  let admin: DesignerPage;

  before(async function () {
    this.timeout(300_000);
    session = await startAdminSession({
      beforeSignIn: async (started) => {
        const reader = await started.client.post('/api/users', { role: 'supervisor', username: READER.username, fullName: 'Rita Reader', password: READER.password, permissions: { settings: 'read' } }, started.adminToken);
        expect(reader.status, reader.text).to.equal(201);
      },
    });
    ({ node, admin } = session);
  });
  after(async () => {
    await session?.stop();
  });

  const stored = async () => (await node.client.get<{ featureCodes: FeatureCodes }>('/api/settings', node.adminToken)).body.featureCodes;

  it('edits the codes, with the server’s refusal next to the code that clashes', async () => {
    const page = admin.page;
    await nav(page).getByRole('link', { name: 'Feature codes', exact: true }).click();
    await page.getByRole('heading', { name: 'Feature codes', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/admin/tools/feature-codes');
    const pause = page.getByRole('textbox', { name: 'Agent pause' });
    await eventually(() => pause.inputValue(), (v) => v === DEFAULT_FEATURE_CODES.agentPause, 'the stored code in the form');
    expect(await page.getByRole('textbox', { name: 'Listen to an agent' }).inputValue()).to.equal('*222');
    expect(await page.getByRole('textbox', { name: 'Blind transfer' }).inputValue()).to.equal(DEFAULT_FEATURE_CODES.blindTransfer);
    // Said, not pretended: queue calls get none of the in-call codes.
    expect(await page.getByTestId('in-call-limit').textContent()).to.contain('Queue calls');

    // *4 is the beginning of the login code *45: refused by the server, next to the pause code.
    await pause.fill('*4');
    await page.getByRole('button', { name: 'Save feature codes' }).click();
    const clash = page.getByTestId('field-error').filter({ hasText: 'agentLogin' });
    await clash.waitFor();
    expect(await pause.getAttribute('aria-invalid')).to.equal('true');
    expect(await pause.getAttribute('aria-describedby')).to.contain(await clash.getAttribute('id'));
    expect((await stored()).agentPause).to.equal(DEFAULT_FEATURE_CODES.agentPause);
    expect(await seriousViolations(page)).to.deep.equal([]);

    await pause.fill('#9');
    await page.getByRole('button', { name: 'Save feature codes' }).click();
    await eventually(stored, (c) => c.agentPause === '#9', 'the code saved');
    expect(await stored()).to.deep.equal({ ...DEFAULT_FEATURE_CODES, agentPause: '#9' });
    await eventually(() => clash.count(), (n) => n === 0, 'the error gone');
    await page.screenshot({ path: artifact('admin-feature-codes.png'), fullPage: true });
    expect(admin.errors).to.deep.equal([]);
  });

  it('reports a save someone else made meanwhile, and reloads theirs or overwrites it', async () => {
    const page = admin.page;
    const pickup = page.getByRole('textbox', { name: 'Directed call pickup' });
    const login = page.getByRole('textbox', { name: 'Agent login' });
    const someoneElse = async (codes: Partial<FeatureCodes>) => expect((await node.client.patch('/api/settings', { featureCodes: codes }, node.adminToken)).status).to.equal(200);

    await someoneElse({ agentLogin: '*40' });
    await pickup.fill('*6');
    await page.getByRole('button', { name: 'Save feature codes' }).click();
    const stale = page.getByTestId('stale-edit');
    await stale.waitFor();
    expect((await stored()).pickup).to.equal('*8');
    expect(await seriousViolations(page)).to.deep.equal([]);
    await stale.getByRole('button', { name: 'Reload their version' }).click();
    await eventually(() => login.inputValue(), (v) => v === '*40', 'their code in the form');
    expect(await pickup.inputValue()).to.equal('*8');

    await someoneElse({ agentLogin: '*41' });
    await pickup.fill('*6');
    await page.getByRole('button', { name: 'Save feature codes' }).click();
    await stale.waitFor();
    await stale.getByRole('button', { name: 'Overwrite with mine' }).click();
    await eventually(stored, (c) => c.pickup === '*6', 'my code saved');
    // Only what I changed was sent: their change stays.
    expect((await stored()).agentLogin).to.equal('*41');
    await someoneElse({ pickup: '*8', agentLogin: DEFAULT_FEATURE_CODES.agentLogin });
    expect(admin.errors).to.deep.equal([]);
  });

  it('shows a supervisor with read-only settings the codes, without a way to change them', async () => {
    const reader = await openPage(session.browser, node.tandem.url);
    try {
      await signIn(reader.page, READER.username, READER.password, { heading: 'Home' });
      await reader.page.goto('/admin/tools/feature-codes');
      await reader.page.getByRole('heading', { name: 'Feature codes', level: 1 }).waitFor();
      const pause = reader.page.getByRole('textbox', { name: 'Agent pause' });
      await eventually(() => pause.inputValue(), (v) => v === '#9', 'the stored code shown');
      expect(await pause.isEditable()).to.equal(false);
      expect(await reader.page.getByRole('button', { name: 'Save feature codes' }).count()).to.equal(0);
      await reader.page.getByText('Only accounts with the edit permission on settings change them.').waitFor();
      expect(await seriousViolations(reader.page)).to.deep.equal([]);
      expect(reader.errors).to.deep.equal([]);
    } finally {
      await reader.close();
    }
  });
});
