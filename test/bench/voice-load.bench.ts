// Many calls at once on a real Asterisk 22 (`npm run bench -- voice-load`): callers in a Tandem IVR
// and callers in a Tandem queue served by agents on SIP desk phones, together. Prints what ran and
// what came out; asserts nothing (a wrong path or a stuck call is printed as such).
//
// Method:
//  - One flow project on one DID: callers whose number says so (the first BENCH_LOAD_QUEUE calls)
//    go to the queue, the others to a menu that waits for a key. SIPp as the carrier places BENCH_LOAD_IVR +
//    BENCH_LOAD_QUEUE calls at BENCH_LOAD_RATE calls/s; every caller presses 1 BENCH_LOAD_HOLD_SEC
//    after the last call was placed, so that all the IVR calls are in the menu at once; the menu
//    answers with a prompt and hangs up. Queue callers wait (music on hold, over ARI) for one of
//    BENCH_LOAD_AGENTS agents, whose phones (SIPp, registered as PJSIP endpoints) ring, answer and
//    talk BENCH_LOAD_TALK_SEC; then the caller hears a thank-you and is hung up.
//  - Judged after the run: every call hung up by Asterisk (SIPp saw the BYE), Tandem's call record
//    of each closed with the right trace (menu:1 or queue:answered), one accepted queue report per
//    queue caller, no queue entry left open, and Asterisk back to 0 channels.
//  - Memory of this process (the Tandem node; the harness is small next to it): RSS and heap after
//    a GC, before the calls and after they all ended. Peaks sampled every second: Asterisk's calls
//    (AMI CoreStatus), Tandem's open call records and open queue entries.
import { and, eq, isNull, like, notInArray, sql } from 'drizzle-orm';
import { calls, queueEntries, queueReports } from '../../server/db/schema.ts';
import { routeInbound } from '../integration/lab.ts';
import type { SippRun } from '../integration/sipp.ts';
import { agent, logIn, queue } from '../support/world.ts';
import { envNumber, mb, narrowWatch, ownCpuMs, peakCallsSampler, processCpuMs, startBenchLab, waitForNoChannels } from './voice-lab.ts';

const IVR_CALLS = envNumber('BENCH_LOAD_IVR', 500);
const QUEUE_CALLS = envNumber('BENCH_LOAD_QUEUE', 50);
const AGENTS = envNumber('BENCH_LOAD_AGENTS', 20);
const RATE = envNumber('BENCH_LOAD_RATE', 20);
const HOLD_SEC = envNumber('BENCH_LOAD_HOLD_SEC', 15);
const TALK_SEC = envNumber('BENCH_LOAD_TALK_SEC', 20);

const DID = '0700000003';
const CALLER = '7';
const TOTAL = IVR_CALLS + QUEUE_CALLS;
/** The first calls (by SIPp's call number) go to the queue: they are all in it at once while the IVR calls arrive. */
const isQueueCall = (n: number) => n <= QUEUE_CALLS;
const callEveryMs = Math.max(1, Math.round(1000 / RATE));
const rampMs = TOTAL * callEveryMs;

const extensions = Array.from({ length: AGENTS }, (_, i) => String(2201 + i));

const loadProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Bench load line',
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'pick' } },
    // Callers <CALLER><n>: n is SIPp's call number; the first QUEUE_CALLS queue.
    pick: { type: 'Condition', params: { expression: `number(substr(CALLER_NUMBER, ${CALLER.length})) <= ${QUEUE_CALLS}` }, exits: { true: 'queue', false: 'menu' } },
    menu: { type: 'Menu', params: { prompts: ['beep'], choices: ['1'], timeoutSec: 120, retries: 0 }, exits: { '1': 'confirm', invalid: 'bye', timeout: 'bye' } },
    confirm: { type: 'Playback', params: { prompts: ['hello-world'] }, exits: { next: 'bye' } },
    queue: { type: 'Queue', params: { queue: 'bench', timeoutSec: 900 }, exits: { answered: 'thanks', timeout: 'bye', full: 'bye', unavailable: 'bye', failed: 'bye' } },
    thanks: { type: 'Playback', params: { prompts: ['queue-thankyou'] }, exits: { next: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
};
const IVR_TRACE = 'start:next pick:false menu:1 confirm:next bye:@end';
const QUEUE_TRACE = 'start:next pick:true queue:answered thanks:next bye:@end';

function memory(): { rss: number; heap: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

console.log(
  `ran: ${IVR_CALLS} IVR calls + ${QUEUE_CALLS} queue calls (placed first) at ${(1000 / callEveryMs).toFixed(1)} calls/s, ${AGENTS} agents on SIP phones talking ${TALK_SEC} s; ` +
    `callers press 1 ${HOLD_SEC} s after the last call is placed`,
);
const lab = await startBenchLab({ acdTickMs: 500 }, { rtpPorts: 2 * (TOTAL + AGENTS) + 400, phones: extensions });
const phones: SippRun[] = [];
try {
  const site = { client: lab.node.client, adminToken: lab.node.adminToken };
  const agents = [];
  for (const extension of extensions) agents.push(await agent(site, { extension }));
  await queue(site, { name: 'bench', channel: 'voice', ringTimeoutSec: 20, wrapupSec: 0 }, agents.map((a) => a.id));
  await routeInbound(lab.node, { name: 'Bench load line', pattern: DID, project: loadProject });
  for (const extension of extensions) phones.push(await lab.phone(extension, { ringMs: 300, talkMs: TALK_SEC * 1000 }));
  for (const a of agents) await logIn(lab.node.client, a);
  await narrowWatch(lab, 'off');

  const db = lab.node.tandem.database.db;
  const before = memory();
  const asteriskPid = lab.asterisk.pid();
  const cpu0 = { asterisk: processCpuMs(asteriskPid), tandem: ownCpuMs() };
  const asteriskPeak = peakCallsSampler(lab, 1_000);
  let openCallsPeak = 0;
  let openIvrPeak = 0;
  const queueCallerNumbers = Array.from({ length: QUEUE_CALLS }, (_, i) => `${CALLER}${i + 1}`);
  let openEntriesPeak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const [c] = await db.select({ n: sql<number>`count(*)::int` }).from(calls).where(isNull(calls.endedAt));
      const [q] = await db.select({ n: sql<number>`count(*)::int` }).from(queueEntries).where(isNull(queueEntries.endedAt));
      const [ivr] = await db.select({ n: sql<number>`count(*)::int` }).from(calls).where(and(isNull(calls.endedAt), notInArray(calls.callerNumber, queueCallerNumbers)));
      openCallsPeak = Math.max(openCallsPeak, c?.n ?? 0);
      openIvrPeak = Math.max(openIvrPeak, ivr?.n ?? 0);
      openEntriesPeak = Math.max(openEntriesPeak, q?.n ?? 0);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();
  const started = Date.now();
  const carrier = await lab.carrier(DID, {
    caller: CALLER,
    calls: TOTAL,
    callEveryMs,
    dtmf: '1',
    dtmfAfterMs: rampMs + HOLD_SEC * 1000,
    hangupAfterMs: 900_000,
  });
  const sippExit = await carrier.exited;
  const wallSec = (Date.now() - started) / 1000;
  const cpu1 = { asterisk: processCpuMs(asteriskPid), tandem: ownCpuMs() };
  sampling = false;
  await sampler;
  const peakAsteriskCalls = await asteriskPeak.stop();
  await waitForNoChannels(lab).then(
    () => console.log('Asterisk channels after the run: 0'),
    (err: Error) => console.log(`Asterisk channels after the run: NOT 0 (${err.message})`),
  );

  const ended = new Set(carrier.logLines().flatMap((l) => /^ENDED (\d+) /.exec(l)?.[1] ?? []));
  const rows = await db.select().from(calls).where(and(eq(calls.did, DID), like(calls.callerNumber, `${CALLER}%`)));
  const trace = (t: unknown[]) => (t as { blockId: string; exit: string | null }[]).map((e) => `${e.blockId}:${e.exit}`).join(' ');
  const byCaller = new Map(rows.map((r) => [r.callerNumber, r]));
  let ivrGood = 0;
  let queueGood = 0;
  const wrong: string[] = [];
  for (let n = 1; n <= TOTAL; n++) {
    const caller = `${CALLER}${n}`;
    const row = byCaller.get(caller);
    const expected = isQueueCall(n) ? QUEUE_TRACE : IVR_TRACE;
    const ok = ended.has(caller) && row?.endedAt != null && row.outcome === 'completed' && trace(row.trace) === expected;
    if (ok && isQueueCall(n)) queueGood++;
    else if (ok) ivrGood++;
    else wrong.push(`${caller}: ${ended.has(caller) ? 'hung up by Asterisk' : 'NOT hung up by Asterisk'}, record ${row ? `${row.outcome ?? 'open'} [${trace(row.trace)}]` : 'missing'}`);
  }
  const openRecords = rows.filter((r) => r.endedAt === null).length;
  const [openEntries] = await db.select({ n: sql<number>`count(*)::int` }).from(queueEntries).where(isNull(queueEntries.endedAt));
  const reports = await db.select({ reason: queueReports.reason }).from(queueReports);
  const accepted = reports.filter((r) => r.reason === 'accepted').length;
  const after = memory();

  console.log(`SIPp carrier exit ${sippExit} (0: every call of the scenario succeeded); ${ended.size} of ${TOTAL} calls hung up by Asterisk; run took ${wallSec.toFixed(0)} s`);
  console.log(`right path: IVR ${ivrGood} of ${IVR_CALLS}, queue ${queueGood} of ${QUEUE_CALLS}; queue reports accepted ${accepted} of ${QUEUE_CALLS} (${reports.length} reports)`);
  console.log(`stuck: ${openRecords} call records still open, ${openEntries?.n ?? '?'} queue entries still open`);
  if (wrong.length) console.log(`wrong or unfinished (${wrong.length}, first 10):\n  ${wrong.slice(0, 10).join('\n  ')}`);
  console.log(`peaks: Asterisk ${peakAsteriskCalls} calls; Tandem ${openCallsPeak} open call records (${openIvrPeak} of IVR callers), ${openEntriesPeak} open queue entries`);
  console.log(`CPU per call: Asterisk ${((cpu1.asterisk - cpu0.asterisk) / TOTAL).toFixed(1)} ms, Tandem ${((cpu1.tandem - cpu0.tandem) / TOTAL).toFixed(1)} ms`);
  console.log(`Tandem memory: RSS ${mb(before.rss)} -> ${mb(after.rss)}, heap ${mb(before.heap)} -> ${mb(after.heap)} (after GC, before the calls and after they ended)`);
} finally {
  for (const p of phones) await p.stop().catch(() => undefined);
  await lab.stop();
}
