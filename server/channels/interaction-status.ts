/** Where an interaction of a non-voice channel stands: being handled, waiting for someone, or over. */
export type InteractionStatus = 'open' | 'pending' | 'closed';
