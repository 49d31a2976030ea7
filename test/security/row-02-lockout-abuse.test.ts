// Issue 22, finding 2: anyone could lock every administrator out with five wrong passwords (the
// right password then got 423, live sessions ended, nothing but a database edit unlocked), and
// known names answered 423 where unknown ones answered 401. Each attack goes through the real HTTP
// API, from real other client addresses (127.0.0.x), and must fail: the lockout still locks (the
// security suite's rule), but only for the address that failed; a locked name answers exactly like
// an unknown one; failed logins are limited per address whatever the usernames (429), and
// X-Forwarded-For counts only behind a configured trusted proxy. `npm run admin -- unlock|reset-password`
// recovers a locked administrator offline, run here as a real child process.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { ENGINES, quietLogger } from '../support/database.ts';
import { ADMIN_PASSWORD, ApiClient, agentBody, startTestNode, testConfig, type ErrorBody, type TestNode } from '../support/tandem.ts';
import { clientFrom } from '../support/from-address.ts';
import { startTandem } from '../../server/tandem.ts';

interface Lockout {
  source: string;
  failedLogins: number;
  lockedAt: string;
  expiresAt: string | null;
}
interface Account {
  id: number;
  username: string;
  locked: boolean;
  lockouts: Lockout[];
  failedLogins: number;
}

const WRONG = 'Wrong-Passw0rd!';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const engine of ENGINES) {
  describe(`security row 02: the lockout cannot lock anyone out from elsewhere (${engine})`, function () {
    this.timeout(60_000);
    let node: TestNode;
    let c: ApiClient;
    let admin: string;
    let adminId: number;
    before(async () => {
      node = await startTestNode(engine);
      c = node.client;
      admin = node.adminToken;
      adminId = (await c.get<Account>('/api/me', admin)).body.id;
    });
    after(async () => node?.stop());
    const from = (address: string) => clientFrom(address, node.tandem.url);

    it('five wrong passwords from another address lock the name for that address only: the admin logs in and keeps their session', async () => {
      const attacker = from('127.0.0.2');
      for (let i = 1; i <= 4; i++) {
        const r = await attacker.login('admin', WRONG);
        expect(r.status, `attempt ${i}`).to.equal(401);
        expect((r.body as unknown as ErrorBody).error.code).to.equal('INVALID_CREDENTIALS');
      }
      const fifth = await attacker.login('admin', WRONG);
      expect(fifth.status).to.equal(423);
      expect((fifth.body as unknown as ErrorBody).error.code).to.equal('ACCOUNT_LOCKED');
      // From the attacker's address even the right password is refused: the lock stops guessing.
      expect((await attacker.login('admin', ADMIN_PASSWORD)).status).to.equal(423);
      for (let i = 0; i < 10; i++) expect((await attacker.login('admin', WRONG)).status).to.equal(423);

      // The administrator, at their own address: their session lives on, and they log in.
      expect((await c.get('/api/me', admin)).status).to.equal(200);
      expect(await c.login('admin', ADMIN_PASSWORD)).to.match(/^tds_/);
      expect((await from('127.0.0.3').login('admin', ADMIN_PASSWORD)).status).to.equal(200);

      // Administrators see the lock and where it applies; it expires by itself (lockoutMinutes 15).
      const view = await c.get<Account>(`/api/users/${adminId}`, admin);
      expect(view.body.locked).to.equal(true);
      expect(view.body.lockouts.map((l) => l.source)).to.deep.equal(['127.0.0.2']);
      const l = view.body.lockouts[0]!;
      expect(new Date(l.expiresAt!).getTime() - new Date(l.lockedAt).getTime()).to.equal(15 * 60_000);
      const audit = await c.get<{ action: string; subject: string; details: { source?: string } }[]>('/api/audit?limit=50', admin);
      expect(audit.body.some((e) => e.action === 'account.locked' && e.subject === `user:${adminId}` && e.details.source === '127.0.0.2')).to.equal(true);

      // The unlock route lifts it.
      const unlocked = await c.post<Account>(`/api/users/${adminId}/unlock`, undefined, admin);
      expect(unlocked.body).to.include({ locked: false, failedLogins: 0 });
      expect(unlocked.body.lockouts).to.deep.equal([]);
      expect((await attacker.login('admin', ADMIN_PASSWORD)).status).to.equal(200);
    });

    it('answers a locked name exactly like a name that belongs to nobody', async () => {
      const probe = from('127.0.0.4');
      const a = await c.post<Account>('/api/agents', agentBody(), admin);
      const answers = async (username: string) => {
        const out: string[] = [];
        for (let i = 0; i < 7; i++) {
          const r = await probe.login(username, WRONG);
          const e = (r.body as unknown as ErrorBody).error;
          out.push(`${r.status} ${e.code} ${e.message} ${JSON.stringify(e.details)}`);
        }
        return out;
      };
      const known = await answers(a.body.username);
      const unknown = await answers(`nobody.${process.pid}`);
      expect(known).to.deep.equal(unknown);
      expect(known.map((x) => x.split(' ')[0])).to.deep.equal(['401', '401', '401', '401', '423', '423', '423']);
      // Once locked, the right password changes nothing either.
      expect((await probe.login(a.body.username, 'Agent-Pass1')).status).to.equal(423);
      // Only the real account shows the lock, to administrators.
      expect((await c.get<Account>(`/api/agents/${a.body.id}`, admin)).body.lockouts.map((l) => l.source)).to.deep.equal(['127.0.0.4']);
    });

    it('limits failed logins per client address whatever the usernames: 429 with Retry-After; other addresses unaffected', async () => {
      expect((await c.patch('/api/settings', { maxFailedLoginsPerAddress: 6, failedLoginsWindowMinutes: 10 }, admin)).status).to.equal(200);
      try {
        const sprayer = from('127.0.0.5');
        for (let i = 1; i <= 6; i++) expect((await sprayer.login(`spray.${i}`, WRONG)).status, `attempt ${i}`).to.equal(401);
        const limited = await sprayer.login('spray.7', WRONG);
        expect(limited.status).to.equal(429);
        expect((limited.body as unknown as ErrorBody).error.code).to.equal('TOO_MANY_REQUESTS');
        // 6 per 10 minutes refill one every 100 s.
        const retry = Number(limited.headers.get('retry-after'));
        expect(retry).to.be.within(90, 100);
        // Not the username: the right password of a real account is refused from there too.
        expect((await sprayer.login('admin', ADMIN_PASSWORD)).status).to.equal(429);
        // X-Forwarded-For is nobody's word without a trusted proxy: rotating it gains nothing.
        for (let i = 1; i <= 5; i++) {
          const r = await sprayer.login(`spray.x${i}`, WRONG, { headers: { 'x-forwarded-for': `198.51.100.${i}` } });
          expect(r.status).to.equal(429);
        }
        // Another address is not affected, and successes never count.
        for (let i = 0; i < 10; i++) expect((await from('127.0.0.6').login('admin', ADMIN_PASSWORD)).status).to.equal(200);
        expect(await c.login('admin', ADMIN_PASSWORD)).to.match(/^tds_/);
      } finally {
        await c.patch('/api/settings', { maxFailedLoginsPerAddress: 50 }, admin);
      }
    });

    it('a lock expires after lockoutMinutes; lockoutMinutes 0 keeps it until an administrator unlocks (locked:false or the unlock route)', async () => {
      const a = await c.post<Account>('/api/agents', agentBody(), admin);
      const name = a.body.username;
      const desk = from('127.0.0.7');
      for (let i = 0; i < 5; i++) await desk.login(name, WRONG);
      expect((await desk.login(name, 'Agent-Pass1')).status).to.equal(423);
      // Fifteen minutes pass.
      await node.tandem.database.db.execute(sql`update login_failures set locked_at = locked_at - interval '16 minutes', last_failed_at = last_failed_at - interval '16 minutes'`);
      expect((await desk.login(name, 'Agent-Pass1')).status).to.equal(200);

      await c.patch('/api/settings', { lockoutMinutes: 0 }, admin);
      try {
        for (let i = 0; i < 5; i++) await desk.login(name, WRONG);
        await node.tandem.database.db.execute(sql`update login_failures set locked_at = locked_at - interval '30 days'`);
        expect((await desk.login(name, 'Agent-Pass1')).status).to.equal(423);
        const view = await c.get<Account>(`/api/agents/${a.body.id}`, admin);
        expect(view.body.locked).to.equal(true);
        expect(view.body.lockouts[0]!.expiresAt).to.equal(null);
        const patched = await c.patch<Account>(`/api/agents/${a.body.id}`, { locked: false }, admin);
        expect(patched.status, patched.text).to.equal(200);
        expect(patched.body).to.include({ locked: false });
        expect((await desk.login(name, 'Agent-Pass1')).status).to.equal(200);
      } finally {
        await c.patch('/api/settings', { lockoutMinutes: 15 }, admin);
      }
    });

    it('maxFailedLogins 0 never locks; a successful login forgets its address\'s failures', async () => {
      const a = await c.post<Account>('/api/agents', agentBody(), admin);
      const desk = from('127.0.0.8');
      await c.patch('/api/settings', { maxFailedLogins: 0 }, admin);
      try {
        for (let i = 0; i < 8; i++) expect((await desk.login(a.body.username, WRONG)).status).to.equal(401);
        expect((await desk.login(a.body.username, 'Agent-Pass1')).status).to.equal(200);
      } finally {
        await c.patch('/api/settings', { maxFailedLogins: 5 }, admin);
      }
      for (let i = 0; i < 4; i++) await desk.login(a.body.username, WRONG);
      expect((await desk.login(a.body.username, 'Agent-Pass1')).status).to.equal(200);
      expect((await desk.login(a.body.username, WRONG)).status).to.equal(401);
    });
  });
}

describe('security row 02: X-Forwarded-For only from a trusted proxy', function () {
  this.timeout(60_000);
  let node: TestNode;
  before(async () => {
    // The reverse proxy is 127.0.0.1; clients appear in its X-Forwarded-For.
    node = await startTestNode('postgres', { TANDEM_TRUSTED_PROXIES: '127.0.0.1' });
  });
  after(async () => node?.stop());
  const via = (client: string, proxy = '127.0.0.1') => {
    const c = clientFrom(proxy, node.tandem.url);
    return (username: string, password: string) => c.login(username, password, { headers: { 'x-forwarded-for': `10.9.9.9, ${client}` } });
  };

  it('locks the name for the client named by the trusted proxy, not for the proxy', async () => {
    const attacker = via('203.0.113.7');
    for (let i = 0; i < 5; i++) await attacker('admin', WRONG);
    expect((await attacker('admin', ADMIN_PASSWORD)).status).to.equal(423);
    expect((await via('198.51.100.20')('admin', ADMIN_PASSWORD)).status).to.equal(200);
    const view = await node.client.get<Account[]>('/api/users?role=admin', node.adminToken);
    expect(view.body[0]!.lockouts.map((l) => l.source)).to.deep.equal(['203.0.113.7']);
  });

  it('counts an IPv6 client by its /64', async () => {
    for (let i = 0; i < 5; i++) await via('2001:db8:1:2::1')('admin', WRONG);
    expect((await via('2001:db8:1:2:ffff::9')('admin', ADMIN_PASSWORD)).status).to.equal(423);
    expect((await via('2001:db8:1:3::1')('admin', ADMIN_PASSWORD)).status).to.equal(200);
  });

  it('ignores the header from any peer that is not a trusted proxy', async () => {
    // 127.0.0.9 is not the proxy: its header is not believed, the lock lands on 127.0.0.9 itself.
    const forged = via('198.51.100.20', '127.0.0.9');
    for (let i = 0; i < 5; i++) await forged('admin', WRONG);
    expect((await forged('admin', ADMIN_PASSWORD)).status).to.equal(423);
    expect((await via('198.51.100.20')('admin', ADMIN_PASSWORD)).status).to.equal(200);
    const view = await node.client.get<Account[]>('/api/users?role=admin', node.adminToken);
    expect(view.body[0]!.lockouts.map((l) => l.source)).to.include('127.0.0.9');
  });
});

describe('security row 02: unknown and known names take comparable time', function () {
  this.timeout(120_000);
  let node: TestNode;
  before(async () => {
    // A realistic hash cost, so that skipping the hash for unknown names would show.
    node = await startTestNode('postgres', { TANDEM_PASSWORD_COST: '14' });
    await node.client.patch('/api/settings', { maxFailedLogins: 0, maxFailedLoginsPerAddress: 0 }, node.adminToken);
  });
  after(async () => node?.stop());

  it('runs the password hash for a name that belongs to nobody', async () => {
    const a = await node.client.post<Account>('/api/agents', agentBody(), node.adminToken);
    expect(a.status).to.equal(201);
    const time = async (username: string) => {
      const t0 = performance.now();
      const r = await node.client.post('/api/auth/login', { username, password: WRONG });
      expect(r.status).to.equal(401);
      return performance.now() - t0;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 9; i++) {
      known.push(await time(a.body.username));
      unknown.push(await time(`ghost.${i}`));
    }
    const k = median(known);
    const u = median(unknown);
    expect(u, `unknown ${u.toFixed(1)} ms vs known ${k.toFixed(1)} ms`).to.be.within(k * 0.5, k * 2);
  });
});

// ---------------------------------------------------------------------------------------------
// The offline recovery command, as an operator runs it.

const repoRoot = path.resolve(import.meta.dirname, '../..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function adminCommand(args: string[], env: Record<string, string>): Promise<Run> {
  // Only what the command needs: no DATABASE_URL or data folder leaks in from the test's environment.
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), TANDEM_PASSWORD_COST: '10' };
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'admin', '--', ...args], { cwd: repoRoot, env: { ...base, ...env }, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const oneTimePassword = (run: Run) => {
  const m = /One-time password: (\S+)/.exec(run.stdout);
  if (!m) throw new Error(`no one-time password in: ${run.stdout} ${run.stderr}`);
  return m[1]!;
};

describe('security row 02: `npm run admin` recovers a locked administrator', function () {
  this.timeout(240_000);

  it('on PostgreSQL, while Tandem runs: unlock, then reset-password with a printed one-time password', async () => {
    const node = await startTestNode('postgres');
    try {
      const c = node.client;
      const me = await c.get<Account>('/api/me', node.adminToken);
      // The state the finding left behind: locked for everyone (as the old release did), and locked
      // for the administrator's own address by their own mistyping.
      await node.tandem.database.db.execute(sql`update users set locked = true, locked_at = now(), failed_logins = 5 where id = ${me.body.id}`);
      for (let i = 0; i < 5; i++) await c.post('/api/auth/login', { username: 'admin', password: WRONG });
      expect((await c.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).to.equal(423);

      const env = { DATABASE_URL: node.testDb.url! };
      const unlocked = await adminCommand(['unlock', 'Admin'], env);
      expect(unlocked.code, unlocked.stderr).to.equal(0);
      expect(unlocked.stdout).to.contain("Account 'admin' unlocked.");
      const session = await c.login('admin', ADMIN_PASSWORD);
      const view = await c.get<Account>(`/api/users/${me.body.id}`, session);
      expect(view.body).to.include({ locked: false, failedLogins: 0 });
      expect(view.body.lockouts).to.deep.equal([]);

      const reset = await adminCommand(['reset-password', 'admin'], env);
      expect(reset.code, reset.stderr).to.equal(0);
      const password = oneTimePassword(reset);
      expect((await c.get('/api/me', session)).status).to.equal(401);
      expect((await c.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).to.equal(401);
      const login = await c.post<{ token: string; mustChangePassword: boolean }>('/api/auth/login', { username: 'admin', password });
      expect(login.status).to.equal(200);
      expect(login.body.mustChangePassword).to.equal(true);
      const audit = await c.get<{ action: string; details: { via?: string } }[]>('/api/audit?limit=20', (await c.put<{ token: string }>('/api/me/password', { currentPassword: password, newPassword: 'Back-In-Ch4rge!' }, login.body.token)).body.token);
      expect(audit.body.filter((e) => e.details.via === 'admin command').map((e) => e.action)).to.include.members(['account.unlocked', 'password.set']);

      const unknown = await adminCommand(['unlock', 'nobody.here'], env);
      expect(unknown.code).to.equal(1);
      expect(unknown.stderr).to.contain("No account named 'nobody.here'");
      const usage = await adminCommand(['frobnicate', 'admin'], env);
      expect(usage.code).to.equal(2);
      expect(usage.stderr).to.contain('Usage: npm run admin');
    } finally {
      await node.stop();
    }
  });

  it('on the embedded PGlite data folder, with Tandem stopped (and refusing while it runs)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-admin-cli-'));
    const config = testConfig({ TANDEM_DATA_DIR: dataDir });
    let tandem = await startTandem(config, { logger: quietLogger(), scheduler: false });
    try {
      const c = new ApiClient(tandem.url);
      const locker = await c.login('admin', ADMIN_PASSWORD);
      const me = await c.get<Account>('/api/me', locker);
      // An administrator locked for everyone: nobody can log in to unlock it.
      await tandem.database.db.execute(sql`update users set locked = true, locked_at = now() where id = ${me.body.id}`);
      expect((await c.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).to.equal(423);

      const busy = await adminCommand(['unlock', 'admin'], { TANDEM_DATA_DIR: dataDir });
      expect(busy.code).to.equal(1);
      expect(busy.stderr).to.contain('is in use: stop Tandem first');

      await tandem.stop();
      const run = await adminCommand(['reset-password', 'admin'], { TANDEM_DATA_DIR: dataDir });
      expect(run.code, run.stderr).to.equal(0);
      const password = oneTimePassword(run);

      tandem = await startTandem(config, { logger: quietLogger(), scheduler: false });
      const c2 = new ApiClient(tandem.url);
      const login = await c2.post<{ mustChangePassword: boolean }>('/api/auth/login', { username: 'admin', password });
      expect(login.status, login.text).to.equal(200);
      expect(login.body.mustChangePassword).to.equal(true);
    } finally {
      await tandem.stop().catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a data folder with no database instead of creating one', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-admin-empty-'));
    try {
      const run = await adminCommand(['unlock', 'admin'], { TANDEM_DATA_DIR: empty });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('No embedded database');
      expect(fs.existsSync(path.join(empty, 'pgdata'))).to.equal(false);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
