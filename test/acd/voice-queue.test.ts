// A caller meets an agent: the AGI peer runs the IVR (test/fixtures/asterisk/agi-*.txt), the
// Queue block hands the channel to Stasis (agi-to-stasis.txt: EXEC Stasis tandem,queue,<id>, the
// socket silent until ARI continues), the ARI peer (ari-queue-bridge.txt) holds it, originates the
// agent, bridges on answer; when the agent hangs up the caller returns to the flow.
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { ApiClient, startTestNode, testConfig, type TestNode } from '../support/tandem.ts';
import { startTandem } from '../../server/tandem.ts';
import { quietLogger } from '../support/database.ts';
import { AsteriskAgiPeer, type PeerAction } from '../peers/asterisk-agi.ts';
import { AriPeer } from '../peers/asterisk-ari.ts';
import { calls, queueReports } from '../../server/db/schema.ts';
import { eventually } from '../support/eventually.ts';
import { agent as newAgent, queue as newQueue } from '../support/world.ts';

const queueProject = (timeoutSec: number) => ({
  schemaVersion: 2,
  id: 'x',
  name: `Sales line ${timeoutSec}`,
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'queue' } },
    queue: {
      type: 'Queue',
      params: { queue: 'sales', timeoutSec },
      exits: { answered: 'thanks', timeout: 'sorry', full: 'sorry', unavailable: 'sorry', failed: 'sorry' },
    },
    thanks: { type: 'Playback', params: { prompts: ['demo-congrats'] }, exits: { next: 'bye' } },
    sorry: { type: 'Playback', params: { prompts: ['vm-intro'] }, exits: { next: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
});

describe('voice queueing over ARI', function () {
  let ari: AriPeer;
  let node: TestNode;
  let agent: { id: number; token: string };

  before(async () => {
    ari = new AriPeer({ username: 'tandem', password: 'secret' });
    await ari.start();
    node = await startTestNode('postgres', { ARI_URL: `http://tandem:secret@127.0.0.1:${ari.port}` }, { acdTickMs: 50 });
    const t = node.adminToken;
    agent = await newAgent(node);
    await newQueue(node, { name: 'sales', channel: 'voice', ringTimeoutSec: 10 }, [agent.id]);
    for (const [did, timeout] of [
      ['0611111111', 60],
      ['0622222222', 1],
    ] as const) {
      const p = await node.client.post<{ id: string }>('/api/ivr/projects', { name: `Sales ${did}`, channel: 'voice', project: queueProject(timeout) }, t);
      await node.client.post(`/api/ivr/projects/${p.body.id}/publish`, {}, t);
      await node.client.post('/api/voice/routes', { kind: 'inbound', name: `Sales ${did}`, pattern: did, projectId: p.body.id }, t);
    }
  });
  after(async () => {
    await node?.stop();
    await ari?.stop();
  });

  /** Asterisk's EXEC Stasis: the channel enters the ARI app; the AGI waits until ARI lets it go. */
  function stasisLink(caller: string) {
    let channelId: string | undefined;
    const respond = (cmd: { argv: readonly string[] }, peer: AsteriskAgiPeer): PeerAction | undefined => {
      if (cmd.argv[0]?.toUpperCase() !== 'EXEC' || cmd.argv[1]?.toLowerCase() !== 'stasis') return undefined;
      const [app = '', ...args] = (cmd.argv[2] ?? '').split(',');
      const ch = ari.enterStasis(app, args, { callerNumber: caller });
      channelId = ch.id;
      void (async () => {
        await eventually(() => ch.stasisApp === undefined || !ari.channels.has(ch.id), 'the channel to leave Stasis');
        for (const [k, v] of ch.vars) peer.model.variables.set(k, v);
        peer.model.variables.set('STASISSTATUS', 'SUCCESS');
        peer.reply(['200 result=0']);
      })();
      return { silent: true };
    };
    return { respond, channelId: () => channelId };
  }

  it('connects the caller to a ready agent, and the flow goes on from answered when the agent hangs up', async () => {
    await node.client.post('/api/me/login', { device: 'external', dialTarget: 'Local/202@agent-leg2' }, agent.token);
    const link = stasisLink('3331112222');
    const peer = await AsteriskAgiPeer.connect({ port: node.tandem.fastagi!.port, script: 'inbound', args: ['0611111111', '3331112222'], respond: link.respond });
    // The agent's phone is originated into the app and answers: one bridge with both.
    await eventually(() => [...ari.bridges.values()].some((b) => b.channels.length === 2), 'caller and agent bridged');
    const bridge = [...ari.bridges.values()].find((b) => b.channels.length === 2)!;
    const agentLeg = bridge.channels.find((id) => id !== link.channelId())!;
    expect(ari.requests.some((r) => r.method === 'POST' && r.target.startsWith('/ari/channels?') && r.target.includes('endpoint=Local%2F202%40agent-leg2'))).to.equal(true);
    ari.farEndHangup(agentLeg);
    await peer.done;
    expect(peer.commands.some((c) => c.startsWith('STREAM FILE demo-congrats'))).to.equal(true);
    const [report] = await node.tandem.database.db.select().from(queueReports).where(eq(queueReports.reason, 'accepted'));
    expect(report).to.include({ channel: 'voice', userId: agent.id });
    const [call] = await node.tandem.database.db.select().from(calls).where(eq(calls.did, '0611111111'));
    expect((call!.trace as { blockId: string; exit: string }[]).find((e) => e.blockId === 'queue')?.exit).to.equal('answered');
    expect(call!.agentId).to.equal(agent.id);
    // The agent's voice slot is free again once the call ended.
    await eventually(async () => (await node.client.get<{ status: string; endedAt: string | null }>(`/api/queue-entries/${report!.entryId}`, node.adminToken)).body.endedAt !== null, 'entry finished');
    // The agent disposes the call from the desktop: the call record carries the agent and the disposition.
    expect((await node.client.post(`/api/me/entries/${report!.entryId}/finish`, { disposition: 'sale', note: 'two licences' }, agent.token)).status).to.equal(204);
    const [disposed] = await node.tandem.database.db.select().from(calls).where(eq(calls.did, '0611111111'));
    expect(disposed).to.include({ disposition: 'sale', dispositionNote: 'two licences', disposedBy: agent.id });
  });

  it('takes the timeout exit when nobody answers in time, and the report row reads timeout', async () => {
    await node.client.post('/api/me/logout', {}, agent.token);
    const link = stasisLink('3334445555');
    const peer = await AsteriskAgiPeer.connect({ port: node.tandem.fastagi!.port, script: 'inbound', args: ['0622222222', '3334445555'], respond: link.respond });
    await peer.done;
    expect(peer.commands.some((c) => c.startsWith('STREAM FILE vm-intro'))).to.equal(true);
    const rows = await node.tandem.database.db.select().from(queueReports).where(eq(queueReports.reason, 'timeout'));
    expect(rows).to.have.length(1);
  });

  it('records abandoned when the caller hangs up while waiting', async () => {
    const link = stasisLink('3336667777');
    const peer = await AsteriskAgiPeer.connect({ port: node.tandem.fastagi!.port, script: 'inbound', args: ['0611111111', '3336667777'], respond: link.respond });
    await eventually(() => link.channelId() !== undefined, 'the caller in Stasis');
    await eventually(() => ari.requests.some((r) => r.target.startsWith(`/ari/channels/${link.channelId()}/moh`)), 'music on hold');
    ari.farEndHangup(link.channelId()!);
    peer.hangup();
    await peer.done;
    await eventually(async () => (await node.tandem.database.db.select().from(queueReports).where(eq(queueReports.reason, 'abandoned'))).length === 1, 'abandoned row');
  });
});

describe('voice queueing over ARI: faults', function () {
  let ari: AriPeer;
  let node: TestNode;
  let agentToken: string;
  before(async () => {
    ari = new AriPeer({ username: 'tandem', password: 'secret' });
    await ari.start();
    node = await startTestNode('postgres', { ARI_URL: `http://tandem:secret@127.0.0.1:${ari.port}` }, { acdTickMs: 50 });
    const t = node.adminToken;
    const a = await newAgent(node);
    agentToken = a.token;
    await newQueue(node, { name: 'sales', channel: 'voice', ringTimeoutSec: 10 }, [a.id]);
    const p = await node.client.post<{ id: string }>('/api/ivr/projects', { name: 'Sales', channel: 'voice', project: queueProject(60) }, t);
    await node.client.post(`/api/ivr/projects/${p.body.id}/publish`, {}, t);
    await node.client.post('/api/voice/routes', { kind: 'inbound', name: 'Sales', pattern: '_X.', projectId: p.body.id }, t);
    await node.client.post('/api/me/login', { device: 'external', dialTarget: 'Local/202@agent-leg2' }, agentToken);
  });
  after(async () => {
    await node?.stop();
    await ari?.stop();
  });

  it('keeps a bridged call through an ARI WebSocket drop, and ends it normally afterwards', async () => {
    let callerId: string | undefined;
    const peer = await AsteriskAgiPeer.connect({
      port: node.tandem.fastagi!.port,
      script: 'inbound',
      args: ['0633333333', '3339990000'],
      respond: (cmd, p) => {
        if (cmd.argv[0]?.toUpperCase() !== 'EXEC' || cmd.argv[1]?.toLowerCase() !== 'stasis') return undefined;
        const [app = '', ...args] = (cmd.argv[2] ?? '').split(',');
        const ch = ari.enterStasis(app, args);
        callerId = ch.id;
        void (async () => {
          await eventually(() => ch.stasisApp === undefined || !ari.channels.has(ch.id), 'the caller to leave Stasis');
          for (const [k, v] of ch.vars) p.model.variables.set(k, v);
          p.reply(['200 result=0']);
        })();
        return { silent: true };
      },
    });
    await eventually(() => [...ari.bridges.values()].some((b) => b.channels.length === 2), 'bridged');
    const connectionsBefore = ari.wsConnections;
    ari.dropWebSockets();
    await eventually(() => ari.wsConnections > connectionsBefore && node.tandem.voice.ari?.state === 'up', 'ARI reconnected');
    // The resync found the caller and the agent in the app: nothing was sent back to the dialplan.
    // Deliberate: time after the resync, to prove no continue is sent for the caller.
    await new Promise((r) => setTimeout(r, 200));
    expect(ari.requests.some((r) => r.target.startsWith(`/ari/channels/${callerId}/continue`))).to.equal(false);
    const bridge = [...ari.bridges.values()].find((b) => b.channels.length === 2)!;
    const agentLeg = bridge.channels.find((id) => id !== callerId)!;
    ari.farEndHangup(agentLeg);
    await peer.done;
    expect(peer.commands.some((c) => c.startsWith('STREAM FILE demo-congrats'))).to.equal(true);
  });
});

describe('voice queueing over ARI: agents and restarts', function () {
  let ari: AriPeer;
  const agents: { id: number; token: string }[] = [];

  async function setupNode(existing?: TestNode): Promise<TestNode> {
    const node = await startTestNode('postgres', { ARI_URL: `http://tandem:secret@127.0.0.1:${ari.port}` }, { acdTickMs: 50 });
    if (existing) return node;
    const fresh = [await newAgent(node), await newAgent(node)];
    agents.push(...fresh);
    await newQueue(node, { name: 'support', channel: 'voice', ringTimeoutSec: 10, retrySec: 0, strategy: 'linear' }, fresh.map((a, i) => ({ id: a.id, penalty: i })));
    return node;
  }

  beforeEach(async () => {
    ari = new AriPeer({ username: 'tandem', password: 'secret' });
    await ari.start();
    agents.length = 0;
  });
  afterEach(async () => ari.stop());

  it("tries the next agent when the first one's phone cannot be reached", async () => {
    const node = await setupNode();
    try {
      ari.setDestination('301@gone', 'missing');
      await node.client.post('/api/me/login', { device: 'external', dialTarget: 'Local/301@gone' }, agents[0]!.token);
      await node.client.post('/api/me/login', { device: 'external', dialTarget: 'Local/202@agent-leg2' }, agents[1]!.token);
      const r = await node.client.post<{ id: number }>(`/api/queues/${(await node.client.get<{ id: number }[]>('/api/queues', node.adminToken)).body[0]!.id}/entries`, { interactionRef: 'unreachable-first' }, node.adminToken);
      const caller = ari.enterStasis('tandem', ['queue', String(r.body.id)]);
      await eventually(() => [...ari.bridges.values()].some((b) => b.channels.includes(caller.id) && b.channels.length === 2), 'bridged with the second agent');
      const entry = await node.client.get<{ agentId: number; status: string }>(`/api/queue-entries/${r.body.id}`, node.adminToken);
      expect(entry.body).to.include({ status: 'accepted', agentId: agents[1]!.id });
      const decisions = await node.client.get<{ offeredTo: number[] }[]>(`/api/queue-entries/${r.body.id}/decisions`, node.adminToken);
      expect(decisions.body.map((d) => d.offeredTo)).to.deep.equal([[agents[0]!.id], [agents[1]!.id]]);
    } finally {
      await node.stop();
    }
  });

  it('recovers a caller still on hold after a restart of Tandem, and connects them', async () => {
    const first = await setupNode();
    const queueId = (await first.client.get<{ id: number }[]>('/api/queues', first.adminToken)).body[0]!.id;
    const r = await first.client.post<{ id: number }>(`/api/queues/${queueId}/entries`, { interactionRef: 'held-over-restart' }, first.adminToken);
    const caller = ari.enterStasis('tandem', ['queue', String(r.body.id)]);
    await eventually(() => ari.requests.some((x) => x.target.startsWith(`/ari/channels/${caller.id}/moh`)), 'on hold');
    // Tandem stops (its database stays); the caller stays in the Stasis app on Asterisk.
    await first.tandem.stop();
    const second = await startTandem(testConfig({ ARI_URL: `http://tandem:secret@127.0.0.1:${ari.port}` }), { database: first.testDb.database, logger: quietLogger(), scheduler: false, acdTickMs: 50 });
    try {
      await eventually(() => ari.requests.filter((x) => x.target.startsWith(`/ari/channels/${caller.id}/moh`)).length >= 2, 'held again by the new node');
      expect(ari.requests.some((x) => x.target.startsWith(`/ari/channels/${caller.id}/continue`))).to.equal(false);
      await new ApiClient(second.url).post('/api/me/login', { device: 'external', dialTarget: 'Local/202@agent-leg2' }, agents[0]!.token);
      await eventually(() => [...ari.bridges.values()].some((b) => b.channels.includes(caller.id) && b.channels.length === 2), 'bridged after the restart');
    } finally {
      await second.stop();
      await first.testDb.drop();
    }
  });
});

describe('voice queueing over ARI: announcements', function () {
  it('plays the queue announcement on joining and the position every period, music on hold in between', async () => {
    const ari = new AriPeer({ username: 'tandem', password: 'secret' });
    await ari.start();
    const node = await startTestNode('postgres', { ARI_URL: `http://tandem:secret@127.0.0.1:${ari.port}` }, { acdTickMs: 50 });
    try {
      const t = node.adminToken;
      const q = await node.client.post<{ id: number }>(
        '/api/queues',
        { name: 'billing', channel: 'voice', announcement: 'queue-periodic-announce', announcePosition: true, announceFrequencySec: 1, mohClass: 'tandem' },
        t,
      );
      const first = await node.client.post<{ id: number }>(`/api/queues/${q.body.id}/entries`, { interactionRef: 'ann-1' }, t);
      const second = await node.client.post<{ id: number }>(`/api/queues/${q.body.id}/entries`, { interactionRef: 'ann-2' }, t);
      const a = ari.enterStasis('tandem', ['queue', String(first.body.id)]);
      const b = ari.enterStasis('tandem', ['queue', String(second.body.id)]);
      await eventually(() => ari.playbacks.filter((p) => p.channelId === b.id).length >= 2, 'announcement then position');
      const forB = ari.playbacks.filter((p) => p.channelId === b.id).map((p) => p.media);
      expect(forB[0]).to.deep.equal(['sound:queue-periodic-announce']);
      expect(forB[1]).to.deep.equal(['sound:queue-thereare', 'number:1', 'sound:queue-callswaiting']);
      await eventually(() => ari.playbacks.filter((p) => p.channelId === a.id).length >= 2, 'position of the first caller');
      expect(ari.playbacks.filter((p) => p.channelId === a.id)[1]!.media).to.deep.equal(['sound:queue-youarenext']);
      // Music on hold resumes after each announcement, in the queue's class.
      const mohStartsOfB = () => ari.requests.filter((r) => r.method === 'POST' && r.target.startsWith(`/ari/channels/${b.id}/moh`));
      await eventually(() => mohStartsOfB().length >= 2, 'music on hold after both announcements');
      const mohStarts = mohStartsOfB();
      expect(mohStarts[0]!.target).to.contain('mohClass=tandem');
    } finally {
      await node.stop();
      await ari.stop();
    }
  });
});
