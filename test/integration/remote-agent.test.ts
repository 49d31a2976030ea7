// Agents away from a Tandem desk, on a real Asterisk. A remote agent calls an IVR line from any
// phone (SIPp as the carrier on the trunk), keys their extension and PIN, and the Agent login, pause,
// unpause and logout blocks act on their presence, which the presence API shows step by step: logged
// in by phone, to be called back on the number they called from; a queued call then rings that
// number through the outbound route and the trunk (the carrier, SIPp on the trunk, answers as the
// agent's mobile). A hot-desk agent takes a desk phone (a SIPp phone registered as that PJSIP
// endpoint) at login, and a queued call rings it.
// Judged from Asterisk's side (the keys it decoded, the hot-desk phone's channel in the caller's
// bridge) and from Tandem's presence, state history and queue reports.
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { queueReports } from '../../server/db/schema.ts';
import { eventually } from '../support/eventually.ts';
import type { AmiEvent } from './ami-watch.ts';
import { agent, queue, type WorldAgent } from '../support/world.ts';
import { routeInbound, startLab, type Lab } from './lab.ts';
import { carrierAnswer, phoneCall } from './lab-calls.ts';
import type { SippRun } from './sipp.ts';

const AGENT_LINE = '0622220000';
const HOTDESK_LINE = '0622220001';
const REMOTE_EXTENSION = '2101';
const PIN = '4321';
const HOTDESK_PHONE = '2102';
/** The internal number of the remote agents' queue, dialled from a desk phone. */
const REMOTE_QUEUE_NUMBER = '5000';

/** The agents' line: extension#, PIN#, then 1 pause, 2 unpause, 3 log out. */
const agentLineProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Lab agents line',
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'extension' } },
    extension: {
      type: 'GetDigits',
      params: { prompts: ['beep'], minDigits: 2, maxDigits: 6, timeoutSec: 20, retries: 0, variable: 'AGENT_EXTEN' },
      exits: { success: 'pin', invalid: 'bye', timeout: 'bye' },
    },
    pin: {
      type: 'GetDigits',
      params: { prompts: ['beep'], minDigits: 4, maxDigits: 8, timeoutSec: 20, retries: 0, variable: 'AGENT_PIN' },
      exits: { success: 'login', invalid: 'bye', timeout: 'bye' },
    },
    login: { type: 'AgentLogin', params: { identifyBy: 'extension', identity: '{AGENT_EXTEN}', pin: '{AGENT_PIN}' }, exits: { success: 'menu', failure: 'bye' } },
    menu: {
      type: 'Menu',
      params: { prompts: ['beep'], choices: ['1', '2', '3'], timeoutSec: 30, retries: 0 },
      exits: { '1': 'pause', '2': 'unpause', '3': 'logout', invalid: 'bye', timeout: 'bye' },
    },
    pause: { type: 'AgentPause', params: { reason: 'Remote break' }, exits: { success: 'menu', failure: 'bye' } },
    unpause: { type: 'AgentUnpause', params: {}, exits: { success: 'menu', failure: 'bye' } },
    // Back to the menu after the logout too: the line stays until the caller hangs up.
    logout: { type: 'AgentLogout', params: {}, exits: { success: 'menu', failure: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
};

const queueProject = (queueName: string) => ({
  schemaVersion: 2,
  id: 'x',
  name: `Lab ${queueName}`,
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'queue' } },
    queue: { type: 'Queue', params: { queue: queueName, timeoutSec: 300 }, exits: { answered: 'bye', timeout: 'bye', full: 'bye', unavailable: 'bye', failed: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
});

interface Presence {
  loggedIn: boolean;
  device: string | null;
  dialTarget: string | null;
  channels: { channel: string; paused: boolean; pauseReason: string | null }[];
}

describe('integration: remote and hot-desk agents on a real Asterisk', function () {
  this.timeout(300_000);
  let lab: Lab;
  const runs: SippRun[] = [];

  before(async function () {
    lab = await startLab(this, { acdTickMs: 200 });
    await routeInbound(lab.node, { name: 'Lab agents line', pattern: AGENT_LINE, project: agentLineProject });
    await routeInbound(lab.node, { name: 'Lab hot-desk line', pattern: HOTDESK_LINE, project: queueProject('hotdesk-line') });
  });
  after(async () => {
    for (const r of runs) await r.stop().catch(() => undefined);
    await lab?.stop();
  });

  const presenceOf = (agentId: number) => lab.node.client.get<Presence>(`/api/agents/${agentId}/presence`, lab.node.adminToken).then((r) => r.body);
  const voicePaused = (p: Presence) => p.channels.find((c) => c.channel === 'voice')?.paused;

  it('logs a remote agent in from any phone with extension and PIN, then pauses, unpauses and logs out; presence follows each step', async () => {
    const remote = await agent(lab.node, { extension: REMOTE_EXTENSION, pin: PIN });
    expect((await presenceOf(remote.id)).loggedIn).to.equal(false);
    // Keys 3 s apart: each state lasts long enough for the presence API to be seen in it.
    const carrier = await lab.carrier(AGENT_LINE, { caller: '3471', dtmf: `${REMOTE_EXTENSION}#${PIN}#123`, dtmfAfterMs: 2_500, dtmfGapMs: 3_000, hangupAfterMs: 2_000 });
    const wait = (ok: (p: Presence) => boolean, what: string) => eventually(() => presenceOf(remote.id), ok, what, { timeoutMs: 90_000, everyMs: 100 });
    // Logged in by phone, to be called back on the number the call came from (34711), through the
    // outbound routes.
    const loggedIn = await wait((p) => p.loggedIn, 'the agent logged in');
    expect(loggedIn).to.include({ device: 'phone', dialTarget: 'Local/34711@tandem-outbound' });
    expect(voicePaused(loggedIn)).to.equal(false);
    const paused = await wait((p) => voicePaused(p) === true, 'the agent paused');
    expect(paused.loggedIn).to.equal(true);
    expect(paused.channels.find((c) => c.channel === 'voice')?.pauseReason).to.equal('Remote break');
    const unpaused = await wait((p) => voicePaused(p) === false, 'the agent unpaused');
    expect(unpaused.loggedIn).to.equal(true);
    await wait((p) => !p.loggedIn, 'the agent logged out');
    // The agent hangs up after the logout.
    await carrier.waitForLog(/^HUNGUP 34711 /, 'the agent hanging up after the logout', { timeoutMs: 60_000 });
    expect(await carrier.exited).to.equal(0);

    // Asterisk's side: every key was decoded from RTP on the caller's channel, in order, and
    // Tandem's AGI ran the flow on that channel.
    const [entered] = await lab.ami.waitFor((e) => e.Event === 'Newexten' && e.Context === 'tandem-inbound' && e.Exten === AGENT_LINE && e.Priority === '1', 'the call in tandem-inbound');
    const channel = entered!.Channel!;
    const keys = lab.ami.find((e) => e.Event === 'DTMFEnd' && e.Channel === channel && e.Direction === 'Received').map((e) => e.Digit);
    expect(keys.join('')).to.equal(`${REMOTE_EXTENSION}#${PIN}#123`);
    // Tandem's side: the history of the agent's states, in order.
    // (A pause and an unpause are written once per channel; login and logout once, without one.)
    const history = await lab.node.client.get<{ state: string; channel: string | null; reason: string | null }[]>(`/api/agents/${remote.id}/state-history`, lab.node.adminToken);
    const voice = history.body.filter((h) => h.channel === null || h.channel === 'voice').reverse();
    expect(voice.map((h) => h.state)).to.deep.equal(['login', 'pause', 'unpause', 'logout']);
    expect(voice[1]!.reason).to.equal('Remote break');
  });

  it('rings the hot-desk phone an agent took at login for a queued call, and bridges it with the caller', async () => {
    const { client, adminToken: t } = lab.node;
    expect((await client.post('/api/phones', { name: HOTDESK_PHONE }, t)).status).to.equal(201);
    const desk = await lab.phone(HOTDESK_PHONE, { ringMs: 300, talkMs: 2_000 });
    const hotdesker: WorldAgent = await agent(lab.node, { typology: 'external', hotdesk: true });
    const queueId = await queue(lab.node, { name: 'hotdesk-line', channel: 'voice', ringTimeoutSec: 20, wrapupSec: 0 }, [hotdesker.id]);
    // The phone is offered once Tandem knows it is registered (its device state, from AMI).
    await eventually(
      () => client.get<{ phones: { name: string }[] }>('/api/me/hotdesk-phones', hotdesker.token).then((r) => r.body.phones.map((p) => p.name)),
      (names) => names.includes(HOTDESK_PHONE),
      'the registered desk phone offered to the hot-desk agent',
      { timeoutMs: 30_000, everyMs: 200 },
    );
    const login = await client.post<Presence>('/api/me/login', { device: 'external', hotdeskPhone: HOTDESK_PHONE }, hotdesker.token);
    expect(login.status, login.text).to.equal(200);
    expect(login.body).to.include({ loggedIn: true, dialTarget: `PJSIP/${HOTDESK_PHONE}` });

    const carrier = await lab.carrier(HOTDESK_LINE, { caller: '3481' });
    const [entered] = await lab.ami.waitFor((e) => e.Event === 'Newexten' && e.Context === 'tandem-inbound' && e.Exten === HOTDESK_LINE && e.Priority === '1', 'the caller on the trunk');
    const caller = entered!.Channel!;
    await desk.waitForLog(/^ANSWERED /, 'the hot-desk phone answering', { timeoutMs: 60_000 });
    const [deskLeg] = await lab.ami.waitFor((e) => e.Event === 'Newchannel' && e.Channel?.startsWith(`PJSIP/${HOTDESK_PHONE}-`) === true, "the hot-desk phone's channel");
    const [callerIn] = await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === caller, 'the caller in a bridge');
    const [deskIn] = await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === deskLeg!.Channel, 'the hot-desk phone in a bridge');
    expect(deskIn!.BridgeUniqueid, 'caller and hot-desk phone in one bridge').to.equal(callerIn!.BridgeUniqueid);
    // The desk phone hangs up after its talk; the flow ends the call.
    await carrier.waitForLog(/^ENDED 34811 /, 'the caller hung up after the agent', { timeoutMs: 60_000 });
    const [report] = await eventually(
      () => lab.node.tandem.database.db.select().from(queueReports).where(eq(queueReports.queueId, queueId)),
      (rows) => rows.length > 0,
      'the queue report',
      { timeoutMs: 30_000, everyMs: 200 },
    );
    expect(report).to.include({ reason: 'accepted', userId: hotdesker.id, interactionRef: entered!.Uniqueid });
  });
  it('rings a remote agent on the number they logged in with, through the outbound route and the trunk, for a queued call', async () => {
    const { client, adminToken: t } = lab.node;
    const remote = await agent(lab.node, { extension: '3101', pin: PIN });
    await queue(lab.node, { name: 'remote-line', channel: 'voice', ringTimeoutSec: 30, wrapupSec: 0 }, [remote.id]);
    // The number the agent calls from (34721) goes out as +39 34721, with the company's caller id.
    const trunk = await client.post<{ id: number }>('/api/voice/trunks', { name: 'Lab carrier', endpoint: 'tandem-trunk' }, t);
    expect(trunk.status, trunk.text).to.equal(201);
    const route = await client.post('/api/voice/routes', { kind: 'outbound', name: 'Mobiles', pattern: '_3XXXX', trunkId: trunk.body.id, prepend: '+39', callerId: 'Tandem <+390200000000>' }, t);
    expect(route.status, route.text).to.equal(201);
    // The queue is reached from a desk phone by an internal number.
    const project = await client.post<{ id: string }>('/api/ivr/projects', { name: 'Lab remote line', channel: 'voice', project: queueProject('remote-line') }, t);
    expect(project.status, project.text).to.equal(201);
    expect((await client.post(`/api/ivr/projects/${project.body.id}/publish`, {}, t)).status).to.equal(201);
    const internal = await client.post('/api/voice/routes', { kind: 'internal', name: 'Remote line', pattern: REMOTE_QUEUE_NUMBER, projectId: project.body.id }, t);
    expect(internal.status, internal.text).to.equal(201);

    // The agent logs in from their mobile (caller 34721) on the agents' line, and hangs up.
    const line = await lab.carrier(AGENT_LINE, { caller: '3472', dtmf: `3101#${PIN}#`, dtmfAfterMs: 2_500, dtmfGapMs: 600, hangupAfterMs: 1_000 });
    const loggedIn = await eventually(() => presenceOf(remote.id), (p) => p.loggedIn, 'the remote agent logged in', { timeoutMs: 90_000, everyMs: 100 });
    expect(loggedIn).to.include({ device: 'phone', dialTarget: 'Local/34721@tandem-outbound' });
    await line.waitForLog(/^HUNGUP 34721 /, 'the agent hanging up after the login', { timeoutMs: 60_000 });
    await line.stop();

    // The carrier now answers on the trunk; a colleague's desk phone calls the queue.
    const carrier = await carrierAnswer(lab, { talkMs: 600_000 });
    runs.push(carrier);
    const mark = lab.ami.events.length;
    const caller = await phoneCall(lab, HOTDESK_PHONE, REMOTE_QUEUE_NUMBER, { dtmfAfterMs: 1_000, hangupAfterMs: 600_000 });
    runs.push(caller);
    // The offer rings the agent's mobile: the carrier gets the number as the outbound route writes it.
    const invite = await carrier.invite();
    expect(invite.requestUri).to.match(/^sip:\+3934721@/);
    expect(invite.pAssertedIdentity).to.match(/^"Tandem" <sip:\+390200000000@/);
    await carrier.waitForLog(/^ANSWERED /, 'the agent answering their mobile', { timeoutMs: 60_000 });
    // Asterisk's side: the desk phone's channel and the agent's leg (Local/…@tandem-outbound) in one
    // bridge, the leg's other half bridged with the trunk.
    const after = (match: (e: AmiEvent) => boolean) => (e: AmiEvent) => lab.ami.events.indexOf(e) >= mark && match(e);
    const [callerIn] = await lab.ami.waitFor(after((e) => e.Event === 'BridgeEnter' && e.Channel?.startsWith(`PJSIP/${HOTDESK_PHONE}-`) === true), 'the caller in a bridge', { timeoutMs: 60_000 });
    const [legIn] = await lab.ami.waitFor(after((e) => e.Event === 'BridgeEnter' && e.Channel?.startsWith('Local/34721@tandem-outbound-') === true && e.Channel.endsWith(';1')), 'the agent’s leg in a bridge', { timeoutMs: 60_000 });
    expect(legIn!.BridgeUniqueid, 'caller and remote agent in one bridge').to.equal(callerIn!.BridgeUniqueid);
    await lab.ami.waitFor(after((e) => e.Event === 'BridgeEnter' && e.Channel?.startsWith('PJSIP/tandem-trunk-') === true), 'the trunk leg bridged', { timeoutMs: 60_000 });
    const [report] = await eventually(
      async () => (await lab.node.tandem.database.db.select().from(queueReports)).filter((r) => r.userId === remote.id),
      (rows) => rows.length > 0,
      'the queue report of the remote agent',
      { timeoutMs: 60_000, everyMs: 200 },
    );
    expect(report).to.include({ reason: 'accepted', channel: 'voice' });
    // The caller hangs up; the agent's mobile is hung up too.
    const hangup = await lab.ami.action('Hangup', { Channel: callerIn!.Channel! });
    expect(hangup[0]?.Response, JSON.stringify(hangup)).to.equal('Success');
    await carrier.waitForLog(/^ENDED /, 'the agent’s mobile hung up', { timeoutMs: 60_000 });
  });
});
