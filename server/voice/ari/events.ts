/**
 * ARI WebSocket events, typed (zod), with the fields the captures show (ari-events.jsonl,
 * ari-handoff-events.jsonl, ari-queue-bridge-events.jsonl, ari-spy-events.jsonl).
 * BridgeCreated is typed from the ARI docs: Asterisk did NOT send it for bridges the app created
 * over REST in the captures, so nothing may wait for it.
 * Unknown types, or known types with an unexpected shape, become `Other` (never a crash).
 */
import { z } from 'zod';
import { BridgeSchema, ChannelSchema } from './models.ts';
import type { AriBridge, AriChannel } from './models.ts';

const base = {
  timestamp: z.string(),
  application: z.string(),
  asterisk_id: z.string().optional(),
};

const channelEvent = <T extends string>(type: T) => z.looseObject({ type: z.literal(type), ...base, channel: ChannelSchema });

export const EventSchemas = {
  StasisStart: z.looseObject({
    type: z.literal('StasisStart'),
    ...base,
    args: z.array(z.string()),
    channel: ChannelSchema,
    replace_channel: ChannelSchema.optional(),
  }),
  StasisEnd: channelEvent('StasisEnd'),
  ChannelStateChange: channelEvent('ChannelStateChange'),
  ChannelDtmfReceived: z.looseObject({
    type: z.literal('ChannelDtmfReceived'),
    ...base,
    digit: z.string(),
    duration_ms: z.number(),
    channel: ChannelSchema,
  }),
  /** `soft: true` → `cause` is Asterisk's soft-hangup flag (32 = via ARI), not a Q.850 cause. */
  ChannelHangupRequest: z.looseObject({
    type: z.literal('ChannelHangupRequest'),
    ...base,
    cause: z.number().optional(),
    soft: z.boolean().optional(),
    channel: ChannelSchema,
  }),
  ChannelDestroyed: z.looseObject({
    type: z.literal('ChannelDestroyed'),
    ...base,
    cause: z.number(),
    cause_txt: z.string(),
    channel: ChannelSchema,
  }),
  ChannelEnteredBridge: z.looseObject({ type: z.literal('ChannelEnteredBridge'), ...base, bridge: BridgeSchema, channel: ChannelSchema }),
  ChannelLeftBridge: z.looseObject({ type: z.literal('ChannelLeftBridge'), ...base, bridge: BridgeSchema, channel: ChannelSchema }),
  BridgeCreated: z.looseObject({ type: z.literal('BridgeCreated'), ...base, bridge: BridgeSchema }),
  BridgeDestroyed: z.looseObject({ type: z.literal('BridgeDestroyed'), ...base, bridge: BridgeSchema }),
  /** `peer` is the dialed channel; `caller` is absent when the app originated it (captures). */
  Dial: z.looseObject({
    type: z.literal('Dial'),
    ...base,
    dialstatus: z.string(),
    dialstring: z.string().optional(),
    forward: z.string().optional(),
    peer: ChannelSchema,
    caller: ChannelSchema.optional(),
  }),
  ChannelTalkingStarted: channelEvent('ChannelTalkingStarted'),
  ChannelTalkingFinished: z.looseObject({
    type: z.literal('ChannelTalkingFinished'),
    ...base,
    duration: z.number(),
    channel: ChannelSchema,
  }),
  /** `channel` absent for a global variable. */
  ChannelVarset: z.looseObject({
    type: z.literal('ChannelVarset'),
    ...base,
    variable: z.string(),
    value: z.string(),
    channel: ChannelSchema.optional(),
  }),
  ChannelCallerId: z.looseObject({
    type: z.literal('ChannelCallerId'),
    ...base,
    caller_presentation: z.number(),
    caller_presentation_txt: z.string(),
    channel: ChannelSchema,
  }),
  ChannelConnectedLine: channelEvent('ChannelConnectedLine'),
  ChannelDialplan: z.looseObject({
    type: z.literal('ChannelDialplan'),
    ...base,
    dialplan_app: z.string(),
    dialplan_app_data: z.string(),
    channel: ChannelSchema,
  }),
} as const;

type Schemas = typeof EventSchemas;
export type AriKnownEventType = keyof Schemas;
export type AriKnownEvent = { [K in AriKnownEventType]: z.infer<Schemas[K]> }[AriKnownEventType];
export type AriEventOf<K extends AriKnownEventType> = z.infer<Schemas[K]>;

/** Any other event Asterisk sends (PlaybackStarted, ChannelUserevent, …), or a known one that failed validation. */
export interface AriOtherEvent {
  readonly type: 'Other';
  readonly eventType: string;
  readonly raw: Readonly<Record<string, unknown>>;
  /** Set when the type is known but the shape did not validate. */
  readonly problem?: string;
}

export type AriEvent = AriKnownEvent | AriOtherEvent;

/** Emitted by the client after every (re)connect, before any event received after it. */
export interface AriResyncEvent {
  readonly type: 'connection.resync';
  readonly reconnected: boolean;
  /** Channels in our Stasis application (or subscribed by it) right now: recover these. */
  readonly channels: readonly AriChannel[];
  /** Bridges the application holds. */
  readonly bridges: readonly AriBridge[];
}

/** Sent to a channel's handlers when the resync finds the channel gone (its end happened while we were away). */
export interface AriChannelLostEvent {
  readonly type: 'connection.channelLost';
  readonly channelId: string;
}

export type AriStreamEvent = AriEvent | AriResyncEvent;

const KNOWN = new Map<string, z.ZodType>(Object.entries(EventSchemas));

/** Parses one WebSocket text frame. Throws only for text that is not a JSON object with a `type`. */
export function parseAriEvent(text: string): AriEvent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SyntaxError(`ARI event is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json) || typeof (json as Record<string, unknown>)['type'] !== 'string') {
    throw new SyntaxError('ARI event has no "type"');
  }
  const raw = json as Record<string, unknown>;
  const eventType = raw['type'] as string;
  const schema = KNOWN.get(eventType);
  if (!schema) return { type: 'Other', eventType, raw };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { type: 'Other', eventType, raw, problem: issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid' };
  }
  return parsed.data as AriKnownEvent;
}

/** Ids of the channels an event concerns (its `channel`; for Dial the dialed `peer` and the `caller`). */
export function channelIdsOf(event: AriEvent): string[] {
  if (event.type === 'Other') return [];
  if (event.type === 'Dial') return event.caller ? [event.peer.id, event.caller.id] : [event.peer.id];
  const channel = (event as { channel?: AriChannel }).channel;
  return channel ? [channel.id] : [];
}
