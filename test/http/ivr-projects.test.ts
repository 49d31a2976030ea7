// IVR project storage: drafts with conflict detection, publish only when valid, immutable versions
// (the database itself refuses to change one), rollback, import/export, permissions.
import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import { startTestNode, type ErrorBody, type TestNode } from '../support/tandem.ts';

interface Detail {
  id: string;
  name: string;
  revision: number;
  publishedVersion: number | null;
  draft: { id: string; name: string; channel: string; entry: string; blocks: Record<string, { type: string; params: Record<string, unknown>; exits: Record<string, string | null> }> };
  problems: { severity: string; code: string; blockId: string | null; field: string | null }[];
}

const playbackProject = (prompt: string) => ({
  schemaVersion: 2,
  id: 'ignored-on-import',
  name: 'Welcome line',
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'hello' } },
    hello: { type: 'Playback', params: { prompts: [prompt] }, exits: { next: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
});

describe('IVR projects API', function () {
  let node: TestNode;
  before(async () => {
    node = await startTestNode('postgres');
  });
  after(async () => node?.stop());

  it('creates a starter draft, saves with compare-and-set, and refuses a stale save with 409', async () => {
    const t = node.adminToken;
    const created = await node.client.post<Detail>('/api/ivr/projects', { name: 'Main menu', channel: 'voice' }, t);
    expect(created.status, created.text).to.equal(201);
    expect(created.body.revision).to.equal(1);
    expect(created.body.draft.blocks.start!.type).to.equal('Start');
    const doc = { ...playbackProject('welcome'), name: 'Main menu' };
    const saved = await node.client.put<Detail>(`/api/ivr/projects/${created.body.id}/draft`, { revision: 1, project: doc }, t);
    expect(saved.status, saved.text).to.equal(200);
    expect(saved.body.revision).to.equal(2);
    expect(saved.body.draft.id).to.equal(created.body.id);
    const stale = await node.client.put<ErrorBody>(`/api/ivr/projects/${created.body.id}/draft`, { revision: 1, project: doc }, t);
    expect(stale.status).to.equal(409);
    expect(stale.body.error.details.currentRevision).to.equal(2);
    const dup = await node.client.post<ErrorBody>('/api/ivr/projects', { name: 'main MENU', channel: 'voice' }, t);
    expect(dup.status).to.equal(409);
  });

  it('publishes only a valid draft; versions are immutable, even in the database', async () => {
    const t = node.adminToken;
    const p = await node.client.post<Detail>('/api/ivr/projects', { name: 'Publishing', channel: 'voice', project: playbackProject('') }, t);
    expect(p.status, p.text).to.equal(201);
    const refused = await node.client.post<ErrorBody>(`/api/ivr/projects/${p.body.id}/publish`, { message: 'first' }, t);
    expect(refused.status).to.equal(400);
    expect(refused.body.error.details.fields!.some((f) => f.field.startsWith('blocks.hello'))).to.equal(true);

    const fixed = await node.client.put<Detail>(`/api/ivr/projects/${p.body.id}/draft`, { revision: p.body.revision, project: playbackProject('welcome') }, t);
    const v1 = await node.client.post<{ version: number; hash: string }>(`/api/ivr/projects/${p.body.id}/publish`, { message: 'first', revision: fixed.body.revision }, t);
    expect(v1.status, v1.text).to.equal(201);
    expect(v1.body.version).to.equal(1);
    // Editing the draft afterwards never changes version 1.
    await node.client.put(`/api/ivr/projects/${p.body.id}/draft`, { revision: fixed.body.revision, project: playbackProject('changed') }, t);
    const got = await node.client.get<{ project: Detail['draft']; hash: string }>(`/api/ivr/projects/${p.body.id}/versions/1`, t);
    expect(got.body.project.blocks.hello!.params.prompts).to.deep.equal(['welcome']);
    expect(got.body.hash).to.equal(v1.body.hash);

    let error: Error | undefined;
    try {
      await node.tandem.database.db.execute(sql`update ivr_project_versions set message = 'tampered' where project_id = ${p.body.id}`);
    } catch (err) {
      error = err as Error;
    }
    expect(String(error?.cause ?? error)).to.match(/immutable/);
    error = undefined;
    try {
      await node.tandem.database.db.execute(sql`delete from ivr_project_versions where project_id = ${p.body.id}`);
    } catch (err) {
      error = err as Error;
    }
    expect(String(error?.cause ?? error)).to.match(/removed only with their project/);

    const v2 = await node.client.post<{ version: number }>(`/api/ivr/projects/${p.body.id}/publish`, {}, t);
    expect(v2.body.version).to.equal(2);
    const versions = await node.client.get<{ version: number }[]>(`/api/ivr/projects/${p.body.id}/versions`, t);
    expect(versions.body.map((v) => v.version)).to.deep.equal([2, 1]);
    const latest = await node.client.get<{ version: number }>(`/api/ivr/projects/${p.body.id}/versions/latest`, t);
    expect(latest.body.version).to.equal(2);

    const rolled = await node.client.post<Detail>(`/api/ivr/projects/${p.body.id}/rollback`, { version: 1 }, t);
    expect(rolled.body.draft.blocks.hello!.params.prompts).to.deep.equal(['welcome']);
    expect(rolled.body.publishedVersion).to.equal(2);
    // Deleting the project takes its versions with it.
    expect((await node.client.delete(`/api/ivr/projects/${p.body.id}`, t)).status).to.equal(204);
    expect((await node.client.get(`/api/ivr/projects/${p.body.id}/versions`, t)).status).to.equal(404);
  });

  it('exports a project and imports it back identical but for its id', async () => {
    const t = node.adminToken;
    const p = await node.client.post<Detail>('/api/ivr/projects', { name: 'Exported', channel: 'voice', project: playbackProject('welcome') }, t);
    const exported = (await node.client.get<Detail>(`/api/ivr/projects/${p.body.id}`, t)).body.draft;
    const imported = await node.client.post<Detail>('/api/ivr/projects', { name: 'Exported', channel: 'chat', project: exported }, t);
    expect(imported.status).to.equal(201);
    const { id: _a, channel: _c1, ...left } = exported;
    const { id: _b, channel: _c2, ...right } = imported.body.draft;
    expect(right).to.deep.equal(left);
  });

  it('rejects documents that are not projects, naming the path', async () => {
    const t = node.adminToken;
    const bad = await node.client.post<ErrorBody>('/api/ivr/projects', { name: 'Bad', channel: 'voice', project: { schemaVersion: 99 } }, t);
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.fields![0]!.field).to.match(/^project/);
    const noJson = await node.client.post<ErrorBody>('/api/ivr/projects', { name: 'Bad', channel: 'voice', project: 'not json' }, t);
    expect(noJson.status).to.equal(400);
    expect((await node.client.get<ErrorBody>('/api/ivr/projects/not-a-uuid', t)).body.error.details.fields![0]!.field).to.equal('id');
    expect((await node.client.get('/api/ivr/projects/00000000-0000-4000-8000-000000000000', t)).status).to.equal(404);
  });

  it('needs the ivr permission: read-only users read but cannot save', async () => {
    const t = node.adminToken;
    const p = await node.client.post<Detail>('/api/ivr/projects', { name: 'Guarded', channel: 'voice' }, t);
    await node.client.post('/api/users', { role: 'supervisor', username: 'ivr.reader', fullName: 'R', password: 'Read-Only-1', permissions: { ivr: 'read' } }, t);
    await node.client.post('/api/users', { role: 'supervisor', username: 'no.ivr', fullName: 'N', password: 'No-Ivr-Pass1' }, t);
    const reader = await node.client.login('ivr.reader', 'Read-Only-1');
    const none = await node.client.login('no.ivr', 'No-Ivr-Pass1');
    expect((await node.client.get(`/api/ivr/projects/${p.body.id}`, reader)).status).to.equal(200);
    expect((await node.client.put(`/api/ivr/projects/${p.body.id}/draft`, { revision: 1, project: playbackProject('x') }, reader)).status).to.equal(403);
    expect((await node.client.get('/api/ivr/projects', none)).status).to.equal(403);
  });
});
