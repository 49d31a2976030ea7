// Listen / whisper / barge from the board (REST), against the ARI test peer. The requests Tandem
// sends are compared with the capture from a real Asterisk 22.10.1,
// test/fixtures/asterisk/ari-spy-whisper-barge.txt (events: ari-spy-events.jsonl): snoop on the
// AGENT's channel spy=both whisper=none (listen) / whisper=out (whisper), a spy bridge with the
// supervisor, barge = supervisor moved from the spy bridge to the call's bridge; teardown is the
// app's job (capture part d: Asterisk tears nothing down).
import { expect } from 'chai';
import { recordedRestCalls } from '../../peers/asterisk-ari-model.ts';
import type { LoggedRequest } from '../../peers/asterisk-ari.ts';
import type { ErrorBody } from '../../support/tandem.ts';
import { SpyWorld, type Agent, type Supervisor } from './spy-world.ts';
import { eventually } from '../../support/eventually.ts';
import { spySessions } from '../../../server/db/schema.ts';

interface View {
  id: number;
  status: string;
  mode: string;
  endReason: string | null;
  supervisorTarget: string;
  origin: string;
  answeredAt: string | null;
  modeChanges?: { mode: string; via: string }[];
}

/** `METHOD /path?keys` with ids replaced by their role, and only the parameters that matter to spying. */
function shape(method: string, target: string, roles: ReadonlyMap<string, string>): string {
  const url = new URL(target, 'http://x');
  const path = url.pathname
    .split('/')
    .map((p) => roles.get(decodeURIComponent(p)) ?? p)
    .join('/');
  const kept = ['spy', 'whisper', 'type', 'channel']
    .filter((k) => url.searchParams.has(k))
    .map((k) => `${k}=${(url.searchParams.get(k) ?? '').split(',').map((v) => roles.get(v) ?? v).join(',')}`);
  return `${method} ${path}${kept.length ? `?${kept.join('&')}` : ''}`;
}

/** The capture's ids, by role. */
const FIXTURE_ROLES = new Map([
  ['1795294964.33', '{agent}'],
  ['1795294964.35', '{supervisor}'],
  ['1795294964.37', '{snoop1}'],
  ['1795294972.38', '{snoop2}'],
  ['1795294981.39', '{snoop-whisper-in}'],
  ['1f449c2a-445e-4769-8f41-4a05f54d5e37', '{call}'],
  ['ec487817-6561-4b05-a306-4c55b40e3e72', '{spy}'],
]);

/** Ours, from the peer's request log (originate channelId, snoop and bridge replies). */
function ourRoles(requests: readonly LoggedRequest[], agentLeg: string, callBridge: string): Map<string, string> {
  const roles = new Map([
    [agentLeg, '{agent}'],
    [callBridge, '{call}'],
  ]);
  let snoops = 0;
  for (const r of requests) {
    const url = new URL(r.target, 'http://x');
    if (r.method === 'POST' && url.pathname === '/ari/channels' && url.searchParams.get('appArgs')?.startsWith('spy,')) roles.set(url.searchParams.get('channelId') ?? '', '{supervisor}');
    if (r.method === 'POST' && url.pathname.endsWith('/snoop')) roles.set((JSON.parse(r.body) as { id: string }).id, `{snoop${++snoops}}`);
    if (r.method === 'POST' && url.pathname === '/ari/bridges' && url.searchParams.get('name')?.startsWith('spy-')) roles.set((JSON.parse(r.body) as { id: string }).id, '{spy}');
  }
  return roles;
}

describe('spy sessions from the board (ARI)', function () {
  const world = new SpyWorld();
  /** The supervisor's leg of a session: the channelId Tandem gave its originate. */
  const legOf = (id: number): string | undefined => {
    for (const r of world.ari.requests) {
      const q = new URL(r.target, 'http://x').searchParams;
      if (r.method === 'POST' && q.get('appArgs') === `spy,${id}`) return q.get('channelId') ?? undefined;
    }
    return undefined;
  };
  let a1: Agent;
  let a2: Agent;
  let a3: Agent;
  let boss: Supervisor;

  before(async () => {
    await world.start(3);
    [a1, a2, a3] = world.agents as [Agent, Agent, Agent];
    boss = await world.supervisor({ chanspy: 'read-edit', staff: 'read' }, [a1, a2, a3], { kind: 'external', value: '5551001' });
  });
  after(async () => world.stop());
  // A failed test must not leave a call or a session that makes the next ones fail too.
  afterEach(async () => world.cleanUp());

  it('listens, switches to whisper (API) then barge (DTMF 6) with the requests of the capture, and tears the supervisor down when the agent hangs up', async () => {
    const call = await world.bridgedCall(a1);
    const mark = world.ari.requests.length;
    const eventsMark = world.events.length;
    const started = await world.node.client.post<View>('/api/spy-sessions', { agentId: a1.id, mode: 'listen' }, boss.token);
    expect(started.status).to.equal(201);
    expect(started.body).to.include({ origin: 'board', mode: 'listen', supervisorTarget: 'Local/5551001@tandem-outbound' });
    const id = started.body.id;
    await eventually(async () => (await world.session(id)).status === 'active' && [...world.ari.bridges.values()].some((b) => b.name === `spy-${id}` && b.channels.length === 2), 'listening');

    // The supervisor's phone was called into the app with `spy,<session>` and a 30 s ring.
    const originate = world.ari.requests.slice(mark).find((r) => r.method === 'POST' && r.target.startsWith('/ari/channels?'))!;
    const q = new URL(originate.target, 'http://x').searchParams;
    expect({ endpoint: q.get('endpoint'), app: q.get('app'), appArgs: q.get('appArgs'), timeout: q.get('timeout') }).to.deep.equal({
      endpoint: 'Local/5551001@tandem-outbound',
      app: 'tandem',
      appArgs: `spy,${id}`,
      timeout: '30',
    });
    const supervisorLeg = q.get('channelId')!;

    const patched = await world.node.client.patch<View>(`/api/spy-sessions/${id}`, { mode: 'whisper' }, boss.token);
    expect(patched.status).to.equal(200);
    expect(patched.body.mode).to.equal('whisper');

    world.ari.dtmf(supervisorLeg, '6');
    const callBridge = () => world.ari.bridges.get(call.bridgeId)!;
    await eventually(() => callBridge().channels.includes(supervisorLeg), 'the supervisor in the call bridge');
    await eventually(async () => (await world.session(id)).mode === 'barge', 'barge recorded');
    // Barging, Tandem hangs the whisper snoop up: the spy bridge is left empty (kept for a switch back).
    await eventually(() => [...world.ari.bridges.values()].find((b) => b.name === `spy-${id}`)?.channels.length === 0, 'the whisper snoop gone');

    const ours = world.ari.requests.slice(mark);
    const roles = ourRoles(ours, call.agentLeg, call.bridgeId);
    const ourShapes = ours.filter((r) => !(r.method === 'POST' && r.target.startsWith('/ari/channels?'))).map((r) => shape(r.method, r.target, roles));

    // The capture from the supervisor's originate up to the barge check, without the whisper=in
    // phase (it makes the CALLER hear the supervisor: not a mode Tandem offers).
    const fixture = recordedRestCalls('ari-spy-whisper-barge.txt');
    const from = fixture.findIndex((c) => c.target.includes('appArgs=supervisor')) + 1;
    const to = fixture.findIndex((c) => c.method === 'GET' && c.target.startsWith('/ari/bridges/'));
    const expected = fixture
      .slice(from, to)
      .map((c) => shape(c.method, c.target, FIXTURE_ROLES))
      .filter((s) => !s.includes('{snoop-whisper-in}') && !s.includes('whisper=in') && s !== 'DELETE /ari/channels/{snoop2}');
    // Tandem hangs the whisper snoop up when the supervisor barges (the capture left it alone in
    // the spy bridge); the whisper-out snoop ends the capture's whisper phase the same way.
    expected.push('DELETE /ari/channels/{snoop2}');
    expect(expected).to.deep.equal([
      'POST /ari/channels/{agent}/snoop?spy=both&whisper=none',
      'POST /ari/bridges?type=mixing',
      'POST /ari/bridges/{spy}/addChannel?channel={snoop1},{supervisor}',
      'DELETE /ari/channels/{snoop1}',
      'POST /ari/channels/{agent}/snoop?spy=both&whisper=out',
      'POST /ari/bridges/{spy}/addChannel?channel={snoop2}',
      'POST /ari/bridges/{spy}/removeChannel?channel={supervisor}',
      'POST /ari/bridges/{call}/addChannel?channel={supervisor}',
      'DELETE /ari/channels/{snoop2}',
    ]);
    expect(ourShapes).to.deep.equal(expected);
    expect(callBridge().channels).to.have.members([call.callerId, call.agentLeg, supervisorLeg]);

    // The agent hangs up: the supervisor's leg is hung up and the spy bridge destroyed.
    const beforeEnd = world.ari.requests.length;
    await world.hangUpAgent(call);
    await eventually(async () => (await world.session(id)).status === 'ended', 'session ended');
    await eventually(() => !world.ari.channels.has(supervisorLeg), 'the supervisor leg gone');
    const endShapes = world.ari.requests.slice(beforeEnd).map((r) => shape(r.method, r.target, roles));
    expect(endShapes).to.include('DELETE /ari/channels/{supervisor}');
    expect(endShapes).to.include('DELETE /ari/bridges/{spy}');
    expect([...world.ari.bridges.values()].filter((b) => b.name === `spy-${id}`)).to.have.length(0);

    const row = await world.session(id);
    expect(row).to.include({ status: 'ended', endReason: 'call-ended', mode: 'barge', agentChannel: call.agentLeg, entryId: call.entryId, supervisorId: boss.id, agentId: a1.id });
    expect(row.answeredAt).to.be.instanceOf(Date);
    expect(await world.modes(id)).to.deep.equal(['listen/api', 'whisper/api', 'barge/dtmf']);
    const detail = await world.node.client.get<View>(`/api/spy-sessions/${id}`, boss.token);
    expect(detail.body.modeChanges!.map((m) => `${m.mode}/${m.via}`)).to.deep.equal(['listen/api', 'whisper/api', 'barge/dtmf']);
    expect(world.events.slice(eventsMark).map((e) => `${e.status}:${e.mode}`)).to.deep.equal(['calling:listen', 'active:listen', 'active:whisper', 'active:barge', 'ended:barge']);
    expect(world.events.at(-1)).to.deep.include({ sessionId: id, supervisorId: boss.id, agentId: a1.id, origin: 'board', endReason: 'call-ended' });
  });

  it('switches back from barge with DTMF 4 and 5 without dropping the supervisor', async () => {
    const call = await world.bridgedCall(a1);
    const started = await world.node.client.post<View>('/api/spy-sessions', { agentId: a1.id, mode: 'barge' }, boss.token);
    const id = started.body.id;
    await eventually(() => world.ari.bridges.get(call.bridgeId)?.channels.length === 3, 'barged in at once');
    const leg = legOf(id)!;
    const mark = world.ari.requests.length;
    world.ari.dtmf(leg, '4');
    const spyBridge = () => [...world.ari.bridges.values()].find((b) => b.name === `spy-${id}`);
    await eventually(() => spyBridge()?.channels.includes(leg) === true && spyBridge()!.channels.length === 2, 'listening in the spy bridge');
    expect(world.ari.bridges.get(call.bridgeId)!.channels).to.have.members([call.callerId, call.agentLeg]);
    world.ari.dtmf(leg, '7'); // not a ChanSpy key: ignored
    world.ari.dtmf(leg, '5');
    const whisperSnoopIn = () => {
      const r = world.ari.requests.slice(mark).find((x) => x.target.includes('/snoop?') && x.target.includes('whisper=out'));
      return r !== undefined && spyBridge()!.channels.includes((JSON.parse(r.body) as { id: string }).id);
    };
    await eventually(whisperSnoopIn, 'the whisper snoop in the spy bridge');
    const roles = ourRoles(world.ari.requests.slice(mark), call.agentLeg, call.bridgeId);
    roles.set(leg, '{supervisor}');
    expect(world.ari.requests.slice(mark).map((r) => shape(r.method, r.target, roles))).to.deep.equal([
      'POST /ari/bridges/{call}/removeChannel?channel={supervisor}',
      'POST /ari/channels/{agent}/snoop?spy=both&whisper=none',
      'POST /ari/bridges?type=mixing',
      'POST /ari/bridges/{spy}/addChannel?channel={snoop1},{supervisor}',
      'DELETE /ari/channels/{snoop1}',
      'POST /ari/channels/{agent}/snoop?spy=both&whisper=out',
      'POST /ari/bridges/{spy}/addChannel?channel={snoop2}',
    ]);
    expect(world.ari.channels.has(leg)).to.equal(true);
    expect(await world.modes(id)).to.deep.equal(['barge/api', 'listen/dtmf', 'whisper/dtmf']);
    await world.hangUpAgent(call);
    await eventually(async () => (await world.session(id)).status === 'ended', 'ended');
  });

  it('the supervisor hangs up: snoop and spy bridge go, the call goes on untouched', async () => {
    const call = await world.bridgedCall(a2);
    const started = await world.node.client.post<View>('/api/spy-sessions', { agentId: a2.id }, boss.token);
    const id = started.body.id;
    const spyBridge = () => [...world.ari.bridges.values()].find((b) => b.name === `spy-${id}`);
    await eventually(() => spyBridge()?.channels.length === 2, 'listening');
    const bridge = spyBridge()!;
    const snoop = bridge.channels.find((c) => world.ari.channels.get(c)?.name.startsWith('Snoop/'))!;
    const leg = bridge.channels.find((c) => c !== snoop)!;
    const mark = world.ari.requests.length;
    world.ari.farEndHangup(leg);
    await eventually(async () => (await world.session(id)).status === 'ended', 'ended');
    await eventually(() => !world.ari.bridges.has(bridge.id), 'spy bridge destroyed');
    const after = world.ari.requests.slice(mark).map((r) => `${r.method} ${r.target}`);
    expect(after).to.deep.equal([`DELETE /ari/channels/${snoop}`, `DELETE /ari/bridges/${bridge.id}`]);
    expect((await world.session(id)).endReason).to.equal('supervisor-hangup');
    // Caller and agent still talk.
    expect(world.ari.bridges.get(call.bridgeId)!.channels).to.have.members([call.callerId, call.agentLeg]);
    expect(world.ari.channels.has(call.agentLeg) && world.ari.channels.has(call.callerId)).to.equal(true);
    await world.hangUpAgent(call);
  });

  it('refuses with a reason, and audits each refusal as a failed session', async () => {
    const c = world.node.client;
    const noPerm = await world.supervisor({ staff: 'read', chanspy: 'read' }, [a3], { kind: 'external', value: '5551003' });
    const outside = await world.supervisor({ chanspy: 'read-edit' }, [], { kind: 'external', value: '5551004' });
    const noPhone = await world.supervisor({ chanspy: 'read-edit' }, [a3]);
    const reasonOf = (r: { status: number; body: unknown }) => `${r.status} ${String((r.body as ErrorBody).error.details['reason'])}`;

    // a3 has no call.
    expect(reasonOf(await c.post('/api/spy-sessions', { agentId: a3.id }, boss.token))).to.equal('409 agent-not-on-call');
    const call = await world.bridgedCall(a3);
    const mark = world.ari.requests.length;
    expect(reasonOf(await c.post('/api/spy-sessions', { agentId: a3.id }, noPerm.token))).to.equal('403 no-permission');
    // Without the permission an unknown agent gets the same answer: no telling which ids exist.
    expect(reasonOf(await c.post('/api/spy-sessions', { agentId: 987_654 }, noPerm.token))).to.equal('403 no-permission');
    // Out of scope answers as an unknown agent does; the audit row still says why.
    const outOfScope = await c.post<ErrorBody>('/api/spy-sessions', { agentId: a3.id }, outside.token);
    expect(reasonOf(outOfScope)).to.equal('404 no-agent');
    expect(outOfScope.body.error).to.deep.equal({ code: 'NOT_FOUND', message: `Agent ${a3.id} not found`, details: { reason: 'no-agent' } });
    const missing = await c.post('/api/spy-sessions', { agentId: a3.id }, noPhone.token);
    expect(reasonOf(missing)).to.equal('400 no-phone');
    expect((missing.body as ErrorBody).error.details.fields).to.deep.equal([{ field: 'phone', message: (missing.body as ErrorBody).error.message }]);
    expect(reasonOf(await c.post('/api/spy-sessions', { agentId: a3.id }, a3.token))).to.equal('409 self');
    await c.patch(`/api/agents/${a3.id}`, { chanspy: false }, world.node.adminToken);
    const notSpyable = await c.post('/api/spy-sessions', { agentId: a3.id }, boss.token);
    expect(reasonOf(notSpyable)).to.equal('403 agent-not-spyable');
    expect((notSpyable.body as ErrorBody).error.message).to.contain(a3.username);
    await c.patch(`/api/agents/${a3.id}`, { chanspy: true }, world.node.adminToken);
    expect((await c.post('/api/spy-sessions', { agentId: 999_999 }, boss.token)).status).to.equal(404);
    const bad = await c.post<ErrorBody>('/api/spy-sessions', { agentId: a3.id, mode: 'shout' }, boss.token);
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.fields!.map((f) => f.field)).to.deep.equal(['mode']);

    const rows = await world.sessionsOf(a3.id);
    expect(rows.map((r) => `${r.status}:${r.endReason}`)).to.deep.equal([
      'failed:agent-not-on-call',
      'failed:no-permission',
      'failed:out-of-scope',
      'failed:no-phone',
      'failed:self',
      'failed:agent-not-spyable',
    ]);
    expect(rows[1]).to.include({ supervisorId: noPerm.id, supervisorTarget: 'Local/5551003@tandem-outbound', entryId: call.entryId, agentChannel: call.agentLeg });
    // Nothing was asked of Asterisk for any of them.
    expect(world.ari.requests.slice(mark).map((r) => `${r.method} ${r.target}`)).to.deep.equal([]);
    // The audit is readable with chanspy read, scoped: the out-of-scope supervisor sees none of a3's.
    const listed = await c.get<View[]>(`/api/spy-sessions?agentId=${a3.id}`, noPerm.token);
    expect(listed.body).to.have.length(6);
    expect((await c.get<View[]>(`/api/spy-sessions?agentId=${a3.id}`, outside.token)).body).to.have.length(0);
    expect((await c.get(`/api/spy-sessions/${rows[0]!.id}`, outside.token)).status).to.equal(404);
    await world.hangUpAgent(call);
  });

  it('refuses a second supervisor on the same agent (409 naming the first) and a second session of the same supervisor; DELETE ends it', async () => {
    const other = await world.supervisor({ chanspy: 'read-edit' }, [a1, a2], { kind: 'external', value: '5551002' });
    const call1 = await world.bridgedCall(a1);
    const call2 = await world.bridgedCall(a2);
    const first = await world.node.client.post<View>('/api/spy-sessions', { agentId: a1.id }, boss.token);
    const id = first.body.id;
    await eventually(async () => (await world.session(id)).status === 'active', 'first active');
    const second = await world.node.client.post<ErrorBody>('/api/spy-sessions', { agentId: a1.id, mode: 'listen' }, other.token);
    expect(second.status).to.equal(409);
    expect(second.body.error.details).to.deep.include({ reason: 'agent-already-spied', sessionId: id, supervisorId: boss.id });
    expect(second.body.error.message).to.contain(boss.username);
    const busy = await world.node.client.post<ErrorBody>('/api/spy-sessions', { agentId: a2.id }, boss.token);
    expect(busy.body.error.details).to.deep.include({ reason: 'supervisor-busy', sessionId: id });
    // Only the owner (or an admin) switches or ends it.
    expect((await world.node.client.patch(`/api/spy-sessions/${id}`, { mode: 'barge' }, other.token)).status).to.equal(403);

    const active = await world.node.client.get<View[]>(`/api/spy-sessions?agentId=${a1.id}&active=true`, other.token);
    expect(active.body.map((s) => s.id)).to.deep.equal([id]);

    const spy = [...world.ari.bridges.values()].find((b) => b.name === `spy-${id}`)!;
    const ended = await world.node.client.delete<View>(`/api/spy-sessions/${id}`, boss.token);
    expect(ended.status).to.equal(200);
    expect(ended.body).to.include({ status: 'ended', endReason: 'stopped' });
    expect(world.ari.bridges.has(spy.id)).to.equal(false);
    expect(world.ari.bridges.get(call1.bridgeId)!.channels).to.have.members([call1.callerId, call1.agentLeg]);
    const again = await world.node.client.delete<ErrorBody>(`/api/spy-sessions/${id}`, boss.token);
    expect(again.status).to.equal(409);
    expect(again.body.error.details['reason']).to.equal('session-ended');
    // Free again: the other supervisor may listen now.
    const now = await world.node.client.post<View>('/api/spy-sessions', { agentId: a1.id }, other.token);
    expect(now.status).to.equal(201);
    await world.hangUpAgent(call1);
    await world.hangUpAgent(call2);
    await eventually(async () => (await world.session(now.body.id)).status === 'ended', 'ended with the call');
  });

  it("fails cleanly when the supervisor's phone does not answer, or cannot be called", async () => {
    world.ari.setDestination('5559999@tandem-outbound', 'ring');
    const call = await world.bridgedCall(a2);
    const started = await world.node.client.post<View>('/api/spy-sessions', { agentId: a2.id, phone: { kind: 'external', value: '5559999' } }, boss.token);
    expect(started.body.status).to.equal('calling');
    const id = started.body.id;
    // The peer's 30 "seconds" of ringing end with ChannelDestroyed cause 19, as captured.
    await eventually(async () => (await world.session(id)).status === 'failed', 'no answer');
    const row = await world.session(id);
    expect(row).to.include({ endReason: 'no-answer', supervisorTarget: 'Local/5559999@tandem-outbound' });
    expect(row.answeredAt).to.equal(null);
    expect(world.ari.requests.some((r) => r.target.startsWith(`/ari/channels/${call.agentLeg}/snoop`))).to.equal(false);
    expect([...world.ari.bridges.values()].filter((b) => b.name === `spy-${id}`)).to.have.length(0);

    // An extension is dialled as PJSIP/<ext>; this Asterisk has no such technology (captured: 500 Allocation failed).
    const pjsip = await world.node.client.post<View>('/api/spy-sessions', { agentId: a2.id, phone: { kind: 'extension', value: '2099' } }, boss.token);
    expect(pjsip.body).to.include({ status: 'failed', endReason: 'unreachable', supervisorTarget: 'PJSIP/2099' });

    // Clean state: the same supervisor starts again on the same agent.
    const ok = await world.node.client.post<View>('/api/spy-sessions', { agentId: a2.id }, boss.token);
    await eventually(async () => (await world.session(ok.body.id)).status === 'active', 'active after the failures');
    await world.hangUpAgent(call);
    await eventually(async () => (await world.session(ok.body.id)).status === 'ended', 'ended');
  });

  it('the call ends while the supervisor is being called: the ringing leg is cancelled, failed call-ended; a mode chosen meanwhile applies on answer', async () => {
    world.ari.setDestination('5558888@tandem-outbound', 'manual');
    const call = await world.bridgedCall(a1);
    const started = await world.node.client.post<View>('/api/spy-sessions', { agentId: a1.id, phone: { kind: 'external', value: '5558888' } }, boss.token);
    const id = started.body.id;
    const leg = legOf(id)!;
    await world.hangUpAgent(call);
    await eventually(async () => (await world.session(id)).status === 'failed', 'failed');
    expect((await world.session(id)).endReason).to.equal('call-ended');
    await eventually(() => !world.ari.channels.has(leg), 'the ringing leg hung up');
    expect(world.ari.requests.some((r) => r.method === 'DELETE' && r.target.startsWith(`/ari/channels/${leg}`))).to.equal(true);
    expect(world.ari.answerOriginated(leg)).to.equal(false);

    // Whisper chosen while ringing: on answer the first snoop is already whisper=out.
    const call2 = await world.bridgedCall(a1);
    const s2 = await world.node.client.post<View>('/api/spy-sessions', { agentId: a1.id, phone: { kind: 'external', value: '5558888' } }, boss.token);
    const leg2 = legOf(s2.body.id)!;
    const patched = await world.node.client.patch<View>(`/api/spy-sessions/${s2.body.id}`, { mode: 'whisper' }, boss.token);
    expect(patched.body).to.include({ status: 'calling', mode: 'whisper' });
    await eventually(() => world.ari.answerOriginated(leg2), 'the supervisor answers');
    await eventually(async () => (await world.session(s2.body.id)).status === 'active', 'active');
    await eventually(() => world.ari.requests.some((r) => r.target.startsWith(`/ari/channels/${call2.agentLeg}/snoop`)), 'snoop');
    expect(world.ari.requests.filter((r) => r.target.startsWith(`/ari/channels/${call2.agentLeg}/snoop`)).map((r) => new URL(r.target, 'http://x').searchParams.get('whisper'))).to.deep.equal(['out']);
    await world.hangUpAgent(call2);
    await eventually(async () => (await world.session(s2.body.id)).status === 'ended', 'ended');
  });

  it('hangs up a supervisor leg that enters Stasis for a session it does not know (ended, or from before a restart)', async () => {
    const stray = world.ari.enterStasis('tandem', ['spy', '424242']);
    await eventually(() => !world.ari.channels.has(stray.id), 'the stray leg hung up');
    expect(world.ari.requests.some((r) => r.method === 'DELETE' && r.target.startsWith(`/ari/channels/${stray.id}`))).to.equal(true);
    // Never sent back to the dialplan as an unclaimed channel would be.
    expect(world.ari.requests.some((r) => r.target.startsWith(`/ari/channels/${stray.id}/continue`))).to.equal(false);
  });

  it('after a reconnect, hangs up a supervisor leg left from before a restart and closes its audit row', async () => {
    // A session of Tandem's previous life: its row says active, its supervisor leg is still in the app.
    const db = world.node.tandem.database.db;
    const [orphan] = await db
      .insert(spySessions)
      .values({ supervisorId: boss.id, agentId: a3.id, origin: 'board', supervisorTarget: 'Local/5551001@tandem-outbound', status: 'active', mode: 'listen', answeredAt: new Date() })
      .returning();
    // The leg entered Stasis while Tandem was not connected: Asterisk does not replay the StasisStart,
    // only the resync after the reconnect shows the channel in the application.
    world.ari.dropWebSockets();
    const leg = world.ari.enterStasis('tandem', ['spy', String(orphan!.id)]);
    await eventually(() => !world.ari.channels.has(leg.id), 'the left-over leg hung up');
    await eventually(async () => (await world.session(orphan!.id)).status === 'ended', 'the orphan row closed');
    const row = await world.session(orphan!.id);
    expect(row.endReason).to.equal('tandem-restarted');
    expect(row.endedAt).to.not.equal(null);
  });

  it('ends live sessions and hangs up the supervisor when Tandem stops', async () => {
    const call = await world.bridgedCall(a2);
    const started = await world.node.client.post<View>('/api/spy-sessions', { agentId: a2.id }, boss.token);
    await eventually(async () => (await world.session(started.body.id)).status === 'active', 'active');
    const leg = legOf(started.body.id)!;
    await world.node.tandem.services.spy!.close();
    expect((await world.session(started.body.id)).endReason).to.equal('tandem-stopped');
    expect(world.ari.channels.has(leg)).to.equal(false);
    expect(world.ari.channels.has(call.agentLeg)).to.equal(true);
    const refused = await world.node.client.post<ErrorBody>('/api/spy-sessions', { agentId: a2.id }, boss.token);
    expect(refused.status).to.equal(503);
    expect(refused.body.error.code).to.equal('VOICE_UNAVAILABLE');
    expect(refused.body.error.details['reason']).to.equal('voice-unavailable');
  });
});

describe('the supervisor phone of /api/me/phone', function () {
  const world = new SpyWorld();
  before(async () => world.start(0));
  after(async () => world.stop());

  it('saves, validates, refuses an extension already taken, and clears', async () => {
    const s1 = await world.supervisor({ chanspy: 'read-edit' }, []);
    const s2 = await world.supervisor({ chanspy: 'read-edit' }, []);
    const c = world.node.client;
    expect((await c.get('/api/me/phone', s1.token)).body).to.deep.equal({ phone: null });
    expect((await c.patch('/api/me/phone', { phone: { kind: 'extension', value: '2001' } }, s1.token)).body).to.deep.equal({ phone: { kind: 'extension', value: '2001' } });
    expect((await c.get('/api/me/phone', s1.token)).body).to.deep.equal({ phone: { kind: 'extension', value: '2001' } });
    const taken = await c.patch<ErrorBody>('/api/me/phone', { phone: { kind: 'extension', value: '2001' } }, s2.token);
    expect(taken.status).to.equal(409);
    const bad = await c.patch<ErrorBody>('/api/me/phone', { phone: { kind: 'external', value: 'call me' } }, s2.token);
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.fields![0]!.field).to.equal('phone.value');
    expect((await c.patch('/api/me/phone', { phone: null }, s1.token)).body).to.deep.equal({ phone: null });
    expect((await c.patch('/api/me/phone', { phone: { kind: 'extension', value: '2001' } }, s2.token)).status).to.equal(200);
  });
});
