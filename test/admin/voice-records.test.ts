// Voice → Sounds and Voice → Call records in a real browser against a real node (PostgreSQL, the
// built app served by the node, sox and ffmpeg converting the upload): a WAV made by sox is
// uploaded with the progress bar reaching 100%, listed, answered by its media URL and played by the
// <audio> element, then deleted behind a confirmation naming the project that uses it; a call runs
// a published IVR through Tandem's FastAGI server (the Asterisk AGI peer), is found with the
// list's filters, and its path view highlights the blocks it went through, in order, with times.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestNode } from '../support/tandem.ts';
import { artifact, type DesignerPage } from '../designer/harness.ts';
import { seriousViolations, startAdminSession, type AdminSession } from './harness.ts';
import { eventually } from '../support/eventually.ts';
import { AsteriskAgiPeer } from '../peers/asterisk-agi.ts';
import { callPathOf } from '../../designer/src/admin/pages/call-path.ts';
import { callsPath } from '../../designer/src/admin/pages/CallsPage.tsx';
import { percentOf } from '../../designer/src/admin/kit/upload.ts';

const run = promisify(execFile);

/** The IVR the call runs (Asterisk's own sounds, so the AGI peer plays them without the library). */
const menuProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Main line',
  channel: 'voice',
  entry: 'start',
  variables: {},
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'menu' }, position: { x: 0, y: 0 } },
    menu: { type: 'Menu', params: { prompts: ['beep'], choices: ['1', '2'], timeoutSec: 2, retries: 0 }, exits: { '1': 'sales', '2': 'support', invalid: 'bye', timeout: 'bye' }, position: { x: 320, y: 0 } },
    sales: { type: 'Playback', params: { prompts: ['demo-congrats'] }, exits: { next: 'bye' }, position: { x: 640, y: -120 } },
    support: { type: 'Playback', params: { prompts: ['vm-intro'] }, exits: { next: 'bye' }, position: { x: 640, y: 120 } },
    bye: { type: 'Hangup', params: {}, exits: {}, position: { x: 960, y: 0 } },
  },
};

/** A draft whose prompt names the library sound: what "where used" must list before deleting it. */
const welcomeProject = {
  schemaVersion: 2,
  id: 'y',
  name: 'Welcome line',
  channel: 'voice',
  entry: 'start',
  variables: {},
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'hello' }, position: { x: 0, y: 0 } },
    hello: { type: 'Playback', params: { prompts: ['greeting'] }, exits: { next: 'bye' }, position: { x: 320, y: 0 } },
    bye: { type: 'Hangup', params: {}, exits: {}, position: { x: 640, y: 0 } },
  },
};

describe('call path and list helpers', () => {
  const doc = { blocks: menuProject.blocks } as unknown as Parameters<typeof callPathOf>[1];

  it('reads the top-level steps in order with their times, the blocks visited and the wires followed', () => {
    const path = callPathOf(
      [
        { blockId: 'start', type: 'Start', depth: 0, exit: 'next', startedAt: 0, durationMs: 3 },
        { blockId: 'menu', type: 'Menu', depth: 0, exit: '1', startedAt: 3, durationMs: 1800 },
        // A subflow's block (another project): not on this canvas.
        { blockId: 'inner', type: 'Playback', depth: 1, exit: 'next', startedAt: 1803, durationMs: 5 },
        { blockId: 'sales', type: 'Playback', depth: 0, exit: 'next', startedAt: 1808, durationMs: 900 },
        'not an entry',
        { blockId: 'bye', type: 'Hangup', depth: 0, exit: '@end', startedAt: 2708, durationMs: 1 },
      ],
      doc,
    );
    expect(path.steps.map((s) => `${s.step}:${s.blockId}:${s.durationMs}`)).to.deep.equal(['1:start:3', '2:menu:1800', '3:sales:900', '4:bye:1']);
    expect([...path.visited]).to.deep.equal(['start', 'menu', 'sales', 'bye']);
    expect([...path.edges]).to.deep.equal(['start:next', 'menu:1', 'sales:next']);
    expect(path.timed).to.equal(true);
  });

  it('shows order only when the trace has no times, and marks no wire the project does not have', () => {
    const path = callPathOf([{ blockId: 'start', exit: 'next' }, { blockId: 'support', exit: 'next' }, { blockId: 'gone', exit: null }], doc);
    expect(path.timed).to.equal(false);
    expect(path.steps.map((s) => s.durationMs)).to.deep.equal([null, null, null]);
    expect([...path.visited]).to.deep.equal(['start', 'support']);
    expect([...path.edges]).to.deep.equal([]);
  });

  it('builds the list query from the filters and the page, and bounds the upload percentage', () => {
    const filters = { from: '', to: '', direction: 'inbound', did: ' 0612345678 ', outcome: 'completed', routeId: '7' };
    expect(callsPath(filters, ' 4567 ', { pageIndex: 2, pageSize: 25 })).to.equal('/api/voice/calls?direction=inbound&did=0612345678&caller=4567&outcome=completed&routeId=7&limit=25&offset=50');
    expect([percentOf(0, 0), percentOf(1, 3), percentOf(5, 4)]).to.deep.equal([0, 33, 100]);
  });
});

describe('Voice → Sounds and Call records (browser)', function () {
  this.timeout(120_000);
  let session: AdminSession;
  let node: TestNode;
  let admin: DesignerPage;
  let workDir: string;
  let wavPath: string;

  before(async function () {
    this.timeout(300_000);
    workDir = await mkdtemp(path.join(tmpdir(), 'tandem-sounds-'));
    wavPath = path.join(workDir, 'greeting.wav');
    // Three seconds of a 440 Hz tone, CD quality: big enough (~500 KB) for the upload to take steps.
    await run('sox', ['-n', '-r', '44100', '-c', '2', '-b', '16', wavPath, 'synth', '3', 'sine', '440']);
    session = await startAdminSession({
      beforeSignIn: async (started) => {
        const t = started.adminToken;
        const main = await started.client.post<{ id: string }>('/api/ivr/projects', { name: 'Main line', channel: 'voice', project: menuProject }, t);
        expect(main.status, main.text).to.equal(201);
        const pub = await started.client.post(`/api/ivr/projects/${main.body.id}/publish`, { message: 'go live' }, t);
        expect(pub.status, pub.text).to.equal(201);
        const route = await started.client.post('/api/voice/routes', { kind: 'inbound', name: 'Rome DIDs', pattern: '_06XXXXXXXX', projectId: main.body.id }, t);
        expect(route.status, route.text).to.equal(201);
        const welcome = await started.client.post('/api/ivr/projects', { name: 'Welcome line', channel: 'voice', project: welcomeProject }, t);
        expect(welcome.status, welcome.text).to.equal(201);
      },
    });
    ({ node, admin } = session);
  });

  after(async () => {
    await session?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('uploads a WAV with the progress reaching 100%, lists it, plays it, and deletes it behind its dependents', async () => {
    const page = admin.page;
    await page.getByTestId('admin-nav').getByRole('link', { name: 'Sounds', exact: true }).click();
    await page.getByRole('heading', { name: 'Sounds', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/admin/voice/sounds');

    const form = page.getByTestId('sound-upload');
    await form.getByRole('textbox', { name: 'Name' }).fill('greeting');
    await form.getByRole('textbox', { name: 'Language' }).fill('en');
    await form.getByRole('textbox', { name: 'Description' }).fill('Welcome tone');
    await form.getByLabel('File (WAV or MP3)').setInputFiles(wavPath);
    expect((await stat(wavPath)).size).to.be.greaterThan(400_000);
    // Every progress value the bar shows, recorded in the page as they come.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="upload-progress"]');
        if (bar instanceof HTMLProgressElement) seen.push(bar.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
    });
    await form.getByRole('button', { name: 'Upload' }).click();

    const row = page.getByTestId('sounds-table').locator('[data-row-id="greeting/en"]');
    await row.waitFor();
    await page.getByText('Sound “greeting” (en) uploaded.').waitFor();
    await form.getByRole('status').getByText('Upload complete').waitFor();
    expect(await page.getByTestId('upload-progress').evaluate((el) => (el as HTMLProgressElement).value)).to.equal(100);
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(seen.at(-1)).to.equal(100);
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1]!), `progress went backwards: ${seen.join(',')}`).to.equal(true);
    expect(await row.getByRole('cell', { name: 'Welcome tone' }).count()).to.equal(1);

    // The <audio> element's address answers with the converted WAV, and the browser can play it.
    const audio = page.getByTestId('play-greeting-en');
    const src = await audio.evaluate((el) => (el as HTMLAudioElement).src);
    const media = await page.request.get(src);
    expect(media.status()).to.equal(200);
    expect(media.headers()['content-type']).to.match(/^audio\/(x-)?wav/);
    await audio.evaluate((el) => {
      const a = el as HTMLAudioElement;
      a.muted = true;
      a.preload = 'auto';
      a.load();
    });
    await page.waitForFunction((el) => (el as HTMLAudioElement).readyState >= 1 && (el as HTMLAudioElement).duration > 2.5, await audio.elementHandle());
    expect(await audio.evaluate((el) => (el as HTMLAudioElement).error)).to.equal(null);

    await page.screenshot({ path: artifact('admin-sounds.png'), fullPage: true });
    expect(await seriousViolations(page)).to.deep.equal([]);

    await row.getByRole('button', { name: 'Delete greeting in en' }).click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.getByTestId('confirm-dependents').getByText(/IVR project Welcome line/).waitFor();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('Sound “greeting” (en) deleted.').waitFor();
    await eventually(async () => (await row.count()) === 0, 'the deleted sound to leave the list');
    const left = await node.client.get<unknown[]>('/api/sounds', node.adminToken);
    expect(left.body).to.deep.equal([]);
    expect((await page.request.get(src)).status()).to.equal(404);
    expect(admin.errors).to.deep.equal([]);
  });

  it('finds a call by its filters and draws its IVR path with the blocks it went through, in order, with times', async () => {
    const port = node.tandem.fastagi!.port;
    // Two calls on the same route: key 1 (sales), and another caller who presses nothing.
    const sales = await AsteriskAgiPeer.connect({ port, script: 'inbound', args: ['0612345678', '3331234567'], model: { dtmf: '1' } });
    await sales.done;
    expect(sales.violations).to.deep.equal([]);
    const silent = await AsteriskAgiPeer.connect({ port, script: 'inbound', args: ['0612345678', '3339999999'], model: { dtmf: '' } });
    await silent.done;
    const all = await node.client.get<{ id: number; callerNumber: string; outcome: string }[]>('/api/voice/calls', node.adminToken);
    expect(all.body.map((c) => c.callerNumber)).to.deep.equal(['3339999999', '3331234567']);
    const salesId = all.body[1]!.id;

    const page = admin.page;
    await page.getByTestId('admin-nav').getByRole('link', { name: 'Call records', exact: true }).click();
    await page.getByRole('heading', { name: 'Call records', exact: true }).waitFor();
    const table = page.getByTestId('calls-table');
    const rowIds = () => table.getByTestId('data-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row-id')));
    await eventually(rowIds, (ids) => ids.length === 2, 'both calls listed');

    const filters = page.getByTestId('call-filters');
    await filters.getByLabel('DID').fill('0612345678');
    await filters.getByLabel('Outcome').selectOption('completed');
    await filters.getByLabel('Route').selectOption({ label: 'Rome DIDs' });
    await filters.getByLabel('Direction').selectOption('inbound');
    await table.getByRole('searchbox').fill('4567');
    expect(await eventually(rowIds, (ids) => ids.length === 1, 'the filtered list')).to.deep.equal([String(salesId)]);
    // A range that ends before the calls leaves nothing.
    await filters.getByLabel('To').fill('2020-01-01T00:00');
    await eventually(rowIds, (ids) => ids.length === 0, 'a range before the calls to list nothing');
    await filters.getByLabel('To').fill('');
    await table.getByTestId('data-row').first().waitFor();

    await table.getByRole('link', { name: `Show the path of call ${salesId}` }).click();
    await page.getByRole('heading', { name: `Call ${salesId}` }).waitFor();
    expect(new URL(page.url()).pathname).to.equal(`/admin/voice/calls/${salesId}`);
    const canvas = page.getByTestId('call-path-canvas');
    await canvas.locator('[data-block-id="bye"]').waitFor();

    const visited = async () => (await canvas.locator('.block-node.is-visited').evaluateAll((els) => els.map((e) => e.getAttribute('data-block-id')))).sort();
    expect(await eventually(visited, (ids) => ids.length === 4, 'the traversed blocks marked')).to.deep.equal(['bye', 'menu', 'sales', 'start']);
    expect(await canvas.locator('[data-block-id="support"]').getAttribute('class')).not.to.include('is-visited');
    // The wires the call followed are marked; the one it did not take is not.
    expect(await canvas.locator('[data-testid="rf__edge-menu:1"]').getAttribute('class')).to.include('selected');
    expect(await canvas.locator('[data-testid="rf__edge-menu:2"]').getAttribute('class')).not.to.include('selected');

    const steps = page.getByTestId('call-steps').getByTestId('call-step');
    expect(await steps.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-block-id')))).to.deep.equal(['start', 'menu', 'sales', 'bye']);
    // Each step shows the time spent in it, from the trace's timings.
    const times = await steps.evaluateAll((rows) => rows.map((r) => r.lastElementChild?.textContent ?? ''));
    for (const time of times) expect(time).to.match(/^\d+(\.\d+)? (ms|s)$/);

    await page.screenshot({ path: artifact('admin-call-path.png'), fullPage: true });
    expect(await seriousViolations(page)).to.deep.equal([]);
    // Reloading the record's own address shows it again.
    await page.reload();
    await page.getByTestId('call-steps').waitFor();
    expect(admin.errors).to.deep.equal([]);
  });
});
