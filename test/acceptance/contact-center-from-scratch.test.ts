// Issue 14's acceptance story: an administrator, starting from an empty database, builds a working
// contact center with nothing but the web app — a voice queue and a chat queue, an agent with a
// desk phone in both, a team, a sound uploaded, an IVR drawn in the designer and published, the
// number routed to it, a chat website — and then it works: a visitor's chat from the website
// reaches the agent's desktop, and a call from the carrier goes through the IVR (the uploaded sound
// played) and rings the agent's SIP phone on the real Asterisk, which answers into one bridge with
// the caller. The home checklist ticks each step by itself. Needs the shared Asterisk (the lab
// skips loudly without it) and Chromium.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { buildWidgetIfStale } from '../../designer/build.ts';
import { ADMIN_PASSWORD } from '../support/tandem.ts';
import { eventually } from '../support/eventually.ts';
import { seriousViolations } from '../support/axe.ts';
import { artifact, block, connectHandles, dropBlock, ensureDesignerBuilt, launchChromium, openPage, publishVersion, signIn, signInToDesktop, viewportSettled, type DesignerPage } from '../designer/harness.ts';
import { startLab, type Lab } from '../integration/lab.ts';
import { startCustomerSite, type CustomerSite } from './customer-site.ts';

const run = promisify(execFile);

/** The agent's desk phone: a PJSIP endpoint the lab's Asterisk knows, as an administrator configures one. */
const EXTENSION = '2301';
const DID = '0699001100';
const AGENT = { name: 'Ada Agent', username: 'ada', password: 'Ada-Pass-2026' };
const VOICE_QUEUE = 'Support';
const CHAT_QUEUE = 'Web help';
const TEAM = 'Day shift';
const SOUND = 'welcome';

describe('acceptance: a contact center built from an empty database in the web app, then a chat and a call reach the agent', function () {
  this.timeout(300_000);
  let lab: Lab;
  let browser: Browser;
  let site: CustomerSite;
  let admin: DesignerPage;
  let agent: DesignerPage;
  let workDir: string;
  const pages: DesignerPage[] = [];

  before(async function () {
    lab = await startLab(this, { acdTickMs: 200 }, { phones: [EXTENSION] });
    await Promise.all([buildWidgetIfStale(), ensureDesignerBuilt()]);
    workDir = await mkdtemp(path.join(tmpdir(), 'tandem-accept-'));
    site = await startCustomerSite(lab.node.tandem.url);
    browser = await launchChromium();
    admin = await openPage(browser, lab.node.tandem.url);
    pages.push(admin);
    await signIn(admin.page, 'admin', ADMIN_PASSWORD, { heading: 'Home' });
  });

  after(async () => {
    for (const p of pages) await p.close().catch(() => undefined);
    await browser?.close();
    await site?.close();
    await lab?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  // One story: once a step failed, the later ones would only fail for its sake.
  let failed = false;
  beforeEach(function () {
    if (failed) this.skip();
  });
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    failed = true;
    const name = (this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 50) || 'step').toLowerCase();
    for (const [i, p] of pages.entries()) await p.page.screenshot({ path: artifact(`acceptance-${name}-${i}.png`), fullPage: true }).catch(() => undefined);
    for (const p of pages) if (p.errors.length) console.error(`errors in a page:\n${p.errors.join('\n')}`);
  });

  const api = async <T,>(url: string): Promise<T> => {
    const res = await lab.node.client.get<T>(url, lab.node.adminToken);
    expect(res.status, `${url}: ${res.text}`).to.equal(200);
    return res.body;
  };
  const nav = (page: Page, name: string) => page.getByTestId('admin-nav').getByRole('link', { name, exact: true }).click();
  const step = (page: Page, id: string) => page.getByTestId(`step-${id}`).getAttribute('data-state');

  it('starts empty: the checklist has every step to do but the Asterisk connection', async () => {
    const page = admin.page;
    expect(await api<unknown[]>('/api/queues')).to.deep.equal([]);
    expect(await api<unknown[]>('/api/ivr/projects')).to.deep.equal([]);
    expect(await api<unknown[]>('/api/voice/routes?kind=inbound')).to.deep.equal([]);
    expect(await api<unknown[]>('/api/chat/websites')).to.deep.equal([]);
    const agents = await lab.node.client.get<unknown[]>('/api/agents', lab.node.adminToken);
    expect(agents.headers.get('x-total-count')).to.equal('0');

    await eventually(() => step(page, 'asteriskConnected'), (s) => s === 'done', 'the Asterisk step (AMI and ARI up)');
    for (const id of ['agentExists', 'queueExists', 'ivrPublished', 'routeToIvr', 'agentLoggedIn', 'testCallPlaced']) expect(await step(page, id), id).to.equal('todo');
    expect(await seriousViolations(page)).to.deep.equal([]);
  });

  it('creates a voice queue and a chat queue', async () => {
    const page = admin.page;
    for (const [menu, address, name] of [
      ['Queues', '/admin/voice/queues', VOICE_QUEUE],
      ['Chat queues', '/admin/chat/queues', CHAT_QUEUE],
    ] as const) {
      await nav(page, menu);
      await page.waitForURL((url) => url.pathname === address);
      await page.getByRole('heading', { name: 'Queues', exact: true }).waitFor();
      await page.getByRole('button', { name: 'New queue' }).click();
      const editor = page.getByTestId('queue-editor');
      await editor.getByRole('textbox', { name: 'Name' }).fill(name);
      // Callers should not wait long on the lab's ring timeout if the phone were slow to answer.
      await editor.getByRole('spinbutton', { name: 'Ring time (s)' }).fill('20');
      await editor.getByRole('button', { name: 'Create queue' }).click();
      await editor.getByTestId('queue-agents').waitFor();
      await editor.getByRole('button', { name: 'Close' }).last().click();
      await page.getByRole('cell', { name, exact: true }).waitFor();
    }
    const queues = await api<{ name: string; channel: string }[]>('/api/queues');
    expect(queues.map((q) => [q.name, q.channel])).to.have.deep.members([
      [VOICE_QUEUE, 'voice'],
      [CHAT_QUEUE, 'chat'],
    ]);
  });

  it('creates a team, then the agent with the desk phone’s extension, in both queues and the team', async () => {
    const page = admin.page;
    await nav(page, 'Teams');
    await page.getByRole('heading', { name: 'Teams', exact: true }).waitFor();
    await page.getByRole('button', { name: 'New team' }).click();
    const teamDialog = page.getByTestId('team-dialog');
    await teamDialog.getByRole('textbox', { name: 'Name' }).fill(TEAM);
    await teamDialog.getByRole('button', { name: 'Save', exact: true }).click();
    await teamDialog.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: TEAM, exact: true }).waitFor();

    await nav(page, 'Agents');
    await page.getByRole('heading', { name: 'Agents', exact: true }).waitFor();
    await page.getByRole('button', { name: 'New agent' }).click();
    const form = page.getByTestId('agent-form');
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill(AGENT.name);
    await form.getByRole('textbox', { name: 'Username', exact: true }).fill(AGENT.username);
    await form.getByLabel('Password').fill(AGENT.password);
    await form.getByRole('textbox', { name: 'Extension', exact: true }).fill(EXTENSION);
    await form.getByLabel(`${VOICE_QUEUE} (voice)`, { exact: true }).check();
    await form.getByLabel(`${CHAT_QUEUE} (chat)`, { exact: true }).check();
    await form.getByLabel(TEAM, { exact: true }).check();
    await form.getByRole('button', { name: 'Create agent' }).click();
    await page.getByTestId('agent-form-dialog').waitFor({ state: 'hidden' });
    await page.getByTestId('agents-table').getByText(AGENT.name).waitFor();

    const [created] = await api<{ id: number; username: string; extension: string }[]>('/api/agents');
    expect(created).to.include({ username: AGENT.username, extension: EXTENSION });
    const memberships = await api<{ queueId: number }[]>(`/api/agents/${created!.id}/queues`);
    expect(memberships).to.have.length(2);
    const teams = await api<{ name: string; members?: number[] }[]>('/api/teams');
    expect(teams.map((t) => t.name)).to.deep.equal([TEAM]);
  });

  it('uploads the welcome sound', async () => {
    const page = admin.page;
    const wav = path.join(workDir, `${SOUND}.wav`);
    // A second of tone at telephone quality: what a studio would hand over, converted by Tandem if needed.
    await run('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', wav, 'synth', '1', 'sine', '440']);
    await nav(page, 'Sounds');
    await page.getByRole('heading', { name: 'Sounds', exact: true }).waitFor();
    const form = page.getByTestId('sound-upload');
    await form.getByRole('textbox', { name: 'Name' }).fill(SOUND);
    await form.getByRole('textbox', { name: 'Language' }).fill('en');
    await form.getByLabel('File (WAV or MP3)').setInputFiles(wav);
    await form.getByRole('button', { name: 'Upload' }).click();
    await page.getByTestId('sounds-table').locator(`[data-row-id="${SOUND}/en"]`).waitFor();
  });

  it('draws the IVR in the designer (welcome, then the queue) and publishes it', async () => {
    const page = admin.page;
    await nav(page, 'IVR projects');
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByTestId('create-dialog');
    await dialog.getByLabel('Name').fill('Main line');
    await dialog.getByLabel('Channel').selectOption('voice');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.getByTestId('editor').waitFor();
    await block(page, 'start').waitFor();

    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    const playback = await dropBlock(page, 'Playback', canvas.x + canvas.width * 0.5, canvas.y + 200);
    const queue = await dropBlock(page, 'Queue', canvas.x + canvas.width * 0.5, canvas.y + canvas.height - 120);
    const inspector = page.getByTestId('inspector');
    await block(page, playback).click();
    await inspector.getByLabel('Prompts 1', { exact: true }).fill(SOUND);
    await block(page, queue).click();
    await inspector.getByRole('textbox', { name: /^Queue\b/ }).fill(VOICE_QUEUE);

    await page.getByRole('button', { name: 'Arrange' }).click();
    await page.getByRole('button', { name: 'Fit view', exact: true }).click();
    await viewportSettled(page);
    await connectHandles(page, 'start', 'next', playback);
    await connectHandles(page, playback, 'next', queue);
    await page.getByTestId('save').click();
    await page.getByTestId('save-state').filter({ hasText: /^Saved/ }).waitFor();
    await publishVersion(page, 'Welcome, then the support queue', 1);
    await page.screenshot({ path: artifact('acceptance-ivr.png') });

    const [project] = await api<{ id: string; name: string; publishedVersion: number | null }[]>('/api/ivr/projects');
    expect(project).to.include({ name: 'Main line', publishedVersion: 1 });
  });

  it('routes the number to the IVR', async () => {
    const page = admin.page;
    // Out of the full-screen editor by a deep link, as a bookmark would.
    await page.goto('/admin/voice/routes');
    await page.getByRole('heading', { name: 'Routes', exact: true }).waitFor();
    await page.getByRole('button', { name: 'New Inbound route' }).click();
    const editor = page.getByTestId('route-editor');
    await editor.getByRole('textbox', { name: 'Name' }).fill('Support number');
    await editor.getByRole('textbox', { name: 'Pattern' }).fill(DID);
    await editor.getByLabel('IVR project').selectOption({ label: 'Main line' });
    await editor.getByRole('button', { name: 'Create route' }).click();
    await page.getByTestId('routes-table').getByRole('cell', { name: 'Support number', exact: true }).waitFor();
  });

  let websiteKey = '';
  it('creates the chat website for the customer’s site, chats going to the chat queue', async () => {
    const page = admin.page;
    await nav(page, 'Websites');
    await page.getByRole('heading', { name: 'Websites', level: 1 }).waitFor();
    await page.getByRole('form', { name: 'New website' }).getByRole('textbox', { name: 'Name' }).fill('Shop');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'Website “Shop”' }).waitFor();
    await page.getByRole('textbox', { name: 'Origins, one a line' }).fill(site.origin);
    await page.getByLabel('Queue', { exact: true }).selectOption({ label: CHAT_QUEUE });
    await page.getByRole('button', { name: 'Save website' }).click();
    const [website] = await eventually(
      () => api<{ key: string; queueId: number | null; allowedOrigins: string[] }[]>('/api/chat/websites'),
      (list) => list[0]?.queueId !== null && list[0]?.allowedOrigins.length === 1,
      'the website saved with its queue and origin',
    );
    websiteKey = website!.key;
    // The snippet the admin would paste carries this key.
    await page.getByTestId('website-snippet').getByText(`data-tandem-key="${websiteKey}"`, { exact: false }).waitFor();
  });

  it('the agent logs in on the desktop and goes ready; the checklist now has only the test call to do', async () => {
    agent = await openPage(browser, lab.node.tandem.url);
    pages.push(agent);
    const page = agent.page;
    await signInToDesktop(page, AGENT.username, AGENT.password);
    await page.getByLabel('Device').selectOption('web');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out of queues' }).waitFor();
    if (await page.getByRole('button', { name: 'Ready' }).isEnabled()) await page.getByRole('button', { name: 'Ready' }).click();
    await page.getByTestId('presence-state').filter({ hasText: /^Ready$/ }).waitFor();

    await admin.page.goto('/admin');
    for (const id of ['asteriskConnected', 'agentExists', 'queueExists', 'ivrPublished', 'routeToIvr', 'agentLoggedIn']) {
      await eventually(() => step(admin.page, id), (s) => s === 'done', `checklist step ${id} ticked`);
    }
    expect(await step(admin.page, 'testCallPlaced')).to.equal('todo');
  });

  it('a visitor’s chat on the customer’s site reaches the agent’s desktop, and the reply reaches the visitor', async () => {
    const visitor = await openPage(browser, site.origin);
    pages.push(visitor);
    const vp = visitor.page;
    await vp.goto(`/?key=${websiteKey}`);
    await vp.getByRole('button', { name: /^Open chat/ }).click();
    // No pre-chat form on this website: one button starts the chat.
    await vp.getByRole('button', { name: 'Start chat' }).click();
    const box = vp.getByRole('textbox', { name: 'Message' });
    await box.fill('Hello, is my order shipped?');
    await box.press('Enter');

    const ap = agent.page;
    const offer = ap.getByRole('alert', { name: /^New chat from/ });
    await offer.waitFor({ timeout: 60_000 });
    await offer.getByRole('button', { name: 'Accept' }).click();
    const chat = ap.locator('section.chat');
    await chat.getByTestId('chat-line').filter({ hasText: 'Hello, is my order shipped?' }).waitFor();
    await chat.getByLabel('Message').fill('Yes, it left this morning.');
    await chat.getByRole('button', { name: 'Send' }).click();
    await vp.getByText('Yes, it left this morning.').waitFor();
  });

  it('a call to the number plays the welcome sound and rings the agent’s phone, which answers: caller and agent in one bridge', async () => {
    const phone = await lab.phone(EXTENSION, { ringMs: 500, talkMs: 6_000 });
    const mark = lab.ami.events.length;
    const carrier = await lab.carrier(DID, { caller: '3912345678', hangupAfterMs: 60_000 });
    try {
      // Through the IVR: the uploaded sound is played (Tandem's media URL for it), then the queue holds the caller.
      const [played] = await lab.ami.waitFor((e) => e.Event === 'AGIExecStart' && /playback|stream file/i.test(e.Command ?? '') && (e.Command ?? '').includes(SOUND), 'the welcome sound played', { timeoutMs: 60_000 });
      const callerChannel = played!.Channel!;
      const [agentLeg] = await lab.ami.waitFor((e) => e.Event === 'Newchannel' && (e.Channel ?? '').startsWith(`PJSIP/${EXTENSION}-`), 'the agent’s phone ringing', { timeoutMs: 60_000 });
      await phone.waitForLog(/^ANSWERED /, 'the phone answered', { timeoutMs: 60_000 });
      const bridged = await eventually(
        () => {
          const enters = lab.ami.events.slice(mark).filter((e) => e.Event === 'BridgeEnter');
          const callerBridge = enters.find((e) => e.Channel === callerChannel)?.BridgeUniqueid;
          const agentBridge = enters.find((e) => e.Channel === agentLeg!.Channel)?.BridgeUniqueid;
          return callerBridge !== undefined && callerBridge === agentBridge;
        },
        Boolean,
        'caller and agent in one bridge',
        { timeoutMs: 60_000, everyMs: 200 },
      );
      expect(bridged).to.equal(true);
      // The desktop shows the call with the caller's number.
      await agent.page.getByText('3912345678').first().waitFor({ timeout: 30_000 });
    } finally {
      await carrier.stop();
      await phone.stop();
    }
    await admin.page.reload();
    await eventually(() => step(admin.page, 'testCallPlaced'), (s) => s === 'done', 'the test-call step ticked');
    await admin.page.screenshot({ path: artifact('acceptance-home-done.png'), fullPage: true });
  });
});
