// Agent presence from AMI device states (DeviceStateChange, shaped as in
// test/fixtures/asterisk/ami-session.txt): an unregistered phone gets no voice offer; when it
// registers again, the waiting call is offered to it.
import { expect } from 'chai';
import { agentBody, startTestNode, type TestNode } from '../support/tandem.ts';
import { AmiPeer } from '../peers/asterisk-ami.ts';

const deviceState = (device: string, state: string) => ['Event: DeviceStateChange', 'Privilege: call,all', `Device: ${device}`, `State: ${state}`];

describe('agent presence from device states', function () {
  let ami: AmiPeer;
  let node: TestNode;
  before(async () => {
    ami = new AmiPeer();
    await ami.start();
    node = await startTestNode('postgres', { AMI_URL: `tcp://probe:probe-secret@127.0.0.1:${ami.port}` }, { acdTickMs: 50 });
  });
  after(async () => {
    await node?.stop();
    await ami?.stop();
  });

  it('skips an unreachable phone and offers once it is registered again', async () => {
    const t = node.adminToken;
    const body = agentBody();
    const a = await node.client.post<{ id: number }>('/api/agents', body, t);
    const token = await node.client.login(String(body.username), String(body.password));
    const q = await node.client.post<{ id: number }>('/api/queues', { name: 'phones', channel: 'voice', retrySec: 0 }, t);
    await node.client.post(`/api/queues/${q.body.id}/agents`, { agentId: a.body.id }, t);
    await node.client.post('/api/me/login', { device: 'phonebar', dialTarget: 'PJSIP/7001' }, token);
    ami.pushEvents([deviceState('PJSIP/7001', 'UNAVAILABLE')]);
    await new Promise((r) => setTimeout(r, 100));

    const entry = await node.client.post<{ id: number }>(`/api/queues/${q.body.id}/entries`, { interactionRef: 'call-1' }, t);
    let decisions: { considered: { reason?: string }[] }[] = [];
    for (let i = 0; i < 100 && decisions.length === 0; i++) {
      decisions = (await node.client.get<typeof decisions>(`/api/queue-entries/${entry.body.id}/decisions`, t)).body;
      if (decisions.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(decisions[0]!.considered[0]!.reason).to.equal('unreachable');
    expect((await node.client.get<unknown[]>('/api/me/offers', token)).body).to.deep.equal([]);

    ami.pushEvents([deviceState('PJSIP/7001', 'NOT_INUSE')]);
    let offers: { entryId: number }[] = [];
    for (let i = 0; i < 200 && offers.length === 0; i++) {
      offers = (await node.client.get<typeof offers>('/api/me/offers', token)).body;
      if (offers.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(offers.map((o) => o.entryId)).to.deep.equal([entry.body.id]);
  });
});
