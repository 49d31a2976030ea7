/** How a spy session started: from the realtime board (Tandem calls the supervisor) or a feature code dialled on their phone. */
export type SpyOrigin = 'board' | 'feature-code';
