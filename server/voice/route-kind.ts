// The three kinds of voice route (inbound, internal, outbound), which are also the three directions
// of a call. The list is part of what the API accepts, so it lives with its schemas.
export type { RouteKind } from '../../contracts/voice.ts';
