/**
 * The three kinds of voice route, which are also the three directions of a call: inbound (a DID
 * from a trunk), internal (an extension dialled from a phone), outbound (a number sent to a trunk).
 */
export type RouteKind = 'inbound' | 'internal' | 'outbound';
