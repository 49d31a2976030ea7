/**
 * Pure builders (params → headers) and readers (response → typed result) for the actions AmiPort
 * offers. Header names and spellings are those of ami-session.txt / ami-actions.txt.
 */
import type { AmiHeader, AmiMessage } from './message.ts';
import { header } from './message.ts';
import { AmiHeaderValueError } from './errors.ts';
import type { AmiChannelListItem, AmiDeviceState } from './events.ts';
import { channelFrom, headerMap, queueMemberFrom } from './events.ts';
import type { AmiQueueEntry, AmiQueueStatus, OriginateParams, RedirectParams } from './port.ts';

const VARIABLE_NAME = /^[A-Za-z0-9_.()-]+$/;

function requireText(field: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new AmiHeaderValueError(`${field} is required`);
  return value;
}

export function originateHeaders(p: OriginateParams): AmiHeader[] {
  const headers: AmiHeader[] = [['Channel', requireText('Originate channel', p.channel)]];
  const dialplan = p.context !== undefined || p.exten !== undefined || p.priority !== undefined;
  if (dialplan === (p.application !== undefined)) {
    throw new AmiHeaderValueError('Originate needs either context+exten+priority or application, not both or neither');
  }
  if (dialplan) {
    headers.push(['Context', requireText('Originate context', p.context)]);
    headers.push(['Exten', requireText('Originate exten', p.exten)]);
    headers.push(['Priority', String(p.priority ?? 1)]);
  } else {
    headers.push(['Application', requireText('Originate application', p.application)]);
    if (p.data !== undefined) headers.push(['Data', p.data]);
  }
  if (p.callerId !== undefined) headers.push(['CallerID', p.callerId]);
  if (p.timeoutMs !== undefined) {
    if (!Number.isInteger(p.timeoutMs) || p.timeoutMs <= 0) throw new AmiHeaderValueError('Originate timeoutMs must be a positive integer');
    headers.push(['Timeout', String(p.timeoutMs)]);
  }
  for (const [name, value] of Object.entries(p.variables ?? {})) {
    if (!VARIABLE_NAME.test(name)) throw new AmiHeaderValueError(`Originate variable name ${JSON.stringify(name.slice(0, 40))} is not valid`);
    headers.push(['Variable', `${name}=${value}`]);
  }
  if (p.account !== undefined) headers.push(['Account', p.account]);
  if (p.earlyMedia !== undefined) headers.push(['EarlyMedia', p.earlyMedia ? 'true' : 'false']);
  if (p.codecs !== undefined) headers.push(['Codecs', p.codecs.join(',')]);
  if (p.channelId !== undefined) headers.push(['ChannelId', p.channelId]);
  if (p.otherChannelId !== undefined) headers.push(['OtherChannelId', p.otherChannelId]);
  if (p.async ?? true) headers.push(['Async', 'true']);
  return headers;
}

export function redirectHeaders(p: RedirectParams): AmiHeader[] {
  const headers: AmiHeader[] = [
    ['Channel', requireText('Redirect channel', p.channel)],
    ['Context', requireText('Redirect context', p.context)],
    ['Exten', requireText('Redirect exten', p.exten)],
    ['Priority', String(p.priority)],
  ];
  if (p.extraChannel !== undefined) {
    headers.push(['ExtraChannel', p.extraChannel]);
    if (p.extraContext !== undefined) headers.push(['ExtraContext', p.extraContext]);
    if (p.extraExten !== undefined) headers.push(['ExtraExten', p.extraExten]);
    if (p.extraPriority !== undefined) headers.push(['ExtraPriority', String(p.extraPriority)]);
  }
  return headers;
}

/** `Hangup` with a channel name; a name starting with `/` would be taken as a regex by Asterisk, so it is refused here. */
export function hangupHeaders(channel: string, cause?: number): AmiHeader[] {
  requireText('Hangup channel', channel);
  if (channel.startsWith('/')) {
    throw new AmiHeaderValueError('Hangup channel must be a channel name; "/…/" would hang up every channel matching a regex');
  }
  const headers: AmiHeader[] = [['Channel', channel]];
  if (cause !== undefined) {
    if (!Number.isInteger(cause) || cause < 0 || cause > 127) throw new AmiHeaderValueError('Hangup cause must be an integer 0..127');
    headers.push(['Cause', String(cause)]);
  }
  return headers;
}

export function varHeaders(variable: string, channel: string | undefined, value?: string): AmiHeader[] {
  const headers: AmiHeader[] = [];
  if (channel !== undefined) headers.push(['Channel', requireText('variable channel', channel)]);
  headers.push(['Variable', requireText('variable name', variable)]);
  if (value !== undefined) headers.push(['Value', value]);
  return headers;
}

export function channelListFrom(items: readonly AmiMessage[]): AmiChannelListItem[] {
  const channels: AmiChannelListItem[] = [];
  for (const item of items) {
    const h = headerMap(item);
    const channel = channelFrom(h);
    if (!channel) continue;
    const bridgeId = h.get('bridgeid');
    channels.push({
      ...channel,
      application: h.get('application') ?? '',
      applicationData: h.get('applicationdata') ?? '',
      duration: h.get('duration') ?? '',
      bridgeId: bridgeId === undefined || bridgeId === '' ? undefined : bridgeId,
    });
  }
  return channels;
}

export function deviceStatesFrom(items: readonly AmiMessage[]): AmiDeviceState[] {
  return items
    .filter((item) => header(item, 'Device') !== undefined)
    .map((item) => ({ device: header(item, 'Device') ?? '', state: header(item, 'State') ?? '' }));
}

function num(value: string | undefined): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? n : 0;
}

/** Groups QueueParams / QueueMember / QueueEntry items by queue, in the order Asterisk lists them. */
export function queueStatusFrom(items: readonly AmiMessage[]): AmiQueueStatus[] {
  const byQueue = new Map<string, { queue?: AmiQueueStatus['queue']; members: AmiQueueStatus['members'][number][]; entries: AmiQueueEntry[] }>();
  const slot = (name: string): { queue?: AmiQueueStatus['queue']; members: AmiQueueStatus['members'][number][]; entries: AmiQueueEntry[] } => {
    let s = byQueue.get(name);
    if (!s) {
      s = { members: [], entries: [] };
      byQueue.set(name, s);
    }
    return s;
  };
  for (const item of items) {
    const h = headerMap(item);
    const queue = h.get('queue') ?? '';
    switch ((h.get('event') ?? '').toLowerCase()) {
      case 'queueparams':
        slot(queue).queue = {
          name: queue,
          strategy: h.get('strategy') ?? '',
          max: num(h.get('max')),
          calls: num(h.get('calls')),
          holdTime: num(h.get('holdtime')),
          talkTime: num(h.get('talktime')),
          completed: num(h.get('completed')),
          abandoned: num(h.get('abandoned')),
          serviceLevel: num(h.get('servicelevel')),
          weight: num(h.get('weight')),
        };
        break;
      case 'queuemember':
        slot(queue).members.push(queueMemberFrom(h));
        break;
      case 'queueentry':
        slot(queue).entries.push({
          queue,
          position: num(h.get('position')),
          channel: h.get('channel') ?? '',
          uniqueId: h.get('uniqueid') ?? '',
          callerIdNum: h.get('calleridnum') || undefined,
          callerIdName: h.get('calleridname') || undefined,
          waitSeconds: num(h.get('wait')),
          priority: num(h.get('priority')),
        });
        break;
      default:
        break;
    }
  }
  const result: AmiQueueStatus[] = [];
  for (const [name, s] of byQueue) {
    result.push({
      queue: s.queue ?? { name, strategy: '', max: 0, calls: 0, holdTime: 0, talkTime: 0, completed: 0, abandoned: 0, serviceLevel: 0, weight: 0 },
      members: s.members,
      entries: s.entries,
    });
  }
  return result;
}
