// What the administration app needs from the API: conflicting edits reported (ETag / If-Match),
// "where used" before destructive actions, the agents list paged, searched, filtered, sorted and
// exported, and the first-run checklist. Real node, real PostgreSQL (and PGlite for the list).
import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import { agentBody, okBody, startTestNode, type ErrorBody, type TestNode } from '../support/tandem.ts';
import { agent as newAgent, logIn, queue as newQueue, queueFlowProject } from '../support/world.ts';

interface Row {
  id: number;
  updatedAt: string;
}
interface AgentRow extends Row {
  username: string;
  fullName: string;
  extension: string;
  typology: string;
  disabled: boolean;
}
interface Dependents {
  kind: string;
  id: string;
  dependents: { kind: string; id: string | number; name: string; via: string }[];
  hidden: number;
}

/** A voice project whose Playback block plays `prompt` (a beep unless said) before its Queue block. */
const queueProject = (queueName: string, prompt = 'beep') => queueFlowProject(queueName, prompt);

describe('admin app API on postgres', function () {
  let node: TestNode;
  let seq = 0;
  before(async () => {
    node = await startTestNode('postgres');
  });
  after(async () => node?.stop());

  const patchIf = <T>(path: string, body: unknown, etag?: string) =>
    node.client.request<T>('PATCH', path, { body, token: node.adminToken, ...(etag === undefined ? {} : { headers: { 'if-match': etag } }) });

  async function project(name: string, document: unknown, publish: boolean): Promise<string> {
    const t = node.adminToken;
    const created = okBody(await node.client.post<{ id: string }>('/api/ivr/projects', { name, channel: 'voice', project: document }, t), 201);
    if (publish) okBody(await node.client.post(`/api/ivr/projects/${created.id}/publish`, {}, t), 201);
    return created.id;
  }

  describe('conflicting edits', () => {
    // Each editable resource: where it lives, how to make one, and a harmless change.
    const resources: { kind: string; create: () => Promise<string>; change: (n: number) => Record<string, unknown> }[] = [
      {
        kind: 'user',
        create: async () => `/api/users/${okBody(await node.client.post<Row>('/api/users', { role: 'supervisor', username: `sup.c${++seq}`, fullName: 'Sup', password: 'Sup-Passw0rd' }, node.adminToken), 201).id}`,
        change: (n) => ({ fullName: `Sup ${n}` }),
      },
      {
        kind: 'agent',
        create: async () => `/api/agents/${okBody(await node.client.post<Row>('/api/agents', agentBody(), node.adminToken), 201).id}`,
        change: (n) => ({ fullName: `Agent v${n}` }),
      },
      {
        kind: 'team',
        create: async () => `/api/teams/${okBody(await node.client.post<Row>('/api/teams', { name: `Team c${++seq}` }, node.adminToken), 201).id}`,
        change: (n) => ({ description: `v${n}` }),
      },
      {
        kind: 'queue',
        create: async () => `/api/queues/${await newQueue(node)}`,
        change: (n) => ({ wrapupSec: n }),
      },
      {
        kind: 'trunk',
        create: async () => `/api/voice/trunks/${okBody(await node.client.post<Row>('/api/voice/trunks', { name: `Trunk c${++seq}`, endpoint: `carrier${seq}` }, node.adminToken), 201).id}`,
        change: (n) => ({ description: `v${n}` }),
      },
      {
        kind: 'route',
        create: async () => {
          const trunk = okBody(await node.client.post<Row>('/api/voice/trunks', { name: `Trunk r${++seq}`, endpoint: `out${seq}` }, node.adminToken), 201);
          return `/api/voice/routes/${okBody(await node.client.post<Row>('/api/voice/routes', { kind: 'outbound', name: `Out ${seq}`, pattern: '_9X.', trunkId: trunk.id }, node.adminToken), 201).id}`;
        },
        change: (n) => ({ prepend: String(n) }),
      },
      {
        kind: 'chat website',
        create: async () => `/api/chat/websites/${okBody(await node.client.post<Row>('/api/chat/websites', { name: `Site c${++seq}` }, node.adminToken), 201).id}`,
        change: (n) => ({ appearance: { title: `Help v${n}` } }),
      },
    ];

    for (const r of resources) {
      it(`${r.kind}: the version read is sent back; a stale one answers 409, a fresh one saves, none saves as before`, async () => {
        const path = await r.create();
        const read = await node.client.get<Row>(path, node.adminToken);
        const etag = read.headers.get('etag');
        expect(etag, 'ETag of GET').to.match(/^"\d+"$/);

        const first = await patchIf<Row>(path, r.change(1), etag!);
        okBody(first);
        const fresh = first.headers.get('etag');
        expect(fresh, 'ETag of the saved version').to.match(/^"\d+"$/).and.not.equal(etag);

        // A second editor who read the first version saves after the first one: refused, nothing changed.
        const stale = await patchIf<ErrorBody>(path, r.change(2), etag!);
        expect(stale.status, stale.text).to.equal(409);
        expect(stale.body.error.code).to.equal('CONFLICT');
        expect(stale.body.error.details.reason).to.equal('stale');
        expect(stale.body.error.details.currentVersion).to.equal(fresh!.slice(1, -1));
        expect((await node.client.get(path, node.adminToken)).headers.get('etag')).to.equal(fresh);

        okBody(await patchIf(path, r.change(3), fresh!));
        okBody(await patchIf(path, r.change(4)));
        okBody(await patchIf(path, r.change(5), '*'));
      });
    }

    it('refuses an If-Match that is no version with 400 naming the header', async () => {
      const team = okBody(await node.client.post<Row>('/api/teams', { name: `Team bad${++seq}` }, node.adminToken), 201);
      const res = await patchIf<ErrorBody>(`/api/teams/${team.id}`, { description: 'x' }, 'yesterday');
      expect(res.status).to.equal(400);
      expect(res.body.error.details.fields![0]!.field).to.equal('If-Match');
    });
  });

  describe('where used', () => {
    const dependents = (kind: string, id: string | number, token = node.adminToken) => node.client.get<Dependents>(`/api/dependents?kind=${kind}&id=${encodeURIComponent(String(id))}`, token);

    it('a queue: the projects whose Queue blocks name it (draft and published) and the routes to them', async () => {
      const queueId = await newQueue(node, { channel: 'voice', name: `Sales-${++seq}` });
      const q = okBody(await node.client.get<{ name: string }>(`/api/queues/${queueId}`, node.adminToken));
      // Names match as calls match them: case-insensitively.
      const published = await project(`Sales line ${seq}`, queueProject(q.name.toUpperCase()), true);
      const draftOnly = await project(`Sales draft ${seq}`, queueProject(q.name), false);
      await project(`Other line ${seq}`, queueProject('someone-else'), true);
      const route = okBody(await node.client.post<Row>('/api/voice/routes', { kind: 'inbound', name: `Sales DID ${seq}`, pattern: `55501${seq}`, projectId: published }, node.adminToken), 201);

      const d = okBody(await dependents('queue', queueId));
      const projects = d.dependents.filter((x) => x.kind === 'project');
      expect(projects.map((p) => [p.id, /published version 1/.test(p.via) ? 'published' : 'draft'])).to.have.deep.members([
        [published, 'draft'],
        [published, 'published'],
        [draftOnly, 'draft'],
      ]);
      expect(projects.every((p) => p.via.includes('line'))).to.equal(true);
      expect(d.dependents.filter((x) => x.kind === 'route').map((r) => r.id)).to.deep.equal([route.id]);

      const unused = await newQueue(node, { channel: 'voice' });
      expect(okBody(await dependents('queue', unused)).dependents).to.deep.equal([]);
    });

    it('a project: the routes to it and the projects running it as a sub-project; a trunk: its routes', async () => {
      const target = await project(`Shared ${++seq}`, queueProject('none'), true);
      const route = okBody(await node.client.post<Row>('/api/voice/routes', { kind: 'internal', name: `Ext ${seq}`, pattern: `7${seq}`, projectId: target }, node.adminToken), 201);
      const caller = await project(`Caller ${seq}`, {
        ...queueProject('none'),
        blocks: { start: { type: 'Start', params: { answer: true }, exits: { next: 'sub' } }, sub: { type: 'SubProject', params: { project: target }, exits: { done: null, error: null } } },
      }, false);
      const d = okBody(await dependents('project', target));
      expect(d.dependents.map((x) => [x.kind, x.id])).to.deep.equal([
        ['route', route.id],
        ['project', caller],
      ]);

      const trunk = okBody(await node.client.post<Row>('/api/voice/trunks', { name: `Carrier ${seq}`, endpoint: `carrier-d${seq}` }, node.adminToken), 201);
      const out = okBody(await node.client.post<Row>('/api/voice/routes', { kind: 'outbound', name: `Via ${seq}`, pattern: '_0X.', trunkId: trunk.id }, node.adminToken), 201);
      expect(okBody(await dependents('trunk', trunk.id)).dependents.map((x) => x.id)).to.deep.equal([out.id]);
      expect((await dependents('trunk', 999_999)).status).to.equal(404);
      expect((await dependents('project', 'not-a-uuid')).status).to.equal(400);
    });

    it('a sound: the projects playing it, by its name or as tandem:<name>', async () => {
      const name = `welcome${++seq}`;
      // The library row alone (uploading needs ffmpeg; the sound routes' own tests cover that).
      await node.tandem.database.db.execute(
        sql`insert into sounds (name, language, source_format, source_bytes, duration_ms, wav_bytes, sha256) values (${name}, 'en', 'wav', 1, 1, 1, 'x')`,
      );
      const plain = await project(`Plays ${seq}`, queueProject('none', name), true);
      const prefixed = await project(`Plays prefixed ${seq}`, queueProject('none', `tandem:${name}`), false);
      await project(`Plays other ${seq}`, queueProject('none', `${name}x`), false);
      const d = okBody(await dependents('sound', name));
      expect(d.dependents.map((x) => x.id)).to.have.members([plain, plain, prefixed]);
      expect((await dependents('sound', 'nosuchsound')).status).to.equal(404);
    });

    it('a team: its queues; an agent: its queues and teams; a supervisor sees their scope only, others answer 404', async () => {
      const t = node.adminToken;
      const a = await newAgent(node);
      const team = okBody(await node.client.post<Row>('/api/teams', { name: `Floor ${++seq}` }, t), 201);
      okBody(await node.client.put(`/api/teams/${team.id}/agents`, { agentIds: [a.id] }, t));
      const mine = await newQueue(node, {}, [a.id]);
      const theirs = await newQueue(node, {}, [a.id]);
      okBody(await node.client.post(`/api/queues/${mine}/teams`, { teamId: team.id }, t));

      const dt = okBody(await dependents('team', team.id));
      expect(dt.dependents.map((x) => [x.kind, x.id])).to.deep.equal([['queue', mine]]);
      const da = okBody(await dependents('agent', a.id));
      expect(da.dependents.map((x) => [x.kind, x.id])).to.deep.equal([
        ['queue', mine],
        ['queue', theirs],
        ['team', team.id],
      ]);

      const sup = okBody(await node.client.post<Row>('/api/users', { role: 'supervisor', username: `sup.d${seq}`, fullName: 'Sup', password: 'Sup-Passw0rd', permissions: { staff: 'read', chat: 'read' } }, t), 201);
      okBody(await node.client.put(`/api/users/${sup.id}/queues`, { queueIds: [mine] }, t));
      const st = await node.client.login(`sup.d${seq}`, 'Sup-Passw0rd');
      const seen = okBody(await dependents('agent', a.id, st));
      // The team holds only agents of the supervisor's and serves only their queue: theirs to see.
      // The other supervisor's queue is counted, not named.
      expect(seen.dependents.map((x) => [x.kind, x.id])).to.deep.equal([
        ['queue', mine],
        ['team', team.id],
      ]);
      expect(seen.hidden).to.equal(1);
      expect((await dependents('queue', theirs, st)).status).to.equal(404);
      const stranger = await newAgent(node);
      expect((await dependents('agent', stranger.id, st)).status).to.equal(404);
      expect((await dependents('trunk', 1, st)).status).to.equal(403);
    });
  });

  describe('first-run checklist', () => {
    it('tells each step from what the system holds; administrators and supervisors only', async () => {
      const fresh = await startTestNode('postgres');
      try {
        const items = async () => Object.fromEntries(okBody(await fresh.client.get<{ items: { item: string; done: boolean }[] }>('/api/setup/checklist', fresh.adminToken)).items.map((i) => [i.item, i.done]));
        expect(await items()).to.deep.equal({
          asteriskConnected: false,
          agentExists: false,
          queueExists: false,
          ivrPublished: false,
          routeToIvr: false,
          agentLoggedIn: false,
          testCallPlaced: false,
        });
        const a = await newAgent(fresh);
        const q = await newQueue(fresh, { channel: 'voice' }, [a.id]);
        const qName = okBody(await fresh.client.get<{ name: string }>(`/api/queues/${q}`, fresh.adminToken)).name;
        const p = okBody(await fresh.client.post<{ id: string }>('/api/ivr/projects', { name: 'Main', channel: 'voice', project: queueProject(qName) }, fresh.adminToken), 201);
        okBody(await fresh.client.post(`/api/ivr/projects/${p.id}/publish`, {}, fresh.adminToken), 201);
        expect(await items()).to.include({ agentExists: true, queueExists: true, ivrPublished: true, routeToIvr: false, agentLoggedIn: false });
        okBody(await fresh.client.post('/api/voice/routes', { kind: 'inbound', name: 'Main DID', pattern: '5550100', projectId: p.id }, fresh.adminToken), 201);
        await logIn(fresh.client, a);
        expect(await items()).to.include({ routeToIvr: true, agentLoggedIn: true, testCallPlaced: false });

        expect((await fresh.client.get('/api/setup/checklist', a.token)).status).to.equal(403);
        const sup = okBody(await fresh.client.post<Row>('/api/users', { role: 'supervisor', username: 'sup.check', fullName: 'Sup', password: 'Sup-Passw0rd' }, fresh.adminToken), 201);
        expect(sup.id).to.be.a('number');
        okBody(await fresh.client.get('/api/setup/checklist', await fresh.client.login('sup.check', 'Sup-Passw0rd')));
      } finally {
        await fresh.stop();
      }
    });
  });
});

for (const engine of ['postgres', 'pglite'] as const) {
  describe(`agents list on ${engine}: paging, search, filters, order, CSV`, function () {
    let node: TestNode;
    const created: AgentRow[] = [];
    let teamId: number;
    let queueId: number;
    before(async function () {
      this.timeout(120_000);
      node = await startTestNode(engine);
      const t = node.adminToken;
      const names = ['Zoe Adams', 'Yann Baker', 'Xavier Cole', 'Wanda Dunn', 'Victor Evans', 'Ursula Fox', 'Tom Green', 'Sara Hill'];
      for (const [i, fullName] of names.entries()) {
        const body = agentBody({ fullName, typology: i % 2 ? 'external' : 'phonebar', extension: String(4100 + ((i * 3) % 8)), disabled: i === 5 });
        created.push(okBody(await node.client.post<AgentRow>('/api/agents', body, t), 201));
      }
      teamId = okBody(await node.client.post<Row>('/api/teams', { name: `List team ${engine}` }, t), 201).id;
      okBody(await node.client.put(`/api/teams/${teamId}/agents`, { agentIds: [created[0]!.id, created[3]!.id] }, t));
      queueId = await newQueue(node, {}, [created[1]!.id, created[3]!.id]);
    });
    after(async () => node?.stop());

    const list = async (query: string) => {
      const res = await node.client.get<AgentRow[]>(`/api/agents?${query}`, node.adminToken);
      const body = okBody(res);
      return { names: body.map((a) => a.fullName), total: Number(res.headers.get('x-total-count')) };
    };

    it('pages in a stable order with the total count', async () => {
      const first = await list('sort=fullName&limit=3');
      expect(first).to.deep.equal({ names: ['Sara Hill', 'Tom Green', 'Ursula Fox'], total: 8 });
      const second = await list('sort=fullName&limit=3&offset=3');
      expect(second.names).to.deep.equal(['Victor Evans', 'Wanda Dunn', 'Xavier Cole']);
      const past = await list('sort=fullName&limit=3&offset=30');
      expect(past).to.deep.equal({ names: [], total: 8 });
    });

    it('searches name, username and extension; filters by team, queue, typology and enabled', async () => {
      expect((await list('q=baker')).names).to.deep.equal(['Yann Baker']);
      expect((await list(`q=${encodeURIComponent(created[2]!.username)}`)).names).to.deep.equal(['Xavier Cole']);
      expect((await list(`q=${created[4]!.extension}`)).names).to.deep.equal(['Victor Evans']);
      expect((await list(`teamId=${teamId}`)).names).to.deep.equal(['Zoe Adams', 'Wanda Dunn']);
      expect((await list(`queueId=${queueId}&sort=fullName`)).names).to.deep.equal(['Wanda Dunn', 'Yann Baker']);
      const external = await list('typology=external&enabled=true&sort=fullName&order=desc');
      expect(external).to.deep.equal({ names: ['Yann Baker', 'Wanda Dunn', 'Sara Hill'], total: 3 });
      expect((await list('enabled=false')).names).to.deep.equal(['Ursula Fox']);
    });

    it('sorts by a whitelisted column only', async () => {
      const byExtension = await list('sort=extension');
      const extensions = created.map((a) => a.extension).sort();
      expect(byExtension.names).to.deep.equal(extensions.map((e) => created.find((a) => a.extension === e)!.fullName));
      const bad = await node.client.get<ErrorBody>('/api/agents?sort=password_hash', node.adminToken);
      expect(bad.status).to.equal(400);
      expect(bad.body.error.details.fields![0]!.field).to.equal('sort');
    });

    it('exports the same filtered list, in its order, as CSV', async () => {
      const res = await node.client.get(`/api/agents/export.csv?typology=external&enabled=true&sort=fullName&order=desc`, node.adminToken);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/csv/);
      const lines = res.text.trim().split('\r\n');
      expect(lines).to.have.length(4);
      expect(lines.slice(1).map((l) => l.split('","')[1])).to.deep.equal(['Yann Baker', 'Wanda Dunn', 'Sara Hill']);
    });
  });
}
