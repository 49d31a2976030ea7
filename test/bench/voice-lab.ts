// What the voice benchmarks (ivr-vs-dialplan, voice-load) share on top of the integration lab
// (test/integration/lab.ts: a real Asterisk 22, a Tandem node in this process, SIPp): starting the
// lab outside mocha, the CPU time of the Asterisk process, the calls Asterisk holds, and figures.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { StartOptions } from '../../server/tandem.ts';
import { eventually } from '../support/eventually.ts';
import { startLab, type Lab, type LabOptions } from '../integration/lab.ts';

/**
 * The lab for a script: no Asterisk here means the benchmark has nothing to measure, which the
 * lab has already said in one line; the script ends there without failing `npm run bench`.
 */
export function startBenchLab(tandemOptions: Partial<StartOptions>, labOptions: LabOptions): Promise<Lab> {
  return startLab(
    {
      skip(): never {
        process.exit(0);
      },
    },
    tandemOptions,
    // A node as deployed: the production default of DATABASE_POOL_SIZE (server/config.ts), not the
    // tests' smaller pool, which under hundreds of calls/s makes calls queue for a connection.
    { databasePoolSize: 10, ...labOptions },
  );
}

const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** User + system CPU time (ms) the process `pid` has used so far, from /proc/<pid>/stat. */
export function processCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, inside parentheses): state is field 3,
  // utime and stime fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
}

/** This process's user + system CPU time (ms): the Tandem node runs here. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Calls Asterisk holds right now (AMI CoreStatus, over the lab's own AMI session). */
export async function currentCalls(lab: Lab): Promise<number> {
  const [status] = await lab.ami.action('CoreStatus');
  return Number(status?.CoreCurrentCalls ?? Number.NaN);
}

/** Samples currentCalls every `everyMs` until stopped; keeps the highest count. */
export function peakCallsSampler(lab: Lab, everyMs = 500): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await currentCalls(lab).catch(() => 0));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}

/** Waits until Asterisk holds no channel at all (`core show channels count` says 0 active channels). */
export async function waitForNoChannels(lab: Lab, timeoutMs = 120_000): Promise<void> {
  await eventually(
    async () => /^(\d+) active channels?/m.exec(await lab.asterisk.cli('core show channels count'))?.[1],
    (n) => n === '0',
    'Asterisk with no channel left',
    { timeoutMs, everyMs: 500 },
  );
}

/** The lab's AMI watch keeps every event it gets; the benchmarks take only `mask` ('user', 'off') so it costs little. */
export async function narrowWatch(lab: Lab, mask: 'user' | 'off'): Promise<void> {
  await lab.ami.action('Events', { EventMask: mask });
}

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${raw}: expected a positive number`);
  return n;
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
