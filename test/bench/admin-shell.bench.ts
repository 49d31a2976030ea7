// The web app's first load against a real node: each chunk's size (designer/bundle-report.ts), then
// for a signed-in admin opening /admin in a fresh browser context (cold cache) and again after a
// reload (warm cache): bytes transferred, requests, and the time from navigation until the shell is
// interactive (the menu and the Home checklist drawn). Figures only, no thresholds.
// Run: npm run bench -- admin-shell
import type { Page } from 'playwright-core';
import { ensureDesignerBuilt, openPage } from '../designer/harness.ts';
import { machineLine, runBench, startNodeAndChromium } from './browser-bench.ts';
import { chunks, describeChunks } from '../../designer/bundle-report.ts';

const RUNS = Number(process.env.SHELL_RUNS ?? 5);

interface Load {
  bytes: number;
  requests: number;
  interactiveMs: number;
}

// A string, not a function: tsx would wrap a named function in a helper the page does not have.
const SHELL_READY = `(() => document.querySelector('[data-testid="admin-nav"] a[href="/admin/tools/pause-reasons"]') !== null
  && document.querySelector('[data-testid="step-queueExists"]')?.getAttribute('data-state') === 'todo')`;

async function load(page: Page, open: () => Promise<unknown>): Promise<Load> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    requests++;
  });
  await open();
  await page.waitForFunction(SHELL_READY, undefined, { polling: 'raf', timeout: 30_000 });
  const interactiveMs = (await page.evaluate('performance.now()')) as number;
  await cdp.detach();
  return { bytes, requests, interactiveMs };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main(): Promise<void> {
  await ensureDesignerBuilt();
  console.log(describeChunks(chunks()));
  const started = await startNodeAndChromium();
  const { node, browser } = started;
  try {
    const cold: Load[] = [];
    const warm: Load[] = [];
    for (let run = 0; run < RUNS; run++) {
      const tab = await openPage(browser, node.tandem.url);
      // Signed in already (the stored token), as after any earlier visit.
      await tab.context.addInitScript(`localStorage.setItem('tandem.token', ${JSON.stringify(node.adminToken)})`);
      cold.push(await load(tab.page, () => tab.page.goto('/admin')));
      warm.push(await load(tab.page, () => tab.page.reload()));
      if (tab.errors.length > 0) throw new Error(`page errors: ${tab.errors.join('; ')}`);
      await tab.close();
    }
    for (const [what, list] of [
      ['cold cache', cold],
      ['warm cache', warm],
    ] as const) {
      console.log(
        `${what}, ${list.length} runs: transferred ${(median(list.map((l) => l.bytes)) / 1024).toFixed(1)} kB in ${median(list.map((l) => l.requests))} requests (median); shell interactive after ${median(list.map((l) => l.interactiveMs)).toFixed(0)} ms median, ${Math.max(...list.map((l) => l.interactiveMs)).toFixed(0)} ms max`,
      );
    }
    console.log(machineLine());
  } finally {
    await started.stop();
  }
}

runBench(main);
