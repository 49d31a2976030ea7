/**
 * ARI resource shapes (zod), as Asterisk 22.10.1 sent them in the ari-*.txt / *.jsonl captures.
 * Objects are loose: fields a later Asterisk adds pass through instead of failing validation.
 */
import { z } from 'zod';

export const CallerIdSchema = z.looseObject({ name: z.string(), number: z.string() });

export const DialplanSchema = z.looseObject({
  context: z.string(),
  exten: z.string(),
  priority: z.number(),
  app_name: z.string().optional(),
  app_data: z.string().optional(),
});

export const ChannelSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  /** Down, Rsrved, OffHook, Dialing, Ring, Ringing, Up, Busy, Dialing Offhook, Pre-ring, Unknown. */
  state: z.string(),
  protocol_id: z.string().optional(),
  caller: CallerIdSchema,
  connected: CallerIdSchema,
  accountcode: z.string(),
  dialplan: DialplanSchema,
  creationtime: z.string(),
  language: z.string(),
  channelvars: z.record(z.string(), z.string()).optional(),
});
export type AriChannel = z.infer<typeof ChannelSchema>;

export const BridgeSchema = z.looseObject({
  id: z.string().min(1),
  technology: z.string(),
  bridge_type: z.string(),
  bridge_class: z.string(),
  creator: z.string(),
  name: z.string(),
  channels: z.array(z.string()),
  creationtime: z.string().optional(),
  video_mode: z.string().optional(),
});
export type AriBridge = z.infer<typeof BridgeSchema>;

export const ApplicationSchema = z.looseObject({
  name: z.string(),
  channel_ids: z.array(z.string()),
  bridge_ids: z.array(z.string()),
  endpoint_ids: z.array(z.string()),
  device_names: z.array(z.string()),
});
export type AriApplication = z.infer<typeof ApplicationSchema>;

export const AsteriskInfoSchema = z.looseObject({
  build: z.looseObject({}).optional(),
  system: z.looseObject({ version: z.string(), entity_id: z.string() }).optional(),
  config: z.looseObject({}).optional(),
  status: z.looseObject({}).optional(),
});
export type AriAsteriskInfo = z.infer<typeof AsteriskInfoSchema>;

export const VariableSchema = z.looseObject({ value: z.string() });

export const DeviceStateSchema = z.looseObject({ name: z.string(), state: z.string() });
export type AriDeviceState = z.infer<typeof DeviceStateSchema>;

/** Playback as documented by ARI (`POST /channels/{id}/play` -> 201); not in the captures. */
export const PlaybackSchema = z.looseObject({
  id: z.string(),
  media_uri: z.string(),
  target_uri: z.string(),
  language: z.string().optional(),
  state: z.string(),
});
export type AriPlayback = z.infer<typeof PlaybackSchema>;
