// How a voice queue rings agents' SIP phones on a real Asterisk: an agent who does not answer is
// passed over for the next one (and the phone stops ringing), ringall rings every ready phone and
// the first to answer gets the caller, and wrap-up keeps an agent out of the next offer until it
// ends. Judged from Asterisk's side (AMI channels, hang-ups, bridges; what the SIPp phones saw) and
// from Tandem's records (queue entries, offers, the report_voice_queue rows, the call records).
import { expect } from 'chai';
import { asc, eq, sql } from 'drizzle-orm';
import { calls, offers, queueEntries, routingDecisions } from '../../server/db/schema.ts';
import { rowsOf } from '../../server/db/database.ts';
import { agentBody } from '../support/tandem.ts';
import { eventually } from '../support/eventually.ts';
import { routeInbound, startLab, type Lab } from './lab.ts';
import type { AmiEvent } from './ami-watch.ts';
import type { SippRun } from './sipp.ts';

/** A flow that puts the caller in `queue`, thanks them after the conversation and hangs up. */
function queueProject(name: string, queue: string) {
  return {
    schemaVersion: 2,
    id: 'x',
    name,
    channel: 'voice',
    entry: 'start',
    blocks: {
      start: { type: 'Start', params: { answer: true }, exits: { next: 'queue' } },
      queue: { type: 'Queue', params: { queue, timeoutSec: 300 }, exits: { answered: 'thanks', timeout: 'bye', full: 'bye', unavailable: 'bye', failed: 'bye' } },
      thanks: { type: 'Playback', params: { prompts: ['queue-thankyou'] }, exits: { next: 'bye' } },
      bye: { type: 'Hangup', params: {}, exits: {} },
    },
  };
}

interface Agent {
  id: number;
  token: string;
  extension: string;
}

describe('integration: a voice queue ringing agents who answer, do not answer, and wrap up', function () {
  this.timeout(300_000);
  let lab: Lab;
  /** 2101: a phone nobody picks up. 2102: answers after a short ring and talks 2.5 s. */
  let silent: Agent;
  let answering: Agent;
  let silentPhone: SippRun;
  let answeringPhone: SippRun;
  const queueIds: Record<string, number> = {};

  before(async function () {
    lab = await startLab(this, { acdTickMs: 200 });
    const { client, adminToken: t } = lab.node;
    const createAgent = async (extension: string): Promise<Agent> => {
      const body = agentBody({ extension });
      const a = await client.post<{ id: number }>('/api/agents', body, t);
      expect(a.status, a.text).to.equal(201);
      return { id: a.body.id, token: await client.login(String(body.username), String(body.password)), extension };
    };
    // Created in this order: the silent agent has the lower id, so `linear` offers it first.
    silent = await createAgent('2101');
    answering = await createAgent('2102');
    const queues = [
      // A short ring, so the test does not wait long for the silent phone to ring out.
      { name: 'noanswer', strategy: 'linear', ringTimeoutSec: 4, wrapupSec: 0, members: [silent, answering], did: '0611120001' },
      { name: 'everyone', strategy: 'ringall', ringTimeoutSec: 20, wrapupSec: 0, members: [silent, answering], did: '0611120002' },
      // Long enough a wrap-up for a second caller to arrive in it even on a slow machine.
      { name: 'aftercall', strategy: 'rrmemory', ringTimeoutSec: 20, wrapupSec: 20, members: [answering], did: '0611120003' },
    ];
    for (const q of queues) {
      const created = await client.post<{ id: number }>('/api/queues', { name: q.name, channel: 'voice', strategy: q.strategy, ringTimeoutSec: q.ringTimeoutSec, wrapupSec: q.wrapupSec }, t);
      expect(created.status, created.text).to.equal(201);
      queueIds[q.name] = created.body.id;
      for (const m of q.members) expect((await client.post(`/api/queues/${created.body.id}/agents`, { agentId: m.id }, t)).status).to.be.oneOf([200, 201, 204]);
      await routeInbound(lab.node, { name: `Lab ${q.name} line`, pattern: q.did, project: queueProject(`Lab ${q.name} line`, q.name) });
    }
    silentPhone = await lab.phone(silent.extension, { answer: false });
    answeringPhone = await lab.phone(answering.extension, { ringMs: 300, talkMs: 2_500 });
    for (const a of [silent, answering]) {
      const login = await client.post('/api/me/login', { device: 'web' }, a.token);
      expect(login.status, login.text).to.equal(200);
    }
  });
  after(async () => {
    await lab?.stop();
  });

  const db = () => lab.node.tandem.database.db;
  /** AMI events from index `mark` on (what happened during one test). */
  const since = (mark: number, match: (e: AmiEvent) => boolean) => lab.ami.events.slice(mark).filter(match);
  const isAgentChannel = (agent: Agent) => (e: AmiEvent) => e.Event === 'Newchannel' && e.Channel?.startsWith(`PJSIP/${agent.extension}-`) === true;
  const bridgeOf = (channel: string): string | undefined => lab.ami.find((e) => e.Event === 'BridgeEnter' && e.Channel === channel)[0]?.BridgeUniqueid;

  /**
   * Waits until Tandem sees the agents' phones idle (AMI device state NOT_INUSE): the previous
   * test's calls may still be ending, and a phone in use gets no offer, which would change who rings.
   */
  async function phonesIdle(...agents: Agent[]) {
    const devices = lab.node.tandem.services.devices!;
    await eventually(() => agents.every((a) => devices.get(`PJSIP/${a.extension}`) === 'NOT_INUSE'), `phones ${agents.map((a) => a.extension).join(', ')} idle`, { timeoutMs: 30_000, everyMs: 100 });
  }

  /** The caller handed to the queue's Stasis hold: its channel, Asterisk's Uniqueid and Tandem's entry. */
  async function queuedCaller(callerNum: string) {
    const [e] = await lab.ami.waitFor((x) => x.Event === 'AGIExecStart' && /^EXEC Stasis/i.test(x.Command ?? '') && x.CallerIDNum === callerNum, `caller ${callerNum} in the queue`, { timeoutMs: 60_000 });
    return { channel: e!.Channel!, uniqueId: e!.Uniqueid!, entryId: Number(/queue,([0-9]+)/.exec(e!.Command ?? '')?.[1]) };
  }

  /**
   * Tandem's record of an answered queue call: the report_voice_queue row says accepted by `agent`
   * with the wait; the entry's end gives the talk time (accepted → finished); the call record
   * names the agent and was answered and ended.
   */
  async function expectReportedAcceptedBy(entryId: number, uniqueId: string, agent: Agent) {
    const entry = await eventually(
      async () => (await db().select().from(queueEntries).where(eq(queueEntries.id, entryId)))[0],
      (e) => e?.endedAt !== null && e?.endedAt !== undefined,
      `entry ${entryId} finished`,
      { timeoutMs: 30_000, everyMs: 200 },
    );
    const [row] = rowsOf<{ reason: string; user_id: string | number | null; interaction_ref: string; enqueued_at: Date; ended_at: Date; wait_ms: number }>(
      await db().execute(sql`select * from report_voice_queue where entry_id = ${entryId}`),
    );
    expect(row, `report_voice_queue row of entry ${entryId}`).to.not.equal(undefined);
    expect({ reason: row!.reason, userId: Number(row!.user_id), interactionRef: row!.interaction_ref }).to.deep.equal({ reason: 'accepted', userId: agent.id, interactionRef: uniqueId });
    const acceptedAt = new Date(row!.ended_at).getTime();
    expect(row!.wait_ms, 'wait = accepted − enqueued').to.equal(acceptedAt - new Date(row!.enqueued_at).getTime());
    expect(row!.wait_ms).to.be.greaterThan(0);
    const talkMs = entry!.endedAt!.getTime() - acceptedAt;
    expect(talkMs, 'talk time: accepted → finished').to.be.greaterThan(0);
    const call = await eventually(
      async () => (await db().select().from(calls).where(eq(calls.uniqueId, uniqueId)))[0],
      (c) => c?.endedAt !== null && c?.endedAt !== undefined,
      `call record of ${uniqueId} closed`,
      { timeoutMs: 30_000, everyMs: 200 },
    );
    expect(call).to.include({ agentId: agent.id, outcome: 'completed' });
    expect(call!.answeredAt).to.be.an.instanceOf(Date);
    return { waitMs: row!.wait_ms, talkMs };
  }

  it('passes a call the first agent does not answer to the next agent, and the first phone stops ringing', async () => {
    await phonesIdle(silent, answering);
    const mark = lab.ami.events.length;
    const ringsBefore = silentPhone.logLines().filter((l) => l.startsWith('RINGING ')).length;
    const cancelsBefore = silentPhone.logLines().filter((l) => l.startsWith('CANCELLED ')).length;
    const carrier = await lab.carrier('0611120001', { caller: '3410' });
    const caller = await queuedCaller('34101');
    // Linear: the silent agent (lowest id) is offered the call first; routing_decisions say why if not.
    const [firstOffer] = await eventually(() => db().select().from(offers).where(eq(offers.entryId, caller.entryId)).orderBy(asc(offers.id)), (o) => o.length > 0, 'an offer for the caller', { timeoutMs: 30_000, everyMs: 100 });
    const decisions = await db().select().from(routingDecisions).where(eq(routingDecisions.entryId, caller.entryId));
    expect(firstOffer!.agentId, `first offer (decisions: ${JSON.stringify(decisions)})`).to.equal(silent.id);
    // Its phone rings, then stops: Asterisk cancels the INVITE.
    await silentPhone.waitForLog(/^RINGING /, 'the silent phone ringing', { count: ringsBefore + 1, timeoutMs: 60_000 });
    const [silentLeg] = await lab.ami.waitFor((e) => lab.ami.events.indexOf(e) >= mark && isAgentChannel(silent)(e), "the silent agent's channel");
    await silentPhone.waitForLog(/^CANCELLED /, 'the silent phone told to stop ringing (CANCEL)', { count: cancelsBefore + 1, timeoutMs: 60_000 });
    const [silentHangup] = await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === silentLeg!.Channel, "the silent agent's channel hung up", { timeoutMs: 60_000 });
    // Then the next agent's phone rings, answers, and is bridged with the caller.
    await answeringPhone.waitForLog(/^ANSWERED /, 'the next agent answering', { timeoutMs: 60_000 });
    const [answerLeg] = await lab.ami.waitFor((e) => lab.ami.events.indexOf(e) >= mark && isAgentChannel(answering)(e), "the next agent's channel");
    expect(lab.ami.events.indexOf(answerLeg!), 'the next agent rang after the first stopped').to.be.greaterThan(lab.ami.events.indexOf(silentHangup!));
    await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === caller.channel, 'the caller bridged');
    await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === answerLeg!.Channel, 'the next agent bridged');
    expect(bridgeOf(caller.channel)).to.be.a('string').and.equal(bridgeOf(answerLeg!.Channel!));
    expect(since(mark, (e) => e.Event === 'BridgeEnter' && e.Channel === silentLeg!.Channel), 'the silent agent never bridged').to.deep.equal([]);
    await carrier.waitForLog(/^ENDED 34101 /, 'the caller thanked and hung up', { timeoutMs: 60_000 });

    // Tandem's side: the first offer rang out (expired, or refused when Asterisk's ring ended it
    // first), the refusal is on the entry, the second offer was accepted by the next agent.
    const entryOffers = await db().select().from(offers).where(eq(offers.entryId, caller.entryId)).orderBy(asc(offers.id));
    expect(entryOffers.map((o) => o.agentId)).to.deep.equal([silent.id, answering.id]);
    expect(entryOffers[0]!.status).to.be.oneOf(['expired', 'rejected']);
    expect(entryOffers[1]!.status).to.equal('accepted');
    const [entry] = await db().select().from(queueEntries).where(eq(queueEntries.id, caller.entryId));
    expect((entry!.data as { refusals?: { agentId: number }[] }).refusals?.map((r) => r.agentId)).to.deep.equal([silent.id]);
    await expectReportedAcceptedBy(caller.entryId, caller.uniqueId, answering);
  });

  it('rings every ready phone with ringall; the first to answer gets the caller and the other stops ringing', async () => {
    await phonesIdle(silent, answering);
    const mark = lab.ami.events.length;
    const ringsBefore = silentPhone.logLines().filter((l) => l.startsWith('RINGING ')).length;
    const cancelsBefore = silentPhone.logLines().filter((l) => l.startsWith('CANCELLED ')).length;
    const answersBefore = answeringPhone.logLines().filter((l) => l.startsWith('ANSWERED ')).length;
    const carrier = await lab.carrier('0611120002', { caller: '3420' });
    const caller = await queuedCaller('34201');
    // Both phones ring for the one caller.
    await silentPhone.waitForLog(/^RINGING /, 'the silent phone ringing', { count: ringsBefore + 1, timeoutMs: 60_000 });
    await answeringPhone.waitForLog(/^ANSWERED /, 'the other phone answering', { count: answersBefore + 1, timeoutMs: 60_000 });
    const [silentLeg] = await lab.ami.waitFor((e) => lab.ami.events.indexOf(e) >= mark && isAgentChannel(silent)(e), "the silent agent's channel");
    const [answerLeg] = await lab.ami.waitFor((e) => lab.ami.events.indexOf(e) >= mark && isAgentChannel(answering)(e), "the answering agent's channel");
    // Rung together: both agent channels exist before either is bridged.
    const firstBridge = lab.ami.events.findIndex((e, i) => i >= mark && e.Event === 'BridgeEnter');
    expect(firstBridge === -1 || lab.ami.events.indexOf(silentLeg!) < firstBridge, 'the silent phone rang before anyone was bridged').to.equal(true);
    // The one who answered gets the caller; the other phone is told to stop ringing.
    await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === answerLeg!.Channel, 'the answering agent bridged');
    await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === caller.channel, 'the caller bridged');
    expect(bridgeOf(caller.channel)).to.equal(bridgeOf(answerLeg!.Channel!));
    await silentPhone.waitForLog(/^CANCELLED /, 'the silent phone told to stop ringing', { count: cancelsBefore + 1, timeoutMs: 60_000 });
    const [silentHangup] = await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === silentLeg!.Channel, "the silent agent's channel hung up");
    expect(since(mark, (e) => e.Event === 'BridgeEnter' && e.Channel === silentLeg!.Channel), 'the silent agent never bridged').to.deep.equal([]);
    await carrier.waitForLog(/^ENDED 34201 /, 'the caller thanked and hung up', { timeoutMs: 60_000 });
    // Stopped because the call was taken, not by ringing out (20 s): during the conversation already.
    const [answerHangup] = await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === answerLeg!.Channel, "the answering agent's channel hung up");
    expect(lab.ami.events.indexOf(silentHangup!), 'the silent phone stopped before the conversation ended').to.be.lessThan(lab.ami.events.indexOf(answerHangup!));

    // One offer each, made in the same round; the answering agent's accepted, the other withdrawn.
    const entryOffers = await db().select().from(offers).where(eq(offers.entryId, caller.entryId)).orderBy(asc(offers.id));
    expect(entryOffers.map((o) => [o.agentId, o.status])).to.have.deep.members([
      [silent.id, 'cancelled'],
      [answering.id, 'accepted'],
    ]);
    await expectReportedAcceptedBy(caller.entryId, caller.uniqueId, answering);
  });

  it('keeps an agent in wrap-up out of the next offer until the wrap-up ends, then offers it the caller', async () => {
    const { client } = lab.node;
    type Presence = { channels: { channel: string; wrapupUntil: string | null }[] };
    const voiceWrapup = async () => {
      const p = await client.get<Presence>('/api/me/presence', answering.token);
      expect(p.status, p.text).to.equal(200);
      const until = p.body.channels.find((c) => c.channel === 'voice')?.wrapupUntil;
      return until ? new Date(until).getTime() : null;
    };
    await phonesIdle(answering);
    const wrapupBefore = await voiceWrapup();
    const first = await lab.carrier('0611120003', { caller: '3430' });
    const caller1 = await queuedCaller('34301');
    await first.waitForLog(/^ENDED 34301 /, 'the first caller served and hung up', { timeoutMs: 60_000 });
    // The agent hung up: in wrap-up on the voice channel, as the presence API says.
    const wrapupUntil = await eventually(voiceWrapup, (u) => u !== null && u !== wrapupBefore, 'the agent in wrap-up (presence API)', { timeoutMs: 30_000, everyMs: 200 });
    const [entry1] = await db().select().from(queueEntries).where(eq(queueEntries.id, caller1.entryId));
    expect(wrapupUntil! - entry1!.endedAt!.getTime(), 'wrap-up = the queue’s 20 s from the end of the call').to.equal(20_000);

    // A second caller arrives during the wrap-up and waits: no offer, no phone ringing.
    const mark = lab.ami.events.length;
    const second = await lab.carrier('0611120003', { caller: '3440' });
    const caller2 = await queuedCaller('34401');
    const inWrapup = Date.now() < wrapupUntil!;
    expect(inWrapup, 'the second caller queued while the agent was still in wrap-up (else this test judges nothing: raise wrapupSec)').to.equal(true);
    const [waiting] = await db().select().from(queueEntries).where(eq(queueEntries.id, caller2.entryId));
    expect(waiting!.status).to.equal('waiting');
    expect(await db().select().from(offers).where(eq(offers.entryId, caller2.entryId))).to.deep.equal([]);
    expect(since(mark, isAgentChannel(answering)), 'no phone rang during the wrap-up').to.deep.equal([]);

    // When the wrap-up ends, the agent gets the caller.
    const [agentLeg] = await lab.ami.waitFor((e) => lab.ami.events.indexOf(e) >= mark && isAgentChannel(answering)(e), "the agent's phone ringing after the wrap-up", { timeoutMs: 90_000 });
    await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === caller2.channel, 'the second caller bridged', { timeoutMs: 60_000 });
    await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === agentLeg!.Channel, 'the agent bridged');
    expect(bridgeOf(caller2.channel)).to.equal(bridgeOf(agentLeg!.Channel!));
    const [offer] = await db().select().from(offers).where(eq(offers.entryId, caller2.entryId)).orderBy(asc(offers.id));
    expect(offer!.agentId).to.equal(answering.id);
    expect(offer!.createdAt.getTime(), 'offered only once the wrap-up had ended').to.be.at.least(wrapupUntil!);
    await second.waitForLog(/^ENDED 34401 /, 'the second caller served and hung up', { timeoutMs: 60_000 });
    // Each caller rang the agent once: no offer lost (an offer made before the caller reached
    // Stasis once rang no phone and ran out its ring time).
    for (const c of [caller1, caller2]) {
      const made = await db().select().from(offers).where(eq(offers.entryId, c.entryId));
      expect(made.map((o) => [o.agentId, o.status]), `offers of entry ${c.entryId}`).to.deep.equal([[answering.id, 'accepted']]);
    }
    await expectReportedAcceptedBy(caller1.entryId, caller1.uniqueId, answering);
    await expectReportedAcceptedBy(caller2.entryId, caller2.uniqueId, answering);
  });
});
