// The channels an interaction reaches Tandem on: the one list that queues, agents' capacities and
// auto-answer, permission modules, the realtime board, the agent desktop and the flow language all
// read. Add a channel here and every one of them knows it (the database's CHECK constraint on
// queues.channel is SQL, in the migrations: a new channel needs a migration too).

export const CHANNELS = ['voice', 'chat', 'sms', 'email', 'openchannel', 'fax', 'whatsapp'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Every channel but voice: those whose capacity an agent sets (voice is always one call at a time). */
export const NON_VOICE_CHANNELS = CHANNELS.filter((c): c is Exclude<Channel, 'voice'> => c !== 'voice');

/**
 * The channels a flow project (an IVR or a chat bot) can be written for. WhatsApp conversations go
 * straight to queues: no flow runs on them, so the designer offers no WhatsApp project.
 */
export type FlowChannel = Exclude<Channel, 'whatsapp'>;
export const FLOW_CHANNELS = CHANNELS.filter((c): c is FlowChannel => c !== 'whatsapp');

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}
