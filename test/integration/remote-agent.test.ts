// Agents away from a Tandem desk, on a real Asterisk. A remote agent calls an IVR line from any
// phone (SIPp as the carrier on the trunk), keys their extension and PIN, and the Agent login, pause,
// unpause and logout blocks act on their presence, which the presence API shows step by step: logged
// in by phone, to be called back on the number they called from. A hot-desk agent takes a desk
// phone (a SIPp phone registered as that PJSIP endpoint) at login, and a queued call rings it.
// Judged from Asterisk's side (the keys it decoded, the hot-desk phone's channel in the caller's
// bridge) and from Tandem's presence, state history and queue reports.
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { queueReports } from '../../server/db/schema.ts';
import { eventually } from '../support/eventually.ts';
import { agent, queue, type WorldAgent } from '../support/world.ts';
import { routeInbound, startLab, type Lab } from './lab.ts';

const AGENT_LINE = '0622220000';
const HOTDESK_LINE = '0622220001';
const REMOTE_EXTENSION = '2101';
const PIN = '4321';
const HOTDESK_PHONE = '2102';

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

const queueProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Lab hot-desk line',
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'queue' } },
    queue: { type: 'Queue', params: { queue: 'hotdesk-line', timeoutSec: 300 }, exits: { answered: 'bye', timeout: 'bye', full: 'bye', unavailable: 'bye', failed: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
};

interface Presence {
  loggedIn: boolean;
  device: string | null;
  dialTarget: string | null;
  channels: { channel: string; paused: boolean; pauseReason: string | null }[];
}

describe('integration: remote and hot-desk agents on a real Asterisk', function () {
  this.timeout(300_000);
  let lab: Lab;

  before(async function () {
    lab = await startLab(this, { acdTickMs: 200 });
    await routeInbound(lab.node, { name: 'Lab agents line', pattern: AGENT_LINE, project: agentLineProject });
    await routeInbound(lab.node, { name: 'Lab hot-desk line', pattern: HOTDESK_LINE, project: queueProject });
  });
  after(async () => {
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
});
