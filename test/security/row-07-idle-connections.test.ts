// Issue 22, finding 7: 19,900 raw TCP connections that never sent a byte were kept open for
// minutes, holding 95 % of the process's file descriptors (health took 4.5 s). Now the HTTP listener
// closes silent connections, late headers and idle keep-alives (server/tandem.ts), caps the
// connections of one client address (server/http/connection-guard.ts), and raises an alarm in the
// log and in /api/health when file descriptors run low (server/fd-monitor.ts). The FastAGI listener
// has its own per-address cap. Attackers here connect from 127.0.0.2 (all of 127/8 is loopback), so
// that the health checks from 127.0.0.1 are another client.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { addressKey } from '../../server/http/client-address.ts';
import { FdMonitor, parseOpenFilesLimit, readFdUsage, type FdUsage } from '../../server/fd-monitor.ts';
import { createLogger } from '../../server/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { ADMIN_PASSWORD, startTestNode, type TestNode } from '../support/tandem.ts';
import { eventually } from '../support/eventually.ts';

const ATTACKER = '127.0.0.2';
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

interface Health {
  status: string;
  connections: { open: number; addresses: number; busiestAddress: number; maxPerAddress: number; refused: number; idleClosed: number };
  fileDescriptors: { supported: boolean; open: number; limit: number | null; usedPercent: number | null; alarmPercent: number; alarm: boolean };
  alarms: string[];
}

/** A raw socket that sends nothing (or `send`), and tells when the server closed it. */
interface RawSocket {
  socket: net.Socket;
  closed: boolean;
  received: string;
}

function rawConnect(port: number, send?: string, localAddress = ATTACKER): Promise<RawSocket> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress });
    const raw: RawSocket = { socket, closed: false, received: '' };
    socket.on('data', (chunk: Buffer) => (raw.received += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => (raw.closed = true));
    socket.once('connect', () => {
      if (send !== undefined) socket.write(send);
      resolve(raw);
    });
    // A connection refused at once may close before 'connect' is even seen.
    socket.once('close', () => resolve(raw));
  });
}

async function health(url: string): Promise<{ status: number; body: Health }> {
  const res = await fetch(`${url}/api/health`);
  return { status: res.status, body: (await res.json()) as Health };
}

/** A GET from the attacker's address (fetch cannot choose its source address). */
function getFrom(localAddress: string, port: number, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: target, localAddress, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('security row 07: idle connections, per-address cap, file-descriptor alarm', function () {
  this.timeout(90_000);

  describe('the HTTP listener', () => {
    let node: TestNode | undefined;
    const sockets: RawSocket[] = [];
    afterEach(async () => {
      for (const s of sockets.splice(0)) s.socket.destroy();
      await node?.stop();
      node = undefined;
    });

    it('closes connections that never send a byte, and health answers meanwhile', async () => {
      node = await startTestNode('postgres', { TANDEM_HTTP_IDLE_TIMEOUT_MS: '400', TANDEM_MAX_CONNECTIONS_PER_ADDRESS: '1000' });
      for (let i = 0; i < 300; i++) sockets.push(await rawConnect(node.tandem.port));
      const during = await health(node.tandem.url);
      expect(during.status).to.equal(200);
      await eventually(() => sockets.every((s) => s.closed), 'every silent connection closed by the server', { timeoutMs: 15_000 });
      const after = await health(node.tandem.url);
      expect(after.status).to.equal(200);
      expect(after.body.connections.idleClosed).to.be.at.least(300);
      // Only the health request's own connection (and keep-alives) remain.
      expect(after.body.connections.open).to.be.below(5);
    });

    it('closes connections beyond the per-address cap at once; other addresses are served', async () => {
      // Long timeouts: only the cap closes anything here.
      node = await startTestNode('postgres', {
        TANDEM_MAX_CONNECTIONS_PER_ADDRESS: '20',
        TANDEM_HTTP_IDLE_TIMEOUT_MS: '120000',
        TANDEM_HTTP_HEADERS_TIMEOUT_MS: '120000',
        TANDEM_HTTP_REQUEST_TIMEOUT_MS: '120000',
      });
      const port = node.tandem.port;
      for (let i = 0; i < 60; i++) sockets.push(await rawConnect(port));
      await eventually(() => sockets.filter((s) => s.closed).length === 40, '40 of 60 connections closed', { timeoutMs: 15_000 });
      const kept = sockets.filter((s) => !s.closed);
      expect(kept).to.have.length(20);
      expect(sockets.slice(0, 20).every((s) => !s.closed), 'the first 20 are the ones kept').to.equal(true);

      const h = await health(node.tandem.url);
      expect(h.status).to.equal(200);
      expect(h.body.connections.maxPerAddress).to.equal(20);
      expect(h.body.connections.busiestAddress).to.equal(20);
      expect(h.body.connections.refused).to.equal(40);
      // A request from the capped address is closed too; from 127.0.0.1 everything works.
      let refused: unknown;
      await getFrom(ATTACKER, port, '/api/health').catch((err: unknown) => (refused = err));
      expect(refused, 'a request from the capped address').to.be.instanceOf(Error);
      expect((await node.client.get('/api/agents', node.adminToken)).status).to.equal(200);

      // Once its connections are gone, the address is served again.
      for (const s of kept) s.socket.destroy();
      await eventually(async () => (await health(node!.tandem.url)).body.connections.busiestAddress <= 1, 'the held connections counted as closed', { timeoutMs: 15_000 });
      expect(await getFrom(ATTACKER, port, '/api/health')).to.equal(200);
    });

    it('closes a connection whose headers never finish (408), and idle keep-alive connections', async () => {
      node = await startTestNode('postgres', { TANDEM_HTTP_HEADERS_TIMEOUT_MS: '500', TANDEM_HTTP_REQUEST_TIMEOUT_MS: '1000', TANDEM_HTTP_KEEPALIVE_TIMEOUT_MS: '300' });
      const port = node.tandem.port;
      const slow = await rawConnect(port, 'GET /api/health HTTP/1.1\r\nHost: tandem\r\n');
      sockets.push(slow);
      const keepAlive = await rawConnect(port, 'GET /api/health HTTP/1.1\r\nHost: tandem\r\n\r\n');
      sockets.push(keepAlive);
      await eventually(() => slow.closed, 'the connection with unfinished headers closed', { timeoutMs: 15_000 });
      expect(slow.received).to.match(/^HTTP\/1\.1 408/);
      await eventually(() => keepAlive.closed, 'the idle keep-alive connection closed', { timeoutMs: 15_000 });
      expect(keepAlive.received).to.match(/^HTTP\/1\.1 200/);
    });

    it('counts an IPv6 client per /64 and an IPv4-mapped address as IPv4', () => {
      expect(addressKey('::ffff:10.1.2.3')).to.equal('10.1.2.3');
      expect(addressKey('2001:db8:1:2:aaaa::1')).to.equal(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:fffe'));
      expect(addressKey('2001:db8:1:2::1')).to.not.equal(addressKey('2001:db8:1:3::1'));
      expect(addressKey('::1')).to.equal('0:0:0:0::/64');
      expect(addressKey('192.0.2.7')).to.equal('192.0.2.7');
    });
  });

  describe('the FastAGI listener', () => {
    let node: TestNode | undefined;
    const sockets: RawSocket[] = [];
    after(async () => {
      for (const s of sockets) s.socket.destroy();
      await node?.stop();
    });

    it('refuses connections beyond FASTAGI_MAX_CONNECTIONS_PER_ADDRESS at once; silent ones are closed', async () => {
      node = await startTestNode('postgres', { FASTAGI_MAX_CONNECTIONS_PER_ADDRESS: '5' });
      const port = node.tandem.fastagi!.port;
      for (let i = 0; i < 12; i++) sockets.push(await rawConnect(port));
      await eventually(() => sockets.filter((s) => s.closed).length === 7, '7 of 12 closed at once', { timeoutMs: 15_000 });
      expect(sockets.slice(0, 5).every((s) => !s.closed)).to.equal(true);
      // Another address still gets in.
      const other = await rawConnect(port, undefined, '127.0.0.1');
      sockets.push(other);
      // Deliberate: the refusals above came at once; this much time shows the other address is not refused.
      await new Promise((r) => setTimeout(r, 100));
      expect(other.closed).to.equal(false);
      // The environment timeout (5 s) closes every silent one in the end.
      await eventually(() => sockets.every((s) => s.closed), 'silent FastAGI connections closed', { timeoutMs: 15_000 });
    });
  });

  describe('file descriptors', () => {
    it('reads open descriptors and the soft limit of this process', () => {
      expect(parseOpenFilesLimit('Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 4096                 files\n')).to.equal(1024);
      expect(parseOpenFilesLimit('Max open files            unlimited            unlimited            files\n')).to.equal(null);
      const usage = readFdUsage();
      if (process.platform === 'linux') {
        expect(usage!.open).to.be.greaterThan(3);
        expect(usage!.limit).to.be.a('number');
      }
    });

    it('logs an alarm when the share crosses the threshold, repeats it while it lasts, and says when it is over', () => {
      let usage: FdUsage = { open: 100, limit: 1000 };
      const lines: { level: number; msg: string; open?: number }[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _enc, cb) {
          lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
          cb();
        },
      });
      const monitor = new FdMonitor({ alarmPercent: 80, logger: createLogger('info', stream), repeatMs: 0, read: () => usage });
      expect(monitor.check()).to.include({ alarm: false, usedPercent: 10 });
      usage = { open: 850, limit: 1000 };
      expect(monitor.check()).to.include({ alarm: true, usedPercent: 85 });
      usage = { open: 780, limit: 1000 }; // within the hysteresis: still on
      expect(monitor.check()).to.include({ alarm: true });
      usage = { open: 500, limit: 1000 };
      expect(monitor.check()).to.include({ alarm: false });
      expect(lines.map((l) => [l.level, l.msg])).to.deep.equal([
        [50, 'file descriptors running low: new connections and files will soon fail'],
        [50, 'file descriptors running low: new connections and files will soon fail'],
        [30, 'file descriptors back below the alarm threshold'],
      ]);
    });

    describe('a node started with a low descriptor limit (ulimit -n 300)', () => {
      let testDb: TestDatabase;
      let dataDir: string;
      let child: ChildProcess | undefined;
      let stdout = '';
      let url = '';
      const sockets: RawSocket[] = [];

      before(async function () {
        if (process.platform !== 'linux') this.skip();
        testDb = await createTestDatabase('postgres');
        dataDir = mkdtempSync(path.join(tmpdir(), 'tandem-row07-'));
        const env = {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          DATABASE_URL: testDb.url!,
          DATABASE_POOL_SIZE: '4',
          TANDEM_PORT: '0',
          FASTAGI_ENABLED: 'false',
          TANDEM_ADMIN_PASSWORD: ADMIN_PASSWORD,
          TANDEM_PASSWORD_COST: '10',
          TANDEM_DATA_DIR: dataDir,
          LOG_LEVEL: 'info',
          TANDEM_FD_ALARM_PERCENT: '50',
          TANDEM_MAX_CONNECTIONS_PER_ADDRESS: '1000',
          TANDEM_HTTP_IDLE_TIMEOUT_MS: '120000',
          TANDEM_HTTP_HEADERS_TIMEOUT_MS: '120000',
          TANDEM_HTTP_REQUEST_TIMEOUT_MS: '120000',
        };
        child = spawn('bash', ['-c', 'ulimit -n 300 && exec node --import tsx server/main.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
        let stderr = '';
        child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
        await eventually(() => /Tandem is running at (http:\/\/\S+)/.test(stderr) || child!.exitCode !== null, 'the node started', { timeoutMs: 60_000 });
        const m = /Tandem is running at (http:\/\/\S+)/.exec(stderr);
        if (!m) throw new Error(`the node did not start:\n${stderr}`);
        url = m[1]!;
      });
      after(async () => {
        for (const s of sockets) s.socket.destroy();
        if (child && child.exitCode === null) {
          const exited = new Promise((r) => child!.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        await testDb?.drop();
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      });

      it('reports the limit, raises the alarm in /api/health and the log as connections pile up, and clears it', async () => {
        const calm = await health(url);
        expect(calm.status).to.equal(200);
        expect(calm.body.fileDescriptors).to.include({ supported: true, limit: 300, alarm: false, alarmPercent: 50 });
        expect(calm.body.status).to.equal('ok');
        const port = Number(new URL(url).port);
        // Up to ~85 % of the limit: enough for the alarm, short of running out.
        const toOpen = Math.floor(300 * 0.85) - calm.body.fileDescriptors.open;
        expect(toOpen).to.be.greaterThan(0);
        for (let i = 0; i < toOpen; i++) sockets.push(await rawConnect(port));
        // Health reads the figures at most a second old.
        let low = await health(url);
        await eventually(async () => (low = await health(url)).body.fileDescriptors.alarm, 'the alarm in /api/health', { timeoutMs: 15_000 });
        expect(low.status).to.equal(200);
        expect(low.body.status).to.equal('degraded');
        expect(low.body.fileDescriptors.alarm).to.equal(true);
        expect(low.body.fileDescriptors.usedPercent).to.be.at.least(50);
        expect(low.body.alarms.join('\n')).to.match(/file descriptors running low: \d+ of 300 open/);
        await eventually(() => stdout.includes('file descriptors running low'), 'the alarm in the log', { timeoutMs: 15_000 });
        const line = JSON.parse(stdout.split('\n').find((l) => l.includes('file descriptors running low'))!) as { level: number; limit: number; open: number };
        expect(line.level).to.equal(50);
        expect(line.limit).to.equal(300);

        for (const s of sockets.splice(0)) s.socket.destroy();
        await eventually(async () => (await health(url)).body.fileDescriptors.alarm === false, 'the alarm cleared', { timeoutMs: 15_000 });
        expect((await health(url)).body.status).to.equal('ok');
        await eventually(() => stdout.includes('file descriptors back below the alarm threshold'), 'the all-clear in the log', { timeoutMs: 15_000 });
      });
    });
  });
});
