// A Tandem node against the AMI and ARI test peers (built from test/fixtures/asterisk/ami-*.txt,
// ari-*.txt): it connects at start, reports both in /api/health, starts even when Asterisk is down,
// and never strands a channel in its Stasis application.
import { expect } from 'chai';
import { startTestNode, type TestNode } from '../support/tandem.ts';
import { AmiPeer } from '../peers/asterisk-ami.ts';
import { AriPeer } from '../peers/asterisk-ari.ts';
import { parseCredentialUrl } from '../../server/voice/connections.ts';
import { eventually } from '../support/eventually.ts';

describe('Asterisk connections of a node', function () {
  let ami: AmiPeer;
  let ari: AriPeer;
  let node: TestNode | undefined;
  beforeEach(async () => {
    ami = new AmiPeer();
    await ami.start();
    ari = new AriPeer({ username: 'tandem', password: 'p@ss:word' });
    await ari.start();
  });
  afterEach(async () => {
    await node?.stop();
    node = undefined;
    await ami.stop();
    await ari.stop();
  });

  it('connects to AMI and ARI at start and shows them in health', async () => {
    node = await startTestNode('postgres', {
      AMI_URL: `tcp://probe:probe-secret@127.0.0.1:${ami.port}`,
      ARI_URL: `http://tandem:${encodeURIComponent('p@ss:word')}@127.0.0.1:${ari.port}`,
    });
    const health = await node.client.get<{ asterisk: { ami: string; ari: string } }>('/api/health');
    expect(health.body.asterisk).to.deep.equal({ ami: 'up', ari: 'up' });
    expect(ari.apps.has('tandem')).to.equal(true);
  });

  it('starts while Asterisk is down, and connects when it comes up', async () => {
    const port = ari.port;
    await ari.goDown();
    node = await startTestNode('postgres', { ARI_URL: `http://tandem:${encodeURIComponent('p@ss:word')}@127.0.0.1:${port}` });
    const down = await node.client.get<{ asterisk: { ari: string } }>('/api/health');
    expect(down.body.asterisk.ari).to.be.oneOf(['reconnecting', 'connecting']);
    await ari.goUp();
    let state = '';
    await eventually(() => {
      void node!.client.get<{ asterisk: { ari: string } }>('/api/health').then((r) => (state = r.body.asterisk.ari));
      return state === 'up';
    }, 'ARI up');
  });

  it('sends a channel found in the Stasis app at start back to the dialplan with TANDEM_STATUS=RECOVERED', async () => {
    // A call Tandem was holding when it stopped: still in the application when it comes back.
    const stranded = ari.enterStasis('tandem', ['queue', '42']);
    node = await startTestNode('postgres', { ARI_URL: `http://tandem:${encodeURIComponent('p@ss:word')}@127.0.0.1:${ari.port}` });
    await eventually(() => ari.requests.some((r) => r.method === 'POST' && r.target.startsWith(`/ari/channels/${stranded.id}/continue`)), 'continue');
    const setVar = ari.requests.find((r) => r.target.startsWith(`/ari/channels/${stranded.id}/variable`));
    expect(setVar?.target).to.contain('variable=TANDEM_STATUS').and.to.contain('value=RECOVERED');
  });

  it('sends an unclaimed StasisStart back to the dialplan too', async () => {
    node = await startTestNode('postgres', { ARI_URL: `http://tandem:${encodeURIComponent('p@ss:word')}@127.0.0.1:${ari.port}` });
    const ch = ari.enterStasis('tandem', ['nobody-handles-this']);
    await eventually(() => ari.requests.some((r) => r.target.startsWith(`/ari/channels/${ch.id}/continue`)), 'continue');
  });

  it('reads credentials from the URLs, decoding them', () => {
    expect(parseCredentialUrl('tcp://tandem:s%40cret@10.0.0.5', 5038)).to.include({ host: '10.0.0.5', port: 5038, username: 'tandem', secret: 's@cret' });
    expect(() => parseCredentialUrl('http://10.0.0.5:8088', 8088)).to.throw(/user name/);
  });
});
