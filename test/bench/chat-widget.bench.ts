/**
 * Web chat under load: `npm run bench -- chat-widget`.
 *
 * The Tandem node runs in a child process (its own event loop, as in production, so the thousand
 * simulated browsers in this process do not slow the server they measure), on PostgreSQL with the
 * production pool size (DATABASE_POOL_SIZE default, 10). CHAT_BENCH_CONNECTIONS widget sockets
 * (default 1000) start chats that 20 auto-answering simulated agents take (socket.io for events,
 * REST for replies, as the desktop does). Every agent answers every visitor message at once.
 *
 *   1. steady: each visitor writes every CHAT_BENCH_EVERY_MS (default 3000 ms, random phase and
 *      ±30 % jitter) for CHAT_BENCH_STEADY_S seconds (default 15): a heavy but human-plausible rate.
 *   2. burst: every visitor sends one message at the same instant, CHAT_BENCH_BURSTS times (default 3),
 *      each round once the previous one is delivered both ways.
 *
 * Per scenario: messages delivered, messages/s, p50/p99 delivery visitor → agent (widget emit to the
 * agent's `chat:message`) and agent → visitor (REST request start to the widget's `message`), and the
 * server's CPU time. CHAT_BENCH_PROFILE=<dir> writes the server's V8 CPU profile of the two message
 * scenarios (not the connection phase) there; CHAT_BENCH_COUNT_QUERIES=1 prints the SQL statements
 * the server sent per phase.
 * No pass/fail on speed: a scenario cut by its deadline reports what finished.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { agentBody, ApiClient } from '../support/tandem.ts';
import { openAgentSocket, openWidget, ORIGIN, type Widget } from '../channels/chat/support.ts';

interface ServerReady {
  kind: 'ready';
  url: string;
  adminToken: string;
}
interface ServerProfiled {
  kind: 'profiled';
  file: string;
}
interface ServerCpu {
  kind: 'cpu';
  userMs: number;
  systemMs: number;
  loopDelayP99Ms: number;
}

if (process.env.CHAT_BENCH_ROLE === 'server') await serveNode();
else await drive();

/** The child: one Tandem node on a fresh PostgreSQL database; answers 'cpu' and stops on 'stop'. */
async function serveNode(): Promise<void> {
  const { createTestDatabase, quietLogger } = await import('../support/database.ts');
  const { openDatabase } = await import('../../server/db/database.ts');
  const { startTandem } = await import('../../server/tandem.ts');
  const { testConfig, ADMIN_PASSWORD } = await import('../support/tandem.ts');
  const queryCounts = new Map<string, number>();
  if (process.env.CHAT_BENCH_COUNT_QUERIES) {
    // Which statements the server sends, by shape: the figure that says where round trips go.
    const pg = (await import('pg')).default;
    const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
      const first = args[0] as string | { text?: string };
      const text = (typeof first === 'string' ? first : (first?.text ?? '')).replace(/\$\d+/g, '?').replace(/\s+/g, ' ').slice(0, 110);
      queryCounts.set(text, (queryCounts.get(text) ?? 0) + 1);
      return original.apply(this, args);
    } as typeof pg.Client.prototype.query;
  }
  const testDb = await createTestDatabase('postgres');
  await testDb.database.close();
  const database = await openDatabase({ url: testDb.url, dataDir: 'unused', poolSize: 10, connectRetries: 0, logger: quietLogger() });
  // Every simulated visitor connects from 127.0.0.1: lift the per-address connection cap.
  const tandem = await startTandem(testConfig({ TANDEM_MAX_CONNECTIONS_PER_ADDRESS: '1000000' }), { database, logger: quietLogger(), scheduler: false, acdTickMs: 50 });
  const admin = await new ApiClient(tandem.url).login('admin', ADMIN_PASSWORD);
  const inspector = await import('node:inspector/promises');
  const session = new inspector.Session();
  session.connect();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let cpu = process.cpuUsage();
  const send = (m: ServerReady | ServerCpu | ServerProfiled) => process.send?.(m);
  process.on('message', (m: { kind: string; dir?: string }) => {
    if (m.kind === 'profile-start') {
      void session.post('Profiler.enable').then(() => session.post('Profiler.start'));
    } else if (m.kind === 'profile-stop' && m.dir) {
      const dir = m.dir;
      void (async () => {
        const { profile } = await session.post('Profiler.stop');
        const { writeFile } = await import('node:fs/promises');
        const file = `${dir}/chat-widget-server-${Date.now()}.cpuprofile`;
        await writeFile(file, JSON.stringify(profile));
        send({ kind: 'profiled', file });
      })();
    } else if (m.kind === 'cpu') {
      const d = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      if (queryCounts.size) {
        for (const [text, n] of [...queryCounts].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${String(n).padStart(7)}  ${text}`);
        queryCounts.clear();
      }
      send({ kind: 'cpu', userMs: d.user / 1000, systemMs: d.system / 1000, loopDelayP99Ms: loop.percentile(99) / 1e6 });
      loop.reset();
    } else if (m.kind === 'stop') {
      void (async () => {
        await tandem.stop();
        await database.close().catch(() => undefined);
        await testDb.drop();
        process.exit(0);
      })();
    }
  });
  // The driver died without saying 'stop': do not linger (its database is left for the next cleanup).
  process.on('disconnect', () => process.exit(1));
  send({ kind: 'ready', url: tandem.url, adminToken: admin });
}

async function drive(): Promise<void> {
  const N = Number(process.env.CHAT_BENCH_CONNECTIONS ?? 1000);
  const AGENTS = 20;
  const EVERY_MS = Number(process.env.CHAT_BENCH_EVERY_MS ?? 3000);
  const STEADY_S = Number(process.env.CHAT_BENCH_STEADY_S ?? 15);
  const BURSTS = Number(process.env.CHAT_BENCH_BURSTS ?? 3);
  const profileDir = process.env.CHAT_BENCH_PROFILE;
  const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!.toFixed(1) : 'n/a');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, CHAT_BENCH_ROLE: 'server' },
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  });
  const fromChild = <T extends { kind: string }>(kind: T['kind']) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: T) => {
        if (m.kind !== kind) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m);
      };
      const onExit = (code: number | null) => reject(new Error(`the server process exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await fromChild<ServerReady>('ready');
  const serverCpu = async () => {
    const got = fromChild<ServerCpu>('cpu');
    child.send({ kind: 'cpu' });
    return got;
  };

  const c = new ApiClient(ready.url);
  const admin = ready.adminToken;
  const sockets: { close(): void }[] = [];
  /** Per scenario: delivery times in each direction. */
  let toAgent: number[] = [];
  let toVisitor: number[] = [];
  let failedReplies = 0;
  try {
    const q = await c.post<{ id: number; name: string }>('/api/queues', { name: 'bench', channel: 'chat', ringTimeoutSec: 30, retrySec: 0, timeoutSec: 300 }, admin);
    // Every simulated visitor comes from 127.0.0.1: the per-address limits are lifted to let one client stand for a crowd.
    const crowd = Math.min(10_000, N + 10);
    const limits = { connectionsPerAddress: crowd, newChatsPerAddress: crowd, newChatsPerWebsite: crowd, maxOpenChats: crowd };
    const w = await c.post<{ key: string }>('/api/chat/websites', { name: 'Bench', allowedOrigins: [ORIGIN], queueId: q.body.id, limits }, admin);
    for (let i = 0; i < AGENTS; i++) {
      const body = agentBody({ capacity: { chat: Math.ceil(N / AGENTS) + 1 }, autoAnswer: { chat: { enabled: true, delaySeconds: 0 } } });
      const a = await c.post<{ id: number }>('/api/agents', body, admin);
      await c.post(`/api/queues/${q.body.id}/agents`, { agentId: a.body.id, penalty: 0 }, admin);
      const token = await c.login(String(body.username), String(body.password));
      await c.post('/api/me/login', { device: 'web' }, token);
      const s = await openAgentSocket(c.baseUrl, token);
      sockets.push({ close: () => s.socket.disconnect() });
      s.socket.on('chat:message', (e: { interactionId: number; message: { from: string; text: string } }) => {
        if (e.message.from !== 'visitor') return;
        toAgent.push(performance.now() - Number(e.message.text.split(' ')[0]));
        // A reply that fails (a reset keep-alive connection on a loaded machine) is counted, not fatal.
        void c.post(`/api/interactions/${e.interactionId}/messages`, { text: `${performance.now()} re` }, token).then(
          (r) => r.status === 201 || failedReplies++,
          () => failedReplies++,
        );
      });
    }

    const t0 = performance.now();
    // Generous: on a loaded machine the 1,000 chats' set-up (visitor, contact, interaction, queue
    // entry, offer, acceptance: about ten commits each) takes minutes; the figures are about messages.
    const connectBy = t0 + 240_000;
    const widgets: Widget[] = [];
    for (let i = 0; i < N && performance.now() < connectBy; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, N - i) }, async () => {
          const v = await openWidget(c.baseUrl, w.body.key).catch(() => undefined);
          if (!v) return [];
          sockets.push(v);
          v.socket.on('message', (m: { from: string; text: string }) => {
            if (m.from === 'agent') toVisitor.push(performance.now() - Number(m.text.split(' ')[0]));
          });
          // A connection or start that times out (a very loaded machine) only leaves this visitor out of the figures.
          await v.call('start', { form: { name: 'Load' } }).catch(() => undefined);
          return [v];
        }),
      );
      widgets.push(...batch.flat());
    }
    const connectedWidgets: Widget[] = [];
    await Promise.all(
      widgets.map(async (v) => {
        try {
          await v.next('state', (s: { status: string }) => s.status === 'connected', Math.max(1, connectBy + 30_000 - performance.now()));
          connectedWidgets.push(v);
        } catch {
          /* not connected by the deadline */
        }
      }),
    );
    console.log(`widget connections: ${widgets.length} (chats started) in ${((performance.now() - t0) / 1000).toFixed(1)} s; connected to agents: ${connectedWidgets.length}`);
    const live = connectedWidgets;
    // The simulated browsers and agents share this process: when its own event loop lags, the
    // delivery figures include that lag (printed with each scenario).
    const driverLoop = monitorEventLoopDelay({ resolution: 10 });
    driverLoop.enable();
    let driverCpu = process.cpuUsage();
    await serverCpu();
    if (profileDir) child.send({ kind: 'profile-start' });

    const report = async (name: string, sent: number, started: number) => {
      // Both directions delivered (each visitor message gets one agent reply), or 20 s of waiting.
      const until = performance.now() + 20_000;
      while ((toAgent.length < sent || toVisitor.length < sent) && performance.now() < until) await sleep(20);
      const secs = (performance.now() - started) / 1000;
      const delivered = toAgent.length + toVisitor.length;
      const cpu = await serverCpu();
      console.log(`\n[${name}] messages delivered: ${delivered} of ${sent * 2} in ${secs.toFixed(1)} s (${(delivered / secs).toFixed(0)} messages/s)`);
      console.log(`[${name}] visitor -> agent delivery ms: p50 ${pct(toAgent, 50)} p99 ${pct(toAgent, 99)} (n=${toAgent.length})`);
      console.log(`[${name}] agent -> visitor delivery ms: p50 ${pct(toVisitor, 50)} p99 ${pct(toVisitor, 99)} (n=${toVisitor.length})`);
      console.log(`[${name}] server CPU ${((cpu.userMs + cpu.systemMs) / 1000).toFixed(1)} s (${((cpu.userMs + cpu.systemMs) / Math.max(1, delivered)).toFixed(2)} ms/message), event-loop delay p99: server ${cpu.loopDelayP99Ms.toFixed(0)} ms, bench ${(driverLoop.percentile(99) / 1e6).toFixed(0)} ms`);
      const driver = process.cpuUsage(driverCpu);
      if (failedReplies) console.log(`[${name}] agent replies that failed: ${failedReplies}`);
      failedReplies = 0;
      console.log(`[${name}] bench (browsers + agents) CPU ${((driver.user + driver.system) / 1e6).toFixed(1)} s of ${secs.toFixed(1)} s`);
      driverLoop.reset();
      driverCpu = process.cpuUsage();
      toAgent = [];
      toVisitor = [];
    };

    // 1. steady: each visitor on its own timer, every EVERY_MS ± 30 %.
    let sent = 0;
    const s0 = performance.now();
    const steadyEnd = s0 + STEADY_S * 1000;
    await Promise.all(
      live.map(async (v) => {
        await sleep(Math.random() * EVERY_MS);
        while (performance.now() < steadyEnd) {
          sent++;
          await v.call('message', { text: `${performance.now()} hello` }).catch(() => undefined);
          await sleep(EVERY_MS * (0.7 + Math.random() * 0.6));
        }
      }),
    );
    await report(`steady, ${live.length} visitors every ${EVERY_MS / 1000} s`, sent, s0);

    // 2. burst: everyone at once, round after round.
    await sleep(2000);
    await serverCpu();
    const b0 = performance.now();
    let burstSent = 0;
    for (let k = 0; k < BURSTS; k++) {
      await Promise.all(live.map((v) => v.call('message', { text: `${performance.now()} hello` }).catch(() => undefined)));
      burstSent += live.length;
      const until = performance.now() + 20_000;
      while ((toAgent.length < burstSent || toVisitor.length < burstSent) && performance.now() < until) await sleep(20);
    }
    await report(`burst, ${live.length} visitors at once x${BURSTS}`, burstSent, b0);
    if (profileDir) {
      const profiled = fromChild<ServerProfiled>('profiled');
      child.send({ kind: 'profile-stop', dir: profileDir });
      console.log(`\nserver CPU profile of both scenarios: ${(await profiled).file}`);
    }
  } finally {
    for (const s of sockets) s.close();
    const exited = new Promise((r) => child.once('exit', r));
    child.send({ kind: 'stop' });
    await Promise.race([exited, sleep(15_000)]);
    if (child.exitCode === null) child.kill();
  }
}
