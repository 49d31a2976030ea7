// The dispositions catalogue: validation, the three-level limit, unique names among siblings, rename,
// move and reorder, delete with children, the audit trail, supervisors' scope (out of scope = 404,
// global trees theirs to read only), the trees an agent's work offers, finishing refused with an
// unknown disposition or none when the queue requires one; and the migration that moved the chat
// websites' own lists into the catalogue, on PostgreSQL and PGlite. Real node, real databases.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { MIGRATIONS_FOLDER, rowsOf } from '../../server/db/database.ts';
import { createTestDatabase, ENGINES } from '../support/database.ts';
import { okBody, startNodeOn, startTestNode, type ErrorBody, type TestNode } from '../support/tandem.ts';
import { agent as newAgent, logIn, queue as newQueue } from '../support/world.ts';
import type { Disposition, DispositionChoice } from '../../contracts/dispositions.ts';

const fieldsOf = (body: ErrorBody) => (body.error.details.fields ?? []).map((f) => f.field);

describe('dispositions API on postgres', function () {
  let node: TestNode;
  let admin: string;
  let seq = 0;
  before(async () => {
    node = await startTestNode('postgres');
    admin = node.adminToken;
  });
  after(async () => node?.stop());

  const create = (body: Record<string, unknown>, token = admin) => node.client.post<Disposition & ErrorBody>('/api/dispositions', body, token);
  const list = async (query: string, token = admin) => okBody(await node.client.get<Disposition[]>(`/api/dispositions${query}`, token));

  it('refuses what is not a disposition, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ scope: 'global' }, 'name'],
      [{ name: 'Sale' }, 'scope'],
      [{ name: 'Sale', scope: 'everywhere' }, 'scope'],
      [{ name: 'Sale', scope: 'queue' }, 'queueId'],
      [{ name: 'Sale', scope: 'global', websiteId: 1 }, 'websiteId'],
      [{ name: 'Sale / Big', scope: 'global' }, 'name'],
      [{ name: 'x'.repeat(101), scope: 'global' }, 'name'],
      [{ name: 'Sale', parentId: 999_999 }, 'parentId'],
    ];
    for (const [body, field] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(fieldsOf(res.body), JSON.stringify(body)).to.include(field);
    }
    const root = okBody(await create({ name: `Root ${++seq}`, scope: 'global' }), 201);
    const childWithScope = await create({ name: 'Child', parentId: root.id, scope: 'global' });
    expect(childWithScope.status).to.equal(400);
    expect(fieldsOf(childWithScope.body)).to.include('scope');
    // Unknown queue and website: 404 as for any unknown id.
    expect((await create({ name: 'Sale', scope: 'queue', queueId: 999_999 })).status).to.equal(404);
    expect((await create({ name: 'Sale', scope: 'website', websiteId: 999_999 })).status).to.equal(404);
  });

  it('builds three levels and no more, names unique among siblings, paths and counts in the list', async () => {
    const top = okBody(await create({ name: `Sale ${++seq}`, scope: 'global' }), 201);
    const mid = okBody(await create({ name: 'Upgrade', parentId: top.id }), 201);
    const leaf = okBody(await create({ name: 'Annual', parentId: mid.id }), 201);
    expect(leaf).to.include({ level: 3, scope: 'global', path: `${top.name} / Upgrade / Annual` });
    const fourth = await create({ name: 'Too deep', parentId: leaf.id });
    expect(fourth.status).to.equal(400);
    expect(fieldsOf(fourth.body)).to.deep.equal(['parentId']);

    const dup = await create({ name: 'UPGRADE', parentId: top.id });
    expect(dup.status).to.equal(409);
    expect(fieldsOf(dup.body)).to.deep.equal(['name']);
    // The same name elsewhere is another disposition.
    okBody(await create({ name: 'Upgrade', parentId: leaf.id === mid.id ? top.id : mid.id }), 201);

    const rows = await list('?scope=global');
    const mine = rows.filter((r) => r.path.startsWith(top.name));
    expect(mine.map((r) => r.path)).to.deep.equal([top.name, `${top.name} / Upgrade`, `${top.name} / Upgrade / Annual`, `${top.name} / Upgrade / Upgrade`]);
    expect(mine[0]!.descendants).to.equal(3);
  });

  it('renames, reorders and moves within the limit, deletes with the children, and audits each change', async () => {
    const a = okBody(await create({ name: `A${++seq}`, scope: 'global' }), 201);
    const b = okBody(await create({ name: `B${seq}`, scope: 'global' }), 201);
    const b1 = okBody(await create({ name: 'B1', parentId: b.id }), 201);
    okBody(await create({ name: 'B1x', parentId: b1.id }), 201);
    const order = async () => (await list('?scope=global')).filter((r) => r.level === 1).map((r) => r.id);

    const renamed = okBody(await node.client.patch<Disposition>(`/api/dispositions/${a.id}`, { name: `Alpha${seq}` }, admin));
    expect(renamed.path).to.equal(`Alpha${seq}`);
    const firstNow = okBody(await node.client.patch<Disposition>(`/api/dispositions/${b.id}`, { position: 0 }, admin));
    expect(firstNow.position).to.equal(0);
    expect((await order())[0]).to.equal(b.id);
    expect((await order()).indexOf(a.id)).to.be.greaterThan(0);

    // B1 (with a child below it) under A's would-be level 3: refused; under A: level 2, its child level 3.
    const aChild = okBody(await create({ name: 'A1', parentId: a.id }), 201);
    const tooDeep = await node.client.patch<ErrorBody>(`/api/dispositions/${b1.id}`, { parentId: aChild.id }, admin);
    expect(tooDeep.status).to.equal(400);
    expect(fieldsOf(tooDeep.body)).to.deep.equal(['parentId']);
    const intoSelf = await node.client.patch<ErrorBody>(`/api/dispositions/${b.id}`, { parentId: b1.id }, admin);
    expect(intoSelf.status).to.equal(400);
    const moved = okBody(await node.client.patch<Disposition>(`/api/dispositions/${b1.id}`, { parentId: a.id, position: 0 }, admin));
    expect(moved).to.include({ level: 2, parentId: a.id, position: 0, path: `Alpha${seq} / B1` });
    const below = (await list('?scope=global')).find((r) => r.path === `Alpha${seq} / B1 / B1x`);
    expect(below?.level).to.equal(3);

    expect((await node.client.delete(`/api/dispositions/${a.id}`, admin)).status).to.equal(204);
    expect((await list('?scope=global')).some((r) => r.path.startsWith(`Alpha${seq}`))).to.equal(false);
    expect((await node.client.get(`/api/dispositions/${b1.id}`, admin)).status).to.equal(404);

    const trail = okBody(await node.client.get<{ action: string; subject: string; details: Record<string, unknown> }[]>('/api/audit?action=disposition.&limit=200', admin));
    const ofA = trail.filter((e) => e.subject === `disposition:${a.id}`).map((e) => e.action);
    expect(ofA).to.include.members(['disposition.created', 'disposition.updated', 'disposition.deleted']);
    expect(trail.find((e) => e.subject === `disposition:${a.id}` && e.action === 'disposition.deleted')!.details).to.include({ descendants: 3 });
  });

  it('keeps a supervisor to the global trees (read only) and those of their queues and websites: the rest is 404', async () => {
    const mine = await newQueue(node);
    const theirs = await newQueue(node);
    const site = (queueId: number) => node.client.post<{ id: number }>('/api/chat/websites', { name: `Site ${++seq}-${process.pid}`, queueId }, admin);
    const mySite = okBody(await site(mine), 201).id;
    const theirSite = okBody(await site(theirs), 201).id;
    const sup = okBody(
      await node.client.post<{ id: number }>('/api/users', { role: 'supervisor', username: `sup.disp${++seq}`, fullName: 'Sup', password: 'Sup-Passw0rd', permissions: { settings: 'read-edit-delete' } }, admin),
      201,
    );
    okBody(await node.client.put(`/api/users/${sup.id}/queues`, { queueIds: [mine] }, admin));
    const t = await node.client.login(`sup.disp${seq}`, 'Sup-Passw0rd');

    const global = okBody(await create({ name: `Everyone ${seq}`, scope: 'global' }), 201);
    const other = okBody(await create({ name: 'Theirs', scope: 'queue', queueId: theirs }), 201);
    const otherSite = okBody(await create({ name: 'Their site', scope: 'website', websiteId: theirSite }), 201);

    const ours = okBody(await create({ name: 'Ours', scope: 'queue', queueId: mine }, t), 201);
    okBody(await create({ name: 'Ours too', parentId: ours.id }, t), 201);
    okBody(await create({ name: 'Our site', scope: 'website', websiteId: mySite }, t), 201);
    const seen = await list('', t);
    expect(seen.map((r) => r.id)).to.include.members([global.id, ours.id]);
    expect(seen.map((r) => r.id)).to.not.include.members([other.id]);
    expect(seen.map((r) => r.id)).to.not.include(otherSite.id);

    expect((await create({ name: 'X', scope: 'queue', queueId: theirs }, t)).status).to.equal(404);
    expect((await create({ name: 'X', scope: 'website', websiteId: theirSite }, t)).status).to.equal(404);
    expect((await create({ name: 'X', parentId: other.id }, t)).status).to.equal(400);
    expect((await node.client.get(`/api/dispositions?queueId=${theirs}`, t)).status).to.equal(404);
    expect((await node.client.get(`/api/dispositions?websiteId=${theirSite}`, t)).status).to.equal(404);
    for (const id of [other.id, otherSite.id]) {
      expect((await node.client.get(`/api/dispositions/${id}`, t)).status).to.equal(404);
      expect((await node.client.patch(`/api/dispositions/${id}`, { name: 'Mine now' }, t)).status).to.equal(404);
      expect((await node.client.delete(`/api/dispositions/${id}`, t)).status).to.equal(404);
    }
    // Moving one of theirs under another queue's node: that node is no place of this tree.
    expect((await node.client.patch(`/api/dispositions/${ours.id}`, { parentId: other.id }, t)).status).to.equal(400);
    // Global: readable, an administrator's to change.
    expect((await node.client.get(`/api/dispositions/${global.id}`, t)).status).to.equal(200);
    expect((await create({ name: 'X', scope: 'global' }, t)).status).to.equal(403);
    expect((await node.client.patch(`/api/dispositions/${global.id}`, { name: 'Y' }, t)).status).to.equal(403);
    // Without the settings permission: 403.
    const agentUser = await newAgent(node);
    expect((await node.client.get('/api/dispositions', agentUser.token)).status).to.equal(403);
  });

  it("offers an agent the trees of their work (global, its queue's) and checks the disposition given at finish", async () => {
    // Only this test's global tree: the others' are deleted first.
    for (const r of (await list('?scope=global')).filter((d) => d.level === 1)) await node.client.delete(`/api/dispositions/${r.id}`, admin);
    const a = await newAgent(node);
    const other = await newAgent(node);
    const q = await newQueue(node, { retrySec: 0 }, [a.id]);
    const sale = okBody(await create({ name: 'Sale', scope: 'global' }), 201);
    okBody(await create({ name: 'Upgrade', parentId: sale.id }), 201);
    okBody(await create({ name: 'New', parentId: sale.id }), 201);
    okBody(await create({ name: 'Callback', scope: 'queue', queueId: q }), 201);
    okBody(await create({ name: 'Elsewhere', scope: 'queue', queueId: await newQueue(node) }), 201);
    await logIn(node.client, a);

    const accepted = async () => {
      const e = okBody(await node.client.post<{ id: number }>(`/api/queues/${q}/entries`, { interactionRef: `disp-${++seq}`, caller: 'Zoe' }, admin), 201);
      let offerId: number | undefined;
      for (let i = 0; i < 100 && offerId === undefined; i++) {
        offerId = (await node.client.get<{ id: number; entryId: number }[]>('/api/me/offers', a.token)).body.find((o) => o.entryId === e.id)?.id;
        if (offerId === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      expect(offerId, 'an offer').to.be.a('number');
      okBody(await node.client.post(`/api/offers/${offerId}/accept`, {}, a.token));
      return e.id;
    };

    const entryId = await accepted();
    const offered = okBody(await node.client.get<{ required: boolean; dispositions: DispositionChoice[] }>(`/api/me/entries/${entryId}/dispositions`, a.token));
    expect(offered.required).to.equal(false);
    expect(offered.dispositions.map((d) => d.name)).to.deep.equal(['Sale', 'Callback']);
    expect(offered.dispositions[0]!.children.map((d) => d.path)).to.deep.equal(['Sale / Upgrade', 'Sale / New']);
    expect((await node.client.get(`/api/me/entries/${entryId}/dispositions`, other.token)).status).to.equal(404);

    for (const wrong of ['Elsewhere', 'Sale', 'Nope']) {
      const refused = await node.client.post<ErrorBody>(`/api/me/entries/${entryId}/finish`, { disposition: wrong }, a.token);
      expect(refused.status, wrong).to.equal(400);
      expect(fieldsOf(refused.body)).to.deep.equal(['disposition']);
    }
    expect((await node.client.post(`/api/me/entries/${entryId}/finish`, { disposition: 'sale/upgrade', note: 'two seats' }, a.token)).status).to.equal(204);
    const stored = await node.tandem.services.db.execute<{ data: Record<string, unknown> }>(sql`select data from queue_entries where id = ${entryId}`);
    expect(rowsOf<{ data: Record<string, unknown> }>(stored)[0]!.data).to.include({ disposition: 'Sale / Upgrade', dispositionNote: 'two seats' });

    // The queue requires one: finishing without is refused, with one it goes through.
    okBody(await node.client.patch(`/api/queues/${q}`, { dispositionRequired: true, wrapupSec: 0 }, admin));
    await new Promise((r) => setTimeout(r, 300));
    const second = await accepted();
    expect(okBody(await node.client.get<{ required: boolean }>(`/api/me/entries/${second}/dispositions`, a.token)).required).to.equal(true);
    const none = await node.client.post<ErrorBody>(`/api/me/entries/${second}/finish`, { note: 'no code' }, a.token);
    expect(none.status).to.equal(400);
    expect(fieldsOf(none.body)).to.deep.equal(['disposition']);
    expect((await node.client.post(`/api/me/entries/${second}/finish`, { disposition: 'Callback' }, a.token)).status).to.equal(204);
  });
});

for (const engine of ENGINES) {
  describe(`dispositions migration on ${engine}`, function () {
    this.timeout(180_000);
    it("moves each website's own list into the catalogue and the document keeps no list", async () => {
      const t = await createTestDatabase(engine);
      const older = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-migrations-'));
      try {
        // The schema as it was before the catalogue: every migration before it.
        const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
        const at = journal.entries.findIndex((e) => e.tag.endsWith('_dispositions'));
        expect(at).to.be.greaterThan(0);
        const before = journal.entries.slice(0, at);
        fs.mkdirSync(path.join(older, 'meta'));
        fs.writeFileSync(path.join(older, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: before }));
        for (const e of before) fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${e.tag}.sql`), path.join(older, `${e.tag}.sql`));
        const db = t.database.db;
        if (engine === 'postgres') await migratePg(db as unknown as NodePgDatabase, { migrationsFolder: older });
        else await migratePglite(db as unknown as PgliteDatabase, { migrationsFolder: older });

        const settings = { dispositions: ['Sold', ' No answer ', 'sold', '', 'Callback'], appearance: { title: 'Old shop' } };
        await db.execute(sql`insert into chat_websites (name, key, settings) values ('Old shop', 'old-key', ${JSON.stringify(settings)}::jsonb), ('Empty shop', 'empty-key', '{}'::jsonb)`);
        await t.database.migrate();

        const rows = rowsOf<{ name: string; scope: string; position: number; level: number; site: string }>(
          await db.execute(sql`select d.name, d.scope, d.position, d.level, w.name as site from dispositions d join chat_websites w on w.id = d.website_id order by d.position`),
        );
        expect(rows.map((r) => [r.site, r.name, r.position, r.level, r.scope])).to.deep.equal([
          ['Old shop', 'Sold', 0, 1, 'website'],
          ['Old shop', 'No answer', 1, 1, 'website'],
          ['Old shop', 'Callback', 2, 1, 'website'],
        ]);
        const docs = rowsOf<{ settings: Record<string, unknown> }>(await db.execute(sql`select settings from chat_websites order by id`));
        expect(docs[0]!.settings).to.not.have.property('dispositions');
        expect(docs[0]!.settings).to.deep.include({ appearance: { title: 'Old shop' } });

        // A document still holding a list (written by an older node meanwhile) stays readable.
        await db.execute(sql`update chat_websites set settings = settings || '{"dispositions":["Late"]}'::jsonb where key = 'empty-key'`);
        const node = await startNodeOn(t);
        try {
          const sites = okBody(await node.client.get<{ name: string; appearance: { title: string } }[]>('/api/chat/websites', node.adminToken));
          expect(sites.map((s) => s.name)).to.have.members(['Old shop', 'Empty shop']);
          expect(sites.find((s) => s.name === 'Old shop')!.appearance.title).to.equal('Old shop');
          expect(sites[0]).to.not.have.property('dispositions');
          const paths = okBody(await node.client.get<Disposition[]>('/api/dispositions?scope=website', node.adminToken)).map((d) => d.path);
          expect(paths).to.deep.equal(['Sold', 'No answer', 'Callback']);
        } finally {
          await node.tandem.stop();
        }
      } finally {
        fs.rmSync(older, { recursive: true, force: true });
        await t.drop();
      }
    });
  });
}
