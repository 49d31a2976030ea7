/**
 * AMI events normalised into a small typed union (pure). Field names and values follow
 * ami-session.txt / ami-actions.txt (Asterisk 22.10.1); events the captures do not contain
 * (DTMFBegin/DTMFEnd, PeerStatus, QueueCallerAbandon, QueueMemberPause/Added/Removed,
 * AgentRingNoAnswer) are read with the field names of Asterisk's AMI event documentation.
 * Anything else arrives as `other` with its raw headers, so no event is ever lost.
 */
import type { AmiMessage } from './message.ts';
import type { AmiError } from './errors.ts';

/** The channel snapshot every channel event carries (`Channel`, `ChannelState`, … or `Dest…`). */
export interface AmiChannel {
  readonly channel: string;
  readonly uniqueId: string;
  readonly linkedId: string;
  /** Asterisk channel state number (0 Down, 4 Ring, 5 Ringing, 6 Up, …). */
  readonly state: number;
  readonly stateDesc: string;
  /** `<unknown>` and empty values become undefined. */
  readonly callerIdNum?: string;
  readonly callerIdName?: string;
  readonly connectedLineNum?: string;
  readonly connectedLineName?: string;
  readonly context: string;
  readonly exten: string;
  readonly priority: number;
  readonly accountCode?: string;
  readonly language?: string;
}

export interface AmiBridge {
  readonly id: string;
  readonly type: string;
  readonly technology: string;
  readonly numChannels: number;
  readonly name?: string;
  readonly creator?: string;
}

export interface AmiQueueMember {
  readonly queue: string;
  readonly name: string;
  readonly interface: string;
  readonly stateInterface: string;
  readonly membership: string;
  readonly penalty: number;
  readonly callsTaken: number;
  readonly lastCall: number;
  readonly lastPause: number;
  readonly loginTime: number;
  readonly inCall: boolean;
  /** Device status number as Asterisk reports it for members (1 not in use, 2 in use, …). */
  readonly status: number;
  readonly paused: boolean;
  readonly pausedReason?: string;
  readonly wrapupTime: number;
}

interface Base {
  /** The AMI `Event:` name as received. */
  readonly name: string;
  readonly raw: AmiMessage;
}

export type AmiEvent =
  | (Base & { readonly kind: 'channel.new'; readonly channel: AmiChannel })
  | (Base & { readonly kind: 'channel.state'; readonly channel: AmiChannel })
  | (Base & { readonly kind: 'channel.hangupRequest'; readonly channel: AmiChannel; readonly cause?: number; readonly soft: boolean })
  | (Base & { readonly kind: 'channel.hangup'; readonly channel: AmiChannel; readonly cause: number; readonly causeText: string })
  | (Base & {
      readonly kind: 'channel.dtmf';
      readonly channel: AmiChannel;
      readonly digit: string;
      readonly direction: string;
      readonly phase: 'begin' | 'end';
      readonly durationMs?: number;
    })
  | (Base & { readonly kind: 'channel.varset'; readonly channel?: AmiChannel; readonly variable: string; readonly value: string })
  | (Base & { readonly kind: 'channel.dialplan'; readonly channel: AmiChannel; readonly application: string; readonly appData: string })
  | (Base & { readonly kind: 'channel.moh'; readonly channel: AmiChannel; readonly on: boolean; readonly mohClass?: string })
  | (Base & { readonly kind: 'dial.begin'; readonly caller?: AmiChannel; readonly dest: AmiChannel; readonly dialString: string })
  | (Base & { readonly kind: 'dial.end'; readonly caller?: AmiChannel; readonly dest: AmiChannel; readonly dialStatus: string })
  | (Base & { readonly kind: 'bridge.create' | 'bridge.destroy'; readonly bridge: AmiBridge })
  | (Base & { readonly kind: 'bridge.enter' | 'bridge.leave'; readonly bridge: AmiBridge; readonly channel: AmiChannel })
  | (Base & { readonly kind: 'device.state'; readonly device: string; readonly state: string })
  | (Base & {
      readonly kind: 'peer.status';
      readonly peer: string;
      readonly channelType: string;
      readonly status: string;
      readonly cause?: string;
      readonly address?: string;
    })
  | (Base & {
      readonly kind: 'extension.status';
      readonly exten: string;
      readonly context: string;
      readonly hint?: string;
      readonly status: number;
      readonly statusText: string;
    })
  | (Base & {
      readonly kind: 'queue.caller';
      readonly phase: 'join' | 'leave' | 'abandon';
      readonly queue: string;
      readonly channel: AmiChannel;
      readonly position: number;
      readonly count?: number;
      readonly holdTime?: number;
    })
  | (Base & {
      readonly kind: 'queue.member';
      readonly change: 'status' | 'added' | 'removed' | 'pause' | 'penalty' | 'ringinuse';
      readonly member: AmiQueueMember;
    })
  | (Base & {
      readonly kind: 'queue.agent';
      readonly phase: 'called' | 'connect' | 'complete' | 'ringNoAnswer' | 'dump';
      readonly queue: string;
      readonly caller: AmiChannel;
      readonly agent?: AmiChannel;
      readonly interface: string;
      readonly memberName: string;
      readonly holdTime?: number;
      readonly talkTime?: number;
      readonly ringTime?: number;
      readonly reason?: string;
    })
  | (Base & {
      readonly kind: 'originate.response';
      readonly actionId?: string;
      readonly success: boolean;
      /** Asterisk's originate reason code (4 answered, 0 failed/no such extension, 5 busy, 3 no answer…). */
      readonly reason: number;
      readonly channel: string;
      readonly uniqueId?: string;
    })
  | (Base & { readonly kind: 'system.fullyBooted' })
  | (Base & { readonly kind: 'other'; readonly headers: ReadonlyMap<string, string> });

/**
 * Emitted by the client itself (not by Asterisk) after every successful login: Asterisk does not
 * replay events missed while disconnected, so consumers rebuild their view from this snapshot.
 */
export interface AmiResyncEvent {
  readonly kind: 'connection.resync';
  /** false after the first login of this client, true after every later one. */
  readonly reconnected: boolean;
  readonly channels?: readonly AmiChannelListItem[];
  readonly deviceStates?: readonly AmiDeviceState[];
  /** Snapshot parts that could not be fetched (e.g. Permission denied for a read-only user). */
  readonly errors: readonly AmiError[];
}

export interface AmiChannelListItem extends AmiChannel {
  readonly application: string;
  readonly applicationData: string;
  readonly duration: string;
  readonly bridgeId?: string;
}

export interface AmiDeviceState {
  readonly device: string;
  readonly state: string;
}

export type AmiStreamEvent = AmiEvent | AmiResyncEvent;

/** Lower-cased header map; first value wins (events repeat no header the normaliser reads). */
export function headerMap(message: AmiMessage): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of message.headers) {
    const key = name.toLowerCase();
    if (!map.has(key)) map.set(key, value);
  }
  return map;
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value === '<unknown>' ? undefined : value;
}

function int(value: string | undefined, fallback = 0): number {
  if (value === undefined || value === '') return fallback;
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : fallback;
}

function optInt(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : undefined;
}

/** Reads the channel snapshot with an optional prefix (`Dest`, `LocalOne`); undefined if absent. */
export function channelFrom(h: ReadonlyMap<string, string>, prefix = ''): AmiChannel | undefined {
  const p = prefix.toLowerCase();
  const name = h.get(`${p}channel`);
  if (name === undefined) return undefined;
  return {
    channel: name,
    uniqueId: h.get(`${p}uniqueid`) ?? '',
    linkedId: h.get(`${p}linkedid`) ?? '',
    state: int(h.get(`${p}channelstate`)),
    stateDesc: h.get(`${p}channelstatedesc`) ?? '',
    callerIdNum: present(h.get(`${p}calleridnum`)),
    callerIdName: present(h.get(`${p}calleridname`)),
    connectedLineNum: present(h.get(`${p}connectedlinenum`)),
    connectedLineName: present(h.get(`${p}connectedlinename`)),
    context: h.get(`${p}context`) ?? '',
    exten: h.get(`${p}exten`) ?? '',
    priority: int(h.get(`${p}priority`)),
    accountCode: present(h.get(`${p}accountcode`)),
    language: present(h.get(`${p}language`)),
  };
}

function bridgeFrom(h: ReadonlyMap<string, string>): AmiBridge {
  return {
    id: h.get('bridgeuniqueid') ?? '',
    type: h.get('bridgetype') ?? '',
    technology: h.get('bridgetechnology') ?? '',
    numChannels: int(h.get('bridgenumchannels')),
    name: present(h.get('bridgename')),
    creator: present(h.get('bridgecreator')),
  };
}

/** Queue member fields; `QueueMember` (list item) says Name/Location, `QueueMemberStatus` MemberName/Interface. */
export function queueMemberFrom(h: ReadonlyMap<string, string>): AmiQueueMember {
  const iface = h.get('interface') ?? h.get('location') ?? '';
  return {
    queue: h.get('queue') ?? '',
    name: h.get('membername') ?? h.get('name') ?? iface,
    interface: iface,
    stateInterface: h.get('stateinterface') ?? iface,
    membership: h.get('membership') ?? '',
    penalty: int(h.get('penalty')),
    callsTaken: int(h.get('callstaken')),
    lastCall: int(h.get('lastcall')),
    lastPause: int(h.get('lastpause')),
    loginTime: int(h.get('logintime')),
    inCall: h.get('incall') === '1',
    status: int(h.get('status')),
    paused: h.get('paused') === '1',
    pausedReason: present(h.get('pausedreason')),
    wrapupTime: int(h.get('wrapuptime')),
  };
}

const MEMBER_CHANGES: Readonly<Record<string, 'status' | 'added' | 'removed' | 'pause' | 'penalty' | 'ringinuse'>> = {
  queuememberstatus: 'status',
  queuememberadded: 'added',
  queuememberremoved: 'removed',
  queuememberpause: 'pause',
  queuememberpenalty: 'penalty',
  queuememberringinuse: 'ringinuse',
};

const AGENT_PHASES: Readonly<Record<string, 'called' | 'connect' | 'complete' | 'ringNoAnswer' | 'dump'>> = {
  agentcalled: 'called',
  agentconnect: 'connect',
  agentcomplete: 'complete',
  agentringnoanswer: 'ringNoAnswer',
  agentdump: 'dump',
};

/**
 * Normalises one AMI message that carries `Event:`. Returns undefined for non-events.
 * A known event whose required channel fields are missing falls back to `other` rather than
 * throwing: a consumer still sees it, and one odd event never breaks the stream.
 */
export function normaliseAmiEvent(message: AmiMessage): AmiEvent | undefined {
  const h = headerMap(message);
  const name = h.get('event');
  if (name === undefined) return undefined;
  const base = { name, raw: message };
  const other: AmiEvent = { ...base, kind: 'other', headers: h };
  const key = name.toLowerCase();
  const channel = channelFrom(h);

  switch (key) {
    case 'newchannel':
      return channel ? { ...base, kind: 'channel.new', channel } : other;
    case 'newstate':
      return channel ? { ...base, kind: 'channel.state', channel } : other;
    case 'hanguprequest':
    case 'softhanguprequest':
      return channel
        ? { ...base, kind: 'channel.hangupRequest', channel, cause: optInt(h.get('cause')), soft: key === 'softhanguprequest' }
        : other;
    case 'hangup':
      return channel ? { ...base, kind: 'channel.hangup', channel, cause: int(h.get('cause')), causeText: h.get('cause-txt') ?? '' } : other;
    case 'dtmfbegin':
    case 'dtmfend':
      return channel
        ? {
            ...base,
            kind: 'channel.dtmf',
            channel,
            digit: h.get('digit') ?? '',
            direction: h.get('direction') ?? '',
            phase: key === 'dtmfbegin' ? 'begin' : 'end',
            durationMs: optInt(h.get('durationms')),
          }
        : other;
    case 'varset':
      return { ...base, kind: 'channel.varset', channel, variable: h.get('variable') ?? '', value: h.get('value') ?? '' };
    case 'newexten':
      return channel
        ? { ...base, kind: 'channel.dialplan', channel, application: h.get('application') ?? '', appData: h.get('appdata') ?? '' }
        : other;
    case 'musiconholdstart':
    case 'musiconholdstop':
      return channel
        ? { ...base, kind: 'channel.moh', channel, on: key === 'musiconholdstart', mohClass: present(h.get('class')) }
        : other;
    case 'dialbegin':
    case 'dialend': {
      const dest = channelFrom(h, 'Dest');
      if (!dest) return other;
      return key === 'dialbegin'
        ? { ...base, kind: 'dial.begin', caller: channel, dest, dialString: h.get('dialstring') ?? '' }
        : { ...base, kind: 'dial.end', caller: channel, dest, dialStatus: h.get('dialstatus') ?? '' };
    }
    case 'bridgecreate':
      return { ...base, kind: 'bridge.create', bridge: bridgeFrom(h) };
    case 'bridgedestroy':
      return { ...base, kind: 'bridge.destroy', bridge: bridgeFrom(h) };
    case 'bridgeenter':
    case 'bridgeleave':
      return channel ? { ...base, kind: key === 'bridgeenter' ? 'bridge.enter' : 'bridge.leave', bridge: bridgeFrom(h), channel } : other;
    case 'devicestatechange':
      return { ...base, kind: 'device.state', device: h.get('device') ?? '', state: h.get('state') ?? '' };
    case 'peerstatus':
      return {
        ...base,
        kind: 'peer.status',
        peer: h.get('peer') ?? '',
        channelType: h.get('channeltype') ?? '',
        status: h.get('peerstatus') ?? '',
        cause: present(h.get('cause')),
        address: present(h.get('address')),
      };
    case 'extensionstatus':
      return {
        ...base,
        kind: 'extension.status',
        exten: h.get('exten') ?? '',
        context: h.get('context') ?? '',
        hint: present(h.get('hint')),
        status: int(h.get('status'), -1),
        statusText: h.get('statustext') ?? '',
      };
    case 'queuecallerjoin':
    case 'queuecallerleave':
    case 'queuecallerabandon':
      return channel
        ? {
            ...base,
            kind: 'queue.caller',
            phase: key === 'queuecallerjoin' ? 'join' : key === 'queuecallerleave' ? 'leave' : 'abandon',
            queue: h.get('queue') ?? '',
            channel,
            position: int(h.get('position')),
            count: optInt(h.get('count')),
            holdTime: optInt(h.get('holdtime')),
          }
        : other;
    case 'originateresponse':
      return {
        ...base,
        kind: 'originate.response',
        actionId: h.get('actionid'),
        success: (h.get('response') ?? '').toLowerCase() === 'success',
        reason: int(h.get('reason')),
        channel: h.get('channel') ?? '',
        uniqueId: present(h.get('uniqueid')),
      };
    case 'fullybooted':
      return { ...base, kind: 'system.fullyBooted' };
    default:
      break;
  }
  const change = MEMBER_CHANGES[key];
  if (change) return { ...base, kind: 'queue.member', change, member: queueMemberFrom(h) };
  const phase = AGENT_PHASES[key];
  if (phase && channel) {
    return {
      ...base,
      kind: 'queue.agent',
      phase,
      queue: h.get('queue') ?? '',
      caller: channel,
      agent: channelFrom(h, 'Dest'),
      interface: h.get('interface') ?? '',
      memberName: h.get('membername') ?? '',
      holdTime: optInt(h.get('holdtime')),
      talkTime: optInt(h.get('talktime')),
      ringTime: optInt(h.get('ringtime')),
      reason: present(h.get('reason')),
    };
  }
  return other;
}
