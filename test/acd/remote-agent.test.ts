// A remote agent on any phone: the shipped example project flows/examples/remote-agent.json, called
// through the Asterisk AGI peer (test/fixtures/asterisk/agi-*.txt formats), logs the agent in
// by extension + PIN typed on the keypad, then pauses; a wrong PIN counts towards the lockout.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { agentBody, startTestNode, type TestNode } from '../support/tandem.ts';
import { AsteriskAgiPeer } from '../peers/asterisk-agi.ts';

const example = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../flows/examples/remote-agent.json'), 'utf8')) as Record<string, unknown>;

interface Presence {
  loggedIn: boolean;
  device: string | null;
  dialTarget: string | null;
  channels: { channel: string; paused: boolean; pauseReason: string | null }[];
}

describe('remote agents from any phone', function () {
  let node: TestNode;
  let agentId: number;
  let extension: string;
  before(async () => {
    node = await startTestNode('postgres');
    const t = node.adminToken;
    const a = await node.client.post<{ id: number; extension: string; hasPhonePin: boolean }>('/api/agents', agentBody({ pin: '4321' }), t);
    expect(a.body.hasPhonePin).to.equal(true);
    agentId = a.body.id;
    extension = a.body.extension;
    const p = await node.client.post<{ id: string }>('/api/ivr/projects', { name: 'Agent line', channel: 'voice', project: example }, t);
    expect(p.status, p.text).to.equal(201);
    expect((await node.client.post(`/api/ivr/projects/${p.body.id}/publish`, {}, t)).status).to.equal(201);
    expect((await node.client.post('/api/voice/routes', { kind: 'inbound', name: 'Agents', pattern: '_8000', projectId: p.body.id }, t)).status).to.equal(201);
  });
  after(async () => node?.stop());

  const call = (dtmf: string) =>
    AsteriskAgiPeer.connect({ port: node.tandem.fastagi!.port, script: 'inbound', args: ['8000', '3471234567'], model: { dtmf, callerIdNumber: '3471234567' } });
  const presence = () => node.client.get<Presence>(`/api/agents/${agentId}/presence`, node.adminToken).then((r) => r.body);

  it('logs in with extension and PIN, to be called back on the calling number, then pauses with the reason', async () => {
    // extension#, PIN#, 1 = pause, 9 = exit
    const peer = await call(`${extension}#4321#19`);
    await peer.done;
    const p = await presence();
    expect(p).to.include({ loggedIn: true, device: 'phone', dialTarget: 'Local/3471234567@tandem-outbound' });
    expect(p.channels.find((c) => c.channel === 'voice')).to.include({ paused: true, pauseReason: 'Remote break' });
    const history = await node.client.get<{ state: string; reason: string | null }[]>(`/api/agents/${agentId}/state-history`, node.adminToken);
    expect(history.body.map((h) => h.state)).to.include.members(['login', 'pause']);
  });

  it('unpauses and logs out from the phone', async () => {
    const peer = await call(`${extension}#4321#23`);
    await peer.done;
    const p = await presence();
    expect(p.loggedIn).to.equal(false);
    expect(p.channels.find((c) => c.channel === 'voice')!.paused).to.equal(false);
  });

  it('refuses a wrong PIN, and the failures count towards the account lockout', async () => {
    await node.client.patch('/api/settings', { maxFailedLogins: 3 }, node.adminToken);
    // Three wrong PINs in one call (the project allows three attempts).
    const peer = await call(`${extension}#0000#${extension}#1111#${extension}#2222#`);
    await peer.done;
    expect((await presence()).loggedIn).to.equal(false);
    const agent = await node.client.get<{ locked: boolean }>(`/api/agents/${agentId}`, node.adminToken);
    expect(agent.body.locked).to.equal(true);
    // Even the right PIN is refused while locked.
    const again = await call(`${extension}#4321#9`);
    await again.done;
    expect((await presence()).loggedIn).to.equal(false);
  });
});
