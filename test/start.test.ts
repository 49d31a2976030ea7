// The new user's first command: `npm start` on the embedded database, in a data folder, prints where it
// listens and a one-time password; the data survives a restart.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from './support/tandem.ts';

const root = path.resolve(import.meta.dirname, '..');

function startProcess(dataDir: string, port: number): { child: ChildProcess; banner: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, TANDEM_DATA_DIR: dataDir, TANDEM_PORT: String(port), FASTAGI_PORT: '0', LOG_LEVEL: 'warn', TANDEM_PASSWORD_COST: '10', DATABASE_URL: '', TANDEM_ADMIN_PASSWORD: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const banner = new Promise<string>((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      if (/Tandem is running[\s\S]*\n\n/.test(text)) resolve(text);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${text}`)));
  });
  return { child, banner };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('npm start on the embedded database', function () {
  this.timeout(90_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-start-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('starts, prints where it listens and a one-time password, and keeps data across a restart', async () => {
    const port = 20000 + (process.pid % 20000);
    const first = startProcess(dataDir, port);
    try {
      const banner = await first.banner;
      expect(banner).to.contain(`Tandem is running at http://127.0.0.1:${port}`);
      expect(banner).to.contain(`embedded (${dataDir}/pgdata)`);
      const m = /user 'admin', one-time password: (\S+)/.exec(banner);
      expect(m, banner).to.not.equal(null);
      const c = new ApiClient(`http://127.0.0.1:${port}`);
      const health = await c.get<{ database: { engine: string; state: string } }>('/api/health');
      expect(health.body.database).to.include({ engine: 'pglite', state: 'up' });
      const login = await c.post<{ token: string }>('/api/auth/login', { username: 'admin', password: m![1] });
      const changed = await c.put<{ token: string }>('/api/me/password', { currentPassword: m![1], newPassword: 'Kept-Across-1' }, login.body.token);
      expect(changed.status).to.equal(200);
      const team = await c.post('/api/teams', { name: 'Survives restarts' }, changed.body.token);
      expect(team.status).to.equal(201);
    } finally {
      await stop(first.child);
    }
    const second = startProcess(dataDir, port);
    try {
      const banner = await second.banner;
      expect(banner).to.not.contain('one-time password');
      const c = new ApiClient(`http://127.0.0.1:${port}`);
      const token = await c.login('admin', 'Kept-Across-1');
      const teams = await c.get<{ name: string }[]>('/api/teams', token);
      expect(teams.body.map((t) => t.name)).to.deep.equal(['Survives restarts']);
    } finally {
      await stop(second.child);
    }
  });

  it('refuses a wrong setting with a message naming it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: { ...process.env, TANDEM_PORT: 'abc' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).to.equal(2);
    expect(err).to.contain("TANDEM_PORT: must be a port number (got 'abc')");
  });
});
