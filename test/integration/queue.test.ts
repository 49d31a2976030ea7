// The queue's voice path on a real Asterisk: callers from the carrier (SIPp on the trunk) wait in a
// Tandem queue (Stasis, music on hold), the agent's desk phone (SIPp registered as the agent's
// PJSIP endpoint) rings, answers, and caller and agent meet in one bridge. Judged from Asterisk's
// side (the agent channel, BridgeEnter of both channels) and from Tandem's queue reports.
import { expect } from 'chai';
import { asc, eq } from 'drizzle-orm';
import { queueEntries, queueReports } from '../../server/db/schema.ts';
import { routeInbound, startLab, type Lab } from './lab.ts';
import { agentInVoiceQueue, queueLineProject } from './lab-world.ts';
import { eventually } from '../support/eventually.ts';
import type { AmiEvent } from './ami-watch.ts';
import type { SippRun } from './sipp.ts';

const DID = '0611110000';
const EXTENSION = '2101';

const queueProject = queueLineProject({ name: 'Lab sales line', queue: 'sales', timeoutSec: 300, thanks: true });

describe('integration: queue calls to an agent on a SIP phone', function () {
  this.timeout(240_000);
  let lab: Lab;
  let agent: { id: number; token: string };
  let queueId: number;
  let phone: SippRun;

  before(async function () {
    lab = await startLab(this, { acdTickMs: 200 });
    const { client } = lab.node;
    const made = await agentInVoiceQueue(lab.node, { extension: EXTENSION, queue: 'sales' });
    agent = { id: made.id, token: await client.login(made.username, made.password) };
    queueId = made.queueId;
    await routeInbound(lab.node, { name: 'Lab sales line', pattern: DID, project: queueProject });
    // The agent's desk phone: registered as PJSIP endpoint 2101, answers after a short ring, talks 2.5 s.
    phone = await lab.phone(EXTENSION, { ringMs: 300, talkMs: 2_500 });
    const login = await client.post('/api/me/login', { device: 'web' }, agent.token);
    expect(login.status, login.text).to.equal(200);
  });
  after(async () => {
    await lab?.stop();
  });

  /** The bridge a channel entered, from Asterisk's BridgeEnter events. */
  const bridgeOf = (channel: string): string | undefined => lab.ami.find((e) => e.Event === 'BridgeEnter' && e.Channel === channel)[0]?.BridgeUniqueid;
  /** RTP packet counts per channel of one bridge, from `pjsip show channelstats`, polled until `ok`. */
  async function rtpStatsOfBridge(bridgeId: string, ok: (rows: { channel: string; received: number; sent: number }[]) => boolean) {
    const stats = async () => {
      const text = await lab.asterisk.cli('pjsip show channelstats');
      // " 56f9504d 2101-00000001      00:00:01 alaw   55   0    0   0.000     53 ..." (ids cut short)
      return [...text.matchAll(/^\s*([0-9a-f]{8})\s+(\S+)\s+\d\d:\d\d:\d\d\s+\S+\s+(\d+)\s+\d+\s+\d+\s+\S+\s+(\d+)/gm)]
        .filter((m) => bridgeId.startsWith(m[1]!))
        .map((m) => ({ channel: m[2]!, received: Number(m[3]), sent: Number(m[4]) }));
    };
    return eventually(stats, ok, `RTP both ways in bridge ${bridgeId}`, { timeoutMs: 20_000, everyMs: 200 });
  }
  const agentChannels = () => lab.ami.find((e) => e.Event === 'Newchannel' && e.Channel?.startsWith(`PJSIP/${EXTENSION}-`) === true);

  it("rings the agent's SIP phone, bridges caller and agent on answer, and reports the call accepted by the agent", async () => {
    const carrier = await lab.carrier(DID, { caller: '3341' });
    const [entered] = await lab.ami.waitFor((e) => e.Event === 'Newexten' && e.Context === 'tandem-inbound' && e.CallerIDNum === '33411' && e.Priority === '1', 'the caller on the trunk');
    const caller = entered!.Channel!;
    // The agent's phone rings (Asterisk created the agent channel) and answers.
    await phone.waitForLog(/^ANSWERED /, 'the phone answering');
    const [agentLeg] = await lab.ami.waitFor((e) => e.Event === 'Newchannel' && e.Channel?.startsWith(`PJSIP/${EXTENSION}-`) === true, "the agent's channel");
    // Both channels in one bridge, on Asterisk's side.
    await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === caller, 'the caller in a bridge');
    await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === agentLeg!.Channel, 'the agent in a bridge');
    expect(bridgeOf(caller)).to.be.a('string').and.equal(bridgeOf(agentLeg!.Channel!));
    // Media both ways: in that bridge, Asterisk receives RTP from the carrier's leg and from the phone's, and sends on both.
    const stats = await rtpStatsOfBridge(bridgeOf(caller)!, (rows) => rows.length === 2 && rows.every((r) => r.received > 0 && r.sent > 0));
    for (const c of [caller, agentLeg!.Channel!]) expect(stats.some((r) => c.replace(/^PJSIP\//, '').startsWith(r.channel)), `${c} in the RTP statistics`).to.equal(true);
    // The agent hangs up: the caller goes back to the flow (answered exit), hears the thanks, and is hung up.
    await carrier.waitForLog(/^ENDED 33411 /, 'the caller hung up after the thanks');
    expect(await carrier.exited).to.equal(0);
    const agi = lab.ami.find((e) => e.Event === 'AGIExecStart' && e.Channel === caller).map((e) => e.Command ?? '');
    expect(agi.some((c) => /^STREAM FILE queue-thankyou/i.test(c)), JSON.stringify(agi)).to.equal(true);
    // Tandem's report row: accepted, by this agent, for this call (interaction = Asterisk's Uniqueid).
    const rows = await lab.node.tandem.database.db.select().from(queueReports).where(eq(queueReports.queueId, queueId));
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ reason: 'accepted', userId: agent.id, channel: 'voice', interactionRef: entered!.Uniqueid });
    // Asterisk's own call-detail record agrees: the caller's leg was answered by the agent's.
    const cdrs = await lab.ami.waitFor((e) => e.Event === 'Cdr' && e.Channel === caller && e.DestinationChannel === agentLeg!.Channel, "Asterisk's CDR of the caller with the agent", { timeoutMs: 60_000 });
    expect(cdrs[0]).to.include({ Disposition: 'ANSWERED', Source: '33411' });
    expect(Number(cdrs[0]!.BillableSeconds)).to.be.at.least(0);
  });

  it('serves callers who queued while the only agent was paused in the order they arrived, once the agent unpauses', async () => {
    const db = lab.node.tandem.database.db;
    const { client } = lab.node;
    const paused = await client.post('/api/me/pause', { reason: 'break' }, agent.token);
    expect(paused.status, paused.text).to.equal(200);
    const agentChannelsBefore = agentChannels().length;
    const entriesBefore = (await db.select().from(queueEntries).where(eq(queueEntries.queueId, queueId))).length;
    const N = 4;
    const carrier = await lab.carrier(DID, { caller: '3350', calls: N, callEveryMs: 1_500 });
    // All N wait in the queue, handed by Tandem's AGI to its Stasis app (EXEC Stasis tandem,queue,<entry>), while the agent is paused.
    const inQueue = (e: AmiEvent) => e.Event === 'AGIExecStart' && /^EXEC Stasis/i.test(e.Command ?? '') && e.CallerIDNum?.startsWith('3350') === true;
    await lab.ami.waitFor(inQueue, 'every caller in the queue', { count: N, timeoutMs: 60_000 });
    const waiting = await db.select().from(queueEntries).where(eq(queueEntries.queueId, queueId)).orderBy(asc(queueEntries.id));
    expect(waiting.slice(entriesBefore).map((e) => e.status)).to.deep.equal(Array(N).fill('waiting'));
    expect(agentChannels().length, 'no phone rang during the pause').to.equal(agentChannelsBefore);

    expect((await client.post('/api/me/unpause', {}, agent.token)).status).to.equal(200);
    await carrier.waitForLog(/^ENDED 3350/, 'every caller served and hung up', { count: N, timeoutMs: 120_000 });
    expect(await carrier.exited).to.equal(0);

    // Arrival: the order in which Asterisk handed the callers to Tandem's queue.
    const callers = lab.ami.find(inQueue);
    const arrival = callers.map((e) => e.Channel!);
    // Service: the order the callers entered a bridge with the agent, as Asterisk saw it.
    const bridged = lab.ami
      .find((e: AmiEvent) => e.Event === 'BridgeEnter' && arrival.includes(e.Channel!))
      .map((e) => e.Channel!)
      .filter((c, i, all) => all.indexOf(c) === i);
    expect(bridged, 'bridged in arrival order (AMI)').to.deep.equal(arrival);
    // Each of those bridges held the agent's phone.
    for (const c of bridged) {
      const bridge = bridgeOf(c);
      const members = lab.ami.find((e) => e.Event === 'BridgeEnter' && e.BridgeUniqueid === bridge).map((e) => e.Channel!);
      expect(members.some((m) => m.startsWith(`PJSIP/${EXTENSION}-`)), `${c} bridged with the agent`).to.equal(true);
    }
    // Tandem's side: the reports, in the order the offers were accepted, follow the entries' arrival order.
    const entries = (await db.select().from(queueEntries).where(eq(queueEntries.queueId, queueId)).orderBy(asc(queueEntries.enqueuedAt), asc(queueEntries.id))).slice(entriesBefore);
    const reports = (await db.select().from(queueReports).where(eq(queueReports.queueId, queueId)).orderBy(asc(queueReports.endedAt), asc(queueReports.id))).filter((r) => entries.some((e) => e.id === r.entryId));
    expect(reports.map((r) => r.reason)).to.deep.equal(Array(N).fill('accepted'));
    expect(reports.map((r) => r.userId)).to.deep.equal(Array(N).fill(agent.id));
    expect(reports.map((r) => r.entryId), 'accepted in arrival order (queue reports)').to.deep.equal(entries.map((e) => e.id));
    // And Tandem's arrival order is Asterisk's: entry i belongs to the i-th caller channel.
    expect(entries.map((e) => e.interactionRef)).to.deep.equal(callers.map((e) => e.Uniqueid!));
    expect(callers.map((e) => Number(/queue,([0-9]+)/.exec(e.Command ?? '')?.[1]))).to.deep.equal(entries.map((e) => e.id));
  });

  it('frees everything at once when a caller hangs up while queued: entry abandoned, no channel or bridge left', async () => {
    const db = lab.node.tandem.database.db;
    const { client } = lab.node;
    expect((await client.post('/api/me/pause', { reason: 'break' }, agent.token)).status).to.equal(200);
    // The caller hangs up (the carrier's BYE) 8 s after the answer: long enough to be queued first,
    // which the test checks before anything else.
    const carrier = await lab.carrier(DID, { caller: '3360', dtmfAfterMs: 100, hangupAfterMs: 8_000 });
    const [queued] = await lab.ami.waitFor((e) => e.Event === 'AGIExecStart' && /^EXEC Stasis/i.test(e.Command ?? '') && e.CallerIDNum === '33601', 'the caller in the queue');
    const entryId = Number(/queue,([0-9]+)/.exec(queued!.Command ?? '')?.[1]);
    // Music on hold while waiting, started by Tandem over ARI.
    await lab.ami.waitFor((e) => e.Event === 'MusicOnHoldStart' && e.Channel === queued!.Channel, 'music on hold for the caller');
    await carrier.waitForLog(/^HUNGUP 33601 /, 'the caller hanging up');
    await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === queued!.Channel, 'the caller gone on Asterisk');
    const entry = await eventually(async () => (await db.select().from(queueEntries).where(eq(queueEntries.id, entryId)))[0], (e) => e?.status === 'abandoned', 'the entry abandoned', { timeoutMs: 30_000, everyMs: 100 });
    expect(entry?.status).to.equal('abandoned');
    const [report] = await db.select().from(queueReports).where(eq(queueReports.entryId, entryId));
    expect(report).to.include({ reason: 'abandoned', interactionRef: queued!.Uniqueid });
    expect(report!.userId).to.equal(null);
    // Asterisk's side: nothing of the call is left behind, no phone rang.
    const channels = await lab.ami.action('CoreShowChannels');
    expect(channels.filter((m) => m.Event === 'CoreShowChannel').map((m) => m.Channel)).to.deep.equal([]);
    const bridges = await lab.ami.action('BridgeList');
    expect(bridges.filter((m) => m.Event === 'BridgeListItem').map((m) => m.BridgeUniqueid)).to.deep.equal([]);
    expect((await client.post('/api/me/unpause', {}, agent.token)).status).to.equal(200);
  });
});
