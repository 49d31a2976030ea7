// Checks the ARI test peer itself against the captures: every event type and REST body it produces
// has the keys, key order and nested shapes Asterisk 22.10.1 sent (ari-*.jsonl, ari-rest.txt,
// ari-queue-bridge.txt, ari-spy-whisper-barge.txt). Raw HTTP/WebSocket, no AriClient involved.
import { expect } from 'chai';
import { WebSocket } from 'ws';
import { AriPeer } from '../../peers/asterisk-ari.ts';
import { jsonlLines, recordedRestCalls } from '../../peers/asterisk-ari-model.ts';
import { eventually } from '../../support/eventually.ts';

/** Key paths in order, with array items reduced to their first element's shape. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shape(value[0])] : [];
  if (value && typeof value === 'object') return Object.entries(value).map(([k, v]) => [k, shape(v)]);
  return typeof value;
}

const capturedShapes = new Map<string, string[]>();
for (const file of ['ari-events.jsonl', 'ari-handoff-events.jsonl', 'ari-queue-bridge-events.jsonl', 'ari-spy-events.jsonl']) {
  for (const line of jsonlLines(file)) {
    const e = JSON.parse(line) as { type: string };
    const list = capturedShapes.get(e.type) ?? [];
    list.push(JSON.stringify(shape(e)));
    capturedShapes.set(e.type, list);
  }
}

describe('ARI test peer matches the captured shapes', () => {
  let peer: AriPeer;
  let ws: WebSocket;
  const received: string[] = [];
  const auth = `Basic ${Buffer.from('probe:probe-secret').toString('base64')}`;

  async function rest(method: string, target: string): Promise<{ status: number; body: string }> {
    const res = await fetch(`${peer.url}${target}`, { method, headers: { Authorization: auth } });
    return { status: res.status, body: await res.text() };
  }

  before(async () => {
    peer = new AriPeer({ secondMs: 5 });
    await peer.start();
    // The capture's own form of authentication (api_key in the URL) is accepted too.
    ws = new WebSocket(`ws://127.0.0.1:${peer.port}/ari/events?app=acd&api_key=probe:probe-secret`);
    ws.on('message', (data: Buffer) => received.push(data.toString()));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
  });

  after(async () => {
    ws.terminate();
    await peer.stop();
  });

  it('produces events of the captured shapes through a whole call', async () => {
    peer.setDestination('710@ari2', { stasis: { app: 'acd', args: ['caller'] } });
    peer.setDestination('201@agent-leg2', 'ring');
    const caller = JSON.parse(
      (await rest('POST', '/ari/channels?endpoint=Local%2F710%40ari2&context=ari2-callerphone&extension=s&priority=1&callerId=%22Caller%20One%22%20%3C5550100%3E&timeout=15')).body,
    ) as { name: string };
    expect(caller.name).to.match(/;1$/);
    await eventually(() => received.some((r) => r.includes('"StasisStart"')), 'StasisStart of the caller');
    const callerId = (JSON.parse(received.find((r) => r.includes('"StasisStart"')) ?? '{}') as { channel: { id: string } }).channel.id;
    await rest('POST', `/ari/channels/${callerId}/answer`);
    await rest('POST', `/ari/channels/${callerId}/variable?variable=ARI_SET&value=from-ari`);
    const agent = JSON.parse((await rest('POST', '/ari/channels?endpoint=Local%2F202%40agent-leg2&app=acd&appArgs=agent&timeout=10')).body) as { id: string };
    await eventually(() => received.some((r) => r.includes('"args":["agent"]')), 'StasisStart of the agent leg');
    const bridge = JSON.parse((await rest('POST', '/ari/bridges?type=mixing&name=call-1')).body) as { id: string };
    await rest('POST', `/ari/bridges/${bridge.id}/addChannel?channel=${callerId},${agent.id}`);
    const snoop = JSON.parse((await rest('POST', `/ari/channels/${agent.id}/snoop?spy=both&whisper=none&app=acd&appArgs=snoop-listen`)).body) as { id: string };
    peer.dtmf(callerId, '4');
    await rest('DELETE', `/ari/channels/${snoop.id}`);
    await rest('DELETE', `/ari/channels/${agent.id}`);
    await rest('POST', '/ari/channels?endpoint=Local%2F201%40agent-leg2&app=acd&appArgs=agent&timeout=3');
    await eventually(() => received.some((r) => r.includes('"cause":19') && r.includes('ChannelDestroyed')), 'the unanswered leg destroyed with cause 19');
    await rest('DELETE', `/ari/channels/${callerId}?reason=normal`);
    await rest('DELETE', `/ari/bridges/${bridge.id}`);
    await eventually(() => received.some((r) => r.includes('BridgeDestroyed')), 'BridgeDestroyed');

    const types = new Set<string>();
    for (const text of received) {
      const e = JSON.parse(text) as { type: string };
      types.add(e.type);
      const captured = capturedShapes.get(e.type);
      expect(captured, `captured type ${e.type}`).to.not.equal(undefined);
      expect(captured, `${e.type} shape ${JSON.stringify(shape(e))}`).to.include(JSON.stringify(shape(e)));
    }
    expect([...types].sort()).to.include.members([
      'BridgeDestroyed',
      'ChannelDestroyed',
      'ChannelDtmfReceived',
      'ChannelEnteredBridge',
      'ChannelHangupRequest',
      'ChannelLeftBridge',
      'ChannelStateChange',
      'ChannelVarset',
      'Dial',
      'StasisEnd',
      'StasisStart',
    ]);
  });

  it('answers REST with the recorded body shapes and error bodies', async () => {
    const recorded = [...recordedRestCalls('ari-rest.txt'), ...recordedRestCalls('ari-queue-bridge.txt'), ...recordedRestCalls('ari-spy-whisper-barge.txt')];
    const recordedShape = (pred: (t: string) => boolean, status: number): string => {
      const call = recorded.find((r) => pred(`${r.method} ${r.target}`) && r.status === status && r.body !== undefined);
      return JSON.stringify(shape(JSON.parse(call?.body ?? 'null')));
    };
    const live = async (method: string, target: string): Promise<{ status: number; shape: string; body: string }> => {
      const r = await rest(method, target);
      return { status: r.status, body: r.body, shape: JSON.stringify(shape(JSON.parse(r.body || 'null'))) };
    };
    const info = await live('GET', '/ari/asterisk/info?only=build,system');
    expect(info.body).to.equal(recorded.find((r) => r.target.startsWith('/ari/asterisk/info'))?.body);
    const app = await live('GET', '/ari/applications/acd');
    expect(app.shape).to.equal(recordedShape((t) => t === 'GET /ari/applications/probe', 200));
    const channel = await live('POST', '/ari/channels?endpoint=Local%2F202%40agent-leg2&app=acd&appArgs=agent&timeout=10');
    expect(channel.shape).to.equal(recordedShape((t) => t.startsWith('POST /ari/channels?endpoint=Local%2F202'), 200));
    const bridge = await live('POST', '/ari/bridges?type=mixing&name=x');
    expect(bridge.shape).to.equal(recordedShape((t) => t.startsWith('POST /ari/bridges?type=mixing'), 200));
    expect((await live('GET', '/ari/channels/nope')).body).to.equal('{"message":"Channel not found"}');
    expect((await live('GET', '/ari/bridges/nope')).body).to.equal('{"message":"Bridge not found"}');
    expect((await live('POST', '/ari/channels?endpoint=Bogus%2F200&app=acd&appArgs=agent&timeout=3')).body).to.equal('{"error":"Allocation failed"}');
    const noTarget = await live('POST', '/ari/channels?endpoint=Local%2F200%40agent-leg&timeout=3');
    expect(`${noTarget.status} ${noTarget.body}`).to.equal('400 {"message":"Application or extension must be specified"}');
    const unauth = await fetch(`${peer.url}/ari/channels`);
    expect(unauth.status).to.equal(401);
  });
});
