// The telephony lab of the integration suite: a real Asterisk 22 running the project's own
// configuration (asterisk-config.ts), a whole Tandem node pointed at it (AMI, ARI, FastAGI), an
// AMI watch of the lab's own, and SIPp as the carrier and as agents' desk phones.
//
// No Asterisk on this machine: the suite is skipped with one loud line saying how to get one.
// An Asterisk that is there but does not start: the suite fails (before() throws).
import fs from 'node:fs';
import net from 'node:net';
import dgram from 'node:dgram';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Context } from 'mocha';
import { startNodeOn, startTestNode, type TestNode } from '../support/tandem.ts';
import { createTestDatabase } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import type { StartOptions } from '../../server/tandem.ts';
import { findAsteriskHome, HOW_TO_GET_ASTERISK, sippPath } from './asterisk-home.ts';
import { prepareAsteriskConfig, type LabPorts, type PreparedConfig } from './asterisk-config.ts';
import { AmiWatch } from './ami-watch.ts';
import { dtmfPcap, fillScenario, scenarioFile, startSipp, type SippRun } from './sipp.ts';

const run = promisify(execFile);

/** The lab's backup destination (test/integration/asterisk/extensions_lab.conf). */
export const BACKUP_DIAL = 'Local/s@lab-backup';

let skipAnnounced = false;

async function freeTcpPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A UDP port nobody holds on 127.0.0.1 now, for a SIPp signalling or media socket. */
export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/**
 * A base port for SIPp's media sockets: SIPp binds audio RTP on it and video RTP two ports above
 * (and their RTCP one above each), so one free port is not enough — a phone once failed to start
 * because the port two above an ephemeral port was held. The four ports are taken from a band of
 * their own (28,000-32,699: above the labs' Asterisk RTP ranges, below the ephemeral ports), each
 * checked free by binding it, and never handed out twice by this process.
 */
export async function freeMediaPorts(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 28_000 + 4 * (mediaCursor++ % 1_175);
    if (await allUdpFree([base, base + 1, base + 2, base + 3])) return base;
  }
  throw new Error('no four consecutive free UDP ports for SIPp media in 28000-32699');
}
let mediaCursor = Math.floor(Math.random() * 1_175);

async function allUdpFree(ports: number[]): Promise<boolean> {
  const sockets: dgram.Socket[] = [];
  try {
    for (const port of ports) {
      const socket = dgram.createSocket('udp4');
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, '127.0.0.1', () => resolve());
      });
    }
    return true;
  } catch {
    return false;
  } finally {
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => { try { s.close(() => resolve()); } catch { resolve(); } })));
  }
}

export class AsteriskProcess {
  constructor(
    readonly home: string,
    readonly stateDir: string,
    readonly config: PreparedConfig,
  ) {}

  get launcher(): string {
    return path.join(this.home, 'asterisk-run');
  }

  async start(): Promise<void> {
    try {
      await run(this.launcher, ['start', this.stateDir, this.config.dir], { env: { ...process.env, ASTERISK_RUN_TIMEOUT: '60' } });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`Asterisk (${this.home}) did not start with the project's configuration: ${e.stderr || e.message}\n${this.bootLog().slice(-4_000)}`, { cause: err });
    }
  }

  async cli(command: string): Promise<string> {
    const { stdout } = await run(this.launcher, ['cli', this.stateDir, command]);
    return stdout;
  }

  /** What Asterisk wrote while starting (and since): its log file and its console output. */
  bootLog(): string {
    const read = (f: string) => (fs.existsSync(path.join(this.stateDir, 'log', f)) ? fs.readFileSync(path.join(this.stateDir, 'log', f), 'utf8') : '');
    return `${read('messages.log')}\n${read('console.out')}`;
  }

  async stop(): Promise<void> {
    await run(this.launcher, ['stop', this.stateDir]).catch(() => undefined);
  }

  /** The running Asterisk's process id (from its pid file), e.g. to read its CPU time in /proc. */
  pid(): number {
    const pid = Number(fs.readFileSync(path.join(this.stateDir, 'run', 'asterisk.pid'), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no Asterisk process id in ${this.stateDir}/run/asterisk.pid`);
    return pid;
  }
}

/** What a lab needs beyond the default (the benchmarks: many calls, many phones, their own dialplan). */
export interface LabOptions {
  /** RTP ports Asterisk may use (two per call leg; default 200, room for about 100 legs). */
  rtpPorts?: number;
  /** Agents' phone extensions to configure besides the test-only file's (see asterisk-config.ts). */
  phones?: readonly string[];
  /** Test-only dialplan files of test/integration/asterisk to include. */
  dialplan?: readonly string[];
  /** The node's database connections (tests use 5; benchmarks want the production default, 10). */
  databasePoolSize?: number;
}

export interface CarrierOptions {
  caller?: string;
  /** The From header's display name as written on the wire (quotes included); default "Caller <caller><n>". */
  callerName?: string;
  calls?: number;
  callEveryMs?: number;
  /**
   * Keys sent as RFC 4733 events, in any order and repeated at will: each key plays a copy of
   * Debian's capture restamped after the previous key (sipp.ts dtmfPcap), since Asterisk drops an
   * event whose RTP timestamp is not after the previous one's.
   */
  dtmf?: string;
  dtmfAfterMs?: number;
  /** Pause after each key (default 400 ms); a short one sends keys faster than they last (a flood). */
  dtmfGapMs?: number;
  hangupAfterMs?: number;
}

export interface Lab {
  asterisk: AsteriskProcess;
  ports: LabPorts;
  ami: AmiWatch;
  /** The Tandem node (restartable: see restartTandem). */
  node: TestNode;
  /** How Tandem reaches this Asterisk (AMI_URL, ARI_URL, ARI_APP, FASTAGI_PORT): for a Tandem of a test's own. */
  tandemEnv: Record<string, string>;
  workDir: string;
  sipp: string;
  /**
   * Starts a desk phone registered as the PJSIP endpoint `extension`; resolves once registered. It
   * answers after ringMs and talks talkMs, or, with answer: false, rings until Asterisk cancels.
   */
  phone(extension: string, behaviour?: { ringMs?: number; talkMs?: number; answer?: boolean }): Promise<SippRun>;
  /** The carrier calls `did` `calls` times (callers __CALLER__1, 2, …). */
  carrier(did: string, options?: CarrierOptions): Promise<SippRun>;
  /** Stops Tandem only (Asterisk and the database stay). */
  stopTandem(): Promise<void>;
  /**
   * Stops Tandem (if running) and starts a new node on the same database and Asterisk, as an
   * operator's restart does; resolves once it is connected to AMI and ARI. `lab.node` is the new one.
   */
  restartTandem(): Promise<TestNode>;
  /** After Asterisk restarted (lab.asterisk.stop(), start()): a new AMI watch in lab.ami; the old one saw Asterisk go. */
  reconnectWatch(): Promise<AmiWatch>;
  stop(): Promise<void>;
}

/**
 * Publishes a flow project through the API and routes the inbound numbers matching `pattern` to it,
 * as an administrator does in the web app. Fails naming the step and the answer when one is refused.
 */
export async function routeInbound(node: TestNode, route: { name: string; pattern: string; project: unknown }): Promise<string> {
  const { client, adminToken: t } = node;
  const created = await client.post<{ id: string }>('/api/ivr/projects', { name: route.name, channel: 'voice', project: route.project }, t);
  if (created.status !== 201) throw new Error(`creating project ${route.name}: ${created.status} ${created.text}`);
  const published = await client.post(`/api/ivr/projects/${created.body.id}/publish`, {}, t);
  if (published.status !== 201) throw new Error(`publishing project ${route.name}: ${published.status} ${published.text}`);
  const routed = await client.post('/api/voice/routes', { kind: 'inbound', name: route.name, pattern: route.pattern, projectId: created.body.id }, t);
  if (routed.status !== 201) throw new Error(`routing ${route.pattern} to ${route.name}: ${routed.status} ${routed.text}`);
  return created.body.id;
}

/**
 * Starts Asterisk and Tandem, or skips the calling suite (this.skip()) when there is no Asterisk.
 * Call from a before() hook with a generous timeout.
 */
export async function startLab(ctx: Pick<Context, 'skip'>, tandemOptions: Partial<StartOptions> = {}, labOptions: LabOptions = {}): Promise<Lab> {
  const found = findAsteriskHome();
  if (!found.found) {
    if (!skipAnnounced) {
      skipAnnounced = true;
      console.log(`\n  *** INTEGRATION TESTS SKIPPED: ${found.reason}. To run them, ${HOW_TO_GET_ASTERISK}. ***\n`);
    }
    ctx.skip();
  }
  const home = (found as { home: string }).home;
  const sipp = sippPath();
  if (!sipp) throw new Error(`an Asterisk is here (${home}) but SIPp is not: apt-get install sip-tester`);
  // Short: the control socket path must stay under about 100 characters.
  const workDir = fs.mkdtempSync('/tmp/tlab-');
  const ports: LabPorts = {
    sip: await freeUdpPort(),
    carrier: await freeUdpPort(),
    ami: await freeTcpPort(),
    http: await freeTcpPort(),
    agi: await freeTcpPort(),
    rtpStart: 0,
    rtpEnd: 0,
  };
  // An RTP range of its own per run, even-aligned, away from the ephemeral ports.
  ports.rtpStart = 20_000 + 200 * Math.floor(Math.random() * 40);
  ports.rtpEnd = ports.rtpStart + 198;
  if (labOptions.rtpPorts && labOptions.rtpPorts > 200) {
    // A large range below the default ones (20,000-27,999), so that it never overlaps a test's lab.
    const size = 2 * Math.ceil(labOptions.rtpPorts / 2);
    if (size > 10_000) throw new Error(`rtpPorts ${labOptions.rtpPorts}: at most 10,000`);
    ports.rtpStart = 10_000 + 2 * Math.floor((Math.random() * (10_000 - size)) / 2);
    ports.rtpEnd = ports.rtpStart + size - 2;
  }
  const config = prepareAsteriskConfig({
    base: path.join(home, 'conf-minimal'),
    dir: path.join(workDir, 'etc'),
    ports,
    backupDial: BACKUP_DIAL,
    phones: labOptions.phones,
    dialplan: labOptions.dialplan,
  });
  const asterisk = new AsteriskProcess(home, path.join(workDir, 's'), config);
  await asterisk.start();
  let ami: AmiWatch | undefined;
  let node: TestNode | undefined;
  const sipps: SippRun[] = [];
  try {
    ami = await AmiWatch.connect(ports.ami, 'lab', config.labAmiSecret);
    const env = {
      AMI_URL: `tcp://tandem:${config.amiSecret}@127.0.0.1:${ports.ami}`,
      ARI_URL: `http://tandem:${config.ariPassword}@127.0.0.1:${ports.http}`,
      ARI_APP: 'tandem',
      FASTAGI_PORT: String(ports.agi),
      // A port known before the start, not 0: the media URLs of the sound library that Asterisk
      // fetches (TANDEM_MEDIA_URL defaults to http://TANDEM_HOST:TANDEM_PORT) must name the real one.
      TANDEM_PORT: String(await freeTcpPort()),
      // The node's uploads (sound library) in the run's folder, not in the working directory.
      TANDEM_DATA_DIR: path.join(workDir, 'tandem-data'),
    };
    node = labOptions.databasePoolSize === undefined ? await startTestNode('postgres', env, tandemOptions) : await startNodeOn(await createTestDatabase('postgres', { poolSize: labOptions.databasePoolSize }), env, tandemOptions);
    // Tandem's own view: both Asterisk interfaces up before any call.
    const connected = (n: TestNode) =>
      eventually(() => n.tandem.voice.status(), () => n.tandem.voice.ami?.state === 'up' && n.tandem.voice.ari?.state === 'up', 'Tandem connected to Asterisk (AMI and ARI up)', {
        timeoutMs: 30_000,
        everyMs: 100,
      });
    await connected(node);
    let tandemStopped = false;
    const lab: Lab = {
      asterisk,
      ports,
      ami,
      node,
      tandemEnv: env,
      workDir,
      sipp,
      async phone(extension, behaviour = {}) {
        const answer =
          behaviour.answer === false
            ? scenarioFile('phone-ring.xml')
            : fillScenario('phone-answer.xml', { RING_MS: String(behaviour.ringMs ?? 300), TALK_MS: String(behaviour.talkMs ?? 60_000) }, workDir);
        const p = startSipp({
          sipp,
          workDir,
          name: `phone-${extension}`,
          scenario: scenarioFile('phone-register.xml'),
          oocScenario: answer,
          args: [`127.0.0.1:${ports.sip}`, '-s', extension, '-au', extension, '-ap', config.phonePassword(extension), '-i', '127.0.0.1', '-p', String(await freeUdpPort()), '-mp', String(await freeMediaPorts()), '-m', '1'],
        });
        sipps.push(p);
        await p.waitForLog(/^REGISTERED /, `phone ${extension} registered`);
        return p;
      },
      async carrier(did, o = {}) {
        const keys = [...(o.dtmf ?? '')];
        const execs = keys.map((k) => `  <nop><action><exec play_pcap_audio="${dtmfPcap(k)}"/></action></nop>\n  <pause milliseconds="${o.dtmfGapMs ?? 400}"/>`).join('\n');
        const scenario = fillScenario(
          'carrier-call.xml',
          {
            CALLER: o.caller ?? '3900',
            CALLER_NAME: o.callerName ?? `"Caller ${o.caller ?? '3900'}[call_number]"`,
            DTMF_NAME: keys.length ? keys.join('') : 'none',
            DTMF_EXECS: execs,
            DTMF_AFTER_MS: String(o.dtmfAfterMs ?? 2_500),
            HANGUP_AFTER_MS: String(o.hangupAfterMs ?? 60_000),
          },
          workDir,
        );
        // One carrier at a time: it owns the trunk's remote port.
        for (const previous of sipps.filter((r) => r.name.startsWith('carrier-'))) await previous.stop();
        const calls = o.calls ?? 1;
        const rate = o.callEveryMs ? ['-r', '1', '-rp', String(o.callEveryMs)] : [];
        const c = startSipp({
          sipp,
          workDir,
          name: `carrier-${did}`,
          scenario,
          // -aa: the trunk's qualify OPTIONS are answered; the carrier's port is the trunk's remote host.
          args: [`127.0.0.1:${ports.sip}`, '-s', did, '-i', '127.0.0.1', '-p', String(ports.carrier), '-mp', String(await freeMediaPorts()), '-m', String(calls), '-l', String(calls), '-aa', ...rate],
        });
        sipps.push(c);
        return c;
      },
      async stopTandem() {
        if (tandemStopped) return;
        tandemStopped = true;
        await lab.node.tandem.stop();
      },
      async restartTandem() {
        await lab.stopTandem();
        lab.node = await startNodeOn(lab.node.testDb, env, tandemOptions);
        tandemStopped = false;
        await connected(lab.node);
        return lab.node;
      },
      async reconnectWatch() {
        ami?.close();
        ami = await AmiWatch.connect(ports.ami, 'lab', config.labAmiSecret);
        lab.ami = ami;
        return ami;
      },
      async stop() {
        for (const s of sipps) await s.stop().catch(() => undefined);
        if (!tandemStopped) await lab.node.tandem.stop().catch(() => undefined);
        tandemStopped = true;
        await lab.node.testDb.drop().catch(() => undefined);
        ami?.close();
        await asterisk.stop();
        if (!process.env.TANDEM_LAB_KEEP) fs.rmSync(workDir, { recursive: true, force: true });
      },
    };
    return lab;
  } catch (err) {
    for (const s of sipps) await s.stop().catch(() => undefined);
    await node?.stop().catch(() => undefined);
    ami?.close();
    await asterisk.stop();
    throw err;
  }
}
