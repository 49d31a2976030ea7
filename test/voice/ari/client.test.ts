// AriClient against the ARI test peer. Fixtures: ari-rest.txt (REST shapes and 404s),
// ari-queue-bridge.txt (+events: originate outcomes, 400/500, bridge life), ari-spy-whisper-barge.txt
// (snoop channels), ari-events.jsonl / ari-spy-events.jsonl (replayed verbatim).
import { expect } from 'chai';
import { AriClient } from '../../../server/voice/ari/client.ts';
import type { AriClientOptions } from '../../../server/voice/ari/client.ts';
import {
  AriAuthError,
  AriBadRequestError,
  AriError,
  AriNotConnectedError,
  AriNotFoundError,
  AriServerError,
  AriUnreachableError,
} from '../../../server/voice/ari/errors.ts';
import type { AriChannelLostEvent, AriEvent, AriResyncEvent, AriStreamEvent } from '../../../server/voice/ari/events.ts';
import type { AriStatus } from '../../../server/voice/ari/port.ts';
import { AriPeer } from '../../peers/asterisk-ari.ts';
import { jsonlLines, recordedRestCalls } from '../../peers/asterisk-ari-model.ts';
import type { VoiceLogger } from '../../../server/voice/logger.ts';
import { waitForEvent } from '../../support/wait-for-event.ts';

const FAST_RECONNECT = { initialMs: 20, maxMs: 200, factor: 2, jitter: 0.5 };

function recordingLogger(): VoiceLogger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (obj: object, msg?: string) => {
    lines.push(`${level} ${msg ?? ''} ${JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? { message: v.message } : v))}`);
  };
  return { lines, debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
}

describe('ARI client against the test peer', function () {
  let peer: AriPeer;
  const clients: AriClient[] = [];

  function client(options: Partial<AriClientOptions> = {}): AriClient {
    const c = new AriClient({
      url: peer.url,
      username: 'probe',
      password: 'probe-secret',
      app: 'acd',
      pingIntervalMs: 0,
      reconnect: FAST_RECONNECT,
      ...options,
    });
    clients.push(c);
    return c;
  }

  /** Resolves with the next event of `type` (optionally matching). */
  function nextEvent<T extends AriStreamEvent['type']>(c: AriClient, type: T, match: (e: Extract<AriStreamEvent, { type: T }>) => boolean = () => true): Promise<Extract<AriStreamEvent, { type: T }>> {
    return waitForEvent<AriStreamEvent>((cb) => c.onEvent(cb), (e) => e.type === type && match(e as Extract<AriStreamEvent, { type: T }>), type) as Promise<
      Extract<AriStreamEvent, { type: T }>
    >;
  }

  beforeEach(async () => {
    peer = new AriPeer({ secondMs: 10 });
    await peer.start();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await peer.stop();
  });

  describe('connecting', () => {
    it('opens /ari/events?app= with Basic auth (no api_key in the URL) and emits a resync first', async () => {
      const c = client();
      const resync = nextEvent(c, 'connection.resync');
      await c.connect();
      expect(c.state).to.equal('up');
      const r = await resync;
      expect(r).to.deep.equal({ type: 'connection.resync', reconnected: false, channels: [], bridges: [] });
      expect(peer.wsConnections).to.equal(1);
      expect(peer.requests.map((q) => q.target)).to.include('/ari/applications/acd');
      expect(peer.requests.every((q) => !q.target.includes('api_key'))).to.equal(true);
    });

    it('reports Asterisk down at start (not silent, unlike ari-client #73), then connects when it is up', async () => {
      await peer.goDown();
      const c = client({ random: () => 1 });
      const statuses: AriStatus[] = [];
      c.onStatus((s) => statuses.push(s));
      const err = await c.connect().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(AriUnreachableError);
      expect((err as AriUnreachableError).errno).to.equal('ECONNREFUSED');
      expect(await c.listChannels().catch((e: unknown) => e)).to.be.instanceOf(AriNotConnectedError);
      await waitForEvent<AriStatus>((cb) => c.onStatus(cb), (s) => s.state === 'reconnecting' && (s.attempt ?? 0) >= 3, 'retries');
      const resync = nextEvent(c, 'connection.resync');
      await peer.goUp();
      await resync;
      expect(c.state).to.equal('up');
      const delays = statuses.filter((s) => s.state === 'reconnecting').map((s) => s.delayMs);
      expect(delays.slice(0, 3)).to.deep.equal([20, 40, 80]);
    });

    it('a wrong password is AriAuthError: state failed, no retry, password never logged', async () => {
      const log = recordingLogger();
      const c = client({ password: 'wrong-password', logger: log });
      const err = await c.connect().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(AriAuthError);
      expect(c.state).to.equal('failed');
      // Deliberate: time for several FAST_RECONNECT retries to prove none happens after a refused login.
      await new Promise((r) => setTimeout(r, 100));
      expect(peer.wsConnections).to.equal(0);
      expect(log.lines.join('\n')).to.not.contain('wrong-password');
    });
  });

  describe('REST (recorded requests and replies)', () => {
    let c: AriClient;
    beforeEach(async () => {
      c = client({ app: 'probe' });
      await c.connect();
    });

    const recorded = recordedRestCalls('ari-rest.txt');
    const targetsSent = (): string[] => peer.requests.map((r) => `${r.method} ${r.target}`);

    it('asterisk/info returns the recorded body', async () => {
      const info = await c.asteriskInfo(['build', 'system']);
      const call = recorded.find((r) => r.target === '/ari/asterisk/info?only=build,system');
      expect(targetsSent()).to.include('GET /ari/asterisk/info?only=build,system');
      expect(info).to.deep.equal(JSON.parse(call?.body ?? 'null'));
    });

    it('the ari-rest.txt call sequence: same request lines, same reply shapes, typed 404s', async () => {
      peer.setDestination('700@ari-test', { stasis: { app: 'probe', args: ['inbound', '700'] } });
      const started = nextEvent(c, 'StasisStart');
      const caller = await c.originate({
        endpoint: 'Local/700@ari-test',
        context: 'dtmf-sender-ari',
        extension: 's',
        priority: 1,
        callerId: '"ARI Probe" <7007>',
        timeoutSec: 15,
      });
      expect(caller).to.include({ state: 'Down', name: caller.name });
      expect(caller.name).to.match(/^Local\/700@ari-test-[0-9a-f]{8};1$/);
      const start = await started;
      expect(start.args).to.deep.equal(['inbound', '700']);
      const id = start.channel.id;

      await c.subscribeChannel(id);
      await c.answer(id);
      expect(await c.getVariable(id, 'CHANNEL(name)')).to.equal(start.channel.name);
      const bridge = await c.createBridge({ type: 'mixing', name: 'probe-bridge' });
      expect(bridge).to.include({ technology: 'simple_bridge', bridge_type: 'mixing', bridge_class: 'stasis', creator: 'Stasis', name: 'probe-bridge' });
      await c.addChannel(bridge.id, id);
      await c.startMoh(id, 'default');
      await c.stopMoh(id);
      await c.startBridgeMoh(bridge.id, 'default');
      const snoopStart = nextEvent(c, 'StasisStart', (e) => e.channel.name.startsWith('Snoop/'));
      const snoop = await c.snoop(id, { spy: 'both', whisper: 'none', app: 'probe', appArgs: 'snoop' });
      expect(snoop.name).to.equal(`Snoop/${id}-00000000`);
      expect(snoop.state).to.equal('Up');
      expect((await snoopStart).args).to.deep.equal(['snoop']);
      expect((await c.getBridge(bridge.id)).channels).to.deep.equal([id]);
      expect((await c.listChannels()).map((ch) => ch.id)).to.include.members([id, snoop.id]);
      await c.stopBridgeMoh(bridge.id);
      await c.hangup(snoop.id);
      const destroyed = nextEvent(c, 'ChannelDestroyed', (e) => e.channel.id === id);
      await c.hangup(id, 16);
      expect((await destroyed).cause).to.equal(16); // subscribed channel: ChannelDestroyed after StasisEnd
      await c.destroyBridge(bridge.id);

      const gone = await c.getChannel(id).catch((e: unknown) => e);
      expect(gone).to.be.instanceOf(AriNotFoundError);
      expect((gone as AriNotFoundError).asteriskMessage).to.equal('Channel not found');
      const unknown = await c.hangup('does-not-exist').catch((e: unknown) => e);
      expect(unknown).to.be.instanceOf(AriNotFoundError);
      expect((unknown as AriNotFoundError).status).to.equal(404);

      // Request lines for ids Asterisk chose differ; everything else is byte-identical to ari-rest.txt.
      const sent = targetsSent().map((t) => t.replaceAll(id, '{chan}').replaceAll(bridge.id, '{bridge}').replaceAll(snoop.id, '{snoop}'));
      const expected = [
        'POST /ari/channels?endpoint=Local%2F700%40ari-test&context=dtmf-sender-ari&extension=s&priority=1&callerId=%22ARI%20Probe%22%20%3C7007%3E&timeout=15',
        'POST /ari/applications/probe/subscription?eventSource=channel:{chan}',
        'POST /ari/channels/{chan}/answer',
        'GET /ari/channels/{chan}/variable?variable=CHANNEL(name)',
        'POST /ari/bridges?type=mixing&name=probe-bridge',
        'POST /ari/bridges/{bridge}/addChannel?channel={chan}',
        'POST /ari/channels/{chan}/moh?mohClass=default',
        'DELETE /ari/channels/{chan}/moh',
        'POST /ari/bridges/{bridge}/moh?mohClass=default',
        'POST /ari/channels/{chan}/snoop?spy=both&whisper=none&app=probe&appArgs=snoop',
        'DELETE /ari/channels/{chan}?reason_code=16',
        'DELETE /ari/bridges/{bridge}',
        'GET /ari/channels/{chan}',
        'DELETE /ari/channels/does-not-exist',
      ];
      for (const line of expected) expect(sent, line).to.include(line);
      for (const line of expected) {
        const recordedLine = recorded.some((r) => `${r.method} ${r.target}`.replace(/\d{10}\.\d+/g, '{chan}').replace(/[0-9a-f-]{36}/g, '{bridge}') === line.replace('{snoop}', '{chan}'));
        expect(recordedLine, `recorded in ari-rest.txt: ${line}`).to.equal(true);
      }
    });

    it('originate failures are typed: 500 Allocation failed, 400 no app/extension', async () => {
      const alloc = await c.originate({ endpoint: 'Bogus/200', app: 'acd', appArgs: 'agent', timeoutSec: 3 }).catch((e: unknown) => e);
      expect(alloc).to.be.instanceOf(AriServerError);
      expect(alloc).to.include({ status: 500, asteriskMessage: 'Allocation failed' });
      const bad = await c.originate({ endpoint: 'Local/200@agent-leg', timeoutSec: 3 }).catch((e: unknown) => e);
      expect(bad).to.be.instanceOf(AriBadRequestError);
      expect((bad as AriBadRequestError).asteriskMessage).to.equal('Application or extension must be specified');
      const recordedFailures = recordedRestCalls('ari-queue-bridge.txt').filter((r) => r.status >= 400).map((r) => `${r.status} ${r.body}`);
      expect(recordedFailures).to.include.members([
        '500 {"error":"Allocation failed"}',
        '400 {"message":"Application or extension must be specified"}',
        '404 {"message":"Bridge not found"}',
      ]);
      const last = peer.requests.slice(-2).map((r) => `${r.status} ${r.body}`);
      expect(last).to.deep.equal(['500 {"error":"Allocation failed"}', '400 {"message":"Application or extension must be specified"}']);
    });

    it('refuses empty ids before sending anything', async () => {
      const before = peer.requests.length;
      expect(await c.answer('').catch((e: unknown) => e)).to.be.instanceOf(AriError);
      expect(await c.addChannel('b', []).catch((e: unknown) => e)).to.be.instanceOf(AriError);
      expect(peer.requests.length).to.equal(before);
    });
  });

  describe('a queue call (ari-queue-bridge.txt flow)', () => {
    it('caller in Stasis, agent originated into the app, bridged; agent hangs up; ring-no-answer and missing extension', async () => {
      const c = client();
      await c.connect();
      peer.setDestination('710@ari2', { stasis: { app: 'acd', args: ['caller'] } });
      peer.setDestination('201@agent-leg2', 'ring');
      peer.setDestination('999@agent-leg2', 'missing');
      const callerStart = nextEvent(c, 'StasisStart', (e) => e.args[0] === 'caller');
      await c.originate({ endpoint: 'Local/710@ari2', context: 'ari2-callerphone', extension: 's', priority: 1, callerId: '"Caller One" <5550100>', timeoutSec: 15 });
      const caller = (await callerStart).channel;
      await c.answer(caller.id);
      await c.startMoh(caller.id, 'default');

      const agentEvents: Array<AriEvent | AriChannelLostEvent> = [];
      const agentStart = nextEvent(c, 'StasisStart', (e) => e.args[0] === 'agent');
      // Handlers registered before the originate (with our own channel id), so no event can slip past.
      c.onChannel('agent-call-1', (e) => agentEvents.push(e));
      const agent = await c.originate({
        endpoint: 'Local/202@agent-leg2',
        app: 'acd',
        appArgs: 'agent',
        callerId: '"Queue support" <600>',
        timeoutSec: 10,
        channelId: 'agent-call-1',
      });
      expect(agent.id).to.equal('agent-call-1');
      await agentStart;
      const bridge = await c.createBridge({ type: 'mixing', name: 'queue-call-1' });
      await c.stopMoh(caller.id);
      const bothIn = nextEvent(c, 'ChannelEnteredBridge', (e) => e.bridge.channels.length === 2);
      await c.addChannel(bridge.id, [caller.id, agent.id]);
      await bothIn;
      expect((await c.getBridge(bridge.id)).channels).to.deep.equal([caller.id, agent.id]);

      const agentGone = nextEvent(c, 'ChannelDestroyed', (e) => e.channel.id === agent.id);
      peer.farEndHangup(agent.id);
      await agentGone;
      expect(agentEvents.map((e) => e.type)).to.deep.equal([
        'Dial',
        'ChannelStateChange',
        'Dial',
        'ChannelStateChange',
        'Dial',
        'ChannelVarset',
        'StasisStart',
        'ChannelEnteredBridge',
        'ChannelHangupRequest',
        'ChannelLeftBridge',
        'StasisEnd',
        'ChannelDestroyed',
      ]);
      expect((await c.getBridge(bridge.id)).channels).to.deep.equal([caller.id]);

      const noAnswer = await c.originate({ endpoint: 'Local/201@agent-leg2', app: 'acd', appArgs: 'agent', timeoutSec: 3 });
      const noAnswerEnd = await nextEvent(c, 'ChannelDestroyed', (e) => e.channel.id === noAnswer.id);
      expect(noAnswerEnd).to.include({ cause: 19, cause_txt: 'User alerting, no answer' });
      const missing = await c.originate({ endpoint: 'Local/999@agent-leg2', app: 'acd', appArgs: 'agent', timeoutSec: 3 });
      expect(missing.state).to.equal('Down'); // HTTP 200 with a channel first …
      const missingEnd = await nextEvent(c, 'ChannelDestroyed', (e) => e.channel.id === missing.id);
      expect(missingEnd.cause).to.equal(0); // … then destroyed at once

      const callerEnd = nextEvent(c, 'StasisEnd', (e) => e.channel.id === caller.id);
      await c.hangup(caller.id, 'normal');
      await callerEnd;
      const bridgeGone = nextEvent(c, 'BridgeDestroyed');
      await c.destroyBridge(bridge.id);
      await bridgeGone;
      const err = await c.getBridge(bridge.id).catch((e: unknown) => e);
      expect((err as AriNotFoundError).asteriskMessage).to.equal('Bridge not found');
      expect(peer.requests.map((r) => r.target)).to.include(`/ari/channels/${caller.id}?reason=normal`);
      expect(c.diagnostics()).to.include({ channels: 0, handlers: 0 });
    });
  });

  describe('events', () => {
    it('delivers the captured event streams verbatim as typed events, in order', async () => {
      const c = client({ app: 'probe' });
      await c.connect();
      const seen: AriEvent[] = [];
      c.onEvent((e) => {
        if (e.type !== 'connection.resync') seen.push(e);
      });
      const lines = jsonlLines('ari-events.jsonl');
      const done = waitForEvent<AriStreamEvent>((cb) => c.onEvent(cb), () => seen.length >= lines.length, 'all events');
      peer.replayJsonl('ari-events.jsonl', 'probe');
      await done;
      expect(seen.map((e) => e.type)).to.deep.equal(lines.map((l) => (JSON.parse(l) as { type: string }).type));
    });

    it('ignores garbage frames, logs them, and stays up', async () => {
      const log = recordingLogger();
      const c = client({ logger: log });
      await c.connect();
      peer.pushRaw('acd', 'this is not json');
      const start = nextEvent(c, 'StasisStart');
      peer.enterStasis('acd', ['caller']);
      await start;
      expect(c.state).to.equal('up');
      expect(log.lines.some((l) => l.includes('ARI event ignored'))).to.equal(true);
    });

    it('no listener leak: handlers of 300 channels are gone after their last event', async () => {
      const c = client();
      await c.connect();
      const baseline = c.diagnostics();
      const n = 300;
      let ended = 0;
      const allEnded = new Promise<void>((resolve) => {
        c.onEvent((e) => {
          if (e.type === 'StasisStart') {
            c.onChannel(e.channel.id, () => undefined);
            c.onChannel(e.channel.id, (ev) => {
              if (ev.type === 'StasisEnd' && ++ended === n) resolve();
            });
            void c.hangup(e.channel.id);
          }
        });
      });
      for (let i = 0; i < n; i += 1) peer.enterStasis('acd', ['caller'], { exten: String(1000 + i) });
      await allEnded;
      await c.listChannels(); // let the last dispatch finish
      const after = c.diagnostics();
      expect(after).to.include({ channels: 0, handlers: 0, marked: 0 });
      expect(after.wsListeners).to.equal(baseline.wsListeners);
      expect(after.eventListeners).to.equal(baseline.eventListeners + 1);
    });
  });

  describe('WebSocket drop and Tandem restart', () => {
    it('drop → REST refused while down → reconnect with backoff → resync with the channels still in Stasis', async () => {
      const c = client({ random: () => 1 });
      const statuses: AriStatus[] = [];
      c.onStatus((s) => statuses.push(s));
      await c.connect();
      const start = nextEvent(c, 'StasisStart');
      const inStasis = peer.enterStasis('acd', ['caller']);
      await start;
      const bridge = await c.createBridge({ name: 'call-1' });
      await c.addChannel(bridge.id, inStasis.id);

      await peer.goDown();
      await waitForEvent<AriStatus>((cb) => c.onStatus(cb), (s) => s.state === 'reconnecting' && (s.attempt ?? 0) >= 2, 'reconnecting');
      const refused = await c.getChannel(inStasis.id).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(AriNotConnectedError);

      const resync = nextEvent(c, 'connection.resync');
      await peer.goUp();
      const r = (await resync) as AriResyncEvent;
      expect(r.reconnected).to.equal(true);
      expect(r.channels.map((ch) => ch.id)).to.deep.equal([inStasis.id]);
      expect(r.bridges.map((b) => b.id)).to.deep.equal([bridge.id]);
      expect(r.bridges[0]?.channels).to.deep.equal([inStasis.id]);
      const delays = statuses.filter((s) => s.state === 'reconnecting').map((s) => s.delayMs ?? 0);
      expect(delays[1]).to.equal(2 * (delays[0] ?? 0));
      expect(statuses.filter((s) => s.state === 'reconnecting').every((s) => s.error instanceof AriError)).to.equal(true);
    });

    it('a new client (Tandem restarted) finds the caller still in Stasis in its first resync', async () => {
      const first = client();
      await first.connect();
      const start = nextEvent(first, 'StasisStart');
      const stranded = peer.enterStasis('acd', ['queue', '42']);
      await start;
      await first.close(); // Tandem dies; the channel stays in Stasis

      const second = client();
      const resync = nextEvent(second, 'connection.resync');
      await second.connect();
      const r = await resync;
      expect(r.reconnected).to.equal(false);
      expect(r.channels.map((ch) => ch.id)).to.deep.equal([stranded.id]);
      expect(r.channels[0]?.dialplan).to.include({ app_name: 'Stasis', app_data: 'acd,queue,42' });
      // The consumer can act on it at once (e.g. put it back on hold or continue the dialplan).
      await second.startMoh(stranded.id, 'default');
    });

    it('handlers of a channel that ended while disconnected get connection.channelLost and are dropped', async () => {
      const c = client();
      await c.connect();
      const start = nextEvent(c, 'StasisStart');
      const ch = peer.enterStasis('acd', ['caller']);
      await start;
      const seen: string[] = [];
      c.onChannel(ch.id, (e) => seen.push(e.type));
      peer.dropWebSockets();
      await waitForEvent<AriStatus>((cb) => c.onStatus(cb), (s) => s.state === 'reconnecting', 'drop');
      peer.farEndHangup(ch.id); // its StasisEnd goes nowhere: no socket
      await nextEvent(c, 'connection.resync');
      expect(seen).to.deep.equal(['connection.channelLost']);
      expect(c.diagnostics()).to.include({ channels: 0, handlers: 0 });
    });

    it('ws listeners do not grow over repeated reconnects', async () => {
      const c = client();
      await c.connect();
      const baseline = c.diagnostics().wsListeners;
      for (let i = 0; i < 5; i += 1) {
        const back = nextEvent(c, 'connection.resync');
        peer.dropWebSockets();
        await back;
      }
      expect(c.diagnostics().wsListeners).to.equal(baseline);
      expect(peer.wsConnections).to.equal(6);
    });
  });
});
