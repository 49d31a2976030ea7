// Queue engine events to the agents' browsers: an agent's room (`user:<id>`) receives its offers,
// their end (taken elsewhere, expired, withdrawn) and its accepted interactions. With several nodes,
// socket.io's Redis adapter carries these to the node the agent is connected to.
import type { Server } from 'socket.io';
import type { AcdEngine } from '../acd/engine.ts';

export function connectAcdToRealtime(engine: AcdEngine, io: Server): void {
  engine.on('offer', (offer, entry) => {
    io.to(`user:${offer.agentId}`).emit('acd:offer', {
      offerId: offer.id,
      entryId: entry.id,
      queueId: entry.queueId,
      channel: entry.channel,
      caller: entry.caller,
      interactionRef: entry.interactionRef,
      expiresAt: offer.expiresAt,
      autoAnswer: offer.autoAnswer,
    });
  });
  engine.on('offer-ended', (offer) => {
    io.to(`user:${offer.agentId}`).emit('acd:offer-ended', { offerId: offer.id, entryId: offer.entryId, status: offer.status });
  });
  engine.on('entry-accepted', (entry, offer) => {
    io.to(`user:${offer.agentId}`).emit('acd:accepted', { offerId: offer.id, entryId: entry.id, channel: entry.channel, interactionRef: entry.interactionRef });
  });
}
