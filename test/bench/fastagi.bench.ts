// FastAGI benchmark (`npm run bench -- fastagi`). Prints plain figure lines, no pass/fail.
//
// Method (issue #4, "Benchmarks"):
//  - Process layout, identical for the three servers under test: the simulated Asterisk
//    (test/peers/asterisk-agi.ts, driven by test/peers/asterisk-agi-load.ts) runs in ONE child
//    process; each server under test runs in ITS OWN child process (a fork of this file with
//    `serve <name>`), as Asterisk and Tandem are separate processes in production. Every server
//    process lives for the whole throughput part, so its JIT state is its own (ours never shares
//    inline caches with ding-dong's code) and stays warm between rounds. This parent only
//    orchestrates over IPC and is idle while a run is measured.
//  - Servers: a) `tandem`: our FastAgiServer running a 20-command IVR; b) `echo`: the physical
//    limit, a bare TCP server on loopback that reads nothing but line ends: after the environment
//    block it writes the SAME 20 pre-encoded command lines our server writes, one per reply
//    received, then closes; so the peer does exactly the same work per call as for (a) and (c).
//    (A literal byte echo cannot drive an Asterisk peer: it bounces the ~23-line environment back
//    in one segment, the peer answers those buffered lines without any network round trip, and a
//    "20-round-trip" call is really 3; that measured connection set-up, not round trips.)
//    c) `ding-dong`: the npm package (a FastAGI server library) running the same 20 commands.
//  - Workload per level: 1, 100 and 1,000 concurrent calls, each one connection with the agi_*
//    environment, 20 sequential commands, close (HANGUP from the peer).
//  - Warm-up: one unmeasured run per server at each level. Then ROUNDS rounds, interleaved (every
//    round runs the three servers back to back, in a rotated order); each figure printed is the
//    MEDIAN over the rounds, and each ratio is the median of the per-round ratios (the three
//    servers of one round ran seconds apart, so other load on the shared 2-core machine affects
//    them alike).
//  - Figures: commands (round trips) per second from the load process's wall clock; p50/p99 round
//    trip measured in the server process (command written -> reply parsed / line written -> reply
//    line received); server CPU (user + system of the server process) per command.
//  - Memory (in this process, our server only): per idle connected call (2,000 answered calls
//    waiting) and heap after GC over up to 100,000 short calls.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as commands from '../../server/voice/agi/agi-commands.ts';
import { FastAgiServer } from '../../server/voice/agi/fastagi-server.ts';
import type { AgiSession } from '../../server/voice/agi/agi-session.ts';

const COMMANDS_PER_CALL = 20;
const LEVELS = [
  { concurrency: 1, calls: 200 },
  { concurrency: 100, calls: 1_000 },
  { concurrency: 1_000, calls: 2_000 },
];
const ROUNDS = 5;
const TARGETS = ['tandem', 'echo', 'ding-dong'] as const;
type TargetName = (typeof TARGETS)[number];
const IDLE_CALLS = 2_000;
const CHURN_TARGET = 100_000;
const CHURN_BUDGET_MS = 90_000;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const thisFile = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------------
// A child process spoken to over IPC: one request, one reply, in order.

type Message = Record<string, unknown>;

class Child {
  private readonly child: ChildProcess;
  private waiting: ((msg: Message) => void)[] = [];
  private constructor(child: ChildProcess) {
    this.child = child;
    child.on('message', (msg) => this.waiting.shift()?.(msg as Message));
    child.on('exit', (code) => {
      for (const w of this.waiting.splice(0)) w({ type: 'exit', code });
    });
  }
  static async start(file: string, args: string[]): Promise<Child> {
    // The child needs the tsx loader too; resolve it from here so the cwd does not matter.
    const child = fork(file, args, {
      execArgv: ['--import', import.meta.resolve('tsx'), '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const c = new Child(child);
    await c.next();
    return c;
  }
  next(): Promise<Message> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  async request(msg: Message): Promise<Message> {
    const reply = this.next();
    this.child.send(msg);
    const result = await reply;
    if (result['type'] === 'exit') throw new Error(`a benchmark child process exited (code ${String(result['code'])})`);
    return result;
  }
  stop(): void {
    this.child.send({ type: 'exit' });
  }
}

// ---------------------------------------------------------------------------------------------
// Round-trip recorder

class Rtts {
  private samples: Float64Array;
  private n = 0;
  constructor(capacity: number) {
    this.samples = new Float64Array(capacity);
  }
  add(ms: number): void {
    if (this.n < this.samples.length) this.samples[this.n++] = ms;
  }
  percentile(p: number): number {
    const sorted = this.samples.slice(0, this.n).sort();
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  }
}

// ---------------------------------------------------------------------------------------------
// The same 20-command IVR on our session API, on ding-dong, and as raw bytes for the echo.
// Round trips are stamped inline (no wrapper function or extra promise per command), the same
// way for both libraries.

async function ourIvr(s: AgiSession, rtt: Rtts): Promise<void> {
  let at = performance.now();
  const mark = (): void => {
    const now = performance.now();
    rtt.add(now - at);
    at = now;
  };
  await s.answer();
  mark();
  await s.getVariable('CHANNEL');
  mark();
  await s.setVariable('IVR_STEP', 'welcome');
  mark();
  await s.channelStatus();
  mark();
  await s.verbose('ivr running', 1);
  mark();
  await s.streamFile('beep', '#');
  mark();
  await s.getData('vm-intro', 3000, 4);
  mark();
  await s.sayNumber(42);
  mark();
  await s.sayDigits('1234');
  mark();
  await s.waitForDigit(3000);
  mark();
  await s.exec('Playback', 'beep');
  mark();
  await s.databasePut('ivr', 'last', 'menu');
  mark();
  await s.databaseGet('ivr', 'last');
  mark();
  await s.getFullVariable('${CALLERID(all)}');
  mark();
  await s.controlStreamFile('beep', '');
  mark();
  await s.setMusic(true);
  mark();
  await s.setMusic(false);
  mark();
  await s.recordFile('msg', 'wav', { escapeDigits: '#', timeoutMs: 3000 });
  mark();
  await s.setVariable('IVR_RESULT', 'ok');
  mark();
  await s.noop();
  mark();
}

/** The exact bytes ourIvr writes, for the echo server. */
const IVR_LINES: readonly Buffer[] = [
  commands.answer(),
  commands.getVariable('CHANNEL'),
  commands.setVariable('IVR_STEP', 'welcome'),
  commands.channelStatus(),
  commands.verbose('ivr running', 1),
  commands.streamFile('beep', '#'),
  commands.getData('vm-intro', 3000, 4),
  commands.sayNumber(42),
  commands.sayDigits('1234'),
  commands.waitForDigit(3000),
  commands.exec('Playback', 'beep'),
  commands.databasePut('ivr', 'last', 'menu'),
  commands.databaseGet('ivr', 'last'),
  commands.getFullVariable('${CALLERID(all)}'),
  commands.controlStreamFile('beep', ''),
  commands.setMusic(true),
  commands.setMusic(false),
  commands.recordFile('msg', 'wav', { escapeDigits: '#', timeoutMs: 3000 }),
  commands.setVariable('IVR_RESULT', 'ok'),
  commands.noop(),
].map((cmd) => Buffer.from(cmd.line));

/** The part of ding-dong's Context (lib/context.js) the IVR uses: one method per AGI command. */
interface DingDongContext {
  onEvent(event: 'variables'): Promise<unknown>;
  end(): Promise<void>;
  answer(): Promise<unknown>;
  getVariable(name: string): Promise<unknown>;
  setVariable(name: string, value: string): Promise<unknown>;
  channelStatus(): Promise<unknown>;
  verbose(message: string, level: number): Promise<unknown>;
  streamFile(file: string, digits: string): Promise<unknown>;
  getData(file: string, timeoutMs: number, maxDigits: number): Promise<unknown>;
  sayNumber(value: number, digits: string): Promise<unknown>;
  sayDigits(value: string, digits: string): Promise<unknown>;
  waitForDigit(timeoutMs: number): Promise<unknown>;
  exec(application: string, data: string): Promise<unknown>;
  databasePut(family: string, key: string, value: string): Promise<unknown>;
  databaseGet(family: string, key: string): Promise<unknown>;
  getFullVariable(expression: string): Promise<unknown>;
  controlStreamFile(file: string, digits: string): Promise<unknown>;
  setMusic(mode: string): Promise<unknown>;
  recordFile(file: string, format: string, digits: string, timeout: number): Promise<unknown>;
  noop(): Promise<unknown>;
}

const require = createRequire(import.meta.url);

async function dingDongIvr(ctx: DingDongContext, rtt: Rtts): Promise<void> {
  await ctx.onEvent('variables');
  let at = performance.now();
  const mark = (): void => {
    const now = performance.now();
    rtt.add(now - at);
    at = now;
  };
  await ctx.answer();
  mark();
  await ctx.getVariable('CHANNEL');
  mark();
  await ctx.setVariable('IVR_STEP', 'welcome');
  mark();
  await ctx.channelStatus();
  mark();
  await ctx.verbose('ivr running', 1);
  mark();
  await ctx.streamFile('beep', '#');
  mark();
  await ctx.getData('vm-intro', 3000, 4);
  mark();
  await ctx.sayNumber(42, '');
  mark();
  await ctx.sayDigits('1234', '');
  mark();
  await ctx.waitForDigit(3000);
  mark();
  await ctx.exec('Playback', 'beep');
  mark();
  await ctx.databasePut('ivr', 'last', 'menu');
  mark();
  await ctx.databaseGet('ivr', 'last');
  mark();
  await ctx.getFullVariable('${CALLERID(all)}');
  mark();
  await ctx.controlStreamFile('beep', '""');
  mark();
  await ctx.setMusic('on');
  mark();
  await ctx.setMusic('off');
  mark();
  await ctx.recordFile('msg', 'wav', '#', 3);
  mark();
  await ctx.setVariable('IVR_RESULT', 'ok');
  mark();
  await ctx.noop();
  mark();
  await ctx.end();
}

// ---------------------------------------------------------------------------------------------
// Servers under test (each in its own process, see `serve`)

interface Target {
  readonly port: number;
  readonly rtt: Rtts;
  errors(): number;
  close(): Promise<void>;
}

async function listenRaw(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, resolve));
  return (server.address() as net.AddressInfo).port;
}

function closeRaw(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function ours(capacity: number): Promise<Target> {
  const rtt = new Rtts(capacity);
  let errors = 0;
  const server = new FastAgiServer({ port: 0, maxConnections: 10_000 });
  server.route('demo', async (s) => {
    try {
      await ourIvr(s, rtt);
    } catch {
      errors += 1;
    }
  });
  const { port } = await server.listen();
  return { port, rtt, errors: () => errors, close: () => server.close(1000) };
}

const LF = 0x0a;

async function echo(capacity: number): Promise<Target> {
  const rtt = new Rtts(capacity);
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    /** Lines written so far; -1 while the environment block (ends with an empty line) arrives. */
    let sent = -1;
    let lastWasLf = false;
    let sentAt = 0;
    socket.on('data', (chunk: Buffer) => {
      if (sent < 0) {
        const ended = chunk.indexOf('\n\n') !== -1 || (lastWasLf && chunk[0] === LF);
        lastWasLf = chunk[chunk.length - 1] === LF;
        if (!ended) return;
        sent = 0;
      } else {
        if (chunk[chunk.length - 1] !== LF) return; // the reply's line is not complete yet
        rtt.add(performance.now() - sentAt);
      }
      const line = IVR_LINES[sent];
      if (line === undefined) {
        socket.end();
        return;
      }
      sent += 1;
      sentAt = performance.now();
      socket.write(line);
    });
  });
  const port = await listenRaw(server);
  return { port, rtt, errors: () => 0, close: () => closeRaw(server) };
}

async function dingDong(capacity: number): Promise<Target> {
  const DingDongContextCtor = require('ding-dong/lib/context.js') as new (stream: net.Socket, options?: object) => DingDongContext;
  const rtt = new Rtts(capacity);
  let errors = 0;
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    dingDongIvr(new DingDongContextCtor(socket), rtt).catch(() => (errors += 1));
  });
  const port = await listenRaw(server);
  return { port, rtt, errors: () => errors, close: () => closeRaw(server) };
}

const MAKERS: Record<TargetName, (capacity: number) => Promise<Target>> = { tandem: ours, echo, 'ding-dong': dingDong };

/** The server process: `open` starts a fresh server, `finish` reports its figures and closes it. */
function serve(name: TargetName): void {
  let target: Target | undefined;
  let cpuAtOpen = process.cpuUsage();
  process.on('message', (raw: unknown) => {
    const msg = raw as Message;
    void (async () => {
      if (msg['type'] === 'open') {
        target = await MAKERS[name](msg['capacity'] as number);
        gc();
        cpuAtOpen = process.cpuUsage();
        process.send?.({ type: 'opened', port: target.port });
      } else if (msg['type'] === 'finish' && target) {
        const cpu = process.cpuUsage(cpuAtOpen);
        const t = target;
        target = undefined;
        await t.close();
        process.send?.({ type: 'finished', cpuUs: cpu.user + cpu.system, p50: t.rtt.percentile(50), p99: t.rtt.percentile(99), errors: t.errors() });
      } else {
        process.exit(0);
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready' });
}

// ---------------------------------------------------------------------------------------------

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function heapBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface RunFigures {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly ms: number;
  readonly failed: number;
  readonly errors: number;
  /** CPU time of the server process per command (user + system): robust to other load on the machine. */
  readonly cpuUsPerCommand: number;
}

async function runTarget(load: Child, server: Child, calls: number, concurrency: number): Promise<RunFigures> {
  const opened = await server.request({ type: 'open', capacity: calls * COMMANDS_PER_CALL + 1000 });
  const result = await load.request({ type: 'calls', port: opened['port'], calls, concurrency });
  const f = await server.request({ type: 'finish' });
  const ms = result['ms'] as number;
  return {
    rate: (calls * COMMANDS_PER_CALL * 1000) / ms,
    p50: f['p50'] as number,
    p99: f['p99'] as number,
    ms,
    failed: result['failed'] as number,
    errors: f['errors'] as number,
    cpuUsPerCommand: (f['cpuUs'] as number) / (calls * COMMANDS_PER_CALL),
  };
}

async function throughput(load: Child): Promise<void> {
  console.log(
    `FastAGI throughput: ${COMMANDS_PER_CALL}-command IVR per call; simulated Asterisk in one child process, each server in its own; 1 warm-up + median of ${ROUNDS} interleaved rounds`,
  );
  const servers = {} as Record<TargetName, Child>;
  for (const name of TARGETS) servers[name] = await Child.start(thisFile, ['serve', name]);
  try {
    for (const level of LEVELS) {
      const runs = { tandem: [], echo: [], 'ding-dong': [] } as Record<TargetName, RunFigures[]>;
      for (const name of TARGETS) await runTarget(load, servers[name], Math.max(50, Math.floor(level.calls / 4)), level.concurrency);
      for (let round = 0; round < ROUNDS; round++) {
        for (let i = 0; i < TARGETS.length; i++) {
          const name = TARGETS[(i + round) % TARGETS.length] as TargetName;
          runs[name].push(await runTarget(load, servers[name], level.calls, level.concurrency));
        }
      }
      for (const name of TARGETS) {
        const r = runs[name];
        const pick = (f: (x: RunFigures) => number): number => median(r.map(f));
        const what = name === 'echo' ? 'round trips/s' : 'AGI commands/s';
        console.log(
          `  ${String(level.concurrency).padStart(5)} concurrent  ${name.padEnd(9)} ${fmt(pick((x) => x.rate)).padStart(8)} ${what.padEnd(14)} p50 ${fmt(pick((x) => x.p50), 3)} ms  p99 ${fmt(pick((x) => x.p99), 3)} ms  server CPU ${fmt(pick((x) => x.cpuUsPerCommand), 1)} µs/command  (${level.calls} calls; rounds ${r.map((x) => fmt(x.rate)).join(' / ')}/s; failed ${r.reduce((a, x) => a + x.failed, 0)}, handler errors ${r.reduce((a, x) => a + x.errors, 0)})`,
        );
      }
      const ratio = (a: TargetName, b: TargetName): number => median(runs[a].map((x, i) => x.rate / (runs[b][i] as RunFigures).rate));
      const vsEcho = ratio('tandem', 'echo');
      const vsDing = ratio('tandem', 'ding-dong');
      const dingVsEcho = ratio('ding-dong', 'echo');
      const pad = `  ${String(level.concurrency).padStart(5)} concurrent `;
      console.log(`${pad} tandem/echo = ${fmt(vsEcho, 2)} (target ≥ 0.6)  tandem/ding-dong = ${fmt(vsDing, 2)}× (target ≥ 1.5×)`);
      console.log(
        `${pad} ding-dong/echo = ${fmt(dingVsEcho, 2)}: 1.5× ding-dong would be ${fmt(1.5 * dingVsEcho, 2)} of the echo ceiling${1.5 * dingVsEcho > 1 ? ' (above the physical limit)' : ''}`,
      );
    }
  } finally {
    for (const name of TARGETS) servers[name].stop();
  }
}

async function idleMemory(load: Child): Promise<void> {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = new FastAgiServer({ port: 0, maxConnections: 10_000 });
  server.route('demo', async (s) => {
    await s.answer();
    await released;
  });
  const { port } = await server.listen();
  await settle();
  const heapBefore = heapBytes();
  const rssBefore = process.memoryUsage().rss;
  await load.request({ type: 'hold', port, calls: IDLE_CALLS });
  await settle();
  const heapPerCall = (heapBytes() - heapBefore) / IDLE_CALLS;
  const rssPerCall = (process.memoryUsage().rss - rssBefore) / IDLE_CALLS;
  const done = load.next();
  release();
  await done;
  await server.close(1000);
  console.log(`FastAGI memory per idle connected call (${fmt(IDLE_CALLS)} calls answered and waiting): JS heap + external ${fmt(heapPerCall / 1024, 1)} KB, RSS ${fmt(rssPerCall / 1024, 1)} KB (target ≤ 50 KB)`);
}

async function churn(load: Child): Promise<void> {
  const server = new FastAgiServer({ port: 0, maxConnections: 10_000 });
  server.route('demo', async (s) => {
    await s.answer();
    await s.getVariable('CHANNEL');
    await s.setVariable('X', 'y');
  });
  const { port } = await server.listen();
  const batch = 10_000;
  const started = performance.now();
  await settle();
  const samples: { calls: number; heap: number }[] = [{ calls: 0, heap: heapBytes() }];
  let done = 0;
  while (done < CHURN_TARGET && performance.now() - started < CHURN_BUDGET_MS) {
    await load.request({ type: 'calls', port, calls: batch, concurrency: 200 });
    done += batch;
    await settle();
    samples.push({ calls: done, heap: heapBytes() });
  }
  const ms = performance.now() - started;
  await server.close(1000);
  const first = samples[1] ?? samples[0];
  const last = samples[samples.length - 1];
  const growth = first && last ? (last.heap - first.heap) / 1024 / 1024 : NaN;
  const stats = server.stats();
  console.log(
    `FastAGI memory over ${fmt(done)} short calls${done < CHURN_TARGET ? ` (reduced from ${fmt(CHURN_TARGET)}: ${fmt(CHURN_BUDGET_MS / 1000)} s budget)` : ''} in ${fmt(ms / 1000, 1)} s: heap after GC ${samples.map((s) => `${fmt(s.calls / 1000)}k=${fmt(s.heap / 1024 / 1024, 1)}MB`).join(' ')}; growth from ${fmt((first?.calls ?? 0) / 1000)}k to ${fmt(done / 1000)}k calls: ${fmt(growth, 2)} MB; completed ${fmt(stats.completed)}, failed ${stats.failed}`,
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const load = await Child.start(fileURLToPath(new URL('../peers/asterisk-agi-load.ts', import.meta.url)), []);
  try {
    await throughput(load);
    await idleMemory(load);
    await churn(load);
  } finally {
    load.stop();
  }
  console.log(`FastAGI bench total ${fmt((performance.now() - started) / 1000, 1)} s`);
}

if (process.argv[2] === 'serve') serve(process.argv[3] as TargetName);
else await main();
