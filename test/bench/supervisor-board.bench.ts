/**
 * Supervisor realtime board under load: `npm run bench -- supervisor-board`.
 * Processes on one machine (one clock): a Tandem node (its CPU measured alone with
 * process.cpuUsage()), 500 socket.io clients on /supervisor (in 2 processes), and this driver making 1,000 agent
 * state changes per second for ~20 s. Neither the HTTP API nor the presence functions reach 1,000
 * changes/s on this 2-core machine (pause() is ~6 queries and a commit: ~30/s sequential, ~25/s
 * with 200 in parallel here), so the driver writes the same rows pause()/unpause() write
 * (agent_channel_states) in one multi-row upsert per 20 ms tick, then hands each change to the
 * node's engine (engine.presenceChanged, what the API route calls next) over IPC. The board then
 * does exactly what it does in production: marks the agent dirty, re-reads it from PostgreSQL.
 * Each pause carries its start time in the reason (`t<ms>`), so a client computes the latency from
 * the change to the delta that shows it. Needs PostgreSQL on 127.0.0.1:5432 (TEST_DATABASE_URL).
 * Env: BOARD_BENCH_SOCKETS (500), BOARD_BENCH_RATE (1000/s), BOARD_BENCH_SECONDS (20), BOARD_BENCH_AGENTS (500),
 * BOARD_BENCH_CLIENT_PROCESSES (2).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { AgentPresence } from '../../server/acd/presence.ts';
import { BOARD_EVENTS, BOARD_NAMESPACE, type BoardAgent, type BoardDelta, type BoardSnapshot } from '../../contracts/realtime-board.ts';

const SOCKETS = Number(process.env.BOARD_BENCH_SOCKETS ?? 500);
const RATE = Number(process.env.BOARD_BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BOARD_BENCH_SECONDS ?? 20);
const AGENTS = Number(process.env.BOARD_BENCH_AGENTS ?? 500);
const QUEUES = 10;
const ADMIN_SOCKETS = 10;
const CLIENT_PROCESSES = Number(process.env.BOARD_BENCH_CLIENT_PROCESSES ?? 2);
const ADMIN_PASSWORD = 'Adm1n-Passw0rd!';

type ToServer = { type: 'presence'; list: AgentPresence[] } | { type: 'cpu' } | { type: 'stop' };
type FromServer = { type: 'ready'; url: string } | { type: 'cpu'; user: number; system: number; at: number; stats: { flushes: number; deltas: number; held: number; flushMs: number; ageCount: number; ages: number[] }; lagMs: number; rssMb: number };
type ToClients = { type: 'connect'; url: string; tokens: string[] } | { type: 'mark' } | { type: 'report' } | { type: 'stop' };
type FromClients = { type: 'connected'; ms: number; refusals: number } | { type: 'report'; histogram: number[]; samples: number; messages: number; bytes: number; gaps: number; at: number };

const role = process.argv[2] ?? 'driver';

// --- the Tandem node ------------------------------------------------------------------------------
async function serverProcess(): Promise<void> {
  const { loadConfig } = await import('../../server/config.ts');
  const { startTandem } = await import('../../server/tandem.ts');
  const { createLogger } = await import('../../server/logger.ts');
  const config = loadConfig({ ...process.env, TANDEM_PORT: '0', FASTAGI_ENABLED: 'false', TANDEM_PASSWORD_COST: '10', TANDEM_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'warn', TANDEM_MAX_CONNECTIONS_PER_ADDRESS: '1000000' }); // every socket comes from 127.0.0.1
  const tandem = await startTandem(config, { scheduler: false, logger: createLogger('warn') });
  const send = (m: FromServer) => process.send!(m);
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  process.on('message', (m: ToServer) => {
    if (m.type === 'presence') {
      for (const p of m.list) {
        tandem.acd.presenceChanged({
          ...p,
          loggedInAt: p.loggedInAt ? new Date(p.loggedInAt) : null,
          channels: p.channels.map((c) => ({ ...c, pausedAt: c.pausedAt ? new Date(c.pausedAt) : null, wrapupUntil: c.wrapupUntil ? new Date(c.wrapupUntil) : null })),
        });
      }
    } else if (m.type === 'cpu') {
      const u = process.cpuUsage();
      send({ type: 'cpu', user: u.user, system: u.system, at: performance.now(), stats: { ...tandem.services.board!.stats }, lagMs: lag.percentile(99) / 1e6, rssMb: Math.round(process.memoryUsage().rss / 1e6) });
    } else if (m.type === 'stop') {
      void tandem.stop().then(() => process.exit(0));
    }
  });
  send({ type: 'ready', url: tandem.url });
}

// --- the supervisors' browsers --------------------------------------------------------------------
function clientsProcess(): void {
  const sockets: Socket[] = [];
  // Latency histogram in ms (last bucket: ≥ 10 s).
  let histogram = new Array<number>(10_001).fill(0);
  let samples = 0;
  let messages = 0;
  let bytes = 0;
  let gaps = 0;
  let refusals = 0;
  const send = (m: FromClients) => process.send!(m);
  const observe = (agents: BoardAgent[] | undefined) => {
    if (!agents) return;
    const now = Date.now();
    for (const a of agents) {
      const reason = a.channels.find((c) => c.channel === 'voice')?.pauseReason;
      if (!reason?.startsWith('t')) continue;
      const ms = Math.min(10_000, Math.max(0, now - Number(reason.slice(1))));
      histogram[ms]!++;
      samples++;
    }
  };
  process.on('message', (m: ToClients) => {
    if (m.type === 'connect') {
      const started = Date.now();
      let ready = 0;
      const open = (token: string): Promise<void> =>
        new Promise((resolve) => {
          const s = ioClient(m.url + BOARD_NAMESPACE, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
          let seq = 0;
          s.on(BOARD_EVENTS.snapshot, (snap: BoardSnapshot) => {
            seq = snap.seq;
            if (++ready === m.tokens.length) send({ type: 'connected', ms: Date.now() - started, refusals });
            resolve();
          });
          s.on(BOARD_EVENTS.delta, (d: BoardDelta) => {
            if (d.seq !== seq + 1) gaps++;
            seq = d.seq;
            messages++;
            observe(d.agents);
          });
          // Refused while the server is busy (UNAVAILABLE): try again a little later, as the page does.
          s.on('connect_error', (err: Error) => {
            refusals++;
            setTimeout(() => s.connect(), 200 + Math.random() * 800);
            if (err.message !== 'UNAVAILABLE') console.error('connect_error', err.message);
          });
          // The frames as received (string length ≈ bytes for this ASCII JSON), without re-encoding them.
          s.io.on('open', () => s.io.engine.on('data', (data: unknown) => (bytes += typeof data === 'string' ? data.length : 0)));
          sockets.push(s);
        });
      // 25 at a time: a whole floor of browsers opening the page, not one burst of 500 handshakes.
      void (async () => {
        for (let i = 0; i < m.tokens.length; i += 25) await Promise.all(m.tokens.slice(i, i + 25).map(open));
      })();
    } else if (m.type === 'mark') {
      histogram = new Array<number>(10_001).fill(0);
      samples = messages = bytes = gaps = 0;
    } else if (m.type === 'report') {
      send({ type: 'report', histogram, samples, messages, bytes, gaps, at: performance.now() });
    } else if (m.type === 'stop') {
      for (const s of sockets) s.close();
      process.exit(0);
    }
  });
}

// --- the driver -----------------------------------------------------------------------------------
function child(name: string, env: Record<string, string | undefined>): ChildProcess {
  return fork(fileURLToPath(import.meta.url), [name], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}
const next = <T>(p: ChildProcess, type: string) =>
  new Promise<T>((resolve, reject) => {
    const on = (m: { type: string }) => {
      if (m.type !== type) return;
      p.off('message', on);
      resolve(m as T);
    };
    p.on('message', on);
    p.once('exit', (code) => reject(new Error(`${type}: child exited with ${code}`)));
  });

function percentile(histogram: number[], total: number, p: number): number {
  let seen = 0;
  for (let ms = 0; ms < histogram.length; ms++) {
    seen += histogram[ms]!;
    if (seen >= total * p) return ms;
  }
  return histogram.length - 1;
}

async function driver(): Promise<void> {
  const { createTestDatabase } = await import('../support/database.ts');
  const { agents, queueAgents, queues, users } = await import('../../server/db/schema.ts');
  const { login, CHANNELS } = await import('../../server/acd/presence.ts');
  const { agentChannelStates } = await import('../../server/db/schema.ts');
  const { sql } = await import('drizzle-orm');
  const { ApiClient } = await import('../support/tandem.ts');
  const t = await createTestDatabase('postgres');
  let server: ChildProcess | undefined;
  let clients: ChildProcess[] = [];
  try {
    const { db } = t.database;
    await t.database.migrate();
    // Seed: agents logged in, QUEUES voice queues of AGENTS/QUEUES agents each.
    const agentIds: number[] = [];
    const rows = await db
      .insert(users)
      .values(Array.from({ length: AGENTS }, (_, i) => ({ role: 'agent' as const, username: `board${i}`, fullName: `Board Agent ${i}` })))
      .returning({ id: users.id });
    await db.insert(agents).values(rows.map((r, i) => ({ userId: r.id, extension: String(3000 + i) })));
    for (const r of rows) {
      agentIds.push(r.id);
      await login(db, r.id, { device: 'web' });
    }
    const queueIds: number[] = [];
    for (let q = 0; q < QUEUES; q++) {
      const [row] = await db.insert(queues).values({ name: `board-${q}`, channel: 'voice' }).returning({ id: queues.id });
      queueIds.push(row!.id);
      await db.insert(queueAgents).values(agentIds.filter((_, i) => i % QUEUES === q).map((userId) => ({ queueId: row!.id, userId })));
    }

    server = child('server', { DATABASE_URL: t.url, DATABASE_POOL_SIZE: '10' });
    const { url } = await next<{ url: string }>(server, 'ready');
    const api = new ApiClient(url);
    const adminToken = await api.login('admin', ADMIN_PASSWORD);
    // One supervisor per queue, with the realtime permission, each watched from many browsers.
    const supervisorTokens: string[] = [];
    for (let q = 0; q < QUEUES; q++) {
      const u = await api.post<{ id: number }>('/api/users', { role: 'supervisor', username: `boardsup${q}`, fullName: `Sup ${q}`, password: 'Super-Pass1', permissions: { realtime: 'read', staff: 'read-edit' } }, adminToken);
      if (u.status !== 201) throw new Error(`supervisor: ${u.status} ${u.text}`);
      await api.put(`/api/users/${u.body.id}/queues`, { queueIds: [queueIds[q]] }, adminToken);
      supervisorTokens.push(await api.login(`boardsup${q}`, 'Super-Pass1'));
    }
    const tokens = Array.from({ length: SOCKETS }, (_, i) => (i < ADMIN_SOCKETS ? adminToken : supervisorTokens[i % QUEUES]!));
    // The browsers in CLIENT_PROCESSES processes: one process parsing every delta of 500 sockets would be the bottleneck measured.
    clients = Array.from({ length: CLIENT_PROCESSES }, () => child('clients', {}));
    const connected = clients.map((p) => next<{ ms: number; refusals: number }>(p, 'connected'));
    clients.forEach((p, i) => p.send({ type: 'connect', url, tokens: tokens.filter((_, j) => j % CLIENT_PROCESSES === i) } satisfies ToClients));
    const each = await Promise.all(connected);
    const connectMs = Math.max(...each.map((e) => e.ms));
    const refusals = each.reduce((n, e) => n + e.refusals, 0);
    console.log(`${SOCKETS} sockets (${ADMIN_SOCKETS} admins, ${SOCKETS - ADMIN_SOCKETS} supervisors scoped to 1 of ${QUEUES} queues) got their snapshots in ${connectMs} ms (${refusals} refused connects retried); ${AGENTS} agents`);

    // Warm-up for 2 s, then measure.
    const paused = new Set<number>();
    let changes = 0;
    let cursor = 0;
    let inFlight = 0;
    let skipped = 0;
    const tickMs = 20;
    const perTick = Math.max(1, Math.round((RATE * tickMs) / 1000));
    /** What pause()/unpause() write, for a batch of agents in one statement (one commit). */
    const changeBatch = async (ids: number[]): Promise<AgentPresence[]> => {
      const at = new Date();
      const values = ids.map((id) => {
        const pausing = !paused.has(id);
        return { userId: id, channel: 'voice' as const, paused: pausing, pauseReason: pausing ? `t${at.getTime()}` : null, pausedAt: pausing ? at : null };
      });
      await db
        .insert(agentChannelStates)
        .values(values)
        .onConflictDoUpdate({
          target: [agentChannelStates.userId, agentChannelStates.channel],
          set: { paused: sql`excluded.paused`, pauseReason: sql`excluded.pause_reason`, pausedAt: sql`excluded.paused_at` },
        });
      return values.map((v) => {
        if (v.paused) paused.add(v.userId);
        else paused.delete(v.userId);
        return {
          agentId: v.userId,
          loggedIn: true,
          device: 'web',
          dialTarget: null,
          hotdeskPhone: null,
          loggedInAt: null,
          channels: CHANNELS.map((channel) => ({ channel, paused: channel === 'voice' && v.paused, pauseReason: channel === 'voice' ? v.pauseReason : null, pausedAt: channel === 'voice' ? v.pausedAt : null, wrapupUntil: null })),
        };
      });
    };
    let running = true;
    const loop = (async () => {
      let due = performance.now();
      while (running) {
        due += tickMs;
        // A change still in flight for its agent is not doubled up; the driver counts what it skips.
        if (inFlight < 200) {
          const batch: number[] = [];
          for (let i = 0; i < perTick; i++) batch.push(agentIds[cursor++ % agentIds.length]!);
          inFlight += batch.length;
          void changeBatch(batch).then(
            (list) => {
              inFlight -= batch.length;
              changes += list.length;
              server!.send({ type: 'presence', list } satisfies ToServer);
            },
            (err: unknown) => {
              inFlight -= batch.length;
              console.error('driver change failed', String(err));
            },
          );
        } else skipped += perTick;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    })();
    await new Promise((r) => setTimeout(r, 2000));
    for (const p of clients) p.send({ type: 'mark' } satisfies ToClients);
    server.send({ type: 'cpu' } satisfies ToServer);
    const cpu0 = await next<Extract<FromServer, { type: 'cpu' }>>(server, 'cpu');
    const changes0 = changes;
    const wall0 = performance.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    server.send({ type: 'cpu' } satisfies ToServer);
    const cpu1 = await next<Extract<FromServer, { type: 'cpu' }>>(server, 'cpu');
    const wall = (performance.now() - wall0) / 1000;
    const made = changes - changes0;
    running = false;
    await loop;
    await new Promise((r) => setTimeout(r, 1500));
    const reports = clients.map((p) => next<Extract<FromClients, { type: 'report' }>>(p, 'report'));
    for (const p of clients) p.send({ type: 'report' } satisfies ToClients);
    const parts = await Promise.all(reports);
    const report = {
      histogram: parts[0]!.histogram.map((_, ms) => parts.reduce((n, r) => n + r.histogram[ms]!, 0)),
      samples: parts.reduce((n, r) => n + r.samples, 0),
      messages: parts.reduce((n, r) => n + r.messages, 0),
      bytes: parts.reduce((n, r) => n + r.bytes, 0),
      gaps: parts.reduce((n, r) => n + r.gaps, 0),
    };
    const cpuPct = ((cpu1.user - cpu0.user + cpu1.system - cpu0.system) / 1e6 / ((cpu1.at - cpu0.at) / 1000)) * 100;
    const deltas = cpu1.stats.deltas - cpu0.stats.deltas;
    const held = cpu1.stats.held - cpu0.stats.held;
    const flushes = cpu1.stats.flushes - cpu0.stats.flushes;
    const flushMs = (cpu1.stats.flushMs - cpu0.stats.flushMs) / Math.max(1, flushes);
    const flushed = cpu1.stats.ageCount - cpu0.stats.ageCount;
    const ages = (flushed > 0 ? cpu1.stats.ages.slice(-flushed) : []).sort((a, b) => a - b);
    const agePct = (p: number) => (ages.length ? ages[Math.min(ages.length - 1, Math.floor(ages.length * p))]!.toFixed(0) : '-');
    console.log(`state changes: ${made} in ${wall.toFixed(1)} s = ${Math.round(made / wall)}/s (target ${RATE}/s; ${skipped} skipped by the driver while 200 were in flight)`);
    console.log(`delivery latency (change start → delta received), ${report.samples} samples: p50 ${percentile(report.histogram, report.samples, 0.5)} ms, p99 ${percentile(report.histogram, report.samples, 0.99)} ms, max ${percentile(report.histogram, report.samples, 1)} ms`);
    console.log(`inside the node (first event of a flush → its deltas handed to socket.io), ${ages.length} flushes: p50 ${agePct(0.5)} ms, p99 ${agePct(0.99)} ms`);
    console.log(`messages per socket per second: ${(report.messages / SOCKETS / wall).toFixed(2)} (flushes ${flushes}, ${flushMs.toFixed(0)} ms each, deltas sent ${deltas}, held back for slow sockets ${held}, seq gaps ${report.gaps}); ${(report.bytes / 1e6 / wall).toFixed(1)} MB/s of deltas to all sockets`);
    console.log(`server CPU: ${cpuPct.toFixed(0)} % of one core (user+system of the node process; PostgreSQL and the driver not included), rss ${cpu1.rssMb} MB, event-loop delay p99 ${cpu1.lagMs.toFixed(0)} ms`);
  } finally {
    server?.send({ type: 'stop' } satisfies ToServer);
    for (const p of clients) p.send({ type: 'stop' } satisfies ToClients);
    await Promise.all([server, ...clients].map((p) => (p && p.exitCode === null ? new Promise((r) => p.once('exit', r)) : undefined)));
    await t.drop();
  }
}

if (role === 'server') await serverProcess();
else if (role === 'clients') clientsProcess();
else await driver();
