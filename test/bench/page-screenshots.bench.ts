/**
 * Every page of the web app, photographed at a desktop size (1440×900) and a phone size (390×844),
 * for a person to look at: `npm run bench -- page-screenshots` writes artifacts/screens/<page>-<size>.png
 * and prints, per page and size, the time from navigation until its heading was drawn and the
 * page's height (a page far taller on the phone than on the desktop is worth a look). The node gets
 * a little of everything first (queues, agents, a team, a project and its route, a website, a pause
 * reason), so that no page is photographed empty. Figures only, no thresholds.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PAGES } from '../../designer/src/admin/nav.ts';
import { en } from '../../designer/src/i18n/en.ts';
import { artifactsDir, openPage, signIn } from '../designer/harness.ts';
import { ADMIN_PASSWORD, agentBody, okBody } from '../support/tandem.ts';
import { queueFlowProject } from '../support/world.ts';
import { machineLine, runBench, startNodeAndChromium } from './browser-bench.ts';

const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

runBench(async () => {
  const outDir = path.join(artifactsDir, 'screens');
  mkdirSync(outDir, { recursive: true });
  const { node, browser, stop } = await startNodeAndChromium();
  try {
    const { client, adminToken: t } = node;
    const voice = okBody(await client.post<{ id: number }>('/api/queues', { name: 'Support', channel: 'voice' }, t), 201);
    okBody(await client.post('/api/queues', { name: 'Web help', channel: 'chat' }, t), 201);
    const agentIds: number[] = [];
    for (const name of ['Ada Lovelace', 'Bob Babbage', 'Cleo Hopper']) {
      const a = okBody(await client.post<{ id: number }>('/api/agents', agentBody({ fullName: name }), t), 201);
      agentIds.push(a.id);
      await client.post(`/api/queues/${voice.id}/agents`, { agentId: a.id }, t);
    }
    const team = okBody(await client.post<{ id: number }>('/api/teams', { name: 'Day shift' }, t), 201);
    okBody(await client.put(`/api/teams/${team.id}/agents`, { agentIds }, t), 200);
    okBody(await client.post('/api/pause-reasons', { name: 'Lunch' }, t), 201);
    const project = okBody(await client.post<{ id: string }>('/api/ivr/projects', { name: 'Main line', channel: 'voice', project: queueFlowProject('Support') }, t), 201);
    okBody(await client.post(`/api/ivr/projects/${project.id}/publish`, {}, t), 201);
    okBody(await client.post('/api/voice/routes', { kind: 'inbound', name: 'Main number', pattern: '5550100', projectId: project.id }, t), 201);
    okBody(await client.post('/api/chat/websites', { name: 'Shop', allowedOrigins: ['https://shop.example'] }, t), 201);

    const admin = await openPage(browser, node.tandem.url);
    await signIn(admin.page, 'admin', ADMIN_PASSWORD, { heading: 'Home' });
    const targets: { id: string; href: string; heading: string }[] = [
      { id: 'home', href: '/admin', heading: 'Home' },
      ...PAGES.map((p) => ({ id: p.id, href: p.href, heading: headingOf(p.id) })),
      { id: 'designer', href: `/ivr/projects/${project.id}`, heading: 'Main line' },
      { id: 'desktop', href: '/desktop', heading: 'Agent desktop' },
    ];
    console.log(machineLine());
    console.log(`page                 size     drawn (ms)  height (px)`);
    for (const size of SIZES) {
      await admin.page.setViewportSize({ width: size.width, height: size.height });
      for (const target of targets) {
        const { drawnMs, height } = await photograph(admin.page, target.href, target.heading, path.join(outDir, `${target.id}-${size.name}.png`));
        console.log(`${target.id.padEnd(20)} ${size.name.padEnd(8)} ${drawnMs.toFixed(0).padStart(10)}  ${String(height).padStart(11)}`);
      }
    }
    await admin.close();
    console.log(`screenshots in ${outDir}`);
  } finally {
    await stop();
  }
});

/** The heading a page shows: its menu name, except where the page titles itself otherwise. */
function headingOf(id: string): string {
  const pages = en.shell.pages as Record<string, string>;
  if (id === 'voiceIvr' || id === 'chatFlows') return 'IVR projects';
  if (id === 'chatQueues') return 'Queues';
  if (id === 'realtime') return 'Realtime';
  return pages[id] ?? id;
}

async function photograph(page: Page, href: string, heading: string, file: string): Promise<{ drawnMs: number; height: number }> {
  const started = performance.now();
  await page.goto(href);
  // A heading by name where the page has one of its own; the designer names the project.
  await page.getByRole('heading', { name: heading }).or(page.getByText(heading, { exact: true })).first().waitFor({ state: 'attached', timeout: 30_000 });
  const drawnMs = performance.now() - started;
  // Data and lazy chunks settle after the heading; a page still loading would be photographed half drawn.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({ path: file, fullPage: true });
  // The shell scrolls inside <main>: its content height is the page's length.
  const height = (await page.evaluate('Math.max(document.documentElement.scrollHeight, document.querySelector("main")?.scrollHeight ?? 0)')) as number;
  return { drawnMs, height };
}
