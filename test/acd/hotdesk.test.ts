// Hot-desking (XCALLY's hot-desk rules): an external agent with hot-desk enabled
// picks, at login, a telephone that is registered in Asterisk (AMI device states, shaped as in
// test/fixtures/asterisk/ami-session.txt) and not used by another agent; offers then ring it.
import { expect } from 'chai';
import { startTestNode, type ErrorBody, type TestNode } from '../support/tandem.ts';
import { AmiPeer } from '../peers/asterisk-ami.ts';
import { eventually } from '../support/eventually.ts';
import { agent as newAgent } from '../support/world.ts';

const deviceState = (device: string, state: string) => ['Event: DeviceStateChange', 'Privilege: call,all', `Device: ${device}`, `State: ${state}`];
interface Choices {
  phones: { name: string }[];
  noneRegistered: boolean;
  excluded: { phoneId: number; reason: string }[];
}

describe('hot-desking', function () {
  let ami: AmiPeer;
  let node: TestNode;
  const agents: { id: number; token: string }[] = [];
  before(async () => {
    ami = new AmiPeer();
    await ami.start();
    node = await startTestNode('postgres', { AMI_URL: `tcp://probe:probe-secret@127.0.0.1:${ami.port}` });
    const t = node.adminToken;
    for (const name of ['desk-1', 'desk-2', 'desk-3']) expect((await node.client.post('/api/phones', { name }, t)).status).to.equal(201);
    for (let i = 0; i < 2; i++) agents.push(await newAgent(node, { typology: 'external', hotdesk: true }));
  });
  after(async () => {
    await node?.stop();
    await ami?.stop();
  });

  const choices = (token: string) => node.client.get<Choices>('/api/me/hotdesk-phones', token).then((r) => r.body);

  it('lists every telephone while none is registered', async () => {
    const c = await choices(agents[0]!.token);
    expect(c.noneRegistered).to.equal(true);
    expect(c.phones.map((p) => p.name)).to.deep.equal(['desk-1', 'desk-2', 'desk-3']);
  });

  it('lists registered phones not used by another agent; the pick becomes where offers ring', async () => {
    ami.pushEvents([deviceState('PJSIP/desk-1', 'NOT_INUSE'), deviceState('PJSIP/desk-2', 'NOT_INUSE'), deviceState('PJSIP/desk-3', 'UNAVAILABLE')]);
    // The three device states arrive in order: once desk-3's is in, all are.
    const first = await eventually(() => choices(agents[0]!.token), (c) => c.excluded.some((e) => e.reason === 'not-registered'), 'the device states to arrive');
    expect(first.noneRegistered).to.equal(false);
    expect(first.phones.map((p) => p.name)).to.deep.equal(['desk-1', 'desk-2']);
    expect(first.excluded.map((e) => e.reason)).to.deep.equal(['not-registered']);

    const missing = await node.client.post<ErrorBody>('/api/me/login', { device: 'external' }, agents[0]!.token);
    expect(missing.status).to.equal(400);
    expect(missing.body.error.details.fields![0]!.field).to.equal('hotdeskPhone');
    const unregistered = await node.client.post<ErrorBody>('/api/me/login', { device: 'external', hotdeskPhone: 'desk-3' }, agents[0]!.token);
    expect(unregistered.status).to.equal(409);

    const login = await node.client.post<{ dialTarget: string }>('/api/me/login', { device: 'external', hotdeskPhone: 'desk-1' }, agents[0]!.token);
    expect(login.status, login.text).to.equal(200);
    expect(login.body.dialTarget).to.equal('PJSIP/desk-1');

    const second = await choices(agents[1]!.token);
    expect(second.phones.map((p) => p.name)).to.deep.equal(['desk-2']);
    expect(second.excluded.map((e) => e.reason).sort()).to.deep.equal(['not-registered', 'used-by-another-agent']);
    const taken = await node.client.post<ErrorBody>('/api/me/login', { device: 'external', hotdeskPhone: 'desk-1' }, agents[1]!.token);
    expect(taken.status).to.equal(409);
  });

  it('frees the phone at logout', async () => {
    await node.client.post('/api/me/logout', {}, agents[0]!.token);
    const c = await choices(agents[1]!.token);
    expect(c.phones.map((p) => p.name)).to.deep.equal(['desk-1', 'desk-2']);
  });

  it('refuses a telephone to an agent without hot-desking', async () => {
    const { token } = await newAgent(node);
    const r = await node.client.post<ErrorBody>('/api/me/login', { device: 'web', hotdeskPhone: 'desk-2' }, token);
    expect(r.status).to.equal(400);
    expect((await node.client.get<ErrorBody>('/api/me/hotdesk-phones', token)).status).to.equal(409);
  });
});
