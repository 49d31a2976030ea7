// AmiClient against the AMI test peer. Fixtures: ami-actions.txt (actions, list actions,
// permission denied, wrong secret) and ami-session.txt (login with events, Originate, events).
import { expect } from 'chai';
import { AmiClient } from '../../../server/voice/ami/client.ts';
import type { AmiClientOptions } from '../../../server/voice/ami/client.ts';
import {
  AmiAuthError,
  AmiConnectError,
  AmiDisconnectedError,
  AmiError,
  AmiHeaderValueError,
  AmiNoSuchChannelError,
  AmiNotConnectedError,
  AmiPermissionError,
  AmiActionError,
  AmiTimeoutError,
} from '../../../server/voice/ami/errors.ts';
import type { AmiEvent, AmiResyncEvent, AmiStreamEvent } from '../../../server/voice/ami/events.ts';
import type { VoiceLogger } from '../../../server/voice/logger.ts';
import type { AmiStatus } from '../../../server/voice/ami/port.ts';
import { AmiPeer } from '../../peers/asterisk-ami.ts';
import { recordedExchanges, toWire } from '../../peers/asterisk-ami-transcript.ts';
import { waitForEvent } from '../../support/wait-for-event.ts';

const FAST_RECONNECT = { initialMs: 20, maxMs: 200, factor: 2, jitter: 0.5 };

function recordingLogger(): VoiceLogger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (obj: object, msg?: string) => {
    lines.push(`${level} ${msg ?? ''} ${JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? { message: v.message } : v))}`);
  };
  return { lines, debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
}

/** The recorded client frame for an ActionID, as bytes, with the ActionID the client really used. */
function recordedFrame(file: string, recordedId: string, liveId: string): string {
  const x = recordedExchanges(file).find((e) => e.action.includes(`ActionID: ${recordedId}`));
  if (!x) throw new Error(`no recorded action ${recordedId}`);
  return toWire(x.action.map((l) => (l === `ActionID: ${recordedId}` ? `ActionID: ${liveId}` : l)));
}

describe('AMI client against the test peer', function () {
  let peer: AmiPeer;
  const clients: AmiClient[] = [];

  function client(options: Partial<AmiClientOptions> = {}): AmiClient {
    const c = new AmiClient({
      host: '127.0.0.1',
      port: peer.port,
      username: 'probe',
      secret: 'probe-secret',
      events: false,
      keepAliveMs: 0,
      reconnect: FAST_RECONNECT,
      resync: { channels: false, deviceStates: false },
      ...options,
    });
    clients.push(c);
    return c;
  }

  beforeEach(async () => {
    peer = new AmiPeer({ scripts: ['ami-actions.txt'] });
    await peer.start();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await peer.stop();
  });

  describe('login', () => {
    it('logs in and sends the recorded Login bytes', async () => {
      const c = client();
      await c.connect();
      expect(c.state).to.equal('up');
      const login = peer.connections[0]?.raw ?? '';
      const liveId = /ActionID: (\S+)/.exec(login)?.[1] ?? '';
      // ami-actions.txt, first connection: Action, ActionID, Username, Secret, Events: off.
      expect(login.startsWith(recordedFrame('ami-actions.txt', 'login-probe', liveId))).to.equal(true);
    });

    it('reports a wrong secret as AmiAuthError, stays failed, does not retry, never logs the secret', async () => {
      const log = recordingLogger();
      const statuses: AmiStatus[] = [];
      const c = client({ secret: 'wrong-secret', logger: log });
      c.onStatus((s) => statuses.push(s));
      const error = await c.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(AmiAuthError);
      expect((error as Error).message).to.contain('Authentication failed').and.not.contain('wrong-secret');
      expect(c.state).to.equal('failed');
      // Deliberate: time for several retries at FAST_RECONNECT, to prove none happens after a refused login.
      await new Promise((r) => setTimeout(r, 100));
      expect(peer.accepted).to.equal(1);
      expect(statuses.map((s) => s.state)).to.deep.equal(['connecting', 'failed']);
      expect(log.lines.join('\n')).to.not.contain('wrong-secret');
    });

    it('never logs the secret on a good login either, even at debug level', async () => {
      const log = recordingLogger();
      const c = client({ logger: log, secret: 'probe-secret' });
      await c.connect();
      await c.ping();
      expect(log.lines.length).to.be.greaterThan(0);
      expect(log.lines.join('\n')).to.not.contain('probe-secret');
    });

    it('maps Permission denied of a read-only user to AmiPermissionError; Ping still works', async () => {
      const c = client({ username: 'readonly', secret: 'readonly-secret' });
      await c.connect();
      for (const call of [
        () => c.originate({ channel: 'Local/620@ami2', application: 'Wait', data: '1' }),
        () => c.coreShowChannels(),
        () => c.getVar('CC_GLOBAL'),
        () => c.hangup('Local/nope-00000000;1'),
      ]) {
        const err = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).to.be.instanceOf(AmiPermissionError);
        expect((err as AmiPermissionError).asteriskMessage).to.equal('Permission denied');
      }
      // Recorded ro-ping reply.
      expect(await c.ping()).to.deep.equal({ timestamp: '1795295041.173958' });
    });

    it('resync snapshot reports Permission denied instead of failing the login', async () => {
      const c = client({ username: 'readonly', secret: 'readonly-secret', resync: { channels: true, deviceStates: true } });
      const resync = waitForEvent<AmiStreamEvent>((cb) => c.onEvent(cb), (e) => e.kind === 'connection.resync', 'resync');
      await c.connect();
      const event = (await resync) as AmiResyncEvent;
      expect(event.channels).to.equal(undefined);
      expect(event.errors.map((e) => e.code)).to.deep.equal(['AMI_PERMISSION', 'AMI_PERMISSION']);
    });
  });

  describe('actions (ami-actions.txt, recorded bytes both ways)', () => {
    let c: AmiClient;
    beforeEach(async () => {
      c = client();
      await c.connect();
    });

    /** The last action frame the peer received, as bytes. */
    function lastFrame(): { raw: string; id: string } {
      const raw = peer.connections[0]?.raw ?? '';
      const frames = raw.split('\r\n\r\n').filter((f) => f !== '');
      const last = `${frames[frames.length - 1] ?? ''}\r\n\r\n`;
      return { raw: last, id: /ActionID: (\S+)/.exec(last)?.[1] ?? '' };
    }

    it('QueuePause, CoreShowChannels (list collected until EventList: Complete)', async () => {
      await c.queuePause({ queue: 'support', interface: 'Local/300@agent-leg', paused: true, reason: 'break' });
      let f = lastFrame();
      expect(f.raw).to.equal(recordedFrame('ami-actions.txt', 'pause-1', f.id));

      const channels = await c.coreShowChannels();
      f = lastFrame();
      expect(f.raw).to.equal(recordedFrame('ami-actions.txt', 'csc-1', f.id));
      expect(channels).to.have.length(6);
      expect(channels[4]).to.include({
        channel: 'Local/610@ami2-00000013;2',
        application: 'Queue',
        applicationData: 'support,,,,60',
        callerIdNum: '5550610',
        state: 6,
        bridgeId: undefined,
      });
      // Second recorded CoreShowChannels: nothing left.
      expect(await c.coreShowChannels()).to.deep.equal([]);
    });

    it('Originate (async) answers `Originate successfully queued` with our ActionID', async () => {
      const r = await c.originate({
        channel: 'Local/610@ami2',
        application: 'Wait',
        data: '60',
        callerId: '"Queue Caller" <5550610>',
      });
      const f = lastFrame();
      expect(f.raw).to.equal(recordedFrame('ami-actions.txt', 'orig-q', f.id));
      expect(r).to.deep.equal({ actionId: f.id, message: 'Originate successfully queued' });
    });

    it('Getvar / Setvar on a channel, a function, an unset variable, globals and an unknown channel', async () => {
      await c.setVar('CC_TAG', 'vip customer', 'Local/620@ami2-00000014;2');
      expect(lastFrame().raw).to.equal(recordedFrame('ami-actions.txt', 'setvar-1', lastFrame().id));
      expect(await c.getVar('CC_TAG', 'Local/620@ami2-00000014;2')).to.equal('vip customer');
      expect(await c.getVar('CALLERID(num)', 'Local/620@ami2-00000014;2')).to.equal('5550620');
      expect(await c.getVar('NOT_SET_ANYWHERE', 'Local/620@ami2-00000014;2')).to.equal('');
      const err = await c.getVar('CC_TAG', 'Local/nope-00000000;1').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(AmiNoSuchChannelError);
      await c.setVar('CC_GLOBAL', 'g1');
      expect(lastFrame().raw).to.equal(recordedFrame('ami-actions.txt', 'setvar-g', lastFrame().id));
      expect(await c.getVar('CC_GLOBAL')).to.equal('g1');
    });

    it('QueueStatus with params, a paused member and a waiting caller; unknown queue is empty, not an error', async () => {
      const [support] = await c.queueStatus('support');
      expect(lastFrame().raw).to.equal(recordedFrame('ami-actions.txt', 'qs-1', lastFrame().id));
      expect(support?.queue).to.include({ name: 'support', strategy: 'ringall', calls: 1, abandoned: 1 });
      expect(support?.members).to.have.length(1);
      expect(support?.members[0]).to.include({ name: 'Agent300', interface: 'Local/300@agent-leg', paused: true, pausedReason: 'break', status: 1 });
      expect(support?.entries[0]).to.include({ channel: 'Local/610@ami2-00000013;2', position: 1, waitSeconds: 1, callerIdName: 'Queue Caller' });
      expect(await c.queueStatus('no-such-queue')).to.deep.equal([]);
    });

    it('DeviceStateList', async () => {
      expect(await c.deviceStateList()).to.deep.equal([
        { device: 'Queue:support_pause_Local/300@agent-leg', state: 'INUSE' },
        { device: 'Queue:support_avail', state: 'INUSE' },
        { device: 'Queue:support', state: 'RINGING' },
      ]);
    });

    it('Redirect ok, and the two recorded unknown-channel texts map to AmiNoSuchChannelError', async () => {
      await c.redirect({ channel: 'Local/620@ami2-00000014;2', context: 'ami2-redirected', exten: 's', priority: 1 });
      expect(lastFrame().raw).to.equal(recordedFrame('ami-actions.txt', 'redir-1', lastFrame().id));
      const redirErr = await c
        .redirect({ channel: 'Local/nope-00000000;1', context: 'ami2-redirected', exten: 's', priority: 1 })
        .catch((e: unknown) => e);
      expect(redirErr).to.be.instanceOf(AmiNoSuchChannelError);
      expect((redirErr as AmiNoSuchChannelError).asteriskMessage).to.equal('Channel does not exist: Local/nope-00000000;1');
    });

    it('Hangup with cause, unknown channel, and a regex refused before it is sent', async () => {
      await c.hangup('Local/610@ami2-00000013;2', 16);
      expect(lastFrame().raw).to.equal(recordedFrame('ami-actions.txt', 'hangup-1', lastFrame().id));
      const err = await c.hangup('Local/nope-00000000;1').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(AmiNoSuchChannelError);
      const before = peer.allActions().length;
      const regexErr = await c.hangup('/^Local\\/620@ami2-.*;1$/').catch((e: unknown) => e);
      expect(regexErr).to.be.instanceOf(AmiHeaderValueError);
      expect(peer.allActions().length).to.equal(before);
    });

    it('a list answer to a generic action (Hangup by regex) is collected with its items', async () => {
      const r = await c.action('Hangup', [['Channel', '/^Local\\/620@ami2-.*;1$/']]);
      expect(r.items).to.have.length(1);
      expect(r.items[0]?.headers).to.deep.include(['Channel', 'Local/620@ami2-00000015;1']);
      expect(r.complete?.headers).to.deep.include(['ListItems', '1']);
    });

    it('an unknown action is an AmiActionError with Asterisk’s text', async () => {
      const err = await c.action('NoSuchAction').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(AmiActionError);
      expect((err as AmiActionError).asteriskMessage).to.equal(
        'Invalid/unknown command: NoSuchAction. Use Action: ListCommands to show available commands.',
      );
    });

    it('QueuePause of an unknown interface is an AmiActionError (Interface not found)', async () => {
      await c.queuePause({ queue: 'support', interface: 'Local/300@agent-leg', paused: false });
      const err = await c.queuePause({ queue: 'support', interface: 'Local/nobody@agent-leg', paused: true }).catch((e: unknown) => e);
      expect((err as AmiActionError).asteriskMessage).to.equal('Interface not found');
    });

    it('refuses CR/LF in any value before anything reaches Asterisk', async () => {
      const before = peer.allActions().length;
      const attempts = [
        () => c.setVar('CC_TAG', 'x\r\nAction: Originate\r\nChannel: Local/1@evil', 'Local/620@ami2-00000014;2'),
        () => c.originate({ channel: 'Local/610@ami2', application: 'Wait', callerId: 'Eve\r\n\r\nAction: Hangup' }),
        () => c.originate({ channel: 'Local/610@ami2', application: 'Wait', variables: { A: 'ok\nAction: Logoff' } }),
        () => c.getVar('X\r\n', 'Local/620@ami2-00000014;2'),
        () => c.action('Ping', [['Bad\r\nName', 'x']]),
      ];
      for (const attempt of attempts) {
        const err = await attempt().catch((e: unknown) => e);
        expect(err).to.be.instanceOf(AmiHeaderValueError);
      }
      expect(peer.allActions().length).to.equal(before);
      expect(c.state).to.equal('up');
    });

    it('times out an unanswered action with AmiTimeoutError and forgets it', async () => {
      peer.setSilent(true);
      const err = await c.ping({ timeoutMs: 50 }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(AmiTimeoutError);
      expect(c.pendingActions).to.equal(0);
      peer.setSilent(false);
      expect((await c.ping()).timestamp).to.be.a('string');
    });

    it('10,000 actions: unique ActionIDs, no pending entries or socket listeners left behind', async () => {
      const before = c.diagnostics();
      const n = 10_000;
      const batch = 500;
      for (let i = 0; i < n; i += batch) {
        await Promise.all(Array.from({ length: batch }, () => c.ping()));
      }
      const ids = peer.allActions().map((h) => h.find(([k]) => k === 'ActionID')?.[1]);
      const pingIds = ids.slice(-n);
      expect(new Set(pingIds).size).to.equal(n);
      expect(pingIds.every((id) => id !== undefined && !/^\d{13}/.test(id))).to.equal(true); // not timestamps
      expect(c.pendingActions).to.equal(0);
      expect(c.diagnostics()).to.deep.equal(before);
    });
  });

  describe('events', () => {
    it('delivers the recorded session events normalised, and none when logged in with Events: off', async () => {
      const on = client({ events: true });
      const off = client({ events: false });
      const seenOn: AmiEvent[] = [];
      const seenOff: AmiStreamEvent[] = [];
      on.onEvent((e) => {
        if (e.kind !== 'connection.resync') seenOn.push(e);
      });
      off.onEvent((e) => {
        if (e.kind !== 'connection.resync') seenOff.push(e);
      });
      await Promise.all([on.connect(), off.connect()]);
      const recorded = AmiPeer.recordedEvents('ami-session.txt');
      // FullyBooted + SuccessfulAuth after login, then the whole session.
      const done = waitForEvent<AmiStreamEvent>((cb) => on.onEvent(cb), () => seenOn.length >= recorded.length, 'all recorded events');
      peer.pushEvents(recorded.slice(2));
      await done;
      expect(seenOn.length).to.equal(recorded.length);
      expect(seenOn[0]?.kind).to.equal('system.fullyBooted');
      expect(seenOn.filter((e) => e.kind === 'channel.hangup')).to.have.length(10);
      await off.ping(); // anything pushed to it would have arrived before this answer
      expect(seenOff).to.deep.equal([]);
    });

    it('a listener that throws does not stop the others or the connection', async () => {
      const c = client({ events: true });
      let seen = 0;
      c.onEvent(() => {
        throw new Error('consumer bug');
      });
      c.onEvent((e) => {
        if (e.kind === 'device.state') seen += 1;
      });
      await c.connect();
      peer.pushEvents([['Event: DeviceStateChange', 'Privilege: call,all', 'Device: Local/200@agent-leg', 'State: INUSE']]);
      await c.ping();
      expect(seen).to.equal(1);
      expect(c.state).to.equal('up');
    });

    it('originate.response carries the ActionID of our async Originate (ami-session.txt orig-600)', async () => {
      await peer.stop();
      peer = new AmiPeer({ scripts: ['ami-session.txt'] });
      await peer.start();
      const c = client({ events: true });
      await c.connect();
      const response = waitForEvent<AmiStreamEvent>((cb) => c.onEvent(cb), (e) => e.kind === 'originate.response', 'OriginateResponse');
      const r = await c.originate({ channel: 'Local/600@ami-test', application: 'Wait', data: '8', callerId: '"Queue Probe" <6006>', timeoutMs: 15000 });
      const event = await response;
      expect(event).to.include({ kind: 'originate.response', actionId: r.actionId, success: true, reason: 4 });
    });
  });

  describe('connection loss', () => {
    it('fails pending actions on disconnect, refuses actions while down, reconnects with growing backoff, then resyncs', async () => {
      const statuses: AmiStatus[] = [];
      const c = client({ resync: { channels: true, deviceStates: true }, random: () => 1 });
      c.onStatus((s) => statuses.push(s));
      const resyncs: AmiResyncEvent[] = [];
      c.onEvent((e) => {
        if (e.kind === 'connection.resync') resyncs.push(e);
      });
      await c.connect();
      expect(resyncs).to.have.length(1);
      expect(resyncs[0]?.reconnected).to.equal(false);
      expect(resyncs[0]?.channels).to.have.length(6); // csc-1 of ami-actions.txt
      expect(resyncs[0]?.deviceStates).to.have.length(3);

      peer.setSilent(true);
      const pending = c.ping({ timeoutMs: 5000 });
      await peer.refuseConnections();
      peer.setSilent(false);
      expect(await pending.catch((e: unknown) => e)).to.be.instanceOf(AmiDisconnectedError);
      await waitForEvent<AmiStatus>((cb) => c.onStatus(cb), (s) => s.state === 'reconnecting' && (s.attempt ?? 0) >= 3, 'three failed retries');
      expect(await c.ping().catch((e: unknown) => e)).to.be.instanceOf(AmiNotConnectedError);

      const back = waitForEvent<AmiStreamEvent>((cb) => c.onEvent(cb), (e) => e.kind === 'connection.resync', 'resync after reconnect');
      await peer.acceptConnections();
      const again = (await back) as AmiResyncEvent;
      expect(again.reconnected).to.equal(true);
      expect(again.errors).to.deep.equal([]);
      expect(c.state).to.equal('up');

      const delays = statuses.filter((s) => s.state === 'reconnecting').map((s) => s.delayMs ?? -1);
      expect(delays.slice(0, 3)).to.deep.equal([20, 40, 80]); // random pinned to 1: the un-jittered base
      expect(Math.max(...delays)).to.be.at.most(FAST_RECONNECT.maxMs);
      expect(statuses.filter((s) => s.state === 'reconnecting').every((s) => s.error instanceof AmiError)).to.equal(true);
    });

    it('holds events that arrive during the resync snapshot until after the resync event', async () => {
      const c = client({ events: true, resync: { channels: true, deviceStates: false } });
      const order: string[] = [];
      c.onEvent((e) => order.push(e.kind));
      await c.connect();
      // Login sent FullyBooted/SuccessfulAuth before the snapshot was answered: they come after it.
      expect(order.slice(0, 3)).to.deep.equal(['connection.resync', 'system.fullyBooted', 'other']);
    });

    it('reports Asterisk down at start, keeps retrying, connects when it comes up', async () => {
      await peer.refuseConnections();
      const c = client();
      const first = await c.connect().catch((e: unknown) => e);
      expect(first).to.be.instanceOf(AmiConnectError);
      expect((first as Error).message).to.match(/ECONNREFUSED/);
      await waitForEvent<AmiStatus>((cb) => c.onStatus(cb), (s) => s.state === 'reconnecting' && (s.attempt ?? 0) >= 2, 'retries');
      const up = waitForEvent<AmiStatus>((cb) => c.onStatus(cb), (s) => s.state === 'up', 'up');
      await peer.acceptConnections();
      await up;
      expect(c.state).to.equal('up');
      await c.connect(); // resolves at once now
    });

    it('keepalive Ping detects a connection that stopped answering and reconnects', async () => {
      const c = client({ keepAliveMs: 40, actionTimeoutMs: 40 });
      await c.connect();
      peer.setSilent(true);
      const down = await waitForEvent<AmiStatus>((cb) => c.onStatus(cb), (s) => s.state === 'reconnecting', 'keepalive failure');
      expect(down.error).to.be.instanceOf(AmiTimeoutError);
      peer.setSilent(false);
      await waitForEvent<AmiStatus>((cb) => c.onStatus(cb), (s) => s.state === 'up', 'back up');
      expect(peer.logins).to.equal(2);
    });

    it('close() logs off, stops reconnecting and rejects later actions', async () => {
      const c = client();
      await c.connect();
      await c.close();
      expect(c.state).to.equal('closed');
      const logoff = peer.allActions().find((h) => h.some(([k, v]) => k === 'Action' && v === 'Logoff'));
      expect(logoff).to.not.equal(undefined);
      expect(await c.ping().catch((e: unknown) => e)).to.be.instanceOf(AmiNotConnectedError);
      // Deliberate: time for a reconnect attempt, to prove a closed client makes none.
      await new Promise((r) => setTimeout(r, 60));
      expect(peer.accepted).to.equal(1);
    });
  });
});
