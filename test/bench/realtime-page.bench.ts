// The realtime page with 500 agents in a real browser against a real node: how long the first
// snapshot takes to draw, and, while agents are paused and unpaused through the API as fast as the
// node takes it, how long a change takes to show, how many long tasks (> 50 ms) the page runs and
// how many frames it drops. Plus the page's reducer alone on a 500-agent board. Figures only, no
// thresholds. Run: npm run bench -- realtime-page
import { performance } from 'node:perf_hooks';
import type { CDPSession, Page } from 'playwright-core';
import { ADMIN_PASSWORD, agentBody } from '../support/tandem.ts';
import { openPage } from '../designer/harness.ts';
import { machineLine, runBench, startNodeAndChromium } from './browser-bench.ts';
import { applyDeltas, boardFromSnapshot } from '../../designer/src/realtime/boardState.ts';
import { agent as agentFixture, snapshot as snapshotFixture } from '../realtime-page/fixtures.ts';

const AGENTS = Number(process.env.BOARD_AGENTS ?? 500);
const LOAD_SECONDS = Number(process.env.BOARD_LOAD_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BOARD_LOAD_CLIENTS ?? 4);
const IDLE_SECONDS = 5;

interface PageFigures {
  longTasks: number[];
  frames: number[];
  heap: number;
  mainThread?: string;
}

// Strings, not functions: tsx would wrap named functions in a helper the page does not have.
const START_MEASURING = `(() => {
  const bench = { longTasks: [], frames: [], run: true };
  window.__bench = bench;
  bench.observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) bench.longTasks.push(e.duration); });
  bench.observer.observe({ type: 'longtask', buffered: false });
  let last = performance.now();
  const frame = (now) => { bench.frames.push(now - last); last = now; if (bench.run) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})()`;
const STOP_MEASURING = `(() => {
  const bench = window.__bench;
  bench.run = false;
  bench.observer.disconnect();
  return { longTasks: bench.longTasks, frames: bench.frames, heap: performance.memory ? performance.memory.usedJSHeapSize : 0 };
})()`;
// Chromium's own accounting of the page's main thread (CDP Performance.getMetrics): seconds spent
// in script, style and layout, split so that a slow phase says which of them it was.
const METRICS = ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration'] as const;
type Metrics = Record<(typeof METRICS)[number], number>;
let cdp: CDPSession | null = null;
let metricsAtStart: Metrics | null = null;
async function metrics(page: Page): Promise<Metrics> {
  if (cdp === null) {
    cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
  }
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  const out = { TaskDuration: 0, ScriptDuration: 0, RecalcStyleDuration: 0, LayoutDuration: 0 };
  for (const m of list) if ((METRICS as readonly string[]).includes(m.name)) out[m.name as keyof Metrics] = m.value;
  return out;
}
const startMeasuring = async (page: Page): Promise<void> => {
  metricsAtStart = await metrics(page);
  await page.evaluate(START_MEASURING);
};
const stopMeasuring = async (page: Page): Promise<PageFigures> => {
  const figures = (await page.evaluate(STOP_MEASURING)) as PageFigures;
  const end = await metrics(page);
  const start = metricsAtStart!;
  figures.mainThread = METRICS.map((k) => `${k.replace('Duration', '')} ${ms((end[k] - start[k]) * 1000)}`).join(', ');
  return figures;
};

function report(what: string, figures: PageFigures): void {
  const frames = [...figures.frames].sort((a, b) => a - b);
  const longTasks = [...figures.longTasks].sort((a, b) => a - b);
  console.log(
    `${what}: ${frames.length} frames, p50 ${ms(pct(frames, 50))}, p99 ${ms(pct(frames, 99))}, max ${ms(frames.at(-1) ?? NaN)}; frames over 50 ms: ${frames.filter((f) => f > 50).length}; long tasks: ${longTasks.length} (total ${ms(longTasks.reduce((a, b) => a + b, 0))}, max ${ms(longTasks.at(-1) ?? NaN)}); JS heap ${(figures.heap / 1e6).toFixed(1)} MB; main thread: ${figures.mainThread ?? '?'}`,
  );
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (n: number): string => `${n.toFixed(1)} ms`;

async function pool<T>(items: readonly T[], work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

function reducerFigures(): void {
  const agents = Array.from({ length: 500 }, (_, i) => agentFixture(i + 1));
  const batches = 5000;
  const perBatch = 10;
  const prepared = Array.from({ length: batches }, (_, b) => [{ seq: b + 1, at: '2026-11-22T09:00:00.000Z', agents: Array.from({ length: perBatch }, (_, k) => agentFixture(1 + ((b * perBatch + k) % 500), { name: `n${b}` })) }]);
  // Three rounds: the first one warms the JIT up; the figures are of each round.
  const rounds: string[] = [];
  for (let round = 0; round < 3; round++) {
    let state = boardFromSnapshot(snapshotFixture({ seq: 0, agents }));
    const started = performance.now();
    for (const batch of prepared) state = applyDeltas(state, batch).state;
    rounds.push(`${(((performance.now() - started) * 1000) / batches).toFixed(1)} µs`);
  }
  console.log(`reducer: ${batches} deltas of ${perBatch} agents each on a 500-agent board, per delta, rounds 1-3: ${rounds.join(', ')}`);
}

async function main(): Promise<void> {
  reducerFigures();
  const started = await startNodeAndChromium({ acdTickMs: 200 });
  const { node, browser } = started;
  try {
    const c = node.client;
    const admin = node.adminToken;
    const queueIds: number[] = [];
    for (let i = 0; i < 10; i++) {
      const q = await c.post<{ id: number }>('/api/queues', { name: `Bench ${i}`, channel: i % 2 === 0 ? 'voice' : 'chat', ringTimeoutSec: 30, retrySec: 0, strategy: 'linear' }, admin);
      queueIds.push(q.body.id);
    }
    await c.post('/api/pause-reasons', { name: 'Lunch' }, admin);
    const setup = performance.now();
    const ids: number[] = new Array<number>(AGENTS);
    await pool(
      Array.from({ length: AGENTS }, (_, i) => i),
      async (i) => {
        const body = agentBody({ fullName: `Bench Agent ${String(i).padStart(3, '0')}` });
        const created = await c.post<{ id: number }>('/api/agents', body, admin);
        if (created.status !== 201) throw new Error(`agent: ${created.status} ${created.text}`);
        ids[i] = created.body.id;
        await c.post(`/api/queues/${queueIds[i % 10]}/agents`, { agentId: created.body.id }, admin);
        await c.post(`/api/queues/${queueIds[(i + 1) % 10]}/agents`, { agentId: created.body.id }, admin);
        const token = await c.login(String(body.username), String(body.password));
        await c.post('/api/me/login', { device: 'web' }, token);
      },
    );
    console.log(`setup: ${AGENTS} agents created and logged in in ${ms(performance.now() - setup)}`);

    const page = await openPage(browser, node.tandem.url);
    // BOARD_NO_IO=1: without IntersectionObserver every counter ticks, on screen or not (for comparison).
    if (process.env.BOARD_NO_IO === '1') await page.page.addInitScript('delete window.IntersectionObserver');
    await page.page.goto('/login?next=/realtime');
    await page.page.getByLabel('Username').fill('admin');
    await page.page.getByLabel('Password').fill(ADMIN_PASSWORD);
    const t0 = performance.now();
    await page.page.getByRole('button', { name: 'Sign in' }).click();
    await page.page.waitForFunction((n) => document.querySelectorAll('[data-testid^="agent-row-"]').length >= n, AGENTS, { timeout: 60_000 });
    console.log(`first draw: ${AGENTS} agent rows ${ms(performance.now() - t0)} after signing in (login, snapshot, render)`);

    // Idle first: only the counters tick (and deltas for whatever else moves).
    await startMeasuring(page.page);
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    report(`page idle ${IDLE_SECONDS} s (counters ticking)`, await stopMeasuring(page.page));

    await startMeasuring(page.page);
    let changes = 0;
    let stop = false;
    const paused = new Set<number>();
    const load = (async () => {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, worker) => {
          let k = worker;
          while (!stop) {
            const id = ids[(k * 7919) % AGENTS]!;
            k += CONCURRENCY;
            const pause = !paused.has(id);
            const r = await c.post(`/api/agents/${id}/${pause ? 'pause' : 'unpause'}`, pause ? { reason: 'Lunch' } : {}, admin);
            if (r.status === 200) {
              if (pause) paused.add(id);
              else paused.delete(id);
              changes++;
            }
          }
        }),
      );
    })();

    // Latency probes: a unique reason on one agent, timed until the page shows it.
    const latencies: number[] = [];
    const loadStart = performance.now();
    let probe = 0;
    while (performance.now() - loadStart < LOAD_SECONDS * 1000) {
      const id = ids[(probe * 31 + 3) % AGENTS]!;
      const reason = `Probe ${++probe}`;
      const sent = performance.now();
      await c.post(`/api/agents/${id}/pause`, { reason }, admin);
      await page.page.waitForFunction(
        ([agentId, text]) => document.querySelector(`[data-testid="agent-state-${agentId}"]`)?.textContent?.includes(text) === true,
        [id, reason] as const,
        { polling: 'raf', timeout: 20_000 },
      );
      latencies.push(performance.now() - sent);
      await new Promise((r) => setTimeout(r, 200));
    }
    stop = true;
    await load;
    const seconds = (performance.now() - loadStart) / 1000;
    const inPage = await stopMeasuring(page.page);
    latencies.sort((a, b) => a - b);
    console.log(`load: ${changes} presence changes in ${seconds.toFixed(1)} s (${(changes / seconds).toFixed(0)}/s through the API, ${CONCURRENCY} clients)`);
    console.log(`change → row updated (API call + board flush 250 ms + render), ${latencies.length} probes: p50 ${ms(pct(latencies, 50))}, p95 ${ms(pct(latencies, 95))}, max ${ms(latencies.at(-1) ?? NaN)}`);
    report('page during load', inPage);
    console.log(machineLine());
    console.log(`page errors: ${page.errors.length === 0 ? 'none' : page.errors.join('; ')}`);
    await page.close();
  } finally {
    await started.stop();
  }
}

runBench(main);
