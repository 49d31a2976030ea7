// Asterisk going away under Tandem, and Tandem starting while Asterisk is away: Tandem reports it
// (the node's voice status and /api/health), reconnects to AMI and ARI by itself once Asterisk is
// back (each with a fresh resync snapshot), and the next call runs through the IVR end to end:
// judged from Asterisk's side (the trunk channel, the AGI commands, the hang-up) and from Tandem's
// call record.
import { expect } from 'chai';
import { desc, eq } from 'drizzle-orm';
import { calls } from '../../server/db/schema.ts';
import { startTestNode, type TestNode } from '../support/tandem.ts';
import { eventually } from '../support/eventually.ts';
import { routeInbound, startLab, type Lab } from './lab.ts';

const DID = '0622220000';

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

type Health = { status: string; asterisk: { ami: string; ari: string } };

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
      // The node still serves: the database is up, Asterisk's state is reported as it is.
      expect(down.status).to.equal('ok');
      expect(node.tandem.voice.status()).to.deep.equal(down.asterisk);

      await lab.asterisk.start();
      await healthUntil(node, bothUp, 'health saying AMI and ARI are up again');
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

  it('starts while Asterisk is unreachable, says so in health, and takes calls once Asterisk comes up', async () => {
    // The lab's node makes way (its ports) for one started while Asterisk is stopped.
    await lab.stopTandem();
    await lab.asterisk.stop();
    ownNode = await startTestNode('postgres', lab.tandemEnv);
    const first = (await ownNode.client.get<Health>('/api/health')).body;
    expect(bothDown(first), JSON.stringify(first.asterisk)).to.equal(true);
    expect(first.status).to.equal('ok');
    // Configuration needs no Asterisk: the route is made while it is away.
    await routeInbound(ownNode, { name: 'Lab restart line', pattern: DID, project: menuProject });

    await lab.asterisk.start();
    await healthUntil(ownNode, bothUp, 'health saying AMI and ARI are up');
    expect(await lab.asterisk.cli('ari show apps')).to.match(/\btandem\b/);
    await lab.reconnectWatch();
    await callThroughMenu(ownNode, '3373');
  });
});
