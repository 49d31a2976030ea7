// Issue 22, finding 13 (the parts fixed here):
// (a) 1,000 publishes of an unchanged project stored 1,000 versions — publishing a draft identical
//     to the latest version now stores nothing and answers 200 `{unchanged: true}` with that version
//     (the designer's message for it is checked in a browser by test/designer/designer.test.ts);
// (b) a 3.7 MB source map was public — builds emit none and the server never serves a .map;
// (c) the app's CSP let pages connect to any ws:/wss: host — connect-src is 'self' only;
// (d) supervisors saw every call record — they see the calls of their queues and their agents.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import Koa from 'koa';
import { calls, queueEntries } from '../../server/db/schema.ts';
import { webApp } from '../../server/http/web.ts';
import { DEFAULT_WIDGET_FILE } from '../../server/http/widget-asset.ts';
import { buildWidgetIfStale, ensureDesignerBuilt } from '../../designer/build.ts';
import { agentBody, startTestNode, type ErrorBody, type TestNode } from '../support/tandem.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const project = (prompt: string) => ({
  schemaVersion: 2,
  id: 'ignored',
  name: 'Row 13 line',
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'hello' } },
    hello: { type: 'Playback', params: { prompts: [prompt] }, exits: { next: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
});

interface Published {
  version: number;
  hash: string;
  message: string;
  unchanged: boolean;
}

function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesBelow(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('security row 13: publish, source maps, CSP, call-record scope', function () {
  this.timeout(180_000);
  let node: TestNode;
  before(async () => {
    node = await startTestNode('postgres');
  });
  after(async () => node?.stop());

  describe('(a) publishing an unchanged draft', () => {
    it('stores nothing and says so; a changed draft (or one rolled back) is a new version', async () => {
      const t = node.adminToken;
      const c = node.client;
      const p = await c.post<{ id: string; revision: number }>('/api/ivr/projects', { name: `Row13 ${process.pid}`, channel: 'voice', project: project('welcome') }, t);
      expect(p.status, p.text).to.equal(201);
      const publishUrl = `/api/ivr/projects/${p.body.id}/publish`;
      const first = await c.post<Published>(publishUrl, { message: 'first' }, t);
      expect(first.status, first.text).to.equal(201);
      expect(first.body).to.include({ version: 1, unchanged: false, message: 'first' });

      for (let i = 0; i < 25; i++) {
        const again = await c.post<Published>(publishUrl, { message: `again ${i}` }, t);
        expect(again.status).to.equal(200);
        expect(again.body).to.include({ version: 1, unchanged: true, hash: first.body.hash, message: 'first' });
      }
      // Concurrent clicks too: the project row is locked while publishing.
      const burst = await Promise.all(Array.from({ length: 10 }, () => c.post<Published>(publishUrl, {}, t)));
      expect(burst.every((r) => r.status === 200 && r.body.unchanged)).to.equal(true);
      const versions = async () => (await c.get<{ version: number }[]>(`/api/ivr/projects/${p.body.id}/versions`, t)).body.map((v) => v.version);
      expect(await versions()).to.deep.equal([1]);

      const detail = await c.get<{ revision: number }>(`/api/ivr/projects/${p.body.id}`, t);
      await c.put(`/api/ivr/projects/${p.body.id}/draft`, { revision: detail.body.revision, project: project('changed') }, t);
      const second = await c.post<Published>(publishUrl, { message: 'second' }, t);
      expect(second.status).to.equal(201);
      expect(second.body).to.include({ version: 2, unchanged: false });
      expect((await c.post<Published>(publishUrl, {}, t)).body).to.include({ version: 2, unchanged: true });

      // Version 1 as the draft again differs from the latest (2): publishing it makes version 3.
      expect((await c.post(`/api/ivr/projects/${p.body.id}/rollback`, { version: 1 }, t)).status).to.equal(200);
      const third = await c.post<Published>(publishUrl, {}, t);
      expect(third.status).to.equal(201);
      expect(third.body).to.include({ version: 3, unchanged: false, hash: first.body.hash });
      expect(await versions()).to.deep.equal([3, 2, 1]);
      // The audit trail records real publications only.
      const audit = await c.get<{ action: string; subject: string }[]>(`/api/audit?limit=1000`, t);
      expect(audit.status).to.equal(200);
      expect(audit.body.filter((a) => a.action === 'ivr.published' && a.subject === `ivr:${p.body.id}`)).to.have.length(3);
    });
  });

  describe('(b) source maps and (c) the content security policy', () => {
    before(async function () {
      this.timeout(300_000);
      await ensureDesignerBuilt();
      await buildWidgetIfStale();
    });

    it('the builds hold no source map and reference none', () => {
      const dist = path.join(repoRoot, 'designer/dist');
      const files = filesBelow(dist);
      expect(files.some((f) => f.endsWith('index.html'))).to.equal(true);
      expect(files.filter((f) => f.endsWith('.map'))).to.deep.equal([]);
      for (const f of files.filter((f) => /\.(js|css)$/.test(f))) expect(readFileSync(f, 'utf8'), f).to.not.contain('sourceMappingURL');
      expect(readFileSync(DEFAULT_WIDGET_FILE, 'utf8')).to.not.contain('sourceMappingURL');
      expect(filesBelow(path.dirname(DEFAULT_WIDGET_FILE)).filter((f) => f.endsWith('.map'))).to.deep.equal([]);
    });

    it('the node serves the app without maps, under a CSP whose connect-src is this origin only', async () => {
      const page = await fetch(`${node.tandem.url}/ivr`);
      expect(page.status).to.equal(200);
      const csp = page.headers.get('content-security-policy') ?? '';
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
      expect(directives.get('connect-src')).to.deep.equal(["'self'"]);
      expect(csp).to.not.match(/\b(ws|wss|https?):(?!\/\/)/);
      expect(directives.get('default-src')).to.deep.equal(["'self'"]);
      const scripts = [...(await page.text()).matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
      expect(scripts).to.not.have.length(0);
      for (const script of scripts) {
        const js = await fetch(node.tandem.url + script);
        expect(js.status).to.equal(200);
        expect(js.headers.get('sourcemap')).to.equal(null);
        expect(js.headers.get('x-sourcemap')).to.equal(null);
        expect((await fetch(`${node.tandem.url}${script}.map`)).status).to.equal(404);
      }
      expect((await fetch(`${node.tandem.url}/chat/tandem-chat.js.map`)).status).to.equal(404);
    });

    it('never serves a .map file, even one left in the folder', async () => {
      const root = mkdtempSync(path.join(tmpdir(), 'tandem-row13-'));
      const server = http.createServer();
      try {
        mkdirSync(path.join(root, 'assets'));
        writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
        writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)\n//# sourceMappingURL=index-abc.js.map');
        writeFileSync(path.join(root, 'assets', 'index-abc.js.map'), '{"version":3,"sources":["secret.ts"]}');
        const app = new Koa();
        app.use(webApp({ distDir: root }));
        app.use((ctx) => {
          ctx.status = 404;
        });
        server.on('request', app.callback());
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        expect((await fetch(`${base}/assets/index-abc.js`)).status).to.equal(200);
        for (const target of ['/assets/index-abc.js.map', '/assets/index-abc.js.MAP', '/assets/index-abc.js%2Emap']) {
          const res = await fetch(base + target);
          expect(res.status, target).to.equal(404);
          expect(await res.text(), target).to.not.contain('secret.ts');
        }
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        rmSync(root, { recursive: true, force: true });
      }
    });
  });

  describe('(d) call records', () => {
    const SUP_PASSWORD = 'Sup-Passw0rd!';
    let supToken: string;
    let lonelyToken: string;
    let ids: Record<'viaMyQueue' | 'viaOtherQueue' | 'answeredByMine' | 'disposedByMine' | 'answeredByOther' | 'ivrOnly', number>;

    before(async () => {
      const t = node.adminToken;
      const c = node.client;
      const db = node.tandem.database.db;
      const queue = async (name: string) => (await c.post<{ id: number }>('/api/queues', { name: `${name}${process.pid}`, channel: 'voice' }, t)).body.id;
      const mineQ = await queue('r13mine');
      const otherQ = await queue('r13other');
      const agent = async (q: number) => {
        const a = await c.post<{ id: number }>('/api/agents', agentBody(), t);
        expect((await c.post(`/api/queues/${q}/agents`, { agentId: a.body.id }, t)).status).to.equal(200);
        return a.body.id;
      };
      const mine = await agent(mineQ);
      const other = await agent(otherQ);
      const supervisor = async (username: string, queueIds: number[]) => {
        const u = await c.post<{ id: number }>('/api/users', { role: 'supervisor', username, fullName: username, password: SUP_PASSWORD, permissions: { voice: 'read' } }, t);
        expect(u.status, u.text).to.equal(201);
        expect((await c.put(`/api/users/${u.body.id}/queues`, { queueIds }, t)).status).to.equal(200);
        return c.login(username, SUP_PASSWORD);
      };
      supToken = await supervisor(`r13.sup${process.pid}`, [mineQ]);
      lonelyToken = await supervisor(`r13.lonely${process.pid}`, []);

      const call = async (key: string, extra: Partial<typeof calls.$inferInsert> = {}) => {
        const [row] = await db
          .insert(calls)
          .values({ uniqueId: `r13-${key}-${process.pid}`, channelName: `PJSIP/${key}`, direction: 'inbound', callerNumber: '0600000000', startedAt: new Date(), ...extra })
          .returning({ id: calls.id, uniqueId: calls.uniqueId });
        return row!;
      };
      const viaMyQueue = await call('mine-queue');
      const viaOtherQueue = await call('other-queue');
      await db.insert(queueEntries).values([
        { queueId: mineQ, channel: 'voice', interactionRef: viaMyQueue.uniqueId, status: 'abandoned' },
        { queueId: otherQ, channel: 'voice', interactionRef: viaOtherQueue.uniqueId, status: 'abandoned' },
        // A chat entry whose ref happens to look like a call's unique id does not count.
        { queueId: mineQ, channel: 'chat', interactionRef: `r13-ivr-only-${process.pid}`, status: 'abandoned' },
      ]);
      ids = {
        viaMyQueue: viaMyQueue.id,
        viaOtherQueue: viaOtherQueue.id,
        answeredByMine: (await call('answered-mine', { agentId: mine })).id,
        disposedByMine: (await call('disposed-mine', { disposedBy: mine, disposition: 'Solved' })).id,
        answeredByOther: (await call('answered-other', { agentId: other })).id,
        ivrOnly: (await call('ivr-only')).id,
      };
    });

    const listed = async (token: string) => (await node.client.get<{ id: number }[]>('/api/voice/calls?limit=1000', token)).body.map((r) => r.id);

    it('a supervisor lists and reads the calls of their queues and agents only', async () => {
      const all = Object.values(ids);
      const visible = [ids.viaMyQueue, ids.answeredByMine, ids.disposedByMine];
      expect((await listed(supToken)).filter((id) => all.includes(id))).to.have.members(visible);
      for (const [name, id] of Object.entries(ids)) {
        const res = await node.client.get<ErrorBody>(`/api/voice/calls/${id}`, supToken);
        if (visible.includes(id)) expect(res.status, name).to.equal(200);
        else {
          // Answered as an unknown id, so that ids cannot be probed.
          expect(res.status, name).to.equal(404);
          expect(res.body.error.message).to.equal((await node.client.get<ErrorBody>('/api/voice/calls/999999999', supToken)).body.error.message.replace('999999999', String(id)));
        }
      }
      // Filters narrow the scope, never widen it.
      const inbound = (await node.client.get<{ id: number }[]>('/api/voice/calls?direction=inbound&limit=1000', supToken)).body.map((r) => r.id);
      expect(inbound.filter((id) => all.includes(id))).to.have.members(visible);
    });

    it('a supervisor on no queue sees no call; an admin sees them all', async () => {
      expect(await listed(lonelyToken)).to.deep.equal([]);
      expect((await node.client.get(`/api/voice/calls/${ids.viaMyQueue}`, lonelyToken)).status).to.equal(404);
      expect(await listed(node.adminToken)).to.include.members(Object.values(ids));
      for (const id of Object.values(ids)) expect((await node.client.get(`/api/voice/calls/${id}`, node.adminToken)).status).to.equal(200);
    });
  });
});
