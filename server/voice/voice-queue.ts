// Voice queueing through ARI. The Queue block (AgiCall.enqueue) puts the call in the queue engine
// and hands the channel to the Stasis app (EXEC Stasis tandem,queue,<entry>), which holds it with
// music on hold. When the engine offers the entry to an agent, the agent's phone is originated into
// the app; on answer the offer is accepted (a guarded update: only one agent wins) and caller and
// agent are bridged. When the agent hangs up, the caller goes back to the AGI (continue) and the flow
// goes on from the Queue block's `answered` exit; on timeout it goes on from `timeout`.
import type { Logger } from '../logger.ts';
import type { Db } from '../db/database.ts';
import { and, eq, sql } from 'drizzle-orm';
import { offers, queues } from '../db/schema.ts';
import type { AcdEngine, EntryRow, OfferRow } from '../acd/engine.ts';
import { presenceOf } from '../acd/presence.ts';
import type { AriPort } from './ari/port.ts';
import type { StasisApp } from './ari/stasis-app.ts';
import type { AriChannel } from './ari/models.ts';
import { CallHungUpError, type EnqueueOptions, type EnqueueResult } from '../../flows/call-port.ts';
import type { AgiCall } from './agi/agi-call.ts';
import { STATUS_VARIABLE } from './call-handler.ts';

/** Channel variables the Stasis side leaves for the AGI side (and the dialplan). */
export const QUEUE_OUTCOME = 'TANDEM_QUEUE_OUTCOME';
export const QUEUE_AGENT = 'TANDEM_QUEUE_AGENT';

interface Held {
  entryId: number;
  queueId: number;
  callerChannelId: string;
  mohClass: string;
  bridgeId?: string;
  agentChannelId?: string;
  agentId?: number;
  ended: boolean;
  /**
   * Taken over from the Stasis application after a restart: the FastAGI session that put the
   * caller here (and the flow waiting on it) died with the previous node.
   */
  recovered: boolean;
  /** Periodic position announcements. */
  announceTimer?: NodeJS.Timeout;
  announcing: boolean;
}

/** A queue call in conversation: the main bridge holds the caller and the agent. */
export interface AgentCall {
  readonly entryId: number;
  readonly bridgeId: string;
  readonly agentChannelId: string;
  readonly callerChannelId: string;
}

interface Leg {
  offerId: number;
  entryId: number;
  agentId: number;
  channelId: string;
  answered: boolean;
}

export interface VoiceQueueDeps {
  db: Db;
  engine: AcdEngine;
  ari: AriPort;
  stasis: StasisApp;
  logger: Logger;
  /** Prompt names → what Asterisk plays (Tandem's sound library or Asterisk's own sounds). */
  resolvePrompt?: (name: string, language: string) => string;
}

/** "You are next" / "there are N calls waiting before you", with Asterisk's core queue sounds. */
export function positionMedia(position: number): string[] {
  return position <= 1 ? ['sound:queue-youarenext'] : ['sound:queue-thereare', `number:${position - 1}`, 'sound:queue-callswaiting'];
}

export class VoiceQueue {
  readonly #deps: VoiceQueueDeps;
  readonly #held = new Map<number, Held>();
  readonly #legs = new Map<number, Leg>();
  /** Offers whose agent leg is being originated (not yet in #legs): each offer rings one phone once. */
  readonly #dialing = new Set<number>();

  constructor(deps: VoiceQueueDeps) {
    this.#deps = deps;
    deps.stasis.on('queue', (channel, args) => this.#holdCaller(channel, Number(args[0])));
    deps.stasis.on('agent', (channel, args) => this.#agentAnswered(channel, Number(args[0])));
    deps.stasis.recoverWith((channel) => this.#recover(channel));
    deps.engine.on('offer', (offer, entry) => void this.#ringAgent(offer, entry).catch((err: unknown) => this.#log.warn({ err: String(err), offer: offer.id }, 'ringing the agent failed')));
    deps.engine.on('offer-ended', (offer) => void this.#offerEnded(offer));
    deps.engine.on('entry-ended', (entry) => void this.#entryEnded(entry));
  }

  get #log(): Logger {
    return this.#deps.logger;
  }

  /** The agent's call bridged on this node, if any (supervisors listen / whisper / barge on it). */
  callOfAgent(agentId: number): AgentCall | undefined {
    for (const h of this.#held.values()) {
      if (h.agentId === agentId && !h.ended && h.bridgeId && h.agentChannelId) {
        return { entryId: h.entryId, bridgeId: h.bridgeId, agentChannelId: h.agentChannelId, callerChannelId: h.callerChannelId };
      }
    }
    return undefined;
  }

  /** AgiCall's enqueue: the Queue block's whole wait, from joining to leaving the queue. */
  async enqueue(call: AgiCall, options: EnqueueOptions, signal: AbortSignal): Promise<EnqueueResult> {
    const { db, engine, ari } = this.#deps;
    const [queue] = await db
      .select()
      .from(queues)
      .where(and(eq(queues.channel, 'voice'), sql`lower(${queues.name}) = lower(${options.queue})`));
    if (!queue) return { outcome: 'failed' };
    if (ari.state !== 'up') {
      this.#log.warn({ queue: queue.name }, 'ARI is not connected: the call cannot be held in the queue');
      return { outcome: 'failed' };
    }
    const joined = await engine.enqueue({
      queueId: queue.id,
      interactionRef: call.info.callId,
      caller: call.info.callerNumber,
      priority: options.priority,
      timeoutMs: options.timeoutMs,
      data: options.musicOnHold ? { mohClass: options.musicOnHold } : {},
    });
    if (!joined.ok) return { outcome: joined.outcome };
    const entryId = joined.entry.id;
    try {
      await call.exec('Stasis', [ari.app, 'queue', String(entryId)], signal);
      const stasisStatus = await call.getVariable('STASISSTATUS', signal);
      if (stasisStatus === 'FAILED') {
        // The Stasis app is not registered on this Asterisk (agi-to-stasis.txt): no hold possible.
        await engine.cancel(entryId);
        return { outcome: 'failed' };
      }
      const outcome = await call.getVariable(QUEUE_OUTCOME, signal);
      if (outcome === 'ANSWERED') {
        const agent = await call.getVariable(QUEUE_AGENT, signal);
        return { outcome: 'answered', ...(agent ? { agentId: agent } : {}) };
      }
      const entry = await engine.getEntry(entryId);
      if (entry.status === 'timeout') return { outcome: 'timeout' };
      if (entry.status === 'accepted') return { outcome: 'answered', ...(entry.agentId ? { agentId: String(entry.agentId) } : {}) };
      await engine.cancel(entryId);
      return { outcome: outcome === 'UNAVAILABLE' ? 'unavailable' : 'failed' };
    } catch (err) {
      if (err instanceof CallHungUpError) await engine.abandon(entryId);
      throw err;
    }
  }

  // --- the Stasis side ------------------------------------------------------------------------

  async #holdCaller(channel: AriChannel, entryId: number, recovered = false): Promise<void> {
    const { engine, ari, db } = this.#deps;
    const entry = Number.isInteger(entryId) ? await engine.getEntry(entryId).catch(() => undefined) : undefined;
    if (!entry || (entry.status !== 'waiting' && entry.status !== 'offered')) {
      await ari.setVariable(channel.id, QUEUE_OUTCOME, 'FAILED').catch(() => undefined);
      await ari.continueInDialplan(channel.id).catch(() => undefined);
      return;
    }
    const [queue] = await db.select().from(queues).where(eq(queues.id, entry.queueId));
    const requested = (entry.data as { mohClass?: unknown }).mohClass;
    const held: Held = {
      entryId,
      queueId: entry.queueId,
      callerChannelId: channel.id,
      mohClass: typeof requested === 'string' ? requested : (queue?.mohClass ?? 'default'),
      ended: false,
      recovered,
      announcing: false,
    };
    this.#held.set(entryId, held);
    ari.onChannel(channel.id, (event) => {
      if (event.type === 'StasisEnd' || event.type === 'ChannelDestroyed' || event.type === 'connection.channelLost') void this.#callerLeft(held);
    });
    if (channel.state !== 'Up') await ari.answer(channel.id).catch(() => undefined);
    if (queue?.announcement) void this.#announce(held, [this.#media(queue.announcement)]);
    else await this.#moh(held);
    if (queue?.announcePosition && queue.announceFrequencySec > 0) {
      held.announceTimer = setInterval(() => void this.#announcePosition(held), queue.announceFrequencySec * 1000);
      held.announceTimer.unref();
    }
    // The routing pass runs as soon as the AGI side enqueues, while Asterisk is still starting
    // Stasis: an offer made before the caller got here was skipped by #ringAgent, and its phone
    // would never ring (the caller waiting out the ring timeout, the agent charged a refusal; seen
    // on Asterisk 22). Ring those now.
    const early = await db
      .select()
      .from(offers)
      .where(and(eq(offers.entryId, entryId), eq(offers.status, 'pending')));
    for (const offer of early) void this.#ringAgent(offer, entry).catch((err: unknown) => this.#log.warn({ err: String(err), offer: offer.id }, 'ringing the agent failed'));
    engine.kick();
  }

  #media(prompt: string): string {
    const target = this.#deps.resolvePrompt ? this.#deps.resolvePrompt(prompt, 'en') : prompt;
    return `sound:${target}`;
  }

  async #moh(held: Held): Promise<void> {
    await this.#deps.ari.startMoh(held.callerChannelId, held.mohClass).catch((err: unknown) => this.#log.warn({ err: String(err) }, 'could not start music on hold'));
  }

  /** Plays media to a waiting caller: music on hold pauses, and resumes when the playback ends. */
  async #announce(held: Held, media: string[]): Promise<void> {
    const { ari } = this.#deps;
    if (held.ended || held.bridgeId || held.announcing) return;
    held.announcing = true;
    try {
      await ari.stopMoh(held.callerChannelId).catch(() => undefined);
      const playback = await ari.play(held.callerChannelId, media);
      await new Promise<void>((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          clearInterval(poll);
          off();
          resolve();
        };
        // A playback never lasts a minute; a caller who left or was bridged ends the wait too.
        const timer = setTimeout(finish, 60_000);
        const poll = setInterval(() => {
          if (held.ended || held.bridgeId) finish();
        }, 200);
        // PlaybackFinished is not one of the typed events: it arrives as 'Other' with its raw body.
        const off = ari.onEvent((e) => {
          if (e.type !== 'Other' || e.eventType !== 'PlaybackFinished') return;
          const p = e.raw['playback'] as { id?: unknown } | undefined;
          if (p?.id === playback.id) finish();
        });
      });
    } catch (err) {
      this.#log.warn({ err: String(err), entry: held.entryId }, 'queue announcement failed');
    } finally {
      held.announcing = false;
    }
    if (!held.ended && !held.bridgeId) await this.#moh(held);
  }

  async #announcePosition(held: Held): Promise<void> {
    if (held.ended || held.bridgeId) return;
    const entry = await this.#deps.engine.getEntry(held.entryId).catch(() => undefined);
    if (!entry || (entry.status !== 'waiting' && entry.status !== 'offered')) return;
    // The router's own order (priority, then arrival), so the caller hears the place they will be served in.
    const ahead = await this.#deps.engine.position(entry);
    await this.#announce(held, positionMedia(ahead + 1));
  }

  #stopAnnouncing(held: Held): void {
    if (held.announceTimer) clearInterval(held.announceTimer);
    held.announceTimer = undefined;
  }

  /** A channel this node already handles (caller on hold or bridged, agent leg ringing or talking). */
  #owns(channelId: string): boolean {
    for (const h of this.#held.values()) if (h.callerChannelId === channelId || h.agentChannelId === channelId) return true;
    for (const l of this.#legs.values()) if (l.channelId === channelId) return true;
    return false;
  }

  async #recover(channel: AriChannel): Promise<boolean> {
    // After a WebSocket drop the call went on in Asterisk: keep it, do not send it back.
    if (this.#owns(channel.id)) return true;
    const data = (channel as { dialplan?: { app_name?: string; app_data?: string } }).dialplan;
    const args = data?.app_name === 'Stasis' ? (data.app_data ?? '').split(',') : [];
    if (args[1] !== 'queue') return false;
    const entryId = Number(args[2]);
    const entry = await this.#deps.engine.getEntry(entryId).catch(() => undefined);
    if (!entry || (entry.status !== 'waiting' && entry.status !== 'offered')) return false;
    this.#log.info({ entry: entryId, channel: channel.id }, 'recovered a caller waiting in a queue');
    await this.#holdCaller(channel, entryId, true);
    return true;
  }

  /** Rings the agent of an offer once, whichever comes first: the offer, or the caller reaching Stasis. */
  async #ringAgent(offer: OfferRow, entry: EntryRow): Promise<void> {
    if (this.#legs.has(offer.id) || this.#dialing.has(offer.id)) return;
    this.#dialing.add(offer.id);
    try {
      await this.#dialAgent(offer, entry);
    } finally {
      this.#dialing.delete(offer.id);
    }
  }

  async #dialAgent(offer: OfferRow, entry: EntryRow): Promise<void> {
    if (entry.channel !== 'voice') return;
    const held = this.#held.get(entry.id);
    // The caller is held by another node's Stasis connection: that node rings the agent.
    if (!held || held.ended) return;
    const { ari, db, engine } = this.#deps;
    const presence = (await presenceOf(db, [offer.agentId])).get(offer.agentId);
    const target = presence?.dialTarget;
    if (!target) {
      await engine.reject(offer.id, offer.agentId).catch(() => undefined);
      return;
    }
    const [queue] = await db.select({ ring: queues.ringTimeoutSec }).from(queues).where(eq(queues.id, entry.queueId));
    try {
      const leg = await ari.originate({
        endpoint: target,
        app: ari.app,
        appArgs: `agent,${offer.id}`,
        timeoutSec: queue?.ring ?? 20,
        ...(entry.caller ? { callerId: entry.caller } : {}),
        variables: { TANDEM_ENTRY: String(entry.id) },
      });
      const l: Leg = { offerId: offer.id, entryId: entry.id, agentId: offer.agentId, channelId: leg.id, answered: false };
      this.#legs.set(offer.id, l);
      ari.onChannel(leg.id, (event) => {
        if (event.type === 'ChannelDestroyed' || event.type === 'StasisEnd' || event.type === 'connection.channelLost') void this.#agentLegEnded(l);
      });
    } catch (err) {
      // Allocation failed, unknown endpoint…: this agent cannot be reached now; try the next.
      this.#log.warn({ err: String(err), agent: offer.agentId, target }, 'could not originate the agent leg');
      await engine.reject(offer.id, offer.agentId).catch(() => undefined);
    }
  }

  async #agentAnswered(channel: AriChannel, offerId: number): Promise<void> {
    const { ari, engine } = this.#deps;
    const leg = this.#legs.get(offerId);
    if (!leg) {
      await ari.hangup(channel.id).catch(() => undefined);
      return;
    }
    leg.answered = true;
    const held = this.#held.get(leg.entryId);
    try {
      if (!held || held.ended) throw new Error('the caller is gone');
      await engine.accept(offerId, leg.agentId);
    } catch (err) {
      // Taken by another agent, expired, or the caller left: this leg is not needed.
      this.#log.info({ offer: offerId, reason: String(err) }, 'agent answered an offer that is no longer open');
      this.#legs.delete(offerId);
      await ari.hangup(channel.id).catch(() => undefined);
      return;
    }
    held.agentChannelId = channel.id;
    held.agentId = leg.agentId;
    this.#stopAnnouncing(held);
    await ari.stopMoh(held.callerChannelId).catch(() => undefined);
    const bridge = await ari.createBridge({ type: 'mixing', name: `queue-entry-${held.entryId}` });
    held.bridgeId = bridge.id;
    await ari.addChannel(bridge.id, [held.callerChannelId, channel.id]);
  }

  async #agentLegEnded(leg: Leg): Promise<void> {
    this.#legs.delete(leg.offerId);
    const { ari, engine } = this.#deps;
    const held = this.#held.get(leg.entryId);
    if (!leg.answered) {
      // No answer, busy, or unreachable: the offer is refused and the next agent is tried.
      await engine.reject(leg.offerId, leg.agentId).catch(() => undefined);
      return;
    }
    if (!held || held.ended || held.agentChannelId !== leg.channelId) return;
    // The agent hung up: the caller goes back to the flow, after the Queue block's answered exit.
    held.ended = true;
    this.#stopAnnouncing(held);
    this.#held.delete(held.entryId);
    await ari.setVariable(held.callerChannelId, QUEUE_OUTCOME, 'ANSWERED').catch(() => undefined);
    await ari.setVariable(held.callerChannelId, QUEUE_AGENT, String(leg.agentId)).catch(() => undefined);
    // A caller recovered after a restart has no flow left to go on with (its AGI session is gone):
    // without a status the dialplan would take this served caller to the fallback and ring the
    // backup destination after the conversation (seen on Asterisk 22). DONE ends the call there.
    // A flow still running elsewhere writes its own status over this one when it ends.
    if (held.recovered) await ari.setVariable(held.callerChannelId, STATUS_VARIABLE, 'DONE').catch(() => undefined);
    if (held.bridgeId) await ari.destroyBridge(held.bridgeId).catch(() => undefined);
    await ari.continueInDialplan(held.callerChannelId).catch(() => undefined);
    await engine.finish(held.entryId);
  }

  async #callerLeft(held: Held): Promise<void> {
    if (held.ended) return;
    held.ended = true;
    this.#stopAnnouncing(held);
    this.#held.delete(held.entryId);
    const { ari, engine } = this.#deps;
    for (const leg of [...this.#legs.values()].filter((l) => l.entryId === held.entryId)) {
      this.#legs.delete(leg.offerId);
      await ari.hangup(leg.channelId).catch(() => undefined);
    }
    if (held.agentChannelId) {
      // The caller hung up during the conversation.
      await ari.hangup(held.agentChannelId).catch(() => undefined);
      if (held.bridgeId) await ari.destroyBridge(held.bridgeId).catch(() => undefined);
      await engine.finish(held.entryId);
      return;
    }
    await engine.abandon(held.entryId);
  }

  async #offerEnded(offer: OfferRow): Promise<void> {
    if (offer.status === 'accepted') return;
    const leg = this.#legs.get(offer.id);
    if (!leg || leg.answered) return;
    // Expired or withdrawn (another agent took it, the caller left): stop ringing this phone.
    this.#legs.delete(offer.id);
    await this.#deps.ari.hangup(leg.channelId).catch(() => undefined);
  }

  async #entryEnded(entry: EntryRow): Promise<void> {
    const held = this.#held.get(entry.id);
    if (!held || held.ended) return;
    held.ended = true;
    this.#stopAnnouncing(held);
    this.#held.delete(entry.id);
    const { ari } = this.#deps;
    await ari.stopMoh(held.callerChannelId).catch(() => undefined);
    await ari.setVariable(held.callerChannelId, QUEUE_OUTCOME, entry.status === 'timeout' ? 'TIMEOUT' : 'CANCELLED').catch(() => undefined);
    await ari.continueInDialplan(held.callerChannelId).catch(() => undefined);
  }
}
