// Agent presence from AMI device states (DeviceStateChange, shaped as in
// test/fixtures/asterisk/ami-session.txt): an unregistered phone gets no voice offer; when it
// registers again, the waiting call is offered to it.
import { expect } from 'chai';
import { startTestNode, type TestNode } from '../support/tandem.ts';
import { AmiPeer } from '../peers/asterisk-ami.ts';
import { eventually } from '../support/eventually.ts';
import { loggedInAgent, queue as newQueue } from '../support/world.ts';

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
    const { id: agentId, token } = await loggedInAgent(node, {}, { device: 'phonebar', dialTarget: 'PJSIP/7001' });
    const q = await newQueue(node, { name: 'phones', channel: 'voice', retrySec: 0 }, [agentId]);
    ami.pushEvents([deviceState('PJSIP/7001', 'UNAVAILABLE')]);
    await eventually(() => node.tandem.services.devices?.get('PJSIP/7001') === 'UNAVAILABLE', 'the node to see the phone unregistered');

    const entry = await node.client.post<{ id: number }>(`/api/queues/${q}/entries`, { interactionRef: 'call-1' }, t);
    const decisions = await eventually(
      async () => (await node.client.get<{ considered: { reason?: string }[] }[]>(`/api/queue-entries/${entry.body.id}/decisions`, t)).body,
      (d) => d.length > 0,
      'a routing decision',
    );
    expect(decisions[0]!.considered[0]!.reason).to.equal('unreachable');
    expect((await node.client.get<unknown[]>('/api/me/offers', token)).body).to.deep.equal([]);

    ami.pushEvents([deviceState('PJSIP/7001', 'NOT_INUSE')]);
    const offers = await eventually(async () => (await node.client.get<{ entryId: number }[]>('/api/me/offers', token)).body, (o) => o.length > 0, 'an offer once the phone is reachable');
    expect(offers.map((o) => o.entryId)).to.deep.equal([entry.body.id]);
  });
});
