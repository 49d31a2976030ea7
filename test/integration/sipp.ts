// SIPp processes for the lab: the carrier calling Asterisk's trunk, and agents' desk phones that
// register and answer. The scenarios are XML files in test/integration/sipp/; their __NAME__
// placeholders (values SIPp cannot take on its command line, like a pause length) are filled in
// here into a copy in the run's folder. Each process logs its <log> actions to a file, which the
// tests read to follow what the SIP side did.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const scenarioDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sipp');
/** The RFC 4733 DTMF captures Debian's sip-tester ships, one per key. */
const DTMF_PCAP_DIR = '/usr/share/sip-tester';

export interface SippRun {
  readonly name: string;
  /** Exit code (0: every call succeeded) once SIPp ended. */
  readonly exited: Promise<number>;
  /** Lines the scenario logged so far. */
  logLines(): string[];
  /** Waits until `count` logged lines match. */
  waitForLog(pattern: RegExp, what: string, options?: { count?: number; timeoutMs?: number }): Promise<string[]>;
  /** SIPp's own error file (unexpected messages, timeouts), for failure messages. */
  errors(): string;
  stop(): Promise<void>;
}

let runSeq = 0;

/**
 * A capture of `key` as RFC 4733 events, to play into a call. Asterisk drops an event whose RTP
 * timestamp is not after the previous event's on the same stream (an old or repeated event), and
 * the shipped captures carry fixed timestamps in no key order ('2' is after '1' on the wire, before
 * it in time): a second key of a call was lost whenever its capture's timestamp was lower. So each
 * call of this function gives a copy whose timestamps and sequence numbers come after those of
 * every earlier copy: keys sent in the order they were asked for arrive in increasing time.
 */
export function dtmfPcap(key: string): string {
  const name = key === '*' ? 'star' : key === '#' ? 'pound' : key;
  if (!/^([0-9]|star|pound)$/.test(name)) throw new Error(`no DTMF capture for key ${key}`);
  const n = ++dtmfCopies;
  dtmfDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-dtmf-'));
  const out = path.join(dtmfDir, `dtmf-${n}-${name}.pcap`);
  fs.writeFileSync(out, restampRtp(fs.readFileSync(path.join(DTMF_PCAP_DIR, `dtmf_2833_${name}.pcap`)), n * 1_000, 100_000 + n * 8_000));
  return out;
}

let dtmfCopies = 0;
let dtmfDir: string | undefined;
process.on('exit', () => dtmfDir && fs.rmSync(dtmfDir, { recursive: true, force: true }));

/**
 * A classic pcap of RTP over Ethernet/IPv4/UDP with each packet's sequence number replaced by `seq`
 * + its index and its timestamp by `timestamp` (the packets of one capture are one event: one timestamp).
 */
export function restampRtp(pcap: Buffer, seq: number, timestamp: number): Buffer {
  const out = Buffer.from(pcap);
  if (out.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('not a little-endian classic pcap');
  let offset = 24;
  for (let i = 0; offset + 16 <= out.length; i++) {
    const length = out.readUInt32LE(offset + 8);
    const frame = offset + 16;
    const ipHeader = (out[frame + 14]! & 0x0f) * 4;
    const rtp = frame + 14 + ipHeader + 8;
    out.writeUInt16BE((seq + i) & 0xffff, rtp + 2);
    out.writeUInt32BE(timestamp >>> 0, rtp + 4);
    offset = frame + length;
  }
  return out;
}

export function scenarioFile(name: string): string {
  return path.join(scenarioDir, name);
}

/** Writes a scenario with its placeholders filled in; refuses to leave one unfilled. */
export function fillScenario(file: string, values: Record<string, string>, workDir: string): string {
  let text = fs.readFileSync(path.join(scenarioDir, file), 'utf8');
  // Shared by the scenarios: the answer to an in-dialog re-INVITE (same SDP: nothing changes).
  const shared = { REINVITE_OK: fs.readFileSync(path.join(scenarioDir, 'reinvite-ok.txt'), 'utf8').trimEnd() + '\n' };
  for (const [k, v] of Object.entries({ ...shared, ...values })) text = text.replaceAll(`__${k}__`, v);
  const left = /__([A-Z_]+)__/.exec(text.replace(/<!--[\s\S]*?-->/g, ''));
  if (left) throw new Error(`${file}: placeholder __${left[1]}__ has no value`);
  const out = path.join(workDir, `${path.basename(file, '.xml')}-${++runSeq}.xml`);
  fs.writeFileSync(out, text);
  return out;
}

export function startSipp(options: { sipp: string; workDir: string; name: string; scenario: string; oocScenario?: string; args: string[] }): SippRun {
  const dir = path.join(options.workDir, `${options.name}-${++runSeq}`);
  fs.mkdirSync(dir, { recursive: true });
  const args = ['-sf', options.scenario, ...(options.oocScenario ? ['-oocsf', options.oocScenario] : []), '-trace_logs', '-trace_err', '-nostdin', ...options.args];
  const child: ChildProcess = spawn(options.sipp, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  const filesEnding = (suffix: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(suffix)) : []);
  const read = (suffix: string) => filesEnding(suffix).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('');
  let ended = false;
  void exited.then(() => (ended = true));
  const run: SippRun = {
    name: options.name,
    exited,
    logLines: () => read('_logs.log').split('\n').filter(Boolean),
    errors: () => `${read('_errors.log')}\n${output}`.trim(),
    async waitForLog(pattern, what, { count = 1, timeoutMs = 30_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const lines = run.logLines().filter((l) => pattern.test(l));
        if (lines.length >= count) return lines;
        if (ended || Date.now() > deadline) {
          throw new Error(`${options.name}: ${ended ? 'SIPp ended' : 'timed out'} before ${what} (${lines.length} of ${count}); SIPp said:\n${run.errors().slice(-3_000)}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      if (ended) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return run;
}
