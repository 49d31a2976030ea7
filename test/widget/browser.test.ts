// The built widget (designer/dist-widget/tandem-chat.js) on a test page in Chromium, loaded with the
// customer snippet from GET /chat/tandem-chat.js (server/http/widget-asset.ts), talking to the fake
// `/chat-widget` namespace of ./fake-chat-server.ts (the real server/channels/chat was not mounted in
// a Tandem node yet when this was written).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import Koa from 'koa';
import type { Browser } from 'playwright-core';
import { DEFAULT_WIDGET_FILE, widgetAsset } from '../../server/http/widget-asset.ts';
import { buildWidgetIfStale } from '../../designer/build.ts';
import { artifact, launchChromium, openPage, type DesignerPage } from '../designer/harness.ts';
import { OFFLINE_KEY, ONLINE_KEY, PROACTIVE_KEY, startFakeChatServer, type FakeChatServer } from './fake-chat-server.ts';

const BUDGET_BYTES = 50 * 1024;

/** A host page that does its worst to the widget's look: the shadow root must shrug it off. */
const page = (key: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<style>*{font-size:40px!important;color:red!important} button{display:none!important;background:lime!important}
input{border:10px solid orange!important}</style></head>
<body><h1>Acme shop</h1><p><a href="#x" id="page-link">A link on the page</a></p>
<script src="/chat/tandem-chat.js" data-tandem-key="${key}" async></script></body></html>`;

describe('chat widget in a browser', function () {
  this.timeout(60_000);
  let http: HttpServer;
  let fake: FakeChatServer;
  let base: string;
  let browser: Browser;
  const pages: DesignerPage[] = [];

  before(async () => {
    await buildWidgetIfStale();
    const app = new Koa();
    app.use(widgetAsset());
    app.use(async (ctx, next) => {
      // The visitor download route of the real server (X-Tandem-Visitor), same origin here.
      const m = /^\/api\/attachments\/(\d+)$/.exec(ctx.path);
      const file = m ? fake.files.get(Number(m[1])) : undefined;
      if (file === undefined) return next();
      if (ctx.get('x-tandem-visitor') !== file.token) return void (ctx.status = 404);
      ctx.type = 'application/octet-stream';
      ctx.body = file.bytes;
    });
    app.use((ctx) => {
      const keys: Record<string, string> = { '/online.html': ONLINE_KEY, '/offline.html': OFFLINE_KEY, '/unknown.html': 'unknownkey0123456789abcd', '/proactive.html': PROACTIVE_KEY };
      const key = keys[ctx.path];
      if (key === undefined) return;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = page(key);
    });
    http = createServer(app.callback());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    fake = startFakeChatServer(http, base);
    browser = await launchChromium();
  });

  after(async () => {
    for (const p of pages) await p.close().catch(() => undefined);
    await browser?.close();
    await fake?.close();
    await new Promise((resolve) => (http?.listening ? http.close(resolve) : resolve(undefined)));
  });

  it('fits the 50 KB gzipped budget, socket.io client included', () => {
    const bytes = readFileSync(DEFAULT_WIDGET_FILE);
    const gz = gzipSync(bytes, { level: 9 }).length;
    console.log(`      tandem-chat.js: ${bytes.length} bytes, ${gz} bytes gzipped (${(gz / 1024).toFixed(1)} KB of ${BUDGET_BYTES / 1024} KB)`);
    expect(gz).to.be.at.most(BUDGET_BYTES);
  });

  it('lets a keyboard-only visitor chat with the bot, an agent, send a file, and resume after reload', async () => {
    const p = await openPage(browser, base);
    pages.push(p);
    const { page: pg } = p;
    await pg.goto('/online.html');

    // Keyboard only: Tab from the page reaches the launcher despite `button{display:none!important}`.
    const launcher = pg.getByRole('button', { name: 'Open chat: Acme <b>Help</b>' });
    await launcher.waitFor();
    await launcher.focus();
    await pg.keyboard.press('Enter');
    const dialog = pg.getByRole('dialog', { name: /Acme <b>Help<\/b>/ });
    await dialog.waitFor();
    expect(await pg.evaluate(() => document.getElementById('tandem-chat')?.shadowRoot?.activeElement?.getAttribute('name'))).to.equal('name');

    // Pre-chat form: wrong input is named and focused, nothing is sent.
    await pg.keyboard.type('<script>window.__pwned=1</script> Bob');
    await pg.keyboard.press('Tab');
    await pg.keyboard.type('not-an-email');
    await pg.keyboard.press('Enter');
    await dialog.getByText('E-mail must be an e-mail address').waitFor();
    expect(await pg.getByLabel('E-mail').getAttribute('aria-invalid')).to.equal('true');
    expect(fake.starts).to.have.length(0);
    await pg.getByLabel('E-mail').fill('bob@example.com');
    await pg.keyboard.press('Enter');

    // The bot's HTML is shown as text, quick replies are buttons.
    await dialog.getByText('Hi <img src=x onerror="window.__pwned=1">! What do you need?').waitFor();
    expect(fake.starts).to.deep.equal([{ name: '<script>window.__pwned=1</script> Bob', email: 'bob@example.com' }]);
    const log = pg.getByRole('log', { name: 'Messages' });
    expect(await log.getAttribute('aria-live')).to.equal('polite');
    const human = pg.getByRole('button', { name: 'Talk to a person' });
    await human.focus();
    await pg.keyboard.press('Enter');
    await dialog.getByText('Ann <i>Agent</i> is typing…').waitFor();
    expect(await human.isDisabled()).to.equal(true);

    // Typing and sending with the keyboard; the agent answers.
    const composer = pg.getByRole('textbox', { name: 'Message' });
    await composer.focus();
    await pg.keyboard.type('My order <b>42</b> is late');
    await pg.keyboard.press('Enter');
    await dialog.getByText('You said: My order <b>42</b> is late').waitFor();
    expect(await composer.inputValue()).to.equal('');
    expect(fake.typing).to.include(true);
    expect(fake.typing.at(-1)).to.equal(false);

    // Files: the widget refuses a wrong type and an oversize file with clear messages, sends a good one.
    const fileInput = pg.locator('#tc-file');
    await fileInput.setInputFiles({ name: 'virus.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
    await pg.getByRole('alert').getByText('virus.exe: this file type (application/x-msdownload) is not allowed').waitFor();
    await fileInput.setInputFiles({ name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.alloc(2048, 97) });
    await pg.getByRole('alert').getByText('big.txt is too large (2 KB; 1 KB at most)').waitFor();
    await fileInput.setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    const link = dialog.getByRole('link', { name: 'note.txt (5 bytes)' });
    await link.waitFor();
    expect(await link.getAttribute('href')).to.equal(`${base}/api/attachments/7`);
    const download = pg.waitForEvent('download');
    await link.click();
    const saved = await (await download).path();
    expect(readFileSync(saved, 'utf8')).to.equal('hello');

    // The host page's CSS did not reach inside: the launcher is visible and keeps its own colour.
    const look = await pg.evaluate(() => {
      const root = document.getElementById('tandem-chat')?.shadowRoot;
      const b = root?.querySelector('.launcher');
      return b ? { display: getComputedStyle(b).display, bg: getComputedStyle(b).backgroundColor } : null;
    });
    expect(look).to.deep.equal({ display: 'flex', bg: 'rgb(15, 118, 110)' });
    expect(await pg.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).to.equal(undefined);
    await pg.screenshot({ path: artifact('widget-conversation.png') });

    // Escape minimises and gives focus back to the launcher.
    await composer.focus();
    await pg.keyboard.press('Escape');
    expect(await dialog.isVisible()).to.equal(false);
    expect(await pg.evaluate(() => document.getElementById('tandem-chat')?.shadowRoot?.activeElement?.className)).to.equal('launcher');

    // Reload: the stored visitorToken reconnects to the same chat with its history.
    const token = await pg.evaluate((k) => localStorage.getItem(`tandem-chat:${k}:visitor`), ONLINE_KEY);
    expect(token).to.be.a('string');
    await pg.reload();
    await pg.getByRole('button', { name: 'Open chat: Acme <b>Help</b>' }).click();
    await dialog.getByText('You said: My order <b>42</b> is late').waitFor();
    expect(await pg.evaluate((k) => localStorage.getItem(`tandem-chat:${k}:visitor`), ONLINE_KEY)).to.equal(token);

    // The visitor ends the chat.
    await dialog.getByRole('button', { name: 'End chat' }).click();
    await pg.getByRole('button', { name: 'Open chat: Acme <b>Help</b>' }).click();
    await dialog.getByRole('button', { name: 'Start a new chat' }).waitFor();
    expect(fake.closes).to.equal(1);
    expect(await pg.getByRole('textbox', { name: 'Message' }).count()).to.equal(0);
    expect(p.errors).to.deep.equal([]);
  });

  it('offers the offline form when nobody can answer', async () => {
    const p = await openPage(browser, base);
    pages.push(p);
    const { page: pg } = p;
    await pg.goto('/offline.html');
    await pg.getByRole('button', { name: /Open chat/ }).click();
    await pg.getByLabel('Your name').fill('Eve');
    await pg.getByLabel('E-mail').fill('eve@example.com');
    await pg.getByRole('button', { name: 'Start chat' }).click();
    await pg.getByText('We are away: leave a message').waitFor();
    await pg.getByRole('button', { name: 'Send message' }).click();
    // E-mail of the offline form is required and empty; the message too.
    await pg.getByText('E-mail is required').waitFor();
    await pg.getByLabel('E-mail').fill('eve@example.com');
    await pg.getByLabel('Message').fill('Please call me back');
    await pg.getByRole('button', { name: 'Send message' }).click();
    await pg.getByText('Thank you, your message was sent. We will get back to you.').waitFor();
    expect(fake.offlineSubmissions).to.deep.equal([{ form: { email: 'eve@example.com' }, message: 'Please call me back' }]);
    await pg.screenshot({ path: artifact('widget-offline.png') });
    expect(p.errors).to.deep.equal([]);
  });

  it('opens by itself after the proactive delay without taking the focus from the page', async () => {
    const p = await openPage(browser, base);
    pages.push(p);
    const { page: pg } = p;
    await pg.goto('/proactive.html');
    await pg.locator('#page-link').focus();
    const dialog = pg.getByRole('dialog', { name: /Acme/ });
    expect(await dialog.isVisible()).to.equal(false);
    await dialog.waitFor({ state: 'visible' });
    await pg.getByText('Hello! Ask us anything.').waitFor();
    expect(await pg.evaluate(() => document.activeElement?.id)).to.equal('page-link');
    expect(await pg.getByRole('button', { name: 'Close chat: Acme <b>Help</b>' }).getAttribute('aria-expanded')).to.equal('true');
    expect(p.errors).to.deep.equal([]);
  });

  it('forgets a stored visitor token the server refuses and starts afresh', async () => {
    const p = await openPage(browser, base);
    pages.push(p);
    await p.context.addInitScript((k) => localStorage.setItem(`tandem-chat:${k}:visitor`, 'someone-elses-token'), ONLINE_KEY);
    await p.page.goto('/online.html');
    await p.page.getByRole('button', { name: /Open chat/ }).click();
    await p.page.getByLabel('Your name').waitFor();
    const stored = await p.page.evaluate((k) => localStorage.getItem(`tandem-chat:${k}:visitor`), ONLINE_KEY);
    expect(stored).to.be.a('string').and.not.equal('someone-elses-token');
  });

  it('stays hidden with a console warning on a website key the server does not know', async () => {
    const p = await openPage(browser, base);
    pages.push(p);
    const warnings: string[] = [];
    p.page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    await p.page.goto('/unknown.html');
    await p.page.waitForFunction(() => document.getElementById('tandem-chat')?.hidden === true);
    expect(warnings.join('\n')).to.match(/UNKNOWN_WEBSITE/);
  });
});
