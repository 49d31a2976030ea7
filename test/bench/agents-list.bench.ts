/**
 * The admin app's agents list with 10,000 agents: `npm run bench -- agents-list`.
 * A whole node over PostgreSQL; 10,000 agents (written in bulk with SQL: creating them through the
 * API would measure password hashing), in 100 teams and 50 queues, a supervisor enabled on 5 queues.
 * Each case asks GET /api/agents (one page of 50 and the total count) over HTTP, as the page does,
 * sequentially, and prints p50/p99 of the answer time; the CSV export of a filtered list too.
 * Needs PostgreSQL on 127.0.0.1:5432 (TEST_DATABASE_URL overrides). Env: AGENTS_BENCH_AGENTS
 * (10000), AGENTS_BENCH_ROUNDS (100).
 */
import { performance } from 'node:perf_hooks';
import { asc, sql } from 'drizzle-orm';
import { queues, teams } from '../../server/db/schema.ts';
import { createTestDatabase } from '../support/database.ts';
import { startNodeOn } from '../support/tandem.ts';

const AGENTS = Number(process.env.AGENTS_BENCH_AGENTS ?? 10_000);
const ROUNDS = Number(process.env.AGENTS_BENCH_ROUNDS ?? 100);
const TEAMS = 100;
const QUEUES = 50;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const testDb = await createTestDatabase('postgres', { poolSize: 10 });
const node = await startNodeOn(testDb);
try {
  const { db } = testDb.database;
  const FIRST = ['Anna', 'Bruno', 'Chiara', 'Dario', 'Elena', 'Fabio', 'Giulia', 'Hugo', 'Irene', 'Luca'];
  const LAST = ['Rossi', 'Bianchi', 'Ferrari', 'Esposito', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno'];
  const started = performance.now();
  await db.execute(sql`
    insert into users (role, username, full_name, disabled, created_at)
    select 'agent', 'bench.agent' || g, (${sql.raw(`array['${FIRST.join("','")}']`)})[1 + g % 10] || ' ' || (${sql.raw(`array['${LAST.join("','")}']`)})[1 + (g / 10) % 10] || ' ' || g,
           g % 17 = 0, now() - (g || ' minutes')::interval
    from generate_series(1, ${AGENTS}) g`);
  await db.execute(sql`
    insert into agents (user_id, extension, typology)
    select id, (10000 + row_number() over (order by id))::text, (array['phonebar','external','webrtc','mobile'])[1 + id % 4]
    from users where role = 'agent'`);
  await db.execute(sql`insert into teams (name) select 'Bench team ' || g from generate_series(1, ${TEAMS}) g`);
  await db.execute(sql`insert into team_members (team_id, user_id) select t.id, a.user_id from agents a join teams t on t.name = 'Bench team ' || (1 + a.user_id % ${TEAMS})`);
  await db.execute(sql`insert into queues (name, channel) select 'Bench queue ' || g, 'voice' from generate_series(1, ${QUEUES}) g`);
  await db.execute(sql`insert into queue_agents (queue_id, user_id) select q.id, a.user_id from agents a join queues q on q.name = 'Bench queue ' || (1 + a.user_id % ${QUEUES})`);
  await db.execute(sql`analyze`);
  const [team] = await db.select({ id: teams.id }).from(teams).orderBy(asc(teams.id)).limit(1);
  const queueIds = (await db.select({ id: queues.id }).from(queues).orderBy(asc(queues.id)).limit(5)).map((r) => r.id);
  const sup = await node.client.post<{ id: number }>('/api/users', { role: 'supervisor', username: 'bench.sup', fullName: 'Bench Sup', password: 'Sup-Passw0rd', permissions: { staff: 'read' } }, node.adminToken);
  await node.client.put(`/api/users/${sup.body.id}/queues`, { queueIds }, node.adminToken);
  const supToken = await node.client.login('bench.sup', 'Sup-Passw0rd');
  console.log(`${AGENTS} agents, ${TEAMS} teams, ${QUEUES} queues written in ${Math.round(performance.now() - started)} ms`);

  const cases: [string, string, string][] = [
    ['first page (by id)', 'limit=50', node.adminToken],
    ['sort by name', 'sort=fullName&limit=50', node.adminToken],
    ['sort by extension desc, page 100', 'sort=extension&order=desc&limit=50&offset=5000', node.adminToken],
    ['search "rossi"', 'q=rossi&sort=fullName&limit=50', node.adminToken],
    ['search extension "1234"', 'q=1234&limit=50', node.adminToken],
    ['filter team', `teamId=${team!.id}&sort=fullName&limit=50`, node.adminToken],
    ['filter queue + typology + enabled', `queueId=${queueIds[0]}&typology=phonebar&enabled=true&limit=50`, node.adminToken],
    ['supervisor (5 queues), sort by name', 'sort=fullName&limit=50', supToken],
    ['supervisor, search "anna"', 'q=anna&sort=username&limit=50', supToken],
  ];
  console.log(`\n${'case'.padEnd(40)} ${'total'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  for (const [name, query, token] of cases) {
    const times: number[] = [];
    let total = '';
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      const res = await node.client.get<unknown[]>(`/api/agents?${query}`, token);
      times.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${res.text}`);
      total = res.headers.get('x-total-count') ?? '?';
    }
    times.sort((a, b) => a - b);
    console.log(`${name.padEnd(40)} ${total.padStart(6)} ${percentile(times, 50).toFixed(1).padStart(8)} ${percentile(times, 99).toFixed(1).padStart(8)}`);
  }
  const csvTimes: number[] = [];
  let rows = 0;
  for (let i = 0; i < Math.max(5, ROUNDS / 10); i++) {
    const t0 = performance.now();
    const res = await node.client.get(`/api/agents/export.csv?typology=external&sort=fullName`, node.adminToken);
    csvTimes.push(performance.now() - t0);
    rows = res.text.split('\r\n').length - 2;
  }
  csvTimes.sort((a, b) => a - b);
  console.log(`${'CSV export, typology=external'.padEnd(40)} ${String(rows).padStart(6)} ${percentile(csvTimes, 50).toFixed(1).padStart(8)} ${percentile(csvTimes, 99).toFixed(1).padStart(8)}`);
} finally {
  await node.stop();
}
