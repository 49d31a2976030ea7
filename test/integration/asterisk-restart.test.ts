// Asterisk going away under Tandem, and Tandem starting while Asterisk is away: Tandem reports it
// (the node's voice status and /api/health), reconnects to AMI and ARI by itself once Asterisk is
// back (each with a fresh resync snapshot), and the next call runs through the IVR end to end:
// judged from Asterisk's side (the trunk channel, the AGI commands, the hang-up) and from Tandem's
// call record.
import { expect } from 'chai';
import { desc, eq, isNull } from 'drizzle-orm';
import { calls, queueEntries, queueReports } from '../../server/db/schema.ts';
import { loggedInAgent, queue } from '../support/world.ts';
import { startTestNode, type TestNode } from '../support/tandem.ts';
import { eventually } from '../support/eventually.ts';
import { routeInbound, startLab, type Lab } from './lab.ts';
import { queueLineProject } from './lab-world.ts';

const DID = '0622220000';
const QUEUE_DID = '0622220001';
const SERVED_DID = '0622220002';
const EXTENSION = '2101';

const menuProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Lab restart line',
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'menu' } },
    menu: { type: 'Menu', params: { prompts: ['beep'], choices: ['1', '2'], timeoutSec: 15, retries: 0 }, exits: { '1': 'sales', '2': 'support', invalid: 'bye', timeout: 'bye' } },
    sales: { type: 'Playback', params: { prompts: ['hello-world'] }, exits: { next: 'bye' } },
    support: { type: 'Playback', params: { prompts: ['demo-congrats'] }, exits: { next: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
};

const queueProject = queueLineProject({ name: 'Lab restart queue', queue: 'restart', timeoutSec: 300 });

/** The same, on a queue with an agent: the caller meets the agent, then the flow hangs up. */
const servedProject = queueLineProject({ name: 'Lab restart served', queue: 'restart-served', timeoutSec: 300 });

type Health = { status: string; asterisk: { ami: string; ari: string }; alarms: string[] };

/** Polls the node's /api/health until `ok` holds; returns that answer. */
function healthUntil(node: TestNode, ok: (h: Health) => boolean, what: string): Promise<Health> {
  return eventually(
    async () => (await node.client.get<Health>('/api/health')).body,
    (h) => h !== undefined && ok(h),
    what,
    { timeoutMs: 90_000, everyMs: 250 },
  );
}

const bothUp = (h: Health) => h.asterisk.ami === 'up' && h.asterisk.ari === 'up';
const bothDown = (h: Health) => ['connecting', 'reconnecting'].includes(h.asterisk.ami) && ['connecting', 'reconnecting'].includes(h.asterisk.ari);

describe('integration: Asterisk restarted under Tandem, and away when Tandem starts', function () {
  this.timeout(300_000);
  let lab: Lab;
  let ownNode: TestNode | undefined;

  before(async function () {
    lab = await startLab(this);
    await routeInbound(lab.node, { name: 'Lab restart line', pattern: DID, project: menuProject });
    await routeInbound(lab.node, { name: 'Lab restart queue', pattern: QUEUE_DID, project: queueProject });
    // A voice queue nobody serves: its callers wait, on hold in Tandem's Stasis application.
    await queue(lab.node, { name: 'restart', channel: 'voice' });
    await routeInbound(lab.node, { name: 'Lab restart served', pattern: SERVED_DID, project: servedProject });
  });
  after(async () => {
    await ownNode?.stop().catch(() => undefined);
    await lab?.stop();
  });

  /** One call from the carrier through the menu (key 2): Asterisk's side, then `node`'s call record. */
  async function callThroughMenu(node: TestNode, caller: string): Promise<void> {
    const carrier = await lab.carrier(DID, { caller, dtmf: '2', dtmfAfterMs: 2_500 });
    await carrier.waitForLog(new RegExp(`^ENDED ${caller}1 `), 'Asterisk hanging the caller up', { timeoutMs: 60_000 });
    expect(await carrier.exited).to.equal(0);
    const [start] = await lab.ami.waitFor((e) => e.Event === 'Newexten' && e.Context === 'tandem-inbound' && e.CallerIDNum === `${caller}1` && e.Priority === '1', 'the call in tandem-inbound');
    const channel = start!.Channel!;
    const agi = lab.ami.find((e) => e.Event === 'AGIExecStart' && e.Channel === channel).map((e) => e.Command ?? '');
    expect(agi.some((c) => /^STREAM FILE demo-congrats/i.test(c)), JSON.stringify(agi)).to.equal(true);
    await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === channel, 'the caller hung up');
    // Never sent to the fallback: Tandem took the call.
    expect(lab.ami.find((e) => e.Event === 'Newexten' && e.Channel === channel && e.Context === 'tandem-fallback')).to.deep.equal([]);
    const row = await eventually(
      async () => (await node.tandem.database.db.select().from(calls).where(eq(calls.channelName, channel)).orderBy(desc(calls.id)).limit(1))[0],
      (r) => r?.endedAt instanceof Date,
      'the call record closed',
      { timeoutMs: 30_000, everyMs: 200 },
    );
    expect(row).to.include({ direction: 'inbound', did: DID, callerNumber: `${caller}1`, outcome: 'completed' });
    expect((row!.trace as { blockId: string; exit: string | null }[]).map((e) => `${e.blockId}:${e.exit}`)).to.deep.equal(['start:next', 'menu:2', 'support:next', 'bye:@end']);
  }

  it('reports AMI and ARI down while Asterisk is stopped, reconnects both with a resync once it is back, and the next call runs through the IVR', async () => {
    const node = lab.node;
    const { ami, ari } = node.tandem.voice;
    const states: string[] = [];
    const resyncs: string[] = [];
    const off = [
      ami!.onStatus((s) => states.push(`ami:${s.state}`)),
      ari!.onStatus((s) => states.push(`ari:${s.state}`)),
      ami!.onEvent((e) => e.kind === 'connection.resync' && resyncs.push(`ami:${e.reconnected}`)),
      ari!.onEvent((e) => e.type === 'connection.resync' && resyncs.push(`ari:${e.reconnected}`)),
    ];
    try {
      await callThroughMenu(node, '3371');

      await lab.asterisk.stop();
      const down = await healthUntil(node, bothDown, 'health saying AMI and ARI are down');
      // The node still serves (200, the database is up) but says it is degraded, and why.
      expect(down.status).to.equal('degraded');
      expect(down.alarms.filter((a) => /^Asterisk (AMI|ARI) not connected/.test(a))).to.have.length(2);
      expect(node.tandem.voice.status()).to.deep.equal(down.asterisk);

      await lab.asterisk.start();
      const up = await healthUntil(node, bothUp, 'health saying AMI and ARI are up again');
      expect(up.status).to.equal('ok');
      expect(up.alarms).to.deep.equal([]);
      expect(states.indexOf('ami:reconnecting')).to.be.lessThan(states.lastIndexOf('ami:up'));
      expect(states.indexOf('ari:reconnecting')).to.be.lessThan(states.lastIndexOf('ari:up'));
      // Each came back with a fresh snapshot of Asterisk's channels, marked as a reconnect.
      expect(resyncs).to.include.members(['ami:true', 'ari:true']);
      // The Stasis application is registered on the new Asterisk.
      expect(await lab.asterisk.cli('ari show apps')).to.match(/\btandem\b/);

      await lab.reconnectWatch();
      await callThroughMenu(node, '3372');
    } finally {
      for (const f of off) f();
    }
  });

  it('closes what Tandem held for a caller waiting in a queue when Asterisk goes away with the call', async () => {
    const node = lab.node;
    const db = node.tandem.database.db;
    const carrier = await lab.carrier(QUEUE_DID, { caller: '3375', dtmfAfterMs: 120_000, hangupAfterMs: 120_000 });
    const [queued] = await lab.ami.waitFor((e) => e.Event === 'AGIExecStart' && /^EXEC Stasis/i.test(e.Command ?? '') && e.CallerIDNum === '33751', 'the caller in the queue', { timeoutMs: 60_000 });
    const entryId = Number(/queue,([0-9]+)/.exec(queued!.Command ?? '')?.[1]);
    await lab.ami.waitFor((e) => e.Event === 'MusicOnHoldStart' && e.Channel === queued!.Channel, 'music on hold for the caller');
    expect((await db.select().from(queueEntries).where(eq(queueEntries.id, entryId)))[0]?.status).to.equal('waiting');

    await lab.asterisk.stop();
    await carrier.stop();
    // The caller is gone with Asterisk: the entry leaves the queue (nobody is offered a dead call)
    // and the call record is closed, whether Tandem learns it from FastAGI or from the resync.
    const entry = await eventually(
      async () => (await db.select().from(queueEntries).where(eq(queueEntries.id, entryId)))[0],
      (e) => e?.endedAt instanceof Date,
      'the queue entry ended',
      { timeoutMs: 60_000, everyMs: 250 },
    );
    expect(entry!.status).to.be.oneOf(['abandoned', 'cancelled']);
    const record = await eventually(
      async () => (await db.select().from(calls).where(eq(calls.channelName, queued!.Channel!)))[0],
      (r) => r?.endedAt instanceof Date,
      'the call record closed',
      { timeoutMs: 60_000, everyMs: 250 },
    );
    expect(record!.outcome).to.not.equal('completed');

    await lab.asterisk.start();
    await healthUntil(node, bothUp, 'health saying AMI and ARI are up again');
    await lab.reconnectWatch();
    // Nothing of that call is left on the new Asterisk, nor in Tandem's queue.
    const channels = await lab.ami.action('CoreShowChannels');
    expect(channels.filter((m) => m.Event === 'CoreShowChannel').map((m) => m.Channel)).to.deep.equal([]);
    const open = await db.select().from(queueEntries).where(isNull(queueEntries.endedAt));
    expect(open.map((e) => e.id)).to.deep.equal([]);
  });

  it('frees the agent of a conversation Asterisk took with it: the next caller is offered to the same agent and bridged after the restart', async () => {
    const node = lab.node;
    const db = node.tandem.database.db;
    const agent = await loggedInAgent(node, { extension: EXTENSION });
    await queue(node, { name: 'restart-served', channel: 'voice', ringTimeoutSec: 20, wrapupSec: 0 }, [agent.id]);
    let phone = await lab.phone(EXTENSION, { ringMs: 300, talkMs: 30_000 });
    const inBridge = async (caller: string) => {
      const [queued] = await lab.ami.waitFor((e) => e.Event === 'AGIExecStart' && /^EXEC Stasis/i.test(e.Command ?? '') && e.CallerIDNum === caller, `${caller} in the queue`, { timeoutMs: 60_000 });
      const channel = queued!.Channel!;
      const [entered] = await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === channel, `${caller} bridged`, { timeoutMs: 60_000 });
      const members = await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.BridgeUniqueid === entered!.BridgeUniqueid, `${caller} and the agent in one bridge`, { count: 2, timeoutMs: 60_000 });
      expect(members.map((m) => m.Channel).some((c) => c?.startsWith(`PJSIP/${EXTENSION}-`)), `the agent's phone in ${caller}'s bridge`).to.equal(true);
      return Number(/queue,([0-9]+)/.exec(queued!.Command ?? '')?.[1]);
    };

    const first = await lab.carrier(SERVED_DID, { caller: '3376', dtmfAfterMs: 120_000, hangupAfterMs: 120_000 });
    const firstEntry = await inBridge('33761');
    // Asterisk goes away in the middle of the conversation.
    await lab.asterisk.stop();
    await first.stop();
    await phone.stop();
    const ended = await eventually(
      async () => (await db.select().from(queueEntries).where(eq(queueEntries.id, firstEntry)))[0],
      (e) => e?.endedAt instanceof Date,
      'the conversation ended in the queue',
      { timeoutMs: 60_000, everyMs: 250 },
    );
    expect(ended!.status).to.equal('accepted');

    await lab.asterisk.start();
    await healthUntil(node, bothUp, 'health saying AMI and ARI are up again');
    await lab.reconnectWatch();
    // The phone registers again, as a real one does when its registrar comes back.
    phone = await lab.phone(EXTENSION, { ringMs: 300, talkMs: 3_000 });
    const second = await lab.carrier(SERVED_DID, { caller: '3377', dtmfAfterMs: 120_000, hangupAfterMs: 120_000 });
    const secondEntry = await inBridge('33771');
    await second.waitForLog(/^ENDED 33771 /, 'the second caller served and hung up', { timeoutMs: 60_000 });
    const [report] = await db.select().from(queueReports).where(eq(queueReports.entryId, secondEntry));
    expect(report).to.include({ reason: 'accepted', userId: agent.id });
    await phone.stop();
  });

  it('closes the entry of a caller Tandem took over after its own restart when Asterisk then goes away with the call', async () => {
    const carrier = await lab.carrier(QUEUE_DID, { caller: '3378', dtmfAfterMs: 120_000, hangupAfterMs: 120_000 });
    const [queued] = await lab.ami.waitFor((e) => e.Event === 'AGIExecStart' && /^EXEC Stasis/i.test(e.Command ?? '') && e.CallerIDNum === '33781', 'the caller in the queue', { timeoutMs: 60_000 });
    const entryId = Number(/queue,([0-9]+)/.exec(queued!.Command ?? '')?.[1]);
    // Tandem restarts: the new node finds the caller in its Stasis application and keeps holding it
    // (no FastAGI session any more: only ARI tells it about this caller from now on).
    const node = await lab.restartTandem();
    const db = node.tandem.database.db;
    const ari = node.tandem.voice.ari!;
    await eventually(() => ari.diagnostics().handlers, (n) => n === 1, 'the new node holding the caller (its ARI handler for the channel)', { timeoutMs: 30_000, everyMs: 100 });
    expect((await db.select().from(queueEntries).where(eq(queueEntries.id, entryId)))[0]?.status).to.equal('waiting');

    await lab.asterisk.stop();
    await carrier.stop();
    await lab.asterisk.start();
    await healthUntil(node, bothUp, 'health saying AMI and ARI are up again');
    await lab.reconnectWatch();
    // The resync shows the caller gone: the entry leaves the queue.
    const entry = await eventually(
      async () => (await db.select().from(queueEntries).where(eq(queueEntries.id, entryId)))[0],
      (e) => e?.endedAt instanceof Date,
      'the queue entry ended',
      { timeoutMs: 60_000, everyMs: 250 },
    );
    expect(entry!.status).to.equal('abandoned');
    // And the node let go of the channel.
    await eventually(() => ari.diagnostics().handlers, (n) => n === 0, 'no ARI handler left for the gone caller', { timeoutMs: 30_000, everyMs: 100 });
  });

  it('starts while Asterisk is unreachable, says so in health, and takes calls once Asterisk comes up', async () => {
    // The lab's node makes way (its ports) for one started while Asterisk is stopped.
    await lab.stopTandem();
    await lab.asterisk.stop();
    ownNode = await startTestNode('postgres', lab.tandemEnv);
    const first = await ownNode.client.get<Health>('/api/health');
    expect(first.status, 'answers 200: the node serves').to.equal(200);
    expect(bothDown(first.body), JSON.stringify(first.body.asterisk)).to.equal(true);
    expect(first.body.status).to.equal('degraded');
    expect(first.body.alarms.filter((a) => /^Asterisk (AMI|ARI) not connected/.test(a))).to.have.length(2);
    // Configuration needs no Asterisk: the route is made while it is away.
    await routeInbound(ownNode, { name: 'Lab restart line', pattern: DID, project: menuProject });

    await lab.asterisk.start();
    expect((await healthUntil(ownNode, bothUp, 'health saying AMI and ARI are up')).status).to.equal('ok');
    expect(await lab.asterisk.cli('ari show apps')).to.match(/\btandem\b/);
    await lab.reconnectWatch();
    await callThroughMenu(ownNode, '3373');
  });
});
