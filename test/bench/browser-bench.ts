// What the browser benches share: a real node and Chromium started together (the app built first),
// the line that says how loaded the machine was (figures from a shared 2-core box mean little
// without it), and running a bench's main() as a script that exits non-zero when it fails.
import { cpus, loadavg } from 'node:os';
import type { Browser } from 'playwright-core';
import { startTestNode, type TestNode } from '../support/tandem.ts';
import { ensureDesignerBuilt, launchChromium } from '../designer/harness.ts';
import type { StartOptions } from '../../server/tandem.ts';

export interface NodeAndChromium {
  node: TestNode;
  browser: Browser;
  /** Closes the browser, then stops the node. */
  stop(): Promise<void>;
}

export async function startNodeAndChromium(nodeOptions: Partial<StartOptions> = {}): Promise<NodeAndChromium> {
  await ensureDesignerBuilt();
  const [node, browser] = await Promise.all([startTestNode('postgres', {}, nodeOptions), launchChromium()]);
  return {
    node,
    browser,
    stop: async () => {
      await browser.close();
      await node.stop();
    },
  };
}

export const machineLine = (): string => `machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (node, PostgreSQL and Chromium share them)`;

export function runBench(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
