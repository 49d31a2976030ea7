// FastAGI benchmark (npx tsx test/bench/fastagi.bench.ts). Prints plain figure lines.
//
// The simulated Asterisk is test/peers/asterisk-agi.ts, run by test/peers/asterisk-agi-load.ts in
// a child process, so the server under test and the load each have a core (the machine has 2).
//  1. Throughput: 1, 100 and 1,000 concurrent calls, each a 20-command IVR, against
//     a) our FastAgiServer, b) a bare TCP echo server (the physical limit: the SAME peer answers
//     every echoed line like a command, 20 round trips per call), c) the npm package ding-dong
//     running the same 20 commands. AGI commands/s and p50/p99 round trip (measured in the server:
//     command written -> reply parsed; for echo: line written -> next line received).
//  2. Memory per idle connected call (2,000 calls answered and waiting), from heap + external and RSS.
//  3. Memory over many short calls (target 100,000; reduced if the time budget runs out, printed).
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { FastAgiServer } from '../../server/voice/agi/fastagi-server.ts';
import type { AgiSession } from '../../server/voice/agi/agi-session.ts';

const COMMANDS_PER_CALL = 20;
const LEVELS = [
  { concurrency: 1, calls: 150 },
  { concurrency: 100, calls: 1_000 },
  { concurrency: 1_000, calls: 2_000 },
];
/** The machine is shared (2 cores): each target runs this many times, interleaved; the best run counts. */
const ROUNDS = 2;
const IDLE_CALLS = 2_000;
const CHURN_TARGET = 100_000;
const CHURN_BUDGET_MS = 25_000;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

// ---------------------------------------------------------------------------------------------
// Load process

class Load {
  private readonly child: ChildProcess;
  private waiting: ((msg: Record<string, unknown>) => void)[] = [];
  private constructor(child: ChildProcess) {
    this.child = child;
    child.on('message', (msg) => this.waiting.shift()?.(msg as Record<string, unknown>));
    child.on('exit', (code) => {
      for (const w of this.waiting.splice(0)) w({ type: 'exit', code });
    });
  }
  static async start(): Promise<Load> {
    // The child needs the tsx loader too; resolve it from here so the cwd does not matter.
    const child = fork(fileURLToPath(new URL('../peers/asterisk-agi-load.ts', import.meta.url)), [], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const load = new Load(child);
    await load.next();
    return load;
  }
  next(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  async run(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
    const reply = this.next();
    this.child.send(msg);
    const result = await reply;
    if (result['type'] === 'exit') throw new Error(`the load process exited (code ${String(result['code'])})`);
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
// The same 20-command IVR on our session API and on ding-dong

async function ourIvr(s: AgiSession, rtt: Rtts): Promise<void> {
  const t = async <T>(p: Promise<T>): Promise<T> => {
    const start = performance.now();
    const v = await p;
    rtt.add(performance.now() - start);
    return v;
  };
  await t(s.answer());
  await t(s.getVariable('CHANNEL'));
  await t(s.setVariable('IVR_STEP', 'welcome'));
  await t(s.channelStatus());
  await t(s.verbose('ivr running', 1));
  await t(s.streamFile('beep', '#'));
  await t(s.getData('vm-intro', 3000, 4));
  await t(s.sayNumber(42));
  await t(s.sayDigits('1234'));
  await t(s.waitForDigit(3000));
  await t(s.exec('Playback', 'beep'));
  await t(s.databasePut('ivr', 'last', 'menu'));
  await t(s.databaseGet('ivr', 'last'));
  await t(s.getFullVariable('${CALLERID(all)}'));
  await t(s.controlStreamFile('beep', ''));
  await t(s.setMusic(true));
  await t(s.setMusic(false));
  await t(s.recordFile('msg', 'wav', { escapeDigits: '#', timeoutMs: 3000 }));
  await t(s.setVariable('IVR_RESULT', 'ok'));
  await t(s.noop());
}

interface DingDongContext {
  onEvent(event: string): Promise<unknown>;
  end(): Promise<void>;
  [command: string]: unknown;
}
type DingDongCommand = (...args: unknown[]) => Promise<unknown>;

const require = createRequire(import.meta.url);
const DingDongContextCtor = require('ding-dong/lib/context.js') as new (stream: net.Socket, options?: object) => DingDongContext;

async function dingDongIvr(ctx: DingDongContext, rtt: Rtts): Promise<void> {
  const t = async (name: string, ...args: unknown[]): Promise<void> => {
    const start = performance.now();
    await (ctx[name] as DingDongCommand).apply(ctx, args);
    rtt.add(performance.now() - start);
  };
  await ctx.onEvent('variables');
  await t('answer');
  await t('getVariable', 'CHANNEL');
  await t('setVariable', 'IVR_STEP', 'welcome');
  await t('channelStatus');
  await t('verbose', 'ivr running', 1);
  await t('streamFile', 'beep', '#');
  await t('getData', 'vm-intro', 3000, 4);
  await t('sayNumber', 42, '');
  await t('sayDigits', '1234', '');
  await t('waitForDigit', 3000);
  await t('exec', 'Playback', 'beep');
  await t('databasePut', 'ivr', 'last', 'menu');
  await t('databaseGet', 'ivr', 'last');
  await t('getFullVariable', '${CALLERID(all)}');
  await t('controlStreamFile', 'beep', '""');
  await t('setMusic', 'on');
  await t('setMusic', 'off');
  await t('recordFile', 'msg', 'wav', '#', 3);
  await t('setVariable', 'IVR_RESULT', 'ok');
  await t('noop');
  await ctx.end();
}

// ---------------------------------------------------------------------------------------------
// Servers under test

interface Target {
  readonly name: string;
  readonly port: number;
  readonly rtt: Rtts;
  readonly closeAfter?: number;
  errors(): number;
  close(): Promise<void>;
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
  return { name: 'tandem', port, rtt, errors: () => errors, close: () => server.close(1000) };
}

async function listenRaw(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, resolve));
  return (server.address() as net.AddressInfo).port;
}

async function echo(capacity: number): Promise<Target> {
  const rtt = new Rtts(capacity);
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    let sentAt = 0;
    socket.on('data', (chunk) => {
      const now = performance.now();
      if (sentAt !== 0) rtt.add(now - sentAt);
      sentAt = performance.now();
      socket.write(chunk);
    });
  });
  const port = await listenRaw(server);
  return { name: 'echo', port, rtt, closeAfter: COMMANDS_PER_CALL, errors: () => 0, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function dingDong(capacity: number): Promise<Target> {
  const rtt = new Rtts(capacity);
  let errors = 0;
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    dingDongIvr(new DingDongContextCtor(socket), rtt).catch(() => (errors += 1));
  });
  const port = await listenRaw(server);
  return { name: 'ding-dong', port, rtt, errors: () => errors, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

// ---------------------------------------------------------------------------------------------

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
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

async function runTarget(load: Load, make: (capacity: number) => Promise<Target>, calls: number, concurrency: number): Promise<RunFigures & { name: string }> {
  const target = await make(calls * COMMANDS_PER_CALL + 1000);
  const cpuBefore = process.cpuUsage();
  const result = await load.run({ type: 'calls', port: target.port, calls, concurrency, closeAfter: target.closeAfter });
  const cpu = process.cpuUsage(cpuBefore);
  await target.close();
  const ms = result['ms'] as number;
  return {
    name: target.name,
    rate: (calls * COMMANDS_PER_CALL * 1000) / ms,
    p50: target.rtt.percentile(50),
    p99: target.rtt.percentile(99),
    ms,
    failed: result['failed'] as number,
    errors: target.errors(),
    cpuUsPerCommand: (cpu.user + cpu.system) / (calls * COMMANDS_PER_CALL),
  };
}

async function throughput(load: Load): Promise<void> {
  console.log(`FastAGI throughput: ${COMMANDS_PER_CALL}-command IVR per call, simulated Asterisk in a child process; best of ${ROUNDS} interleaved rounds`);
  for (const level of LEVELS) {
    const best: Record<string, RunFigures> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const make of [ours, echo, dingDong]) {
        const run = await runTarget(load, make, level.calls, level.concurrency);
        const prev = best[run.name];
        if (!prev || run.rate > prev.rate) best[run.name] = run;
      }
    }
    for (const [name, f] of Object.entries(best)) {
      const what = name === 'echo' ? 'round trips/s' : 'AGI commands/s';
      console.log(
        `  ${String(level.concurrency).padStart(5)} concurrent  ${name.padEnd(9)} ${fmt(f.rate).padStart(8)} ${what.padEnd(14)} p50 ${fmt(f.p50, 3)} ms  p99 ${fmt(f.p99, 3)} ms  server CPU ${fmt(f.cpuUsPerCommand, 1)} µs/command  (${level.calls} calls in ${fmt(f.ms)} ms, failed ${f.failed}, handler errors ${f.errors})`,
      );
    }
    const vsEcho = (best['tandem']?.rate ?? 0) / (best['echo']?.rate ?? 1);
    const vsDing = (best['tandem']?.rate ?? 0) / (best['ding-dong']?.rate ?? 1);
    console.log(`  ${String(level.concurrency).padStart(5)} concurrent  tandem/echo = ${fmt(vsEcho, 2)} (target ≥ 0.6)  tandem/ding-dong = ${fmt(vsDing, 2)}× (target ≥ 1.5×)`);
  }
}

async function idleMemory(load: Load): Promise<void> {
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
  const held = load.run({ type: 'hold', port, calls: IDLE_CALLS });
  await held;
  await settle();
  const heapPerCall = (heapBytes() - heapBefore) / IDLE_CALLS;
  const rssPerCall = (process.memoryUsage().rss - rssBefore) / IDLE_CALLS;
  const done = load.next();
  release();
  await done;
  await server.close(1000);
  console.log(`FastAGI memory per idle connected call (${fmt(IDLE_CALLS)} calls answered and waiting): JS heap + external ${fmt(heapPerCall / 1024, 1)} KB, RSS ${fmt(rssPerCall / 1024, 1)} KB (target ≤ 50 KB)`);
}

async function churn(load: Load): Promise<void> {
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
    await load.run({ type: 'calls', port, calls: batch, concurrency: 200 });
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

const started = performance.now();
const load = await Load.start();
try {
  await throughput(load);
  await idleMemory(load);
  await churn(load);
} finally {
  load.stop();
}
console.log(`FastAGI bench total ${fmt((performance.now() - started) / 1000, 1)} s`);
