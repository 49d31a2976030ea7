/**
 * Queue engine end to end on PostgreSQL: `npx tsx test/bench/acd-engine.bench.ts`.
 * Enqueue → routing pass → offer → accept → finish, with every step persisted, for a bounded number
 * of interactions arriving from 20 sources at once, over 20 agents (capacity 3) in 5 chat queues.
 * Prints interactions/s and the p50/p99 time an interaction waited in line before its offer (it
 * arrives faster than 60 agent slots serve it, so this is queueing time; agent-available → offer is
 * measured by acd-wakeup.bench.ts). Needs PostgreSQL on 127.0.0.1:5432 (TEST_DATABASE_URL overrides).
 */
import { performance } from 'node:perf_hooks';
import { AcdEngine } from '../../server/acd/engine.ts';
import { routingCore } from '../../server/acd/routing-adapter.ts';
import { login } from '../../server/acd/presence.ts';
import { agents, queueAgents, queues, users } from '../../server/db/schema.ts';
import { createTestDatabase, quietLogger } from '../support/database.ts';

const AGENTS = 20;
const QUEUES = 5;
const INTERACTIONS = Number(process.env.ACD_BENCH_INTERACTIONS ?? 1000);
const PRODUCERS = Number(process.env.ACD_BENCH_PRODUCERS ?? 20);

// A node's default pool (DATABASE_POOL_SIZE 10), not the tests' smaller one.
const t = await createTestDatabase('postgres', { poolSize: 10 });
try {
  const { db } = t.database;
  await t.database.migrate();
  const agentIds: number[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const [u] = await db.insert(users).values({ role: 'agent', username: `bench${i}`, fullName: `Bench ${i}` }).returning({ id: users.id });
    await db.insert(agents).values({ userId: u!.id, extension: String(2000 + i), capacity: { chat: 3 } });
    agentIds.push(u!.id);
    await login(db, u!.id, { device: 'web' });
  }
  const queueIds: number[] = [];
  for (let q = 0; q < QUEUES; q++) {
    const [row] = await db.insert(queues).values({ name: `bench-${q}`, channel: 'chat', strategy: 'rrmemory', ringTimeoutSec: 60, retrySec: 0 }).returning({ id: queues.id });
    queueIds.push(row!.id);
    await db.insert(queueAgents).values(agentIds.map((userId) => ({ queueId: row!.id, userId })));
  }
  // The engine routes on its own events (enqueue, accept, finish); its safety-net pass runs as in production.
  const engine = new AcdEngine({ db, logger: quietLogger(), core: routingCore });
  engine.start();
  const enqueuedAt = new Map<number, number>();
  const offerLatency: number[] = [];
  let finished = 0;
  const done = new Promise<void>((resolve) => {
    engine.on('offer', (offer, entry) => {
      offerLatency.push(performance.now() - (enqueuedAt.get(entry.id) ?? performance.now()));
      void (async () => {
        await engine.accept(offer.id, offer.agentId);
        await engine.finish(entry.id);
        finished++;
        if (finished === INTERACTIONS) resolve();
      })();
    });
  });
  const started = performance.now();
  // Interactions arrive from PRODUCERS independent sources at once (calls and chats do not wait for each other).
  let next = 0;
  await Promise.all(
    Array.from({ length: PRODUCERS }, async () => {
      for (let i = next++; i < INTERACTIONS; i = next++) {
        const sent = performance.now();
        const r = await engine.enqueue({ queueId: queueIds[i % QUEUES]!, interactionRef: `bench-${i}` });
        if (r.ok) enqueuedAt.set(r.entry.id, sent);
      }
    }),
  );
  await done;
  const seconds = (performance.now() - started) / 1000;
  await engine.stop();
  offerLatency.sort((a, b) => a - b);
  const pct = (p: number) => offerLatency[Math.min(offerLatency.length - 1, Math.floor(p * offerLatency.length))]!.toFixed(1);
  console.log(`acd end-to-end: ${INTERACTIONS} interactions (enqueue → offer → accept → finish) in ${seconds.toFixed(2)} s = ${(INTERACTIONS / seconds).toFixed(0)} interactions/s`);
  console.log(`acd time in line before the offer: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms (${AGENTS} agents, ${QUEUES} queues, ${PRODUCERS} arrival sources, PostgreSQL)`);
} finally {
  await t.drop();
}
