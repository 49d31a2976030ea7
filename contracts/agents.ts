// What kind of phone an agent answers on (XCALLY's agent typology): the server stores it, the
// realtime board shows it.

export const AGENT_TYPOLOGIES = ['phonebar', 'external', 'webrtc', 'mobile'] as const;
export type AgentTypology = (typeof AGENT_TYPOLOGIES)[number];
