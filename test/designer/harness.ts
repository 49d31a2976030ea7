// Browser tests of the designer: builds the app when designer/dist is missing or older than its
// sources, starts a real Tandem node (which serves the app and the API on one port), and drives
// Debian's Chromium through playwright-core. No browser is ever downloaded.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const designerDir = path.join(repoRoot, 'designer');
export const distIndex = path.join(designerDir, 'dist', 'index.html');
export const artifactsDir = path.join(repoRoot, 'artifacts');

export const CHROMIUM_PATH = process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export { ensureDesignerBuilt } from '../../designer/build.ts';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium, or set TANDEM_CHROMIUM); the designer tests never download a browser`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface DesignerPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught page errors and console errors, for a final "no errors" check. */
  readonly errors: string[];
  close(): Promise<void>;
}

export async function openPage(browser: Browser, baseURL: string): Promise<DesignerPage> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1600, height: 960 }, deviceScaleFactor: 1, acceptDownloads: true, locale: 'en-GB', timezoneId: 'Europe/Rome' });
  const page = await context.newPage();
  // Generous: a loaded 2-core machine (CI beside other jobs) can take seconds for one action.
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
  page.on('console', (message: ConsoleMessage) => {
    // Failed requests the test provokes on purpose (409, 400, 403) are logged by Chromium as errors.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) errors.push(`console: ${message.text()}`);
  });
  return { context, page, errors, close: () => context.close() };
}

/**
 * Signs in through the login page: opened at `path` (an app page that asks for a login) or, with
 * `next`, at /login?next=…; waits for the `heading` of the page it lands on when one is given.
 */
export async function signIn(page: Page, username: string, password: string, opts: { path?: string; next?: string; heading?: string } = {}): Promise<void> {
  await page.goto(opts.next !== undefined ? `/login?next=${encodeURIComponent(opts.next)}` : (opts.path ?? '/'));
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (opts.heading) await page.getByRole('heading', { name: opts.heading }).waitFor();
}

/** Into the IVR designer's project list. */
export const login = (page: Page, username: string, password: string): Promise<void> => signIn(page, username, password, { path: '/ivr', heading: 'IVR projects' });

/** Into the agent desktop (not yet logged in to the queues): agents land there. */
export const signInToDesktop = (page: Page, username: string, password: string): Promise<void> => signIn(page, username, password, { heading: 'Agent desktop' });

export function artifact(name: string): string {
  mkdirSync(artifactsDir, { recursive: true });
  return path.join(artifactsDir, name);
}

/** Centre of an element's box on the page. */
export async function centreOf(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox();
  if (box === null) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a wire from a block's exit handle to another block's input handle. */
export async function connectHandles(page: Page, source: string, exit: string, target: string): Promise<void> {
  const from = await centreOf(page, `.react-flow__handle[data-nodeid="${source}"][data-handleid="${exit}"]`);
  const to = await centreOf(page, `.react-flow__handle[data-nodeid="${target}"][data-handleid="in"]`);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
  await page.locator(`.react-flow__edge[data-id="${source}:${exit}"], [data-testid="rf__edge-${source}:${exit}"]`).first().waitFor();
}

/** A block on the canvas by id. */
export const block = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

/** Drops a palette block with the pointer at (x, y) of the page; returns the new block's id. */
export async function dropBlock(page: Page, type: string, x: number, y: number): Promise<string> {
  const ids = () => page.locator('.react-flow__node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id') ?? ''));
  const before = new Set(await ids());
  const canvas = await page.getByTestId('canvas').boundingBox();
  if (canvas === null) throw new Error('no canvas');
  await page.dragAndDrop(`[data-testid="palette-${type}"]`, '[data-testid=canvas]', { targetPosition: { x: x - canvas.x, y: y - canvas.y } });
  await page.waitForFunction((n) => document.querySelectorAll('.react-flow__node').length === n + 1, before.size);
  const fresh = (await ids()).filter((id) => !before.has(id));
  if (fresh.length !== 1) throw new Error(`dropping ${type} added ${fresh.length} blocks`);
  return fresh[0]!;
}

/** Waits until the canvas viewport stops moving (fit view animates). */
export async function viewportSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const w = window as unknown as { __lastViewport?: string; __steady?: number };
    const now = (document.querySelector('.react-flow__viewport') as HTMLElement | null)?.style.transform ?? '';
    w.__steady = now === w.__lastViewport ? (w.__steady ?? 0) + 1 : 0;
    w.__lastViewport = now;
    return w.__steady >= 3;
  }, undefined, { polling: 50 });
}

/** Publishes through the dialog; fails with the dialog's message when the publish is refused. */
export async function publishVersion(page: Page, message: string, version: number): Promise<void> {
  await page.getByTestId('publish').click();
  const dialog = page.getByTestId('publish-dialog');
  await dialog.getByLabel('What changed').fill(message);
  await dialog.getByTestId('publish-confirm').click();
  const published = page.getByTestId('published-version').filter({ hasText: `Published v${version}` });
  const refused = dialog.getByTestId('publish-error');
  await published.or(refused).first().waitFor();
  if (await refused.isVisible()) throw new Error(`publish refused: ${await refused.textContent()}`);
}
