/**
 * JSON the ARI test peer sends, built with the key order and values of the captures
 * (ari-rest.txt, ari-*-events.jsonl): the peer's bodies are byte-comparable with the recordings.
 */
import { readFileSync } from 'node:fs';
import { asteriskFixture } from '../support/fixtures.ts';

export const ASTERISK_ID = '02:fc:00:00:00:01';

export interface PeerChannel {
  id: string;
  name: string;
  state: string;
  caller: { name: string; number: string };
  connected: { name: string; number: string };
  dialplan: { context: string; exten: string; priority: number; app_name: string; app_data: string };
  creationtime: string;
  /** App whose Stasis the channel is in. */
  stasisApp?: string;
  /** Apps that get its events until ChannelDestroyed (originated by the app, or subscribed). */
  readonly trackedBy: Set<string>;
  bridgeId?: string;
  readonly vars: Map<string, string>;
  /** Other half of a Local channel pair. */
  otherHalf?: string;
  /** Channel this snoop channel spies on. */
  snoopOf?: string;
}

export interface PeerBridge {
  id: string;
  bridge_type: string;
  name: string;
  channels: string[];
  creationtime: string;
  app: string;
  /**
   * Captured: simple_bridge with up to two members, softmix with three; an enter/leave event still
   * shows the technology from before the change (ari-spy-events.jsonl), so the peer updates it after.
   */
  technology: string;
}

/** `2026-11-21T20:56:19.853+0000`, Asterisk's timestamp format. */
export function asteriskTime(date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}

export function channelJson(c: PeerChannel): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    state: c.state,
    protocol_id: '',
    caller: { name: c.caller.name, number: c.caller.number },
    connected: { name: c.connected.name, number: c.connected.number },
    accountcode: '',
    dialplan: {
      context: c.dialplan.context,
      exten: c.dialplan.exten,
      priority: c.dialplan.priority,
      app_name: c.dialplan.app_name,
      app_data: c.dialplan.app_data,
    },
    creationtime: c.creationtime,
    language: 'en',
  };
}

export function bridgeJson(b: PeerBridge): Record<string, unknown> {
  return {
    id: b.id,
    technology: b.technology,
    bridge_type: b.bridge_type,
    bridge_class: 'stasis',
    creator: 'Stasis',
    name: b.name,
    channels: [...b.channels],
    creationtime: b.creationtime,
    video_mode: 'talker',
  };
}

export function applicationJson(name: string, channelIds: Iterable<string>, bridgeIds: Iterable<string>): Record<string, unknown> {
  return {
    name,
    channel_ids: [...channelIds],
    bridge_ids: [...bridgeIds],
    endpoint_ids: [],
    device_names: [],
    events_allowed: [],
    events_disallowed: [],
  };
}

/** Events with the fields in the captured order (some types put their own fields before `type`). */
export const ariEvent = {
  stasisStart: (app: string, args: string[], ch: PeerChannel) => tail(app, { type: 'StasisStart', timestamp: asteriskTime(), args, channel: channelJson(ch) }),
  stasisEnd: (app: string, ch: PeerChannel) => channelOnly(app, 'StasisEnd', ch),
  stateChange: (app: string, ch: PeerChannel) => channelOnly(app, 'ChannelStateChange', ch),
  connectedLine: (app: string, ch: PeerChannel) => channelOnly(app, 'ChannelConnectedLine', ch),
  talkingStarted: (app: string, ch: PeerChannel) => channelOnly(app, 'ChannelTalkingStarted', ch),
  talkingFinished: (app: string, ch: PeerChannel, duration: number) =>
    tail(app, { duration, type: 'ChannelTalkingFinished', timestamp: asteriskTime(), channel: channelJson(ch) }),
  dtmf: (app: string, ch: PeerChannel, digit: string, durationMs: number) =>
    tail(app, { type: 'ChannelDtmfReceived', timestamp: asteriskTime(), digit, duration_ms: durationMs, channel: channelJson(ch) }),
  varset: (app: string, ch: PeerChannel, variable: string, value: string) =>
    tail(app, { variable, value, type: 'ChannelVarset', timestamp: asteriskTime(), channel: channelJson(ch) }),
  hangupRequest: (app: string, ch: PeerChannel, cause: number, soft: boolean) =>
    tail(app, soft ? { cause, soft: true, type: 'ChannelHangupRequest', timestamp: asteriskTime(), channel: channelJson(ch) } : { cause, type: 'ChannelHangupRequest', timestamp: asteriskTime(), channel: channelJson(ch) }),
  destroyed: (app: string, ch: PeerChannel, cause: number, causeTxt: string) =>
    tail(app, { type: 'ChannelDestroyed', timestamp: asteriskTime(), cause, cause_txt: causeTxt, channel: channelJson(ch) }),
  enteredBridge: (app: string, b: PeerBridge, ch: PeerChannel) =>
    tail(app, { type: 'ChannelEnteredBridge', timestamp: asteriskTime(), bridge: bridgeJson(b), channel: channelJson(ch) }),
  leftBridge: (app: string, b: PeerBridge, ch: PeerChannel) =>
    tail(app, { type: 'ChannelLeftBridge', timestamp: asteriskTime(), bridge: bridgeJson(b), channel: channelJson(ch) }),
  bridgeDestroyed: (app: string, b: PeerBridge) => tail(app, { type: 'BridgeDestroyed', timestamp: asteriskTime(), bridge: bridgeJson(b) }),
  dial: (app: string, peer: PeerChannel, dialstatus: string, dialstring: string) =>
    tail(app, { type: 'Dial', timestamp: asteriskTime(), dialstatus, forward: '', dialstring, peer: channelJson(peer) }),
};

function channelOnly(app: string, type: string, ch: PeerChannel): Record<string, unknown> {
  return tail(app, { type, timestamp: asteriskTime(), channel: channelJson(ch) });
}

function tail(app: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { ...fields, asterisk_id: ASTERISK_ID, application: app };
}

/** Lines of a captured .jsonl file, exactly as received. */
export function jsonlLines(file: string): string[] {
  return readFileSync(asteriskFixture(file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

export interface RecordedRestCall {
  readonly method: string;
  /** Path and query as recorded (`/ari/...`). */
  readonly target: string;
  readonly status: number;
  readonly body?: string;
}

/** The REST exchanges of an ARI .txt capture (`S> METHOD path`, `A> status`, `A> body`). */
export function recordedRestCalls(file: string): RecordedRestCall[] {
  const calls: RecordedRestCall[] = [];
  const lines = readFileSync(asteriskFixture(file), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const request = /^S> (GET|POST|PUT|DELETE) (\S+)$/.exec(lines[i] ?? '');
    if (!request) continue;
    const status = /^A> (\d{3})/.exec(lines[i + 1] ?? '');
    if (!status) continue;
    const bodyLine = lines[i + 2] ?? '';
    const body = bodyLine.startsWith('A> ') ? bodyLine.slice(3) : undefined;
    calls.push({ method: request[1] ?? '', target: request[2] ?? '', status: Number(status[1]), body });
  }
  return calls;
}
