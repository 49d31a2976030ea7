// GET /api/health reports the FastAGI listener beside AMI and ARI: where it listens while it does (an
// AGI connection to that port is accepted), an alarm and 'degraded' once it stops, and 'disabled'
// when the node runs without it. The fields that were there before stay.
import net from 'node:net';
import { expect } from 'chai';
import { startTestNode, type TestNode } from '../support/tandem.ts';

interface Health {
  status: string;
  asterisk: { ami: string; ari: string };
  fastagi: { state: string; host?: string; port?: number; openCalls?: number };
  alarms: string[];
  database: { state: string };
}

/** Whether a TCP connection to the port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('health: the FastAGI listener', function () {
  this.timeout(60_000);
  let node: TestNode | undefined;
  afterEach(async () => {
    await node?.stop();
    node = undefined;
  });

  it('says where FastAGI listens, and raises an alarm once it stops', async () => {
    node = await startTestNode('postgres');
    const up = (await node.client.get<Health>('/api/health')).body;
    expect(up.fastagi.state).to.equal('listening');
    expect(up.fastagi.port).to.equal(node.tandem.fastagi?.port);
    expect(up.fastagi.openCalls).to.equal(0);
    expect(await accepts(up.fastagi.host!, up.fastagi.port!)).to.equal(true);
    expect(up.status).to.equal('ok');
    expect(up.alarms).to.deep.equal([]);
    expect(up.asterisk).to.deep.equal({ ami: 'not configured', ari: 'not configured' });
    expect(up.database.state).to.equal('up');

    await node.tandem.services.fastagi!.close();
    const down = await node.client.get<Health>('/api/health');
    expect(down.status).to.equal(200);
    expect(down.body.fastagi).to.deep.equal({ state: 'not listening' });
    expect(down.body.status).to.equal('degraded');
    expect(down.body.alarms.some((a) => a.includes('FastAGI'))).to.equal(true);
    expect(await accepts(up.fastagi.host!, up.fastagi.port!)).to.equal(false);
  });

  it("says 'disabled', with no alarm, when the node runs without FastAGI", async () => {
    node = await startTestNode('postgres', { FASTAGI_ENABLED: 'false' });
    const health = (await node.client.get<Health>('/api/health')).body;
    expect(health.fastagi).to.deep.equal({ state: 'disabled' });
    expect(health.status).to.equal('ok');
    expect(health.alarms).to.deep.equal([]);
  });
});
