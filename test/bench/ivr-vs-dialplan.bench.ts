// The same 5-step menu IVR run by Tandem over FastAGI and by plain Asterisk dialplan, on a real
// Asterisk 22 (`npm run bench -- ivr-vs-dialplan`). Prints figures; asserts nothing.
//
// Method:
//  - The IVR: answer, main menu (prompt "beep", key 1), submenu ("beep", key 2), confirmation
//    ("hello-world"), hang up. (a) a Tandem flow project published and routed through the API like
//    an administrator does; (b) test/integration/asterisk/extensions_bench_ivr.conf. Both are
//    reached on the trunk by DID, so the SIP and RTP work per call is the same.
//  - SIPp as the carrier calls at rising rates (BENCH_IVR_RATES calls/s, default 8,16,32,48, each
//    for BENCH_IVR_STEP_SEC seconds, default 8: about two minutes; e.g. BENCH_IVR_RATES=
//    64,100,125,160,200 BENCH_IVR_STEP_SEC=30 looks for the limit, and loads the machine); every
//    call sends key 1 1.5 s after the answer and key 2 0.6 s later (RFC 4733), as a caller who knows
//    the menu types ahead, and waits for Asterisk to hang up. Rates are interleaved (dialplan, then Tandem, at each rate) so that other
//    load on the shared machine falls on both alike; a variant stops rising after a rate with failures.
//  - A call is good when Asterisk hung it up (SIPp saw the BYE) after the right path: Tandem's call
//    record traces main:1, sub:2, confirm; the dialplan's UserEvent says Path 1-2. Anything else,
//    and SIPp's own failed calls, are failures. Max sustained rate: the highest rate without any.
//  - CPU per call: user + system time of the Asterisk process (/proc/<pid>/stat) and of this
//    process (process.cpuUsage(): the Tandem node, plus the harness, which is the same for both
//    variants: the (b) figure for "Tandem" is that baseline) from the first call to the last hang-up,
//    divided by the calls. Max concurrent calls: highest AMI CoreCurrentCalls seen at a sustained rate.
//  - What fails first under overload (seen at 125–170 calls/s on 2 shared cores): for Tandem, a key
//    typed while Asterisk waits for the next AGI command is lost (res_agi reads and drops the
//    channel's frames between commands; a menu listens in one GET DATA, so only the moment
//    between two blocks is exposed, and it grows with the node's lag), so the submenu times out; the dialplan's Read() keeps
//    such a key queued, and failed later, with calls where no key was seen at all (RTP lost on the
//    overloaded machine, most likely).
//  - The lab's own AMI watch takes only user events during the run (it would otherwise record every
//    event of every call in this process).
import { and, eq, like } from 'drizzle-orm';
import { calls } from '../../server/db/schema.ts';
import { routeInbound, type Lab } from '../integration/lab.ts';
import { eventually } from '../support/eventually.ts';
import { envNumber, narrowWatch, ownCpuMs, peakCallsSampler, processCpuMs, startBenchLab, waitForNoChannels } from './voice-lab.ts';

const RATES = (process.env.BENCH_IVR_RATES ?? '8,16,32,48').split(',').map(Number);
if (RATES.some((r) => !(r > 0))) throw new Error(`BENCH_IVR_RATES=${process.env.BENCH_IVR_RATES}: expected calls/s separated by commas`);
const STEP_SEC = envNumber('BENCH_IVR_STEP_SEC', 8);
const DTMF_AFTER_MS = 1_500;
// SIPp takes no BYE during the pause after the last key: it must end before the confirmation does.
const DTMF_GAP_MS = 600;
/** Expected length of one call (answer to hang-up), to size the RTP port range. */
const CALL_SEC = 7;

const DIALPLAN_DID = '0700000001';
const TANDEM_DID = '0700000002';

const ivrProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Bench 5-step menu',
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'main' } },
    main: { type: 'Menu', params: { prompts: ['beep'], choices: ['1'], timeoutSec: 10, retries: 0 }, exits: { '1': 'sub', invalid: 'bye', timeout: 'bye' } },
    sub: { type: 'Menu', params: { prompts: ['beep'], choices: ['2'], timeoutSec: 10, retries: 0 }, exits: { '2': 'confirm', invalid: 'bye', timeout: 'bye' } },
    confirm: { type: 'Playback', params: { prompts: ['hello-world'] }, exits: { next: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
};
const RIGHT_TRACE = 'start:next main:1 sub:2 confirm:next bye:@end';

type Variant = 'dialplan' | 'tandem';

interface StepResult {
  variant: Variant;
  rate: number;
  calls: number;
  good: number;
  sippExit: number;
  peakCalls: number;
  asteriskCpuMsPerCall: number;
  tandemCpuMsPerCall: number;
  /** What SIPp said, when it counted failed calls. */
  sippErrors: string;
  /** The calls that were not good, and why. */
  wrong: string[];
}

/** The path each call took, by caller number: 'right', or what it was instead. */
async function paths(lab: Lab, variant: Variant, callerPrefix: string, expected: number): Promise<Map<string, string>> {
  if (variant === 'dialplan') {
    const events = lab.ami.find((e) => e.Event === 'UserEvent' && e.UserEvent === 'LabBenchIvr' && e.Caller?.startsWith(callerPrefix) === true);
    return new Map(events.map((e) => [e.Caller!, e.Path === '1-2' ? 'right' : `path ${e.Path}`]));
  }
  const db = lab.node.tandem.database.db;
  const rows = () => db.select().from(calls).where(and(eq(calls.did, TANDEM_DID), like(calls.callerNumber, `${callerPrefix}%`)));
  // Tandem closes its record right after the hang-up: give the last ones a moment.
  const closed = await eventually(rows, (r) => r.length >= expected && r.every((c) => c.endedAt !== null), 'call records closed', { timeoutMs: 15_000, everyMs: 250 }).catch(() => rows());
  const trace = (t: unknown[]) => (t as { blockId: string; exit: string | null }[]).map((e) => `${e.blockId}:${e.exit}`).join(' ');
  return new Map(closed.map((c) => [c.callerNumber, c.outcome === 'completed' && trace(c.trace) === RIGHT_TRACE ? 'right' : `${c.outcome ?? 'open'}: ${trace(c.trace)}`]));
}

async function step(lab: Lab, variant: Variant, rate: number, index: number): Promise<StepResult> {
  const callEveryMs = Math.max(1, Math.round(1000 / rate));
  const actualRate = 1000 / callEveryMs;
  const total = Math.max(1, Math.round(actualRate * STEP_SEC));
  // Callers 5<i><n> (dialplan) and 6<i><n> (Tandem): each step's calls are told apart by prefix.
  const prefix = `${variant === 'dialplan' ? 5 : 6}${index}`;
  lab.ami.events.splice(0);
  const asteriskPid = lab.asterisk.pid();
  const cpu0 = { asterisk: processCpuMs(asteriskPid), tandem: ownCpuMs() };
  const sampler = peakCallsSampler(lab);
  const carrier = await lab.carrier(variant === 'dialplan' ? DIALPLAN_DID : TANDEM_DID, {
    caller: prefix,
    calls: total,
    callEveryMs,
    dtmf: '12',
    dtmfAfterMs: DTMF_AFTER_MS,
    dtmfGapMs: DTMF_GAP_MS,
    hangupAfterMs: 30_000,
  });
  const sippExit = await carrier.exited;
  const cpu1 = { asterisk: processCpuMs(asteriskPid), tandem: ownCpuMs() };
  const peakCalls = await sampler.stop();
  const endedByAsterisk = new Set(carrier.logLines().flatMap((l) => /^ENDED (\d+) /.exec(l)?.[1] ?? []));
  const taken = await paths(lab, variant, prefix, total);
  const callers = Array.from({ length: total }, (_, n) => `${prefix}${n + 1}`);
  const good = callers.filter((c) => endedByAsterisk.has(c) && taken.get(c) === 'right').length;
  const wrong = callers
    .filter((c) => !endedByAsterisk.has(c) || taken.get(c) !== 'right')
    .map((c) => `${c} ${endedByAsterisk.has(c) ? 'hung up by Asterisk' : 'NOT hung up by Asterisk'}, ${taken.get(c) ?? 'no path seen'}`);
  await waitForNoChannels(lab);
  return {
    variant,
    rate: actualRate,
    calls: total,
    good,
    sippExit,
    peakCalls,
    asteriskCpuMsPerCall: (cpu1.asterisk - cpu0.asterisk) / total,
    tandemCpuMsPerCall: (cpu1.tandem - cpu0.tandem) / total,
    sippErrors: sippExit === 0 ? '' : carrier.errors(),
    wrong,
  };
}

const maxRate = Math.max(...RATES);
const lab = await startBenchLab({}, { rtpPorts: Math.ceil(2 * maxRate * CALL_SEC * 1.5) + 200, dialplan: ['extensions_bench_ivr.conf'] });
try {
  await routeInbound(lab.node, { name: 'Bench 5-step menu', pattern: TANDEM_DID, project: ivrProject });
  await narrowWatch(lab, 'user');
  console.log(`rates ${RATES.join(', ')} calls/s, ${STEP_SEC} s each; every call: answer, key 1 at ${DTMF_AFTER_MS} ms, key 2 ${DTMF_GAP_MS} ms later, prompt, hang-up`);
  console.log('variant   rate/s  calls  good  sipp  peak-calls  asterisk-cpu/call  tandem-cpu/call');
  const results: StepResult[] = [];
  const failedAt: Partial<Record<Variant, number>> = {};
  for (const [i, rate] of RATES.entries()) {
    for (const variant of ['dialplan', 'tandem'] as const) {
      if (failedAt[variant] !== undefined) continue;
      const r = await step(lab, variant, rate, i);
      results.push(r);
      const ok = r.good === r.calls && r.sippExit === 0;
      if (!ok) failedAt[variant] = r.rate;
      if (r.sippErrors) console.log(`  SIPp: ${r.sippErrors.split('\n').slice(-6).join('\n  ')}`);
      if (r.wrong.length) console.log(`  not good (${r.wrong.length}, first 3): ${r.wrong.slice(0, 3).join('; ')}`);
      console.log(
        `${variant.padEnd(9)} ${r.rate.toFixed(1).padStart(6)} ${String(r.calls).padStart(6)} ${String(r.good).padStart(5)} ${String(r.sippExit).padStart(5)} ${String(r.peakCalls).padStart(11)} ${r.asteriskCpuMsPerCall.toFixed(1).padStart(15)} ms ${r.tandemCpuMsPerCall.toFixed(1).padStart(13)} ms${ok ? '' : '  <- failures'}`,
      );
    }
    if (failedAt.dialplan !== undefined && failedAt.tandem !== undefined) break;
  }

  const sustained = (v: Variant) => results.filter((r) => r.variant === v && r.good === r.calls && r.sippExit === 0);
  const best = (v: Variant) => sustained(v).reduce<StepResult | undefined>((a, r) => (!a || r.rate > a.rate ? r : a), undefined);
  const summary = (v: Variant) => {
    const b = best(v);
    const peak = Math.max(0, ...sustained(v).map((r) => r.peakCalls));
    const limit = failedAt[v] === undefined ? `no failure up to ${maxRate} calls/s (the cap of this run)` : `failures at ${failedAt[v]!.toFixed(1)} calls/s`;
    console.log(`${v}: max sustained ${b ? b.rate.toFixed(1) : 'none'} calls/s, max concurrent calls ${peak}; ${limit}`);
    return b;
  };
  console.log('');
  const d = summary('dialplan');
  const t = summary('tandem');
  if (d && t) {
    // A variant without failures was stopped by the cap, not by its limit: the ratio is a bound only.
    const capped = failedAt.dialplan === undefined || failedAt.tandem === undefined ? ' (not both at their limit: raise BENCH_IVR_RATES to find it)' : '';
    console.log(`capacity ratio Tandem / dialplan: ${(t.rate / d.rate).toFixed(2)}x (goal >= 0.8x)${capped}`);
    // CPU compared at the highest rate both sustained: the same offered load.
    const common = Math.min(d.rate, t.rate);
    const at = (v: Variant) => sustained(v).find((r) => r.rate === common)!;
    const cpu = (r: StepResult) => r.asteriskCpuMsPerCall + r.tandemCpuMsPerCall;
    const dc = at('dialplan');
    const tc = at('tandem');
    console.log(
      `CPU per call at ${common.toFixed(1)} calls/s: dialplan ${cpu(dc).toFixed(1)} ms (Asterisk ${dc.asteriskCpuMsPerCall.toFixed(1)} + harness ${dc.tandemCpuMsPerCall.toFixed(1)}), ` +
        `Tandem ${cpu(tc).toFixed(1)} ms (Asterisk ${tc.asteriskCpuMsPerCall.toFixed(1)} + Tandem ${tc.tandemCpuMsPerCall.toFixed(1)}); ratio ${(cpu(tc) / cpu(dc)).toFixed(2)}x (goal <= 1.5x)`,
    );
  }
} finally {
  await lab.stop();
}
