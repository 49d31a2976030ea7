// What kind of phone an agent answers on (XCALLY's agent typology): the server stores it, the
// realtime board shows it. And the per-channel settings stored with each agent.
import type { Channel } from './channels.ts';

export const AGENT_TYPOLOGIES = ['phonebar', 'external', 'webrtc', 'mobile'] as const;
export type AgentTypology = (typeof AGENT_TYPOLOGIES)[number];

/** Most interactions an agent has open at once, per non-voice channel (0 = unlimited; voice is always one call at a time). */
export type ChannelSettings = Partial<Record<Exclude<Channel, 'voice'>, number>>;
/** Per channel: whether offers to the agent are accepted on their own, and after how many seconds. */
export type AutoAnswer = Partial<Record<Channel, { enabled: boolean; delaySeconds: number }>>;
