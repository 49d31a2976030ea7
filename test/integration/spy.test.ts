// Listen, whisper and barge on a real Asterisk, during a queue call bridged between the carrier's
// caller (SIPp on the trunk) and an agent's desk phone (SIPp registered as 2101). The supervisor (the
// administrator, whose phone is the SIPp desk phone 2102) joins from the API (Tandem calls the
// supervisor's phone) and by the feature code dialled from that phone (*222 + the agent's extension,
// then keys 5 whisper and 6 barge). Judged from Asterisk's side, mode by mode:
//  - listen and whisper: a snoop channel on the AGENT's channel (Snoop/<agent's uniqueid>-…), in a
//    mixing bridge spy-<session> with the supervisor's channel, and nobody else; the caller's bridge
//    holds caller and agent only;
//  - barge: the supervisor's channel in the call's own bridge with caller and agent (all three hear
//    each other), the snoop gone;
//  - the call ends: the supervisor's channel is hung up, the spy bridge destroyed, no snoop left.
// Which way the audio flows inside a snoop (whisper=none or out) Asterisk reports in no AMI event, so
// the last test listens instead: caller and agent get RTP ears (rtp-party.ts) and the supervisor a
// tone, and each mode is judged by the loud packets Asterisk sends each ear.
import { expect } from 'chai';
import { eventually } from '../support/eventually.ts';
import { agent, logIn, queue } from '../support/world.ts';
import { routeInbound, startLab, type Lab } from './lab.ts';
import { phoneCall, rtpCarrierCall, rtpPhone, talkWhenConnected } from './lab-calls.ts';
import { RtpParty } from './rtp-party.ts';
import type { AmiEvent } from './ami-watch.ts';
import type { SippRun } from './sipp.ts';

const DID = '0633330000';
const AGENT_EXTENSION = '2101';
const SUPERVISOR_PHONE = '2102';

const queueProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Lab spy line',
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'queue' } },
    queue: { type: 'Queue', params: { queue: 'spy-line', timeoutSec: 300 }, exits: { answered: 'bye', timeout: 'bye', full: 'bye', unavailable: 'bye', failed: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
};

interface Session {
  id: number;
  status: string;
  mode: string;
  origin: string;
  endReason: string | null;
  agentChannel: string | null;
  modeChanges?: { mode: string; via: string }[];
}

describe('integration: listen, whisper and barge on a bridged queue call', function () {
  this.timeout(300_000);
  let lab: Lab;
  let agentId: number;
  const runs: SippRun[] = [];
  const parties: RtpParty[] = [];
  let agentPhone: SippRun;
  let supervisorPhone: SippRun;

  before(async function () {
    lab = await startLab(this, { acdTickMs: 200 });
    const { client, adminToken: t } = lab.node;
    const a = await agent(lab.node, { extension: AGENT_EXTENSION });
    agentId = a.id;
    await queue(lab.node, { name: 'spy-line', channel: 'voice', ringTimeoutSec: 20, wrapupSec: 0 }, [a.id]);
    await routeInbound(lab.node, { name: 'Lab spy line', pattern: DID, project: queueProject });
    // The agent's desk phone answers and talks until the call is ended from the caller's side.
    agentPhone = await lab.phone(AGENT_EXTENSION, { ringMs: 300, talkMs: 600_000 });
    await logIn(client, a);
    // The supervisor (the administrator) and their desk phone, which answers when Tandem calls it.
    const phone = await client.patch('/api/me/phone', { phone: { kind: 'extension', value: SUPERVISOR_PHONE } }, t);
    expect(phone.status, phone.text).to.equal(200);
    supervisorPhone = await lab.phone(SUPERVISOR_PHONE, { ringMs: 300, talkMs: 600_000 });
  });
  // A test that failed half-way leaves its call up: the next one starts with no channel left.
  afterEach(async () => {
    for (const channel of await liveChannels()) await lab.ami.action('Hangup', { Channel: channel });
    await eventually(liveChannels, (c) => c.length === 0, 'no channel left after the test', { timeoutMs: 60_000, everyMs: 200 });
  });
  after(async () => {
    for (const r of runs) await r.stop().catch(() => undefined);
    for (const p of parties) p.close();
    await lab?.stop();
  });

  const since = (mark: number) => (match: (e: AmiEvent) => boolean) => (e: AmiEvent) => lab.ami.events.indexOf(e) >= mark && match(e);
  const session = (id: number) => lab.node.client.get<Session>(`/api/spy-sessions/${id}`, lab.node.adminToken).then((r) => r.body);
  /** The channels in a bridge now, as Asterisk lists them (AMI BridgeInfo). */
  const membersOf = async (bridgeId: string) =>
    (await lab.ami.action('BridgeInfo', { BridgeUniqueid: bridgeId }))
      .filter((m) => m.Event === 'BridgeInfoChannel')
      .map((m) => m.Channel!)
      .sort();
  const liveChannels = async () => (await lab.ami.action('CoreShowChannels')).filter((m) => m.Event === 'CoreShowChannel').map((m) => m.Channel!);

  /** A carrier call answered by the agent: caller and agent in the queue's bridge. */
  async function bridgedCall(caller: string, call: () => Promise<SippRun> = () => lab.carrier(DID, { caller, hangupAfterMs: 600_000 })) {
    const mark = lab.ami.events.length;
    const after = since(mark);
    const carrier = await call();
    runs.push(carrier);
    const [entered] = await lab.ami.waitFor(after((e) => e.Event === 'Newexten' && e.Context === 'tandem-inbound' && e.Exten === DID && e.Priority === '1'), 'the caller on the trunk', { timeoutMs: 60_000 });
    const callerChannel = entered!.Channel!;
    const [agentLeg] = await lab.ami.waitFor(after((e) => e.Event === 'Newchannel' && e.Channel?.startsWith(`PJSIP/${AGENT_EXTENSION}-`) === true), "the agent's channel", { timeoutMs: 60_000 });
    const [callerIn] = await lab.ami.waitFor(after((e) => e.Event === 'BridgeEnter' && e.Channel === callerChannel), 'the caller in a bridge', { timeoutMs: 60_000 });
    const [agentIn] = await lab.ami.waitFor(after((e) => e.Event === 'BridgeEnter' && e.Channel === agentLeg!.Channel), 'the agent in a bridge', { timeoutMs: 60_000 });
    expect(agentIn!.BridgeUniqueid, 'caller and agent in one bridge').to.equal(callerIn!.BridgeUniqueid);
    return { caller: callerChannel, agent: agentLeg!.Channel!, agentUniqueid: agentLeg!.Uniqueid!, callBridge: callerIn!.BridgeUniqueid!, carrier };
  }

  /**
   * Listen or whisper, as Asterisk has it: a new snoop on the agent's channel, with the supervisor in
   * spy-<session>, nobody else (live: checked on Asterisk's current bridges too).
   */
  async function inSpyBridge(
    mark: number,
    sessionId: number,
    call: { agentUniqueid: string; callBridge: string; caller: string; agent: string },
    supervisor: string,
    snoopsBefore: number,
    { live = true } = {},
  ) {
    const after = since(mark);
    const snoops = await lab.ami.waitFor(after((e) => e.Event === 'Newchannel' && e.Channel?.startsWith(`Snoop/${call.agentUniqueid}-`) === true), 'a snoop on the agent’s channel', { count: snoopsBefore + 1, timeoutMs: 60_000 });
    const snoop = snoops[snoopsBefore]!.Channel!;
    const [snoopIn] = await lab.ami.waitFor(after((e) => e.Event === 'BridgeEnter' && e.Channel === snoop), 'the snoop in the spy bridge', { timeoutMs: 60_000 });
    expect(snoopIn!.BridgeName).to.equal(`spy-${sessionId}`);
    await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === supervisor && e.BridgeUniqueid === snoopIn!.BridgeUniqueid, 'the supervisor in the spy bridge', { timeoutMs: 60_000 });
    // What the events say holds now too, when the test is the one that moves on (not keys already sent).
    if (!live) return { snoop, spyBridge: snoopIn!.BridgeUniqueid! };
    await eventually(() => membersOf(snoopIn!.BridgeUniqueid!), (m) => m.length === 2 && m.includes(supervisor), 'the supervisor with the snoop in the spy bridge', { timeoutMs: 60_000, everyMs: 200 });
    expect(await membersOf(snoopIn!.BridgeUniqueid!)).to.deep.equal([snoop, supervisor].sort());
    // The call's bridge is untouched: caller and agent only.
    expect(await membersOf(call.callBridge)).to.deep.equal([call.caller, call.agent].sort());
    return { snoop, spyBridge: snoopIn!.BridgeUniqueid! };
  }

  /** Barge: the supervisor in the call's bridge with caller and agent; the earlier snoop gone. */
  async function barging(call: { callBridge: string; caller: string; agent: string }, supervisor: string, snoop: string) {
    await eventually(() => membersOf(call.callBridge), (m) => m.length === 3, 'the supervisor in the call’s bridge', { timeoutMs: 60_000, everyMs: 200 });
    expect(await membersOf(call.callBridge)).to.deep.equal([call.caller, call.agent, supervisor].sort());
    await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === snoop, 'the snoop hung up', { timeoutMs: 60_000 });
  }

  /** The caller hangs up: the supervisor's channel goes, the spy bridge is destroyed, no snoop or supervisor channel is left. */
  async function callEnds(call: { caller: string; agentUniqueid: string }, supervisor: string, spyBridge: string, sessionId: number) {
    const hangup = await lab.ami.action('Hangup', { Channel: call.caller });
    expect(hangup[0]?.Response, JSON.stringify(hangup)).to.equal('Success');
    await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === supervisor, 'the supervisor’s channel hung up', { timeoutMs: 60_000 });
    await lab.ami.waitFor((e) => e.Event === 'BridgeDestroy' && e.BridgeUniqueid === spyBridge, 'the spy bridge destroyed', { timeoutMs: 60_000 });
    await eventually(liveChannels, (c) => !c.some((n) => n.startsWith('Snoop/') || n.startsWith(`PJSIP/${SUPERVISOR_PHONE}-`)), 'no snoop or supervisor channel left', { timeoutMs: 60_000, everyMs: 200 });
    const ended = await eventually(() => session(sessionId), (s) => s.status !== 'active' && s.status !== 'calling', 'the session ended', { timeoutMs: 60_000, everyMs: 200 });
    expect(ended).to.include({ status: 'ended', endReason: 'call-ended' });
  }

  it('from the API: listen, then whisper, then barge, each as Asterisk has it; the spy is torn down when the call ends', async () => {
    const call = await bridgedCall('3511');
    const mark = lab.ami.events.length;
    const after = since(mark);
    const { client, adminToken: t } = lab.node;
    const started = await client.post<Session>('/api/spy-sessions', { agentId, mode: 'listen' }, t);
    expect(started.status, started.text).to.equal(201);
    const id = started.body.id;
    // Tandem calls the supervisor's phone, which answers.
    const [leg] = await lab.ami.waitFor(after((e) => e.Event === 'Newchannel' && e.Channel?.startsWith(`PJSIP/${SUPERVISOR_PHONE}-`) === true), 'the supervisor’s phone called', { timeoutMs: 60_000 });
    const supervisor = leg!.Channel!;
    const listen = await inSpyBridge(mark, id, call, supervisor, 0);
    expect(await eventually(() => session(id), (s) => s.status === 'active', 'the session active', { timeoutMs: 60_000, everyMs: 200 })).to.include({ mode: 'listen', origin: 'board', agentChannel: call.agentUniqueid });

    const whisper = await client.patch<Session>(`/api/spy-sessions/${id}`, { mode: 'whisper' }, t);
    expect(whisper.status, whisper.text).to.equal(200);
    const whispering = await inSpyBridge(mark, id, call, supervisor, 1);
    expect(whispering.spyBridge, 'the same spy bridge').to.equal(listen.spyBridge);
    await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === listen.snoop, 'the listening snoop hung up', { timeoutMs: 60_000 });

    const barge = await client.patch<Session>(`/api/spy-sessions/${id}`, { mode: 'barge' }, t);
    expect(barge.status, barge.text).to.equal(200);
    await barging(call, supervisor, whispering.snoop);

    await callEnds(call, supervisor, listen.spyBridge, id);
    const detail = await session(id);
    expect(detail.modeChanges?.map((c) => `${c.mode}:${c.via}`)).to.deep.equal(['listen:api', 'whisper:api', 'barge:api']);
  });

  it('by feature code from the supervisor’s phone: *222 + extension listens, key 5 whispers, key 6 barges; the spy is torn down when the call ends', async () => {
    const call = await bridgedCall('3521');
    const mark = lab.ami.events.length;
    const after = since(mark);
    // The keys come well after Tandem has connected the supervisor (the test waits for that below).
    const dialing = await phoneCall(lab, SUPERVISOR_PHONE, `*222${AGENT_EXTENSION}`, { dtmf: '56', dtmfAfterMs: 8_000, dtmfGapMs: 8_000, hangupAfterMs: 600_000 });
    runs.push(dialing);
    // The supervisor's own channel is answered by Tandem and sent into its Stasis application.
    const [stasis] = await lab.ami.waitFor(after((e) => e.Event === 'AGIExecStart' && e.Channel?.startsWith(`PJSIP/${SUPERVISOR_PHONE}-`) === true && /^EXEC Stasis/i.test(e.Command ?? '')), 'the feature code handed to Stasis', { timeoutMs: 60_000 });
    const supervisor = stasis!.Channel!;
    const id = Number(/spy,([0-9]+)/.exec(stasis!.Command ?? '')?.[1]);
    expect(id, stasis!.Command).to.be.greaterThan(0);
    const listen = await inSpyBridge(mark, id, call, supervisor, 0, { live: false });
    expect(await session(id)).to.include({ status: 'active', origin: 'feature-code' });
    // Key 5: a whispering snoop replaces the listening one, in the same spy bridge.
    const whispering = await inSpyBridge(mark, id, call, supervisor, 1, { live: false });
    expect(whispering.spyBridge).to.equal(listen.spyBridge);
    // Key 6: barge.
    await barging(call, supervisor, whispering.snoop);
    await dialing.waitForLog(/^DTMF /, 'the supervisor keying 5 then 6', { timeoutMs: 60_000 });
    const keys = lab.ami.find(after((e) => e.Event === 'DTMFEnd' && e.Channel === supervisor && e.Direction === 'Received')).map((e) => e.Digit);
    expect(keys).to.deep.equal(['5', '6']);

    await callEnds(call, supervisor, listen.spyBridge, id);
    // Tandem hung the supervisor's phone up.
    await dialing.waitForLog(/^ENDED /, 'the supervisor’s phone hung up by Tandem', { timeoutMs: 60_000 });
    const detail = await session(id);
    expect(detail.modeChanges?.map((c) => `${c.mode}:${c.via}`)).to.deep.equal(['listen:dtmf', 'whisper:dtmf', 'barge:dtmf']);
  });
  it('who hears whom, from the RTP each party receives: the listening supervisor hears both sides and nobody hears them, only the agent in whisper, caller and agent in barge', async () => {
    // Caller and agent say nothing (a-law silence, so audio flows: whisper is mixed into what the
    // agent's channel is sent); the supervisor says a 1 kHz tone. Each party counts the loud packets
    // Asterisk sends it. The desk phones of the earlier tests give way to ones with such ears.
    const callerEar = await RtpParty.open('silence');
    const agentEar = await RtpParty.open('silence');
    const supervisorVoice = await RtpParty.open('tone');
    parties.push(callerEar, agentEar, supervisorVoice);
    await agentPhone.stop();
    await supervisorPhone.stop();
    const agentRtpPhone = await rtpPhone(lab, AGENT_EXTENSION, agentEar);
    const supervisorRtpPhone = await rtpPhone(lab, SUPERVISOR_PHONE, supervisorVoice);
    runs.push(agentRtpPhone, supervisorRtpPhone);
    const call = await bridgedCall('3531', () => rtpCarrierCall(lab, DID, '3531', callerEar));
    await talkWhenConnected(call.carrier, callerEar);
    await talkWhenConnected(agentRtpPhone, agentEar);

    const mark = lab.ami.events.length;
    const { client, adminToken: t } = lab.node;
    const started = await client.post<Session>('/api/spy-sessions', { agentId, mode: 'listen' }, t);
    expect(started.status, started.text).to.equal(201);
    const id = started.body.id;
    const [leg] = await lab.ami.waitFor(since(mark)((e) => e.Event === 'Newchannel' && e.Channel?.startsWith(`PJSIP/${SUPERVISOR_PHONE}-`) === true), 'the supervisor’s phone called', { timeoutMs: 60_000 });
    const supervisor = leg!.Channel!;
    await talkWhenConnected(supervisorRtpPhone, supervisorVoice);
    const listen = await inSpyBridge(mark, id, call, supervisor, 0);
    /** Waits until both ears got `packets` packets since their mark (audio kept flowing to them). */
    const flowed = (packets: number, what: string) =>
      eventually(() => [callerEar.received, agentEar.received], ([c, a]) => c! >= packets && a! >= packets, what, { timeoutMs: 60_000, everyMs: 100 });

    // Listen: three seconds of audio to caller and agent, not one loud packet among them.
    callerEar.mark();
    agentEar.mark();
    await flowed(150, 'audio to caller and agent while the supervisor listens');
    expect({ caller: callerEar.loud, agent: agentEar.loud }, 'loud packets heard while the supervisor listens').to.deep.equal({ caller: 0, agent: 0 });
    // …while the supervisor hears both sides of the call: the caller speaks, then the agent.
    for (const [speaker, who] of [[callerEar, 'caller'], [agentEar, 'agent']] as const) {
      await speaker.say('tone');
      supervisorVoice.mark();
      await eventually(() => supervisorVoice.loud, (n) => n >= 25, `the listening supervisor hearing the ${who}`, { timeoutMs: 60_000, everyMs: 100 });
      await speaker.say('silence');
    }

    // Whisper: the agent hears the tone; the caller, over as many packets, still nothing.
    expect((await client.patch(`/api/spy-sessions/${id}`, { mode: 'whisper' }, t)).status).to.equal(200);
    await inSpyBridge(mark, id, call, supervisor, 1);
    callerEar.mark();
    agentEar.mark();
    await eventually(() => agentEar.loud, (n) => n >= 25, 'the agent hearing the whispering supervisor', { timeoutMs: 60_000, everyMs: 100 });
    await flowed(150, 'audio to caller and agent while the supervisor whispers');
    expect(callerEar.loud, 'loud packets the caller heard while the supervisor whispers').to.equal(0);

    // Barge: both hear the supervisor.
    expect((await client.patch(`/api/spy-sessions/${id}`, { mode: 'barge' }, t)).status).to.equal(200);
    await barging(call, supervisor, (await lab.ami.waitFor(since(mark)((e) => e.Event === 'Newchannel' && e.Channel?.startsWith('Snoop/') === true), 'the snoops', { count: 2 }))[1]!.Channel!);
    callerEar.mark();
    agentEar.mark();
    await eventually(() => [callerEar.loud, agentEar.loud], ([c, a]) => c! >= 25 && a! >= 25, 'caller and agent hearing the barging supervisor', { timeoutMs: 60_000, everyMs: 100 });

    await callEnds(call, supervisor, listen.spyBridge, id);
  });
});
