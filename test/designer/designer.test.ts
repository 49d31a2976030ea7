// The IVR designer in a real browser against a real Tandem node (PostgreSQL, the built app served
// by the node itself): the acceptance story of issue 6, step by step. Later steps build on the
// project the first step creates, as a designer's day would.
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startTestNode, ADMIN_PASSWORD, type TestNode } from '../support/tandem.ts';
import { artifact, block, connectHandles, dropBlock, ensureDesignerBuilt, launchChromium, login, openPage, publishVersion, viewportSettled, type DesignerPage } from './harness.ts';

interface Doc {
  id: string;
  name: string;
  channel: string;
  entry: string;
  blocks: Record<string, { type: string; label: string; position: { x: number; y: number }; params: Record<string, unknown>; exits: Record<string, string | null> }>;
  variables: Record<string, unknown>;
}
interface Detail {
  id: string;
  name: string;
  revision: number;
  publishedVersion: number | null;
  draft: Doc;
}

const errorBadge = (page: Page, id: string) => block(page, id).locator('[data-testid=badge-error]');

async function exportDocument(page: Page): Promise<Doc> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  const file = await download.path();
  return JSON.parse(await readFile(file, 'utf8')) as Doc;
}

describe('IVR designer (browser)', function () {
  this.timeout(60_000);
  let node: TestNode;
  let browser: Browser;
  let admin: DesignerPage;
  let projectId = '';

  before(async function () {
    this.timeout(180_000);
    await ensureDesignerBuilt();
    [node, browser] = await Promise.all([startTestNode('postgres'), launchChromium()]);
    admin = await openPage(browser, node.tandem.url);
    await login(admin.page, 'admin', ADMIN_PASSWORD);
  });

  after(async () => {
    await admin?.close();
    await browser?.close();
    await node?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && admin !== undefined) {
      const name = (this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60) || 'step').toLowerCase();
      await admin.page.screenshot({ path: artifact(`failed-${name}.png`) }).catch(() => undefined);
      if (admin.errors.length > 0) console.error(`errors in the page during "${this.currentTest.title}":\n${admin.errors.join('\n')}`);
    }
    // Any uncaught error in the page fails the step that caused it.
    const errors = admin?.errors.splice(0) ?? [];
    if (this.currentTest?.state === 'passed' && errors.length > 0) throw new Error(`errors in the page:\n${errors.join('\n')}`);
  });

  it('serves the app from the node, with API paths untouched and a SPA fallback', async () => {
    const page = await node.client.get(`/ivr/projects/00000000-0000-4000-8000-000000000000`);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/text\/html/);
    expect(page.headers.get('content-security-policy')).to.match(/script-src 'self'/);
    const html = page.text;
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset, 'index.html names its script').to.be.a('string');
    const script = await node.client.get(asset!);
    expect(script.status).to.equal(200);
    expect(script.headers.get('content-type')).to.match(/javascript/);
    expect(script.headers.get('cache-control')).to.match(/immutable/);
    expect((await node.client.get('/assets/missing-0000.js')).status).to.equal(404);
    const api = await node.client.get<{ error: { code: string } }>('/api/nope');
    expect(api.status).to.equal(404);
    expect(api.body.error.code).to.equal('ROUTE_NOT_FOUND');
    expect((await node.client.get('/api/ivr/projects')).status).to.equal(401);
  });

  it('builds a menu by drag and drop, shows validation on the blocks, saves and publishes', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByTestId('create-dialog');
    await dialog.getByLabel('Name').fill('Support line');
    await dialog.getByLabel('Channel').selectOption('voice');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.getByTestId('editor').waitFor();
    projectId = (await page.getByTestId('editor').getAttribute('data-project-id'))!;
    await block(page, 'start').waitFor();

    // Drop three blocks; each lands where the pointer let go (screenToFlowPosition).
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    const menuAt = { x: canvas.x + canvas.width * 0.75, y: canvas.y + 120 };
    const menu = await dropBlock(page, 'Menu', menuAt.x, menuAt.y);
    expect(menu).to.equal('menu');
    const box = (await block(page, menu).boundingBox())!;
    expect(menuAt.x).to.be.within(box.x, box.x + box.width);
    expect(menuAt.y).to.be.within(box.y, box.y + box.height);
    const sales = await dropBlock(page, 'Playback', canvas.x + canvas.width * 0.25, canvas.y + canvas.height - 160);
    const support = await dropBlock(page, 'Playback', canvas.x + canvas.width * 0.75, canvas.y + canvas.height - 160);
    expect([sales, support]).to.deep.equal(['playback', 'playback-2']);

    // A new Menu has no prompt and no choice yet: the block says so, and the form too.
    await errorBadge(page, menu).waitFor();
    await block(page, menu).click();
    const inspector = page.getByTestId('inspector');
    await inspector.getByLabel('Prompts 1', { exact: true }).fill('welcome');
    await inspector.getByLabel('Choices 1', { exact: true }).fill('1');
    await inspector.getByRole('button', { name: 'Add choice' }).click();
    await inspector.getByLabel('Choices 2', { exact: true }).fill('2');
    // A long key timeout keeps the simulated call waiting at the menu however slow the machine.
    await inspector.getByLabel('Timeout (s)').fill('60');
    await errorBadge(page, menu).waitFor({ state: 'detached' });

    // A Playback without a prompt has an error badge; it disappears once the prompt is set.
    for (const [id, prompt] of [
      [sales, 'sales'],
      [support, 'support'],
    ] as const) {
      await errorBadge(page, id).waitFor();
      await block(page, id).click();
      await page.getByTestId('inspector').getByLabel('Label', { exact: true }).fill(prompt === 'sales' ? 'Sales' : 'Support');
      await page.getByTestId('inspector').getByLabel('Prompts 1', { exact: true }).fill(prompt);
      await errorBadge(page, id).waitFor({ state: 'detached' });
    }

    // Arrange the blocks in one column (nothing is wired yet) so every handle is in view, then wire.
    await page.getByRole('button', { name: 'Arrange' }).click();
    await page.getByRole('button', { name: 'Fit view', exact: true }).click();
    await viewportSettled(page);
    await connectHandles(page, 'start', 'next', menu);
    await connectHandles(page, menu, '1', sales);
    await connectHandles(page, menu, '2', support);
    expect(await page.locator('.react-flow__edge').count()).to.equal(3);
    expect(await page.locator('.react-flow__edge-text').allTextContents()).to.have.members(['next', '1', '2']);
    // A wire into Start is refused (isValidConnection): Start takes no input.
    expect(await page.locator('.react-flow__handle[data-nodeid="start"][data-handleid="in"].connectable').count()).to.equal(0);

    await page.getByRole('button', { name: 'Arrange' }).click();
    await page.getByTestId('save').click();
    await page.getByTestId('save-state').filter({ hasText: 'Saved · rev. 2' }).waitFor();

    await publishVersion(page, 'First menu: sales and support', 1);

    const v1 = await node.client.get<{ project: Doc; message: string }>(`/api/ivr/projects/${projectId}/versions/1`, node.adminToken);
    expect(v1.status).to.equal(200);
    expect(v1.body.message).to.equal('First menu: sales and support');
    expect(v1.body.project.blocks.start!.exits).to.deep.equal({ next: 'menu' });
    expect(v1.body.project.blocks.menu!.exits).to.deep.equal({ '1': 'playback', '2': 'playback-2' });
    expect(v1.body.project.blocks.menu!.params.prompts).to.deep.equal(['welcome']);
    expect(v1.body.project.blocks.menu!.params.choices).to.deep.equal(['1', '2']);
    expect(v1.body.project.blocks.menu!.params.timeoutSec).to.equal(60);
    expect(v1.body.project.blocks.playback!.params.prompts).to.deep.equal(['sales']);
    await page.screenshot({ path: artifact('designer-built-menu.png') });
  });

  it('simulates a call: pressing 1 takes the sales branch, with the current block highlighted', async () => {
    const { page } = admin;
    await page.getByTestId('tab-simulator').click();
    await page.getByRole('button', { name: 'Fit view', exact: true }).click();
    await viewportSettled(page);
    await page.getByTestId('sim-start').click();
    // The menu is waiting for a key: highlighted on the canvas, announced on the phone screen.
    await page.locator('[data-testid=sim-status][data-activity=collecting]').waitFor();
    await page.locator('.block-node.is-active[data-block-id=menu]').waitFor();
    await page.locator('[data-testid=trace-entry][data-block-id=start][data-exit=next]').waitFor();
    await page.screenshot({ path: artifact('simulator-mid-call.png') });

    await page.getByRole('button', { name: 'Key 1' }).click();
    await page.locator('[data-testid=trace-entry][data-block-id=menu][data-exit="1"]').waitFor();
    await page.locator('[data-testid=trace-entry][data-block-id=playback]').waitFor();
    await page.locator('[data-testid=sim-result][data-outcome=completed]').waitFor();
    const path = await page.locator('[data-testid=trace-entry]').evaluateAll((entries) => entries.map((e) => `${e.getAttribute('data-block-id')}:${e.getAttribute('data-exit')}`));
    expect(path).to.deep.equal(['start:next', 'menu:1', 'playback:next']);
    expect(await page.locator('.block-node.is-visited[data-block-id="playback-2"]').count()).to.equal(0);
    await page.screenshot({ path: artifact('simulator-after-call.png') });
    await page.getByTestId('tab-inspector').click();
  });

  it('finds the project unchanged after a reload', async () => {
    const { page } = admin;
    const stored = await node.client.get<Detail>(`/api/ivr/projects/${projectId}`, node.adminToken);
    await page.reload();
    await block(page, 'menu').waitFor();
    expect(await page.getByTestId('save-state').textContent()).to.contain(`Saved · rev. ${stored.body.revision}`);
    expect(await page.getByTestId('restored-banner').count()).to.equal(0);
    expect(await page.locator('.react-flow__node').count()).to.equal(4);
    expect(await page.locator('.react-flow__edge').count()).to.equal(3);
    expect(await exportDocument(page)).to.deep.equal(stored.body.draft);
  });

  it('exports and imports a project as an identical document', async () => {
    const { page } = admin;
    const exported = await exportDocument(page);
    // Delete the original (names are unique), then import the file.
    await page.getByRole('button', { name: 'Back to projects' }).click();
    await page.getByRole('button', { name: 'Delete Support line' }).click();
    await page.getByTestId('delete-dialog').getByRole('button', { name: 'Delete project' }).click();
    await page.getByTestId('project-row').filter({ hasText: 'Support line' }).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Import' }).click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByTestId('import-file').setInputFiles({ name: 'support-line.tandem-ivr.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
    await dialog.getByTestId('import-summary').waitFor();
    expect(await dialog.getByLabel('Project name').inputValue()).to.equal('Support line');
    await dialog.getByRole('button', { name: 'Import project' }).click();
    await page.getByTestId('editor').waitFor();
    const imported = (await page.getByTestId('editor').getAttribute('data-project-id'))!;
    expect(imported).to.not.equal(projectId);
    projectId = imported;
    const stored = await node.client.get<Detail>(`/api/ivr/projects/${imported}`, node.adminToken);
    // The server gives the import its own id; everything else is the exported document.
    expect({ ...stored.body.draft, id: exported.id }).to.deep.equal(exported);
    expect({ ...(await exportDocument(page)), id: exported.id }).to.deep.equal(exported);
  });

  it('refuses malformed, oversized and unknown-block imports with a clear message, and keeps labels inert', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Back to projects' }).click();
    await page.getByTestId('project-row').first().waitFor();
    const rows = await page.getByTestId('project-row').count();
    await page.getByRole('button', { name: 'Import' }).click();
    const dialog = page.getByTestId('import-dialog');
    const file = dialog.getByTestId('import-file');
    const importError = dialog.getByTestId('import-error');

    await file.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"schemaVersion": 2, "blocks": ') });
    expect(await importError.textContent()).to.match(/not a Tandem IVR project: project is not valid JSON/);

    await file.setInputFiles({ name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(10 * 1024 * 1024, 0x20) });
    expect(await importError.textContent()).to.match(/The file is 10\.0 MB; projects up to 5\.0 MB can be imported/);

    const unknown = { schemaVersion: 2, id: 'x', name: 'Unknown blocks', channel: 'voice', entry: 'start', blocks: { start: { type: 'Start', exits: { next: 'teleport' } }, teleport: { type: 'Teleport', params: {} } } };
    await file.setInputFiles({ name: 'unknown.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(unknown)) });
    expect(await importError.textContent()).to.match(/a block type this Tandem does not know.*teleport: unknown block type "?Teleport/is);
    expect(await dialog.getByRole('button', { name: 'Import project' }).isDisabled()).to.equal(true);

    const hostile = {
      schemaVersion: 2,
      id: 'x',
      name: 'Hostile <script>window.__pwned = 1</script>',
      channel: 'voice',
      entry: 'start',
      blocks: {
        start: { type: 'Start', label: '<img src=x onerror="window.__pwned = 2">', exits: { next: 'bye' } },
        bye: { type: 'Hangup', label: '<script>window.__pwned = 3</script>' },
      },
    };
    await file.setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(hostile)) });
    await dialog.getByTestId('import-summary').waitFor();
    await dialog.getByRole('button', { name: 'Import project' }).click();
    await page.getByTestId('editor').waitFor();
    await block(page, 'bye').waitFor();
    expect(await block(page, 'start').locator('.block-node-title').textContent()).to.equal('<img src=x onerror="window.__pwned = 2">');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).to.equal(undefined);
    await page.getByRole('button', { name: 'Back to projects' }).click();
    await page.getByTestId('project-row').filter({ hasText: 'Hostile' }).waitFor();
    expect(await page.getByTestId('project-row').count()).to.equal(rows + 1);
    await page.screenshot({ path: artifact('projects-list.png') });
  });

  it('reports a conflicting save instead of overwriting, and lets the user load the other version', async () => {
    const { page } = admin;
    await page.goto(`/ivr/projects/${projectId}`);
    await block(page, 'menu').waitFor();
    const theirs = await node.client.get<Detail>(`/api/ivr/projects/${projectId}`, node.adminToken);
    const changed = structuredClone(theirs.body.draft);
    changed.blocks.playback!.label = 'Changed by a colleague';
    const saved = await node.client.put<Detail>(`/api/ivr/projects/${projectId}/draft`, { revision: theirs.body.revision, project: changed }, node.adminToken);
    expect(saved.status).to.equal(200);

    await block(page, 'menu').click();
    await page.getByTestId('inspector').getByLabel('Label', { exact: true }).fill('My main menu');
    await page.keyboard.press('Control+s');
    await page.getByTestId('conflict-banner').waitFor();
    expect(await page.getByTestId('conflict-banner').textContent()).to.contain(`now revision ${saved.body.revision}`);
    const after = await node.client.get<Detail>(`/api/ivr/projects/${projectId}`, node.adminToken);
    expect(after.body.draft.blocks.playback!.label).to.equal('Changed by a colleague');
    expect(after.body.draft.blocks.menu!.label).to.not.equal('My main menu');

    await page.getByTestId('conflict-load-theirs').click();
    await page.getByTestId('conflict-banner').waitFor({ state: 'detached' });
    expect(await block(page, 'playback').locator('.block-node-title').textContent()).to.equal('Changed by a colleague');
    expect(await page.getByTestId('save-state').textContent()).to.contain(`rev. ${saved.body.revision}`);
  });

  it('keeps unsaved changes in the browser across a reload', async () => {
    const { page } = admin;
    await block(page, 'playback-2').click();
    await page.getByTestId('inspector').getByLabel('Label', { exact: true }).fill('Support (unsaved)');
    await page.getByTestId('save-state').filter({ hasText: 'Unsaved changes' }).waitFor();
    await page.reload();
    await page.getByTestId('restored-banner').waitFor();
    expect(await block(page, 'playback-2').locator('.block-node-title').textContent()).to.equal('Support (unsaved)');
    await page.getByTestId('restored-banner').getByRole('button', { name: 'Discard them' }).click();
    expect(await block(page, 'playback-2').locator('.block-node-title').textContent()).to.equal('Support');
    await page.reload();
    await block(page, 'playback-2').waitFor();
    expect(await page.getByTestId('restored-banner').count()).to.equal(0);
  });

  it('edits with the keyboard: palette search, undo/redo, copy/paste, delete', async () => {
    const { page } = admin;
    const count = () => page.locator('.react-flow__node').count();
    const n = await count();
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('/');
    await page.keyboard.type('hang up');
    await page.keyboard.press('Enter');
    await block(page, 'hangup').waitFor();
    expect(await count()).to.equal(n + 1);
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z');
    await block(page, 'hangup').waitFor({ state: 'detached' });
    await page.keyboard.press('Control+Shift+z');
    await block(page, 'hangup').waitFor();

    await block(page, 'hangup').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await block(page, 'hangup-2').waitFor();
    await page.keyboard.press('Delete');
    await block(page, 'hangup-2').waitFor({ state: 'detached' });
    // Start cannot be deleted.
    await block(page, 'start').click();
    await page.keyboard.press('Delete');
    expect(await block(page, 'start').count()).to.equal(1);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await block(page, 'hangup').waitFor({ state: 'detached' });
    expect(await count()).to.equal(n);
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor();

    // Ctrl+A selects every block; Escape clears the selection.
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+a');
    await page.getByRole('heading', { name: `${n} blocks selected` }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('inspector-project').waitFor();

    // Ctrl+K finds a block by its label and selects it.
    await page.keyboard.press('Control+k');
    await page.getByTestId('find-dialog').getByLabel('Block label, id or type').fill('support');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=inspector][data-block-id="playback-2"]').waitFor();
  });

  it('compares two versions block by block and rolls back', async () => {
    const { page } = admin;
    // Version 1 of this (imported) project, then a changed draft published as version 2.
    const detail = await node.client.get<Detail>(`/api/ivr/projects/${projectId}`, node.adminToken);
    const v1 = await node.client.post(`/api/ivr/projects/${projectId}/publish`, { message: 'as imported', revision: detail.body.revision }, node.adminToken);
    expect(v1.status).to.equal(201);
    await page.reload();
    await block(page, 'playback').click();
    await page.getByTestId('inspector').getByLabel('Prompts 1', { exact: true }).fill('sales-new');
    await page.getByTestId('inspector').getByLabel('Exit next goes to').selectOption('playback-2');
    await publishVersion(page, 'New sales prompt', 2);
    // Publishing again without a change stores nothing, and the designer says so (security row 13).
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-dialog').getByTestId('publish-confirm').click();
    await page.getByTestId('toast-info').filter({ hasText: 'Nothing to publish: the draft is the same as version 2' }).waitFor();

    await page.getByTestId('tab-versions').click();
    const panel = page.getByTestId('versions-panel');
    await panel.getByTestId('version-item').nth(1).waitFor();
    await panel.getByLabel('Compare from').selectOption('1');
    await panel.getByLabel('Compare to').selectOption('2');
    const changed = panel.locator('[data-testid=diff-block][data-block-id=playback]');
    await changed.waitFor();
    expect(await changed.getAttribute('data-kind')).to.equal('changed');
    const text = (await changed.textContent()) ?? '';
    expect(text).to.contain('prompts.0').and.to.contain('sales').and.to.contain('sales-new');
    expect(text).to.contain('next').and.to.contain('playback-2');
    expect(await panel.locator('[data-testid=diff-block]').count()).to.equal(1);
    await page.screenshot({ path: artifact('versions-diff.png') });

    await panel.getByRole('button', { name: 'Roll back to version 1' }).click();
    await panel.getByRole('button', { name: 'Roll back', exact: true }).click();
    await page.getByTestId('toast-success').filter({ hasText: 'Version 1 is the draft again' }).waitFor();
    const rolled = await node.client.get<Detail>(`/api/ivr/projects/${projectId}`, node.adminToken);
    const version1 = await node.client.get<{ project: Doc }>(`/api/ivr/projects/${projectId}/versions/1`, node.adminToken);
    expect(rolled.body.draft).to.deep.equal(version1.body.project);
    await page.getByTestId('tab-inspector').click();
    await block(page, 'playback').click();
    expect(await page.getByTestId('inspector').getByLabel('Prompts 1', { exact: true }).inputValue()).to.equal('sales');
  });

  it('refuses to publish an invalid draft and shows the server’s problems', async () => {
    const { page } = admin;
    await block(page, 'menu').click();
    await page.getByTestId('inspector').getByLabel('Prompts 1', { exact: true }).fill('');
    await errorBadge(page, 'menu').waitFor();
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-confirm').click();
    const refused = page.getByTestId('publish-error');
    await refused.waitFor();
    expect(await refused.textContent()).to.match(/problem\(s\) to fix before publishing/).and.to.contain('menu');
    await page.getByTestId('publish-dialog').getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('inspector').getByLabel('Prompts 1', { exact: true }).fill('welcome');
    await errorBadge(page, 'menu').waitFor({ state: 'detached' });
    await page.getByTestId('save').click();
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor();
  });

  it('gives a read-only user a read-only canvas, and no access without the permission', async () => {
    await node.client.post('/api/users', { role: 'supervisor', username: 'ivr.viewer', fullName: 'Ivy Viewer', password: 'Viewer-Pass-1', permissions: { ivr: 'read' } }, node.adminToken);
    await node.client.post('/api/users', { role: 'supervisor', username: 'no.ivr', fullName: 'Nora None', password: 'No-Ivr-Pass-1' }, node.adminToken);
    const stored = await node.client.get<Detail>(`/api/ivr/projects/${projectId}`, node.adminToken);

    const viewer = await openPage(browser, node.tandem.url);
    try {
      const { page } = viewer;
      await login(page, 'ivr.viewer', 'Viewer-Pass-1');
      expect(await page.getByRole('button', { name: 'New project' }).count()).to.equal(0);
      expect(await page.getByRole('button', { name: 'Import' }).count()).to.equal(0);
      await page.getByTestId('project-row').filter({ hasText: 'Support line' }).getByRole('link').click();
      await page.getByTestId('readonly-banner').waitFor();
      await block(page, 'menu').waitFor();
      expect(await page.getByTestId('palette-search').count()).to.equal(0);
      expect(await page.getByTestId('save').count()).to.equal(0);
      expect(await page.getByTestId('publish').count()).to.equal(0);
      expect(await page.locator('.react-flow__handle.connectable').count()).to.equal(0);
      await page.screenshot({ path: artifact('editor-read-only.png') });

      // Selecting shows the properties, disabled.
      await block(page, 'menu').click();
      expect(await page.getByTestId('inspector').getByLabel('Label', { exact: true }).isDisabled()).to.equal(true);
      expect(await page.getByTestId('inspector').getByLabel('Prompts 1', { exact: true }).isDisabled()).to.equal(true);
      // Dragging a block does not move it (the drag pans the whole canvas), Delete does not delete it.
      const offset = async () => {
        const [a, b] = [(await block(page, 'menu').boundingBox())!, (await block(page, 'start').boundingBox())!];
        return [Math.round(a.x - b.x), Math.round(a.y - b.y)];
      };
      const before = await offset();
      const start = (await block(page, 'menu').boundingBox())!;
      await page.mouse.move(start.x + 60, start.y + 20);
      await page.mouse.down();
      await page.mouse.move(start.x + 160, start.y + 120, { steps: 8 });
      await page.mouse.up();
      expect(await offset()).to.deep.equal(before);
      await page.keyboard.press('Delete');
      await page.keyboard.press('Control+z');
      expect(await block(page, 'menu').count()).to.equal(1);
      // The simulator still works for them: testing is reading.
      await page.getByTestId('tab-simulator').click();
      await page.getByTestId('sim-start').click();
      await page.locator('.block-node.is-active[data-block-id=menu]').waitFor();
      await page.getByTestId('sim-hangup').click();
      await page.locator('[data-testid=sim-result][data-outcome=hangup]').waitFor();
      expect(viewer.errors).to.deep.equal([]);
    } finally {
      await viewer.close();
    }
    const after = await node.client.get<Detail>(`/api/ivr/projects/${projectId}`, node.adminToken);
    expect(after.body.revision).to.equal(stored.body.revision);

    const outsider = await openPage(browser, node.tandem.url);
    try {
      await outsider.page.goto('/ivr');
      await outsider.page.getByLabel('Username').fill('no.ivr');
      await outsider.page.getByLabel('Password').fill('No-Ivr-Pass-1');
      await outsider.page.getByRole('button', { name: 'Sign in' }).click();
      await outsider.page.getByTestId('no-ivr-access').waitFor();
    } finally {
      await outsider.close();
    }
  });

  it('simulates a chat: quick replies and typed messages go through the real interpreter', async () => {
    const { page } = admin;
    const example = JSON.parse(await readFile(new URL('../../flows/examples/chat-bot.json', import.meta.url), 'utf8')) as Doc;
    const created = await node.client.post<Detail>('/api/ivr/projects', { name: example.name, channel: 'chat', project: example }, node.adminToken);
    expect(created.status).to.equal(201);
    await page.goto(`/ivr/projects/${created.body.id}`);
    await block(page, 'ask').waitFor();
    // Chat projects get the messaging blocks in the palette, not the voice ones.
    expect(await page.getByTestId('palette-SendMessage').count()).to.equal(1);
    expect(await page.getByTestId('palette-Menu').count()).to.equal(0);
    await page.getByTestId('tab-simulator').click();
    await page.getByTestId('sim-start').click();
    const transcript = page.getByTestId('chat-transcript');
    await transcript.getByText('How can I help you?').waitFor();
    await transcript.getByRole('button', { name: 'Opening hours' }).click();
    await transcript.getByText(/We are open Monday to Friday/).waitFor();
    await transcript.getByText('Anything else?').waitFor();
    await page.screenshot({ path: artifact('simulator-chat.png') });
    await page.getByLabel('Message', { exact: true }).fill('no');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await transcript.getByText('Thank you, goodbye!').waitFor();
    await page.locator('[data-testid=sim-result][data-outcome=completed]').waitFor();
    const path = await page.locator('[data-testid=trace-entry]').evaluateAll((entries) => entries.map((e) => `${e.getAttribute('data-block-id')}:${e.getAttribute('data-exit')}`));
    expect(path).to.deep.equal(['start:next', 'greet:next', 'ask:hours', 'hours-msg:next', 'more:no', 'bye:next', 'close:@end']);
  });

  it('opens an example project laid out automatically (screenshot)', async () => {
    const { page } = admin;
    const example = JSON.parse(await readFile(new URL('../../flows/examples/auto-attendant.json', import.meta.url), 'utf8')) as Doc;
    const created = await node.client.post<Detail>('/api/ivr/projects', { name: example.name, channel: 'voice', description: '', project: example }, node.adminToken);
    expect(created.status).to.equal(201);
    await page.goto(`/ivr/projects/${created.body.id}`);
    await block(page, 'menu').waitFor();
    // The example's hand-written positions overlap; the editor arranged them.
    const boxes = await page.locator('.react-flow__node').evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `blocks ${i} and ${j} overlap`).to.equal(false);
      }
    }
    await block(page, 'menu').click();
    await page.getByTestId('inspector').waitFor();
    await page.screenshot({ path: artifact('editor-example-project.png') });
  });
});
