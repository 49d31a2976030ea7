// Whole calls: the Asterisk AGI peer (built from test/fixtures/asterisk/agi-*.txt) dials in
// through Tandem's FastAGI server; Tandem matches the inbound route, runs the published IVR project
// with real AGI commands and writes the call record.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { desc } from 'drizzle-orm';
import { calls } from '../../server/db/schema.ts';
import { startTestNode, type TestNode } from '../support/tandem.ts';
import { AsteriskAgiPeer } from '../peers/asterisk-agi.ts';
import { eventually } from '../support/eventually.ts';

interface CallRow {
  outcome: string | null;
  reason: string | null;
  did: string;
  callerNumber: string;
  projectVersion: number | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  trace: { blockId: string; exit: string | null }[];
  direction: string;
}

const menuProject = (httpUrl = 'http://127.0.0.1:9/never') => ({
  schemaVersion: 2,
  id: 'x',
  name: 'Main line',
  channel: 'voice',
  entry: 'start',
  variables: { RESULT: { default: '' } },
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'menu' } },
    menu: {
      type: 'Menu',
      params: { prompts: ['beep'], choices: ['1', '2', '3'], timeoutSec: 2, retries: 0 },
      exits: { '1': 'sales', '2': 'support', '3': 'lookup', invalid: 'bye', timeout: 'bye' },
    },
    sales: { type: 'Playback', params: { prompts: ['demo-congrats'] }, exits: { next: 'bye' } },
    support: { type: 'Playback', params: { prompts: ['vm-intro'] }, exits: { next: 'bye' } },
    lookup: {
      type: 'HttpRequest',
      params: { method: 'GET', url: httpUrl, timeoutSec: 30, responseVariable: 'RESULT' },
      exits: { success: 'bye', error: 'bye', timeout: 'bye' },
    },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
});

describe('inbound calls over FastAGI', function () {
  let node: TestNode;
  let projectId: string;
  let slowServer: http.Server;
  let slowRequests = 0;

  before(async () => {
    node = await startTestNode('postgres');
    // An HTTP service that never answers: the flow waits on it while the caller hangs up.
    slowServer = http.createServer(() => {
      slowRequests++;
    });
    await new Promise<void>((r) => slowServer.listen(0, '127.0.0.1', r));
    const slowUrl = `http://127.0.0.1:${(slowServer.address() as AddressInfo).port}/lookup`;
    const t = node.adminToken;
    const p = await node.client.post<{ id: string }>('/api/ivr/projects', { name: 'Main line', channel: 'voice', project: menuProject(slowUrl) }, t);
    expect(p.status, p.text).to.equal(201);
    projectId = p.body.id;
    const pub = await node.client.post(`/api/ivr/projects/${projectId}/publish`, { message: 'go live' }, t);
    expect(pub.status, pub.text).to.equal(201);
    const route = await node.client.post('/api/voice/routes', { kind: 'inbound', name: 'Italian DIDs', pattern: '_06XXXXXXXX', projectId }, t);
    expect(route.status, route.text).to.equal(201);
  });
  after(async () => {
    slowServer?.closeAllConnections();
    slowServer?.close();
    await node?.stop();
  });

  async function lastCall(): Promise<CallRow> {
    const [row] = await node.tandem.database.db.select().from(calls).orderBy(desc(calls.id)).limit(1);
    return row as unknown as CallRow;
  }

  function dial(dtmf: string, extra: Partial<Parameters<typeof AsteriskAgiPeer.connect>[0]> = {}) {
    return AsteriskAgiPeer.connect({
      port: node.tandem.fastagi!.port,
      script: 'inbound',
      args: ['0612345678', '3331234567'],
      model: { dtmf },
      ...extra,
    });
  }

  it('runs the published project on a DTMF menu and records the call', async () => {
    const peer = await dial('1');
    await peer.done;
    expect(peer.violations).to.deep.equal([]);
    expect(peer.commands[0]).to.equal('ANSWER');
    // The single-key menu listens in one command (prompt and wait): a key pressed between two AGI
    // commands would be dropped by Asterisk.
    expect(peer.commands).to.include('GET DATA beep 2000 1');
    expect(peer.commands.some((c) => c.startsWith('WAIT FOR DIGIT'))).to.equal(false);
    // Playback is not skippable by default: no escape digits.
    expect(peer.commands).to.include('STREAM FILE demo-congrats ""');
    expect(peer.commands.some((c) => c.startsWith('HANGUP'))).to.equal(true);
    const row = await lastCall();
    expect(row).to.include({ direction: 'inbound', did: '0612345678', callerNumber: '3331234567', projectVersion: 1, outcome: 'completed' });
    expect(row.answeredAt).to.be.instanceOf(Date);
    expect(row.endedAt).to.be.instanceOf(Date);
    expect(row.trace.map((e) => `${e.blockId}:${e.exit}`)).to.deep.equal(['start:next', 'menu:1', 'sales:next', 'bye:@end']);
  });

  it('takes the other branch for another key, and the timeout exit with no key', async () => {
    const peer = await dial('2');
    await peer.done;
    expect(peer.commands.some((c) => c.startsWith('STREAM FILE vm-intro'))).to.equal(true);
    expect((await lastCall()).trace.map((e) => e.blockId)).to.deep.equal(['start', 'menu', 'support', 'bye']);
    const silent = await dial('');
    await silent.done;
    expect((await lastCall()).trace.map((e) => `${e.blockId}:${e.exit}`)).to.deep.equal(['start:next', 'menu:timeout', 'bye:@end']);
  });

  it("takes '#' as the key of a single-key menu (GET DATA ends on it with nothing before it)", async () => {
    const peer = await dial('#');
    await peer.done;
    expect(peer.violations).to.deep.equal([]);
    expect((await lastCall()).trace.map((e) => `${e.blockId}:${e.exit}`)).to.deep.equal(['start:next', 'menu:invalid', 'bye:@end']);
  });

  it('stops cleanly when the caller hangs up mid-prompt', async () => {
    const peer = await dial('1', { hangupAtCommand: 3 });
    await peer.done;
    const row = await lastCall();
    expect(row.outcome).to.equal('hangup');
    expect(row.endedAt).to.be.instanceOf(Date);
    // Nothing but well-formed commands after the hang-up, and no media command on the dead channel.
    const afterHangup = peer.commands.slice(3);
    expect(afterHangup.filter((c) => /^(STREAM FILE|GET DATA|WAIT FOR DIGIT)/.test(c))).to.deep.equal([]);
  });

  it('ends the flow when the caller hangs up while an HTTP block waits', async () => {
    const before = slowRequests;
    const peer = await dial('3');
    await eventually(() => slowRequests !== before, 'the HTTP block to call the slow server');
    expect(slowRequests).to.equal(before + 1);
    peer.hangup();
    await peer.done;
    const row = await eventually(lastCall, (r) => r.endedAt !== null, 'the call record to end');
    expect(row.outcome).to.equal('hangup');
    expect(row.trace.map((e) => e.blockId)).to.deep.equal(['start', 'menu', 'lookup']);
  });

  it('leaves NOROUTE for the dialplan when no route matches, and records it', async () => {
    const peer = await AsteriskAgiPeer.connect({ port: node.tandem.fastagi!.port, script: 'inbound', args: ['999', '3331234567'] });
    await peer.done;
    expect(peer.model.variables.get('TANDEM_STATUS')).to.equal('NOROUTE');
    const row = await lastCall();
    expect(row.outcome).to.equal('no-route');
    expect(row.reason).to.contain('999');
  });
});
