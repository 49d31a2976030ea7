// Chat → Websites, Tools → Settings and Tools → Audit trail in a real browser against a real node:
// a website is created, its colour changed with the widget's own code redrawing the preview at once,
// its snippet (with the website key) copied; a wrong origin and a wrong setting come back from the
// server next to their fields; the audit trail filtered down to the website's creation; axe finds
// nothing serious or critical on any of the three.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { TestNode } from '../support/tandem.ts';
import { artifact, type DesignerPage } from '../designer/harness.ts';
import { seriousViolations, startAdminSession, type AdminSession } from './harness.ts';
import { eventually } from '../support/eventually.ts';
import { contrastWithWhite } from '../../designer/src/admin/pages/WidgetPreview.tsx';
import { draftOf, patchOf, type ChatWebsite } from '../../designer/src/admin/pages/WebsiteEditor.tsx';
import { auditPath } from '../../designer/src/admin/pages/audit-query.ts';
import { settingsPatch, type NodeSettings } from '../../designer/src/admin/pages/settings-form.ts';

interface Website {
  id: number;
  name: string;
  key: string;
  allowedOrigins: string[];
  appearance: { color: string; title: string };
}

const nav = (page: Page) => page.getByTestId('admin-nav');

describe('chat websites, settings and audit trail: what the pages send', () => {
  const site: ChatWebsite = {
    id: 1,
    name: 'Shop',
    key: 'k'.repeat(24),
    projectId: null,
    queueId: 7,
    allowedOrigins: [],
    appearance: { title: 'Chat with us', greeting: '', color: '#1e88e5', position: 'right' },
    proactive: { afterSeconds: null, onMouseOver: false },
    onlineForm: [],
    offlineForm: { enabled: true, title: 'Leave us a message', fields: [] },
    cannedAnswers: [],
    maxFileBytes: 512_000,
    allowedFileTypes: ['image/png'],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };

  it('measures white text on the widget colour as WCAG does', () => {
    expect(contrastWithWhite('#ffffff')).to.be.closeTo(1, 0.001);
    expect(contrastWithWhite('#000000')).to.be.closeTo(21, 0.001);
    expect(contrastWithWhite('#1e88e5')!).to.be.below(4.5);
    expect(contrastWithWhite('#0b5394')!).to.be.above(4.5);
    expect(contrastWithWhite('blue')).to.equal(null);
  });

  it('turns the website form into its PATCH body: lines to lists, the invitation delay to a number or null', () => {
    const draft = { ...draftOf(site), origins: ' https://a.example \n\nhttps://b.example:8443 ', afterSeconds: '30' };
    const body = patchOf(draft);
    expect(body.allowedOrigins).to.deep.equal(['https://a.example', 'https://b.example:8443']);
    // Dispositions are the catalogue's, not the website document's.
    expect(body).to.not.have.property('dispositions');
    expect(body.proactive).to.deep.equal({ afterSeconds: 30, onMouseOver: false });
    // Routing: the queue as a number, no flow as null; cleared, both null.
    expect([body.projectId, body.queueId]).to.deep.equal([null, 7]);
    expect(patchOf({ ...draft, queueId: '', projectId: '0b5e3e9c-6f7e-4b8e-9d51-3c1f7f0e2a10' })).to.include({ queueId: null, projectId: '0b5e3e9c-6f7e-4b8e-9d51-3c1f7f0e2a10' });
    expect((patchOf({ ...draft, afterSeconds: '' }).proactive as { afterSeconds: unknown }).afterSeconds).to.equal(null);
    // Not a number: sent as typed, for the server to refuse by name.
    expect((patchOf({ ...draft, afterSeconds: 'soon' }).proactive as { afterSeconds: unknown }).afterSeconds).to.equal('soon');
  });

  it('sends only the settings that changed, whole numbers as numbers', () => {
    const loaded: NodeSettings = { securitySuite: true, maxFailedLogins: 5, lockoutMinutes: 15, maxFailedLoginsPerAddress: 50, failedLoginsWindowMinutes: 10, passwordResetMinutes: 60, maxOpenTabs: 0, spyFeatureCode: '*222' };
    const draft = { securitySuite: true, maxFailedLogins: '7', lockoutMinutes: '15', maxFailedLoginsPerAddress: 'many', failedLoginsWindowMinutes: '10', passwordResetMinutes: '60', maxOpenTabs: '0', spyFeatureCode: '*222' };
    expect(settingsPatch(loaded, draft)).to.deep.equal({ maxFailedLogins: 7, maxFailedLoginsPerAddress: 'many' });
  });

  it('builds the audit query from the filters: trimmed, local times as instants, the page as offset', () => {
    const path = auditPath({ actor: ' admin ', action: 'chat-website.', subject: '', from: '2026-03-01T09:30', to: '' }, { pageIndex: 2, pageSize: 50 });
    const query = new URL(path, 'http://x.invalid').searchParams;
    expect(query.get('actor')).to.equal('admin');
    expect(query.get('action')).to.equal('chat-website.');
    expect(query.has('subject')).to.equal(false);
    expect(query.get('from')).to.equal(new Date('2026-03-01T09:30').toISOString());
    expect(query.get('offset')).to.equal('100');
    expect(query.get('limit')).to.equal('50');
  });
});

describe('chat websites, settings and audit trail (browser)', function () {
  this.timeout(120_000);
  let session: AdminSession;
  let node: TestNode;
  let admin: DesignerPage;
  let website: Website;

  const websites = async () => (await node.client.get<Website[]>('/api/chat/websites', node.adminToken)).body;

  before(async function () {
    this.timeout(300_000);
    session = await startAdminSession({
      beforeSignIn: (started, page) => page.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: started.tandem.url }),
    });
    ({ node, admin } = session);
  });

  after(async () => {
    await session?.stop();
  });

  it('creates a website, redraws the real widget as its colour changes, and copies its snippet with the key', async () => {
    const page = admin.page;
    await nav(page).getByRole('link', { name: 'Websites', exact: true }).click();
    await page.getByRole('heading', { name: 'Websites', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/admin/chat/websites');

    await page.getByRole('form', { name: 'New website' }).getByRole('textbox', { name: 'Name' }).fill('Shop front');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'Website “Shop front”' }).waitFor();
    const created = await websites();
    expect(created.map((w) => w.name)).to.deep.equal(['Shop front']);
    website = created[0]!;

    // The snippet, from the node, carries this website's key; Copy puts exactly it on the clipboard.
    const snippet = page.getByTestId('website-snippet');
    await snippet.getByText(`data-tandem-key="${website.key}"`, { exact: false }).waitFor();
    const snippetText = (await snippet.textContent()) ?? '';
    expect(snippetText).to.match(/^<script src="https?:\/\/[^"]+\/chat\/tandem-chat\.js" data-tandem-key="[^"]+" async><\/script>$/);
    await page.getByRole('button', { name: 'Copy snippet' }).click();
    await page.getByTestId('snippet-copied').getByText('Snippet copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(snippetText);

    // The preview is the widget's own code in its shadow root, drawn with the form's settings.
    const preview = page.getByTestId('widget-preview');
    const launcher = preview.locator('.launcher');
    const background = () => launcher.evaluate((el) => getComputedStyle(el).backgroundColor);
    await preview.locator('.head h2').getByText('Chat with us').waitFor();
    expect(await background()).to.equal('rgb(30, 136, 229)');
    // White on the default blue is below WCAG AA: the page says so.
    await page.getByTestId('contrast-warning').waitFor();

    await page.getByLabel('Colour', { exact: true }).fill('#0b5394');
    await eventually(background, (c) => c === 'rgb(11, 83, 148)', 'the preview launcher in the new colour');
    expect(await preview.locator('.head').evaluate((el) => getComputedStyle(el).backgroundColor)).to.equal('rgb(11, 83, 148)');
    expect(await page.getByTestId('contrast-warning').count()).to.equal(0);
    await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Ask the shop');
    await preview.locator('.head h2').getByText('Ask the shop').waitFor();
    // Not saved yet: the node still has the old colour.
    expect((await websites())[0]!.appearance.color).to.equal('#1e88e5');

    await page.getByRole('radio', { name: 'Offline' }).check();
    await preview.getByText('Leave us a message').waitFor();
    await preview.getByRole('textbox', { name: 'Message *' }).waitFor();

    // An origin with no scheme: the server's refusal shows under the origins box.
    const origins = page.getByRole('textbox', { name: 'Origins, one a line' });
    await origins.fill('www.example.com');
    await page.getByRole('button', { name: 'Save website' }).click();
    const originError = page.getByTestId('field-error').filter({ hasText: 'must be an origin' });
    await originError.waitFor();
    expect(await origins.getAttribute('aria-invalid')).to.equal('true');
    expect((await websites())[0]!.allowedOrigins).to.deep.equal([]);

    await origins.fill('https://www.example.com');
    await page.getByRole('button', { name: 'Save website' }).click();
    await eventually(websites, (list) => list[0]!.appearance.color === '#0b5394', 'the colour saved');
    const saved = (await websites())[0]!;
    expect(saved.allowedOrigins).to.deep.equal(['https://www.example.com']);
    expect(saved.appearance.title).to.equal('Ask the shop');
    await page.getByRole('heading', { name: 'Website “Shop front”' }).waitFor();
    await eventually(background, (c) => c === 'rgb(11, 83, 148)', 'the preview still in the saved colour');
    // The website being edited is in the address: a reload opens it again, as saved.
    expect(new URL(page.url()).search).to.equal(`?website=${website.id}`);
    await page.reload();
    await page.getByRole('heading', { name: 'Website “Shop front”' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Origins, one a line' }).inputValue()).to.equal('https://www.example.com');
    await eventually(background, (c) => c === 'rgb(11, 83, 148)', 'the preview in the saved colour after a reload');

    // Its dispositions are the catalogue's: none yet, and the way there filtered on this website.
    const dispositionsBox = page.getByTestId('website-dispositions');
    await dispositionsBox.getByText('None yet', { exact: false }).waitFor();
    expect(await dispositionsBox.getByRole('link', { name: 'Manage in Tools → Dispositions' }).getAttribute('href')).to.equal(`/admin/tools/dispositions?scope=website&websiteId=${website.id}`);

    // Someone else saves meanwhile: this editor's save (sent with the version it read) is reported,
    // nothing is overwritten until the user says so.
    expect((await node.client.patch(`/api/chat/websites/${website.id}`, { appearance: { greeting: 'Hi from the API' } }, node.adminToken)).status).to.equal(200);
    await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Ask the shop again');
    await page.getByRole('button', { name: 'Save website' }).click();
    const stale = page.getByTestId('stale-edit');
    await stale.waitFor();
    expect((await websites())[0]!.appearance.title).to.equal('Ask the shop');
    await stale.getByRole('button', { name: 'Overwrite with mine' }).click();
    await eventually(websites, (list) => list[0]!.appearance.title === 'Ask the shop again', 'the overwrite saved');
    await stale.waitFor({ state: 'detached' });

    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.screenshot({ path: artifact('admin-chat-websites.png'), fullPage: true });
    expect(admin.errors).to.deep.equal([]);
  });

  it('edits the node settings, with the server refusal next to its field', async () => {
    const page = admin.page;
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    const failed = page.getByRole('textbox', { name: 'Failed sign-ins before an account locks (0: never)' });
    await eventually(() => failed.inputValue(), (v) => v === '5', 'the stored value in the form');

    await failed.fill('500');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const tooBig = page.getByTestId('field-error').filter({ hasText: '100' });
    await tooBig.waitFor();
    expect(await failed.getAttribute('aria-invalid')).to.equal('true');
    expect(await failed.getAttribute('aria-describedby')).to.equal(await tooBig.getAttribute('id'));
    expect((await node.client.get<{ maxFailedLogins: number }>('/api/settings', node.adminToken)).body.maxFailedLogins).to.equal(5);
    expect(await seriousViolations(page)).to.deep.equal([]);

    await failed.fill('7');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await eventually(async () => (await node.client.get<{ maxFailedLogins: number }>('/api/settings', node.adminToken)).body.maxFailedLogins, (n) => n === 7, 'the setting saved');
    await eventually(() => tooBig.count(), (n) => n === 0, 'the error gone');
    expect(admin.errors).to.deep.equal([]);
  });

  it('filters the audit trail down to the website creation', async () => {
    const page = admin.page;
    await nav(page).getByRole('link', { name: 'Audit trail', exact: true }).click();
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    const table = page.getByTestId('audit-table');
    await table.getByRole('cell', { name: 'settings.updated' }).first().waitFor();

    await page.getByRole('textbox', { name: 'Action starts with' }).fill('chat-website.cr');
    await table.getByText('1 row', { exact: true }).waitFor();
    const row = table.getByTestId('data-row');
    expect(await row.getByRole('cell').allTextContents()).to.include.members(['admin', 'chat-website.created', `chat-website:${website.id}`]);

    const actor = page.getByRole('textbox', { name: 'Actor (username, or system)' });
    await actor.fill('system');
    await table.getByText('Nothing to show.').waitFor();
    await actor.fill('admin');
    await table.getByText('1 row', { exact: true }).waitFor();
    await page.getByRole('textbox', { name: 'Subject' }).fill(`chat-website:${website.id}`);
    await table.getByText('1 row', { exact: true }).waitFor();

    // A time range after now holds nothing; clearing the filters brings the whole trail back.
    await page.getByLabel('From').fill('2099-01-01T00:00');
    await table.getByText('Nothing to show.').waitFor();
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await table.getByRole('cell', { name: 'chat-website.updated' }).first().waitFor();
    await page.screenshot({ path: artifact('admin-audit-trail.png'), fullPage: true });
    expect(admin.errors).to.deep.equal([]);
  });
});
