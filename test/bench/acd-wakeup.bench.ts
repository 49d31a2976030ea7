/**
 * Agent available → offer: `npx tsx test/bench/acd-wakeup.bench.ts`.
 * 1,000 chats wait in 100 queues; 200 agents (each a member of 5 queues) are logged in and paused.
 * One at a time, an agent unpauses (the REST route's own calls: pause() then presenceChanged()),
 * and the time until the engine emits that agent's offer is measured; then 50 agents unpause at
 * once (a shift starting). Prints p50/p99/max. The engine runs with its default safety-net pass
 * (1 s): what is measured is the event-driven path, not the timer.
 * Needs PostgreSQL on 127.0.0.1:5432 (TEST_DATABASE_URL overrides).
 */
import { performance } from 'node:perf_hooks';
import { AcdEngine } from '../../server/acd/engine.ts';
import { routingCore } from '../../server/acd/routing-adapter.ts';
import { login, pause } from '../../server/acd/presence.ts';
import { agents, queueAgents, queueEntries, queues, users } from '../../server/db/schema.ts';
import { createTestDatabase, quietLogger } from '../support/database.ts';

const QUEUES = 100;
const WAITING = 1000;
const AGENTS = 200;
const QUEUES_PER_AGENT = 5;
const ONE_BY_ONE = 100;
const BURST = 50;

const t = await createTestDatabase('postgres');
try {
  const { db } = t.database;
  await t.database.migrate();
  const queueIds: number[] = [];
  for (let q = 0; q < QUEUES; q++) {
    const [row] = await db.insert(queues).values({ name: `wake-${q}`, channel: 'chat', strategy: q % 2 ? 'rrmemory' : 'ringall', ringTimeoutSec: 600, timeoutSec: 0 }).returning({ id: queues.id });
    queueIds.push(row!.id);
  }
  const agentIds: number[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const [u] = await db.insert(users).values({ role: 'agent', username: `wake${i}`, fullName: `Wake ${i}` }).returning({ id: users.id });
    await db.insert(agents).values({ userId: u!.id, extension: String(5000 + i), capacity: { chat: 1 } });
    agentIds.push(u!.id);
    const mine = new Set<number>();
    while (mine.size < QUEUES_PER_AGENT) mine.add(queueIds[(i * 7 + mine.size * 13 + Math.floor(mine.size * 1.7)) % QUEUES]!);
    await db.insert(queueAgents).values([...mine].map((queueId) => ({ queueId, userId: u!.id })));
    await login(db, u!.id, { device: 'web' });
    await pause(db, u!.id, true, 'before shift', ['chat']);
  }
  const base = Date.now() - 60_000;
  await db.insert(queueEntries).values(
    Array.from({ length: WAITING }, (_, i) => ({ queueId: queueIds[i % QUEUES]!, channel: 'chat' as const, interactionRef: `wake-${i}`, enqueuedAt: new Date(base + i) })),
  );
  const engine = new AcdEngine({ db, logger: quietLogger(), core: routingCore });
  engine.start();
  await engine.settled();

  const offeredAt = new Map<number, number>();
  const waiters = new Map<number, () => void>();
  engine.on('offer', (offer) => {
    if (!offeredAt.has(offer.agentId)) offeredAt.set(offer.agentId, performance.now());
    waiters.get(offer.agentId)?.();
  });
  const offerTo = (agentId: number) => new Promise<void>((resolve) => (offeredAt.has(agentId) ? resolve() : waiters.set(agentId, resolve)));
  const unpause = async (agentId: number) => engine.presenceChanged(await pause(db, agentId, false, null, ['chat']));

  const single: number[] = [];
  for (const agentId of agentIds.slice(0, ONE_BY_ONE)) {
    const started = performance.now();
    const offered = offerTo(agentId);
    await unpause(agentId);
    await offered;
    single.push(offeredAt.get(agentId)! - started);
  }
  const burstAgents = agentIds.slice(ONE_BY_ONE, ONE_BY_ONE + BURST);
  const burstStart = performance.now();
  const burstOffers = Promise.all(burstAgents.map(offerTo));
  await Promise.all(burstAgents.map(unpause));
  await burstOffers;
  const burst = burstAgents.map((id) => offeredAt.get(id)! - burstStart);
  await engine.stop();

  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(1);
    return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${s[s.length - 1]!.toFixed(1)} ms`;
  };
  console.log(`acd wake-up (${WAITING} waiting in ${QUEUES} queues, ${AGENTS} agents × ${QUEUES_PER_AGENT} queues, PostgreSQL):`);
  console.log(`  one agent becomes available → offered: ${stats(single)} (${ONE_BY_ONE} agents, one at a time)`);
  console.log(`  ${BURST} agents unpause at once → each offered: ${stats(burst)}`);
} finally {
  await t.drop();
}
