// Feature codes: the pure matcher, the settings' checks of the group (shape, clashes, the old
// spyFeatureCode key as an alias), and the dispatch of a dialled code on a real node whose FastAGI
// server is reached by the AGI peer (agi-session.txt format), judged by the AGI commands Tandem
// sends and by the agent's presence. The same codes on a real Asterisk: test/integration/feature-codes.test.ts.
import { expect } from 'chai';
import { DEFAULT_FEATURE_CODES, featureCodesSchema, type FeatureCodes } from '../../contracts/feature-codes.ts';
import { matchFeatureCode } from '../../server/voice/feature-codes/match.ts';
import { settings as settingsTable } from '../../server/db/schema.ts';
import { readSettings } from '../../server/settings/settings.ts';
import { AsteriskAgiPeer } from '../peers/asterisk-agi.ts';
import { startTestNode, type TestNode } from '../support/tandem.ts';
import { agent, logIn } from '../support/world.ts';

interface Problem {
  error: { code: string; details: { fields: { field: string; message: string }[] } };
}

describe('feature codes: matching a dialled number', () => {
  const codes = DEFAULT_FEATURE_CODES;

  it('matches exact codes alone, and the codes taking an extension with one', () => {
    expect(matchFeatureCode('*47', codes)).to.deep.equal({ feature: 'agentPause', code: '*47' });
    expect(matchFeatureCode('*45', codes)).to.deep.equal({ feature: 'agentLogin', code: '*45' });
    expect(matchFeatureCode('*2221001', codes)).to.deep.equal({ feature: 'spy', code: '*222', extension: '1001' });
    expect(matchFeatureCode('*81001', codes)).to.deep.equal({ feature: 'pickup', code: '*8', extension: '1001' });
  });

  it('leaves anything else to the routes: extra digits, a missing extension, other numbers, in-call codes', () => {
    for (const dialled of ['*471', '*8', '*222', '*99', '1001', '#1', '*0', '*2', '*8100#', '']) expect(matchFeatureCode(dialled, codes), dialled).to.equal(undefined);
  });

  it('follows the codes it is given, # codes included', () => {
    const mine = { ...codes, agentPause: '#5', pickup: '#88' };
    expect(matchFeatureCode('#5', mine)).to.deep.equal({ feature: 'agentPause', code: '#5' });
    expect(matchFeatureCode('#882001', mine)).to.deep.equal({ feature: 'pickup', code: '#88', extension: '2001' });
    expect(matchFeatureCode('*47', mine)).to.equal(undefined);
  });
});

describe('feature codes: the settings group', () => {
  const problems = (codes: Partial<FeatureCodes>) => {
    const r = featureCodesSchema.safeParse({ ...DEFAULT_FEATURE_CODES, ...codes });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts the defaults, and * or # with 1 to 6 digits', () => {
    expect(problems({})).to.deep.equal([]);
    expect(problems({ agentLogin: '#1', agentLogout: '*123456' })).to.deep.equal([]);
  });

  it('refuses other shapes', () => {
    for (const bad of ['45', '*', '*1234567', '**1', '*4a', ' *45', '+45']) expect(problems({ agentLogin: bad }), bad).to.have.length(1);
  });

  it('refuses equal codes and a code that is the beginning of another, naming the later feature', () => {
    expect(problems({ agentLogout: '*45' })).to.deep.equal(['agentLogout: same code as agentLogin']);
    expect(problems({ pickup: '*22' })).to.deep.equal(['pickup: is the beginning of the code of spy (*222)']);
    expect(problems({ agentPause: '*2229' })).to.deep.equal(['agentPause: starts with the code of spy (*222)']);
    expect(problems({ disconnect: '#1' })).to.deep.equal(['disconnect: same code as blindTransfer']);
  });

  it('compares dialled codes and in-call codes within their own kind only', () => {
    // *2 (attended transfer, keyed in a call) and *222 (dialled from an idle phone) never meet.
    expect(DEFAULT_FEATURE_CODES.attendedTransfer).to.equal('*2');
    expect(problems({ blindTransfer: '*45' })).to.deep.equal([]);
  });
});

describe('feature codes: settings API and dispatch from a phone', function () {
  this.timeout(60_000);
  let node: TestNode;

  before(async () => {
    node = await startTestNode('postgres');
  });
  after(async () => node?.stop());

  const settings = () => node.client.get<{ featureCodes: FeatureCodes; spyFeatureCode: string }>('/api/settings', node.adminToken);
  const patch = (body: Record<string, unknown>) => node.client.patch<Problem & { featureCodes: FeatureCodes; spyFeatureCode: string }>('/api/settings', body, node.adminToken);

  it('reads the defaults, saves a partial group, and names the clashing field', async () => {
    expect((await settings()).body.featureCodes).to.deep.equal(DEFAULT_FEATURE_CODES);
    const saved = await patch({ featureCodes: { agentPause: '*71', agentUnpause: '*72' } });
    expect(saved.status, saved.text).to.equal(200);
    expect(saved.body.featureCodes).to.deep.equal({ ...DEFAULT_FEATURE_CODES, agentPause: '*71', agentUnpause: '*72' });
    const clash = await patch({ featureCodes: { pickup: '*7' } });
    expect(clash.status).to.equal(400);
    expect(clash.body.error.details.fields).to.deep.equal([
      { field: 'featureCodes.pickup', message: 'is the beginning of the code of agentPause (*71)' },
      { field: 'featureCodes.pickup', message: 'is the beginning of the code of agentUnpause (*72)' },
    ]);
    const shape = await patch({ featureCodes: { pickup: '8' } });
    expect(shape.body.error.details.fields.map((f) => f.field)).to.deep.equal(['featureCodes.pickup']);
    const unknown = await patch({ featureCodes: { parking: '*70' } });
    expect(unknown.status).to.equal(400);
    expect((await settings()).body.featureCodes.pickup).to.equal('*8');
    await patch({ featureCodes: DEFAULT_FEATURE_CODES });
  });

  it('keeps spyFeatureCode as an alias of featureCodes.spy, both ways, and carries an old stored value over', async () => {
    const viaAlias = await patch({ spyFeatureCode: '*77' });
    expect(viaAlias.status, viaAlias.text).to.equal(200);
    expect(viaAlias.body.featureCodes.spy).to.equal('*77');
    expect(viaAlias.body.spyFeatureCode).to.equal('*77');
    // Reported on the field that changed, though spy comes first.
    const clash = await patch({ spyFeatureCode: '*4' });
    expect(clash.body.error.details.fields).to.deep.include({ field: 'spyFeatureCode', message: 'is the beginning of the code of agentLogin (*45)' });
    expect(clash.body.error.details.fields.every((f) => f.field === 'spyFeatureCode')).to.equal(true);
    const differ = await patch({ spyFeatureCode: '*77', featureCodes: { spy: '*78' } });
    expect(differ.body.error.details.fields.map((f) => f.field)).to.deep.equal(['spyFeatureCode']);
    // A database of an older release: only the old key is stored.
    const db = node.tandem.database.db;
    await db.delete(settingsTable);
    await db.insert(settingsTable).values({ key: 'spyFeatureCode', value: '*99' });
    expect((await readSettings(db)).featureCodes).to.deep.equal({ ...DEFAULT_FEATURE_CODES, spy: '*99' });
    const saved = await patch({ featureCodes: { pickup: '*6' } });
    expect(saved.body.featureCodes).to.deep.equal({ ...DEFAULT_FEATURE_CODES, spy: '*99', pickup: '*6' });
    await db.delete(settingsTable);
  });

  it('refuses a supervisor without the settings edit permission', async () => {
    const created = await node.client.post<{ id: number }>('/api/users', { username: 'fc_reader', fullName: 'Settings reader', password: 'Reader-Passw0rd!', role: 'supervisor', permissions: { settings: 'read' } }, node.adminToken);
    expect(created.status, created.text).to.equal(201);
    const token = await node.client.login('fc_reader', 'Reader-Passw0rd!');
    expect((await node.client.get('/api/settings', token)).status).to.equal(200);
    expect((await node.client.patch('/api/settings', { featureCodes: { pickup: '*6' } }, token)).status).to.equal(403);
  });

  /** A call from PJSIP/<endpoint> dialling `number` into tandem-internal; the caller id says something else. */
  async function dial(endpoint: string, number: string, model: Record<string, unknown> = {}) {
    const peer = await AsteriskAgiPeer.connect({
      port: node.tandem.fastagi!.port,
      script: 'internal',
      args: [number, '9999'],
      env: { agi_channel: `PJSIP/${endpoint}-0000002a`, agi_uniqueid: `1795400000.${Math.floor(Math.random() * 1e6)}`, agi_callerid: '9999', agi_extension: number, agi_context: 'tandem-internal' },
      model,
    });
    await peer.done;
    return peer.commands;
  }
  const CONFIRMED = ['ANSWER', 'STREAM FILE beep ""', 'HANGUP'];
  const REFUSED = ['ANSWER', 'STREAM FILE beeperr ""', 'HANGUP'];

  it('logs in, pauses, unpauses and logs out the agent of the calling endpoint, with a tone each time', async () => {
    const a = await agent(node, { extension: '3101' });
    const presence = async () =>
      (await node.client.get<{ loggedIn: boolean; device: string | null; dialTarget: string | null; channels: { paused: boolean; pauseReason: string | null }[] }>(`/api/agents/${a.id}/presence`, node.adminToken)).body;
    // Not logged in yet: pausing is refused.
    expect(await dial('3101', '*47')).to.deep.include.members(REFUSED);
    expect(await dial('3101', '*45')).to.deep.include.members(CONFIRMED);
    expect(await presence()).to.include({ loggedIn: true, device: 'phone', dialTarget: 'PJSIP/3101' });
    await dial('3101', '*47');
    expect((await presence()).channels.every((c) => c.paused && c.pauseReason === 'phone')).to.equal(true);
    await dial('3101', '*48');
    expect((await presence()).channels.some((c) => c.paused)).to.equal(false);
    expect(await dial('3101', '*46')).to.deep.include.members(CONFIRMED);
    expect((await presence()).loggedIn).to.equal(false);
    expect(await dial('3101', '*46')).to.deep.include.members(REFUSED);
  });

  it('never trusts the caller id: a phone that is no agent is refused, whatever number it claims', async () => {
    const a = await agent(node, { extension: '3102' });
    await logIn(node.client, a);
    const peer = await AsteriskAgiPeer.connect({
      port: node.tandem.fastagi!.port,
      script: 'internal',
      args: ['*47', '3102'],
      env: { agi_channel: 'PJSIP/lobby-0000002b', agi_uniqueid: '1795400000.77', agi_callerid: '3102', agi_extension: '*47', agi_context: 'tandem-internal' },
    });
    await peer.done;
    expect(peer.commands).to.deep.include.members(REFUSED);
    const p = (await node.client.get<{ channels: { paused: boolean }[] }>(`/api/agents/${a.id}/presence`, node.adminToken)).body;
    expect(p.channels.some((c) => c.paused)).to.equal(false);
  });

  it('picks up with PickupChan on the extension’s phone, and answers an error tone when nothing rings there', async () => {
    const commands = await dial('3103', '*81001', { applications: ['PickupChan'] });
    expect(commands[0]).to.equal('EXEC PickupChan PJSIP/1001');
    // The model has nothing ringing: the application returns and the channel is still here.
    expect(commands.slice(1)).to.deep.include.members(REFUSED);
  });

  it('sets the in-call codes on both sides of the Dial Tandem runs for an outbound call', async () => {
    await patch({ featureCodes: { blindTransfer: '#1', attendedTransfer: '#2', disconnect: '#3' } });
    const trunk = await node.client.post<{ id: number }>('/api/voice/trunks', { name: 'fc-trunk', endpoint: 'fc-trunk' }, node.adminToken);
    expect(trunk.status, trunk.text).to.equal(201);
    const route = await node.client.post('/api/voice/routes', { kind: 'outbound', name: 'fc out', pattern: '_0X.', trunkId: trunk.body.id }, node.adminToken);
    expect(route.status, route.text).to.equal(201);
    const peer = await AsteriskAgiPeer.connect({
      port: node.tandem.fastagi!.port,
      script: 'outbound',
      args: ['0612345678', '3104'],
      env: { agi_channel: 'PJSIP/3104-0000002c', agi_uniqueid: '1795400000.78', agi_callerid: '3104', agi_extension: '0612345678', agi_context: 'tandem-internal' },
    });
    await peer.done;
    const dialAt = peer.commands.findIndex((c) => c.startsWith('EXEC Dial'));
    expect(peer.commands.slice(0, dialAt)).to.include.members([
      'SET VARIABLE FEATUREMAP(blindxfer) "#1"',
      'SET VARIABLE __TANDEM_BLINDXFER "#1"',
      'SET VARIABLE FEATUREMAP(atxfer) "#2"',
      'SET VARIABLE FEATUREMAP(disconnect) "#3"',
      'SET VARIABLE __TANDEM_DISCONNECT "#3"',
    ]);
    expect(peer.commands[dialAt]).to.equal('EXEC Dial "PJSIP/0612345678@fc-trunk,60,THb(tandem-in-call-codes^s^1)"');
    await patch({ featureCodes: DEFAULT_FEATURE_CODES });
  });
});
