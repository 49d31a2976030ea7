// Queue engine events to the agents' browsers: an agent's room (`user:<id>`) receives its offers,
// their end (taken elsewhere, expired, withdrawn) and its accepted interactions. With several nodes,
// socket.io's Redis adapter carries these to the node the agent is connected to.
import type { Server } from 'socket.io';
import type { AcdEngine } from '../acd/engine.ts';

/** Room of the users who watch queues and agents live (supervisor pages; scoped per user later). */
export const MONITOR_ROOM = 'acd:monitor';

export function connectAcdToRealtime(engine: AcdEngine, io: Server): void {
  engine.on('presence', (presence) => {
    io.to(`user:${presence.agentId}`).to(MONITOR_ROOM).emit('acd:presence', presence);
  });
  engine.on('entry-queued', (entry) => {
    io.to(MONITOR_ROOM).emit('acd:entry', { entryId: entry.id, queueId: entry.queueId, channel: entry.channel, status: entry.status, caller: entry.caller, enqueuedAt: entry.enqueuedAt });
  });
  engine.on('entry-ended', (entry) => {
    io.to(MONITOR_ROOM).emit('acd:entry', { entryId: entry.id, queueId: entry.queueId, channel: entry.channel, status: entry.status, agentId: entry.agentId, endedAt: entry.endedAt });
  });
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
    io.to(MONITOR_ROOM).emit('acd:entry', { entryId: entry.id, queueId: entry.queueId, channel: entry.channel, status: entry.status, agentId: entry.agentId });
  });
}
