// The web chat's live side on this node: starts chats (runs the website's published chat flow on a
// ChatCall), carries messages visitor ↔ bot ↔ agent, hands chats to the queue engine and closes
// them. Records go to PostgreSQL (./store.ts; messages through ./message-writer.ts); the widget's
// sockets are in the `/chat-widget` namespace, room `chat:<id>`; agents get their events in their
// `user:<id>` room of the default namespace and supervisors spying in `spy:<id>`.
//
// In a cluster (socket.io's Redis adapter, TANDEM_REDIS_URL) every room emit reaches the sockets of
// every node, so visitors and agents may be connected anywhere. Only a chat's flow lives on one node
// (the one that started it); the nodes tell each other what a flow needs with server-side events on
// the widget namespace (CLUSTER_EVENTS). They ride the Redis pub/sub the adapter already holds,
// rather than PostgreSQL LISTEN/NOTIFY: a cluster needs Redis for the socket broadcasts anyway, it
// keeps no pool connection parked on a LISTEN (nor ties clustering to the server engine), and a lost
// relay costs little, because every record is written to PostgreSQL first: a chat whose flow is gone
// falls back to its record (queue entry, agent, or the offline form).
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Server } from 'socket.io';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../logger.ts';
import type { AcdEngine } from '../../acd/engine.ts';
import { interactions, messages, queues, users, type MessageFrom } from '../../db/schema.ts';
import type { Services as FlowServices } from '../../../flows/services.ts';
import type { EnqueueOptions, EnqueueResult, OutboundMessage } from '../../../flows/call-port.ts';
import { compileProject } from '../../../flows/compile.ts';
import { runProject } from '../../../flows/interpreter.ts';
import { getVersion } from '../../ivr/projects.ts';
import { ChatCall } from './chat-call.ts';
import { MessageWriter } from './message-writer.ts';
import { chatOriginsChanged } from './origins.ts';
import { createInteraction, getInteraction, updateInteraction, visitorContact, type AttachmentRow, type InteractionRow, type MessageView } from './store.ts';
import { AGENT_CHAT_EVENTS, CHAT_STATUSES, SENDERS, WIDGET_EVENTS, WIDGET_NAMESPACE, type ChatStatePayload, type ChatStatus } from '../../../contracts/chat-widget.ts';
import { forgetCachedWebsites, listWebsites, TIMEOUT_DISPOSITION, type WebsiteView } from './websites.ts';

export { CHAT_STATUSES, WIDGET_NAMESPACE, type ChatStatus };
export const chatRoom = (id: number) => `chat:${id}`;
export const spyRoom = (id: number) => `spy:${id}`;

/** Server-side events between the nodes of a cluster (never sent to browsers). */
export const CLUSTER_EVENTS = {
  /** A visitor message for the flow that holds the chat: (interactionId, { text, quickReplyId? }). */
  deliver: 'chat:cluster:deliver',
  /** The chat was closed or turned offline on another node: its flow lets go. (interactionId) */
  ended: 'chat:cluster:ended',
  /** Which status the node running the chat's flow sees: (interactionId, ack(status | null)). */
  status: 'chat:cluster:status',
  /** A chat website was created, changed or deleted: drop cached websites and origins. */
  websitesChanged: 'chat:cluster:websites-changed',
} as const;
const idSchema = z.number().int().positive();
const deliverSchema = z.object({ text: z.string().max(10_000), quickReplyId: z.string().max(32).optional() });

export interface ChatServiceDeps {
  db: Db;
  logger: Logger;
  engine: AcdEngine;
  io: Server;
  dataDir: string;
  flowServices?: FlowServices;
  shutdown?: AbortSignal;
  /** Other nodes may share the chats (socket.io runs on the Redis adapter). */
  cluster?: boolean;
  now?: () => number;
  /** How often unattended chats are looked for and closed (ms; 0: never, the caller sweeps). */
  sweepMs?: number;
}

interface LiveChat {
  call: ChatCall;
  status: ChatStatus;
  website: WebsiteView;
  controller: AbortController;
  /** Resolves when the chat closes, so the Queue block's wait spans the conversation. */
  closed: Promise<void>;
  markClosed: () => void;
}

/** Who may close a chat: whoever may write in it. */
export const CLOSE_BY = SENDERS;
export type ClosedBy = (typeof CLOSE_BY)[number];

export class ChatService {
  readonly #d: ChatServiceDeps;
  readonly #live = new Map<number, LiveChat>();
  readonly #writer: MessageWriter;
  readonly #now: () => number;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(deps: ChatServiceDeps) {
    this.#d = deps;
    this.#now = deps.now ?? Date.now;
    this.#writer = new MessageWriter(deps.db);
    const sweepMs = deps.sweepMs ?? 15_000;
    if (sweepMs > 0) {
      const sweep = () => {
        void this.closeUnattended()
          .catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'sweeping unattended chats failed'))
          .finally(() => {
            if (this.#sweeper) this.#sweeper = setTimeout(sweep, sweepMs).unref();
          });
      };
      this.#sweeper = setTimeout(sweep, sweepMs).unref();
    }
    deps.engine.on('entry-accepted', (entry) => {
      const id = interactionIdOf(entry.interactionRef);
      if (id !== undefined && entry.agentId) void this.#connected(id, entry.agentId, entry.id).catch((err: unknown) => deps.logger.warn({ err: String(err), interaction: id }, 'connecting the agent failed'));
    });
    // A chat whose flow is gone (its node stopped) still times out in the queue: the visitor is
    // offered the offline form as the flow would have. Where the flow lives, it says so itself.
    deps.engine.on('entry-ended', (entry) => {
      const id = interactionIdOf(entry.interactionRef);
      if (id === undefined || entry.status !== 'timeout' || this.#live.has(id)) return;
      void getInteraction(deps.db, id)
        .then((row) => {
          if (row.status === 'open' && !row.agentId) this.#emitState(id, 'offline');
        })
        .catch(() => undefined);
    });
    if (deps.cluster) this.#listenToCluster();
  }

  get #widget() {
    return this.#d.io.of(WIDGET_NAMESPACE);
  }

  #listenToCluster(): void {
    const ns = this.#widget;
    const log = this.#d.logger;
    ns.on(CLUSTER_EVENTS.deliver, (rawId: unknown, rawMessage: unknown) => {
      const id = idSchema.safeParse(rawId);
      const message = deliverSchema.safeParse(rawMessage);
      if (!id.success || !message.success) return log.warn('ignored a malformed chat relay from another node');
      const live = this.#live.get(id.data);
      if (live?.status === 'bot') live.call.deliver({ text: message.data.text, ...(message.data.quickReplyId ? { quickReplyId: message.data.quickReplyId } : {}) });
    });
    ns.on(CLUSTER_EVENTS.ended, (rawId: unknown) => {
      const id = idSchema.safeParse(rawId);
      if (id.success) this.#release(id.data, new Error('the chat ended on another node'));
    });
    ns.on(CLUSTER_EVENTS.status, (rawId: unknown, ack: unknown) => {
      const id = idSchema.safeParse(rawId);
      if (typeof ack === 'function') (ack as (s: ChatStatus | null) => void)(id.success ? (this.#live.get(id.data)?.status ?? null) : null);
    });
    ns.on(CLUSTER_EVENTS.websitesChanged, () => {
      forgetCachedWebsites(this.#d.db);
      chatOriginsChanged();
    });
  }

  /** A chat website changed on this node (the HTTP routes call this): the other nodes drop their caches. */
  websitesChanged(): void {
    if (this.#d.cluster) this.#widget.serverSideEmit(CLUSTER_EVENTS.websitesChanged);
  }

  /** Whether this node runs the chat's flow. */
  runs(interactionId: number): boolean {
    return this.#live.has(interactionId);
  }

  /**
   * What the widget shows: the live state where a node runs the chat's flow (this one, or another
   * node of the cluster when asked), else what the record says (agent, queue entry, or offline).
   */
  async statusOf(row: InteractionRow): Promise<ChatStatus> {
    if (row.status === 'closed') return 'closed';
    if (row.status === 'pending') return 'offline';
    const live = this.#live.get(row.id);
    if (live) return live.status;
    if (row.agentId) return 'connected';
    if (this.#d.cluster) {
      // A node that does not answer in time (the adapter's requestsTimeout) counts as not running it.
      const answers: unknown[] = await this.#widget.serverSideEmitWithAck(CLUSTER_EVENTS.status, row.id).catch((err: unknown) => {
        const partial = (err as { responses?: unknown }).responses;
        return Array.isArray(partial) ? partial : [];
      });
      const running = answers.find((a): a is ChatStatus => CHAT_STATUSES.includes(a as ChatStatus));
      if (running) return running;
    }
    if (row.entryId) {
      const entry = await this.#d.engine.getEntry(row.entryId).catch(() => undefined);
      if (entry?.status === 'waiting' || entry?.status === 'offered') return 'queued';
    }
    return 'offline';
  }

  #emitState(id: number, status: ChatStatus, agentName?: string): void {
    const live = this.#live.get(id);
    if (live) live.status = status;
    this.#widget.to(chatRoom(id)).emit(WIDGET_EVENTS.state, { status, ...(agentName ? { agentName } : {}) } satisfies ChatStatePayload);
  }

  /** Stores a message and sends it to everyone who sees the conversation. */
  async post(row: Pick<InteractionRow, 'id' | 'agentId'>, from: MessageFrom, text: string, extra: { userId?: number; quickReplies?: { id: string; label: string }[]; attachment?: AttachmentRow } = {}): Promise<MessageView> {
    const message = await this.#writer.write({ interactionId: row.id, from, text, userId: extra.userId ?? null, quickReplies: extra.quickReplies ?? null, attachment: extra.attachment ?? null });
    this.#widget.to(chatRoom(row.id)).emit(WIDGET_EVENTS.message, message);
    let target = this.#d.io.to(spyRoom(row.id));
    if (row.agentId) target = target.to(`user:${row.agentId}`);
    target.emit(AGENT_CHAT_EVENTS.message, { interactionId: row.id, message });
    return message;
  }

  /**
   * A new chat from the widget's online form: creates the chat and starts its flow on this node.
   * `beforeRun` lets the caller subscribe the visitor's sockets first: the flow's first bot messages
   * go out at once and must not reach an empty room.
   */
  async start(website: WebsiteView, form: Record<string, string>, options: { contactId?: number | null; beforeRun?: (row: InteractionRow) => Promise<void> | void } = {}): Promise<InteractionRow> {
    const { db } = this.#d;
    const contact = await visitorContact(db, { contactId: options.contactId ?? null, name: form.name, email: form.email, phone: form.phone ?? form.tel });
    const row = await createInteraction(db, { channel: 'chat', accountId: website.id, contactId: contact.id, queueId: website.queueId, form });
    const call = new ChatCall(row.id, { callerNumber: contact.phone ?? contact.email ?? '', callerName: contact.name, dialed: website.key, variables: { ...form } }, this);
    let markClosed = () => undefined as void;
    const closed = new Promise<void>((r) => (markClosed = r));
    const controller = new AbortController();
    this.#live.set(row.id, { call, status: 'bot', website, controller, closed, markClosed });
    await options.beforeRun?.(row);
    void this.#run(row, website, call, controller.signal);
    return row;
  }

  async #run(row: InteractionRow, website: WebsiteView, call: ChatCall, own: AbortSignal): Promise<void> {
    const { db, logger } = this.#d;
    const signal = this.#d.shutdown ? AbortSignal.any([own, this.#d.shutdown]) : own;
    const log = logger.child({ interaction: row.id, website: website.id });
    try {
      const version = website.projectId ? await getVersion(db, website.projectId, 'latest').catch(() => undefined) : undefined;
      if (version) {
        const result = await runProject(compileProject(version.project), call, {
          ...(this.#d.flowServices ? { services: this.#d.flowServices } : {}),
          signal,
          resolveProject: async (ref) => (await getVersion(db, ref, 'latest').catch(() => undefined))?.project,
        });
        log.info({ outcome: result.outcome, steps: result.steps }, 'chat flow ended');
      } else if (website.queueId) {
        const [q] = await db.select({ name: queues.name }).from(queues).where(eq(queues.id, website.queueId));
        if (q) await this.enqueue(row.id, { queue: q.name, timeoutMs: 0, priority: 0 }, signal);
      }
    } catch (err) {
      if (!call.hungUp) log.warn({ err: String(err) }, 'chat flow failed');
    }
    // The flow ended and no agent has the chat: the visitor may leave a message (offline form),
    // or, without one, the chat ends. Either way this node no longer holds it live.
    const live = this.#live.get(row.id);
    if (live && live.status !== 'connected') {
      this.#live.delete(row.id);
      live.call.markHungUp();
      if (website.offlineForm.enabled) this.#emitState(row.id, 'offline');
      else await this.close(row.id, 'system').catch((err: unknown) => log.warn({ err: String(err) }, 'closing the chat failed'));
    }
  }

  // --- ChatCallHost ---------------------------------------------------------------------------------

  async sendBotMessage(interactionId: number, message: OutboundMessage): Promise<void> {
    await this.post({ id: interactionId, agentId: null }, 'bot', message.text, message.quickReplies ? { quickReplies: message.quickReplies.map((q) => ({ id: q.id, label: q.label })) } : {});
  }

  async closeByFlow(interactionId: number): Promise<void> {
    await this.close(interactionId, 'bot');
  }

  async enqueue(interactionId: number, options: EnqueueOptions, signal: AbortSignal): Promise<EnqueueResult> {
    const { db, engine } = this.#d;
    const [queue] = await db
      .select()
      .from(queues)
      .where(and(eq(queues.channel, 'chat'), sql`lower(${queues.name}) = lower(${options.queue})`));
    if (!queue) return { outcome: 'failed' };
    const row = await getInteraction(db, interactionId);
    const contactName = (row.form.name ?? '').slice(0, 100);
    const joined = await engine.enqueue({ queueId: queue.id, interactionRef: `chat:${interactionId}`, caller: contactName, priority: options.priority, timeoutMs: options.timeoutMs, data: { interactionId, websiteId: row.accountId } });
    if (!joined.ok) return { outcome: joined.outcome };
    await updateInteraction(db, interactionId, { queueId: queue.id, entryId: joined.entry.id });
    this.#emitState(interactionId, 'queued');
    let outcome;
    try {
      outcome = await engine.waitForOutcome(joined.entry.id, signal);
    } catch (err) {
      // A node that stops leaves its chats in the queue: the engine is shared in PostgreSQL, so
      // another node (or this one, restarted) still routes them to an agent.
      if (!this.#d.shutdown?.aborted) await engine.abandon(joined.entry.id).catch(() => undefined);
      throw err;
    }
    if (outcome.status === 'accepted' && outcome.agentId) {
      await this.#connected(interactionId, outcome.agentId, joined.entry.id);
      const live = this.#live.get(interactionId);
      // The conversation belongs to the agent now; the Queue block's wait ends with it.
      if (live) await Promise.race([live.closed, new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }))]);
      return { outcome: 'answered', agentId: String(outcome.agentId) };
    }
    if (outcome.status === 'timeout') {
      // Back to the bot: the flow goes on from the Queue block's timeout exit (it may say something,
      // try another queue…); the offline form is offered when the flow ends without an agent (#run).
      this.#emitState(interactionId, 'bot');
      return { outcome: 'timeout' };
    }
    return { outcome: 'failed' };
  }

  /**
   * The queue engine gave the chat to an agent. Called by the engine's event on the node that saw the
   * acceptance and by the waiting flow (idempotent here; in a cluster the flow's node, told by its
   * poll of the shared engine, may announce it a second time: the widget takes that as a no-op).
   */
  async #connected(interactionId: number, agentId: number, entryId: number): Promise<void> {
    const live = this.#live.get(interactionId);
    if (live?.status === 'connected') return;
    if (live) live.status = 'connected';
    await updateInteraction(this.#d.db, interactionId, { agentId, entryId });
    const [agent] = await this.#d.db.select({ fullName: users.fullName }).from(users).where(eq(users.id, agentId));
    this.#emitState(interactionId, 'connected', agent?.fullName);
  }

  // --- from the visitor ----------------------------------------------------------------------------

  /** `row`: the chat as just read by the caller (the widget reads it for the visitor anyway). */
  async visitorMessage(row: InteractionRow, text: string, quickReplyId?: string, attachment?: AttachmentRow): Promise<MessageView> {
    if (row.status === 'closed') throw new ChatError('CHAT_CLOSED', 'This chat is closed');
    const message = await this.post(row, 'visitor', text, attachment ? { attachment } : {});
    const input = { text, ...(quickReplyId ? { quickReplyId } : {}) };
    const live = this.#live.get(row.id);
    if (live) {
      if (live.status === 'bot') live.call.deliver(input);
    } else if (this.#d.cluster && row.status === 'open' && !row.agentId) {
      // No agent yet and the flow is not here: it may run on another node.
      this.#widget.serverSideEmit(CLUSTER_EVENTS.deliver, row.id, input);
    }
    return message;
  }

  visitorTyping(row: InteractionRow, typing: boolean): void {
    if (row.agentId) this.#d.io.to(`user:${row.agentId}`).emit(AGENT_CHAT_EVENTS.typing, { interactionId: row.id, typing });
  }

  agentTyping(row: InteractionRow, typing: boolean): void {
    this.#widget.to(chatRoom(row.id)).emit(WIDGET_EVENTS.typing, { from: 'agent', typing });
  }

  /** The offline form: a message for later, kept as a pending interaction. */
  async offline(website: WebsiteView, interactionId: number | null, form: Record<string, string>, text: string, contactId: number | null = null): Promise<InteractionRow> {
    const { db } = this.#d;
    let row: InteractionRow;
    if (interactionId) {
      const current = await getInteraction(db, interactionId);
      if (current.agentId && current.status === 'open') throw new ChatError('CHAT_CONNECTED', 'An agent has this chat; write to them instead');
      row = await updateInteraction(db, interactionId, { status: 'pending', form: { ...current.form, ...form } });
    } else {
      const contact = await visitorContact(db, { contactId, name: form.name, email: form.email, phone: form.phone ?? form.tel });
      row = await createInteraction(db, { channel: 'chat', accountId: website.id, contactId: contact.id, queueId: website.queueId, form });
      row = await updateInteraction(db, row.id, { status: 'pending' });
    }
    await this.#writer.write({ interactionId: row.id, from: 'visitor', text });
    // Out of the queue: the message waits for someone to call back, not for an agent to be offered it.
    // (The flow, where it still runs, would abandon the entry too; where its node is gone, nobody would.)
    if (row.entryId) {
      const entry = await this.#d.engine.getEntry(row.entryId).catch(() => undefined);
      if (entry?.status === 'waiting' || entry?.status === 'offered') await this.#d.engine.abandon(entry.id).catch(() => undefined);
    }
    this.#release(row.id, new Error('the visitor left an offline message'));
    this.#tellOthersEnded(row.id);
    this.#emitState(row.id, 'offline');
    return row;
  }

  // --- closing --------------------------------------------------------------------------------------

  /** Either side (or the flow) ends the chat. The agent's disposition goes to the queue entry too. */
  async close(interactionId: number, by: ClosedBy, disposition?: { code: string; note?: string; agentId: number }): Promise<InteractionRow> {
    const { db, engine } = this.#d;
    const current = await getInteraction(db, interactionId);
    if (current.status === 'closed') {
      // The visitor left first; the agent still records the disposition.
      if (disposition) {
        const row = await updateInteraction(db, interactionId, { disposition: disposition.code, note: disposition.note ?? current.note });
        if (current.entryId) await engine.finish(current.entryId, { code: disposition.code, ...(disposition.note ? { note: disposition.note } : {}), by: disposition.agentId }).catch(() => undefined);
        return row;
      }
      return current;
    }
    const row = await updateInteraction(db, interactionId, { status: 'closed', closedAt: new Date(), ...(disposition ? { disposition: disposition.code, note: disposition.note ?? null } : {}) });
    await this.#closed(row, by, `closed by ${by}`, disposition);
    return row;
  }

  /** What follows a chat's record turning closed: its queue entry, the last word, everyone told, the flow let go. */
  async #closed(row: InteractionRow, by: ClosedBy, text: string, disposition?: { code: string; note?: string; agentId: number }, reason?: 'timeout'): Promise<void> {
    const { engine } = this.#d;
    // The flow lets go first: a Queue block woken by the entry ending below must not offer the offline form.
    this.#release(row.id);
    if (row.entryId) {
      const entry = await engine.getEntry(row.entryId).catch(() => undefined);
      if (entry?.status === 'accepted') await engine.finish(entry.id, disposition ? { code: disposition.code, ...(disposition.note ? { note: disposition.note } : {}), by: disposition.agentId } : undefined);
      else if (entry && (entry.status === 'waiting' || entry.status === 'offered')) await engine.abandon(entry.id);
    }
    // A timeout is news to both sides: said live. Other closes are the record's (someone just acted).
    if (reason) await this.post(row, 'system', text);
    else await this.#writer.write({ interactionId: row.id, from: 'system', text });
    this.#emitState(row.id, 'closed');
    this.#d.io.to(spyRoom(row.id)).to(row.agentId ? `user:${row.agentId}` : spyRoom(row.id)).emit(AGENT_CHAT_EVENTS.closed, { interactionId: row.id, by, ...(reason ? { reason } : {}) });
    this.#tellOthersEnded(row.id);
  }

  /**
   * Closes the open chats that nobody on the contact center's side attended (no agent or bot message,
   * no agent taking it, no change to the record) for their website's `limits.unattendedTimeoutSec`:
   * waiting in a queue or with a silent agent. Disposition "Timeout"; the visitor reads why. The
   * guarded UPDATE closes each chat once, whichever node's sweep (or a person) gets there first.
   */
  async closeUnattended(): Promise<number> {
    const { db, logger } = this.#d;
    const now = this.#now();
    let count = 0;
    for (const website of await listWebsites(db)) {
      const timeoutSec = website.limits.unattendedTimeoutSec;
      const cutoff = new Date(now - timeoutSec * 1000);
      const rows = await db
        .update(interactions)
        .set({ status: 'closed', closedAt: new Date(now), disposition: TIMEOUT_DISPOSITION, updatedAt: new Date(now) })
        .where(
          and(
            eq(interactions.accountId, website.id),
            eq(interactions.status, 'open'),
            eq(interactions.channel, 'chat'),
            lt(interactions.updatedAt, cutoff),
            sql`not exists (select 1 from ${messages} where ${messages.interactionId} = ${interactions.id} and ${messages.from} in ('agent', 'bot') and ${messages.at} >= ${cutoff})`,
          ),
        )
        .returning();
      for (const row of rows) {
        const text = `This chat was closed because nobody answered it for ${describeDuration(timeoutSec)}. You are welcome to start a new one.`;
        await this.#closed(row, 'system', text, row.agentId ? { code: TIMEOUT_DISPOSITION, agentId: row.agentId } : undefined, 'timeout').catch((err: unknown) =>
          logger.warn({ err: String(err), interaction: row.id }, 'closing an unattended chat failed'),
        );
        count++;
      }
    }
    if (count > 0) logger.info({ closed: count }, 'unattended chats closed (Timeout)');
    return count;
  }

  /** This node lets go of the chat's flow, if it runs it: waits end, the Queue block returns. */
  #release(interactionId: number, abort?: Error): void {
    const live = this.#live.get(interactionId);
    if (!live) return;
    this.#live.delete(interactionId);
    if (abort) live.controller.abort(abort);
    live.markClosed();
    live.call.markHungUp();
  }

  #tellOthersEnded(interactionId: number): void {
    if (this.#d.cluster) this.#widget.serverSideEmit(CLUSTER_EVENTS.ended, interactionId);
  }

  /** A supervisor's note: the agent (and other spies) see it, never the visitor. */
  async note(row: InteractionRow, supervisorId: number, text: string) {
    const note = await this.#writer.write({ interactionId: row.id, from: 'system', text, userId: supervisorId, secret: true });
    let target = this.#d.io.to(spyRoom(row.id));
    if (row.agentId) target = target.to(`user:${row.agentId}`);
    target.emit(AGENT_CHAT_EVENTS.note, { interactionId: row.id, note });
    return note;
  }

  /** Stops every flow this node runs (node shutdown); the records stay, queued chats stay queued. */
  stop(): void {
    clearTimeout(this.#sweeper);
    this.#sweeper = undefined;
    for (const live of this.#live.values()) {
      live.controller.abort(new Error('Tandem is stopping'));
      live.markClosed();
    }
    this.#live.clear();
  }
}

export class ChatError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ChatError';
  }
}

/** "30 minutes", "1 hour", "45 seconds": what the visitor reads. */
export function describeDuration(sec: number): string {
  const [n, unit] = sec % 3600 === 0 ? [sec / 3600, 'hour'] : sec % 60 === 0 ? [sec / 60, 'minute'] : [sec, 'second'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

export function interactionIdOf(ref: string): number | undefined {
  const m = /^chat:([1-9][0-9]{0,15})$/.exec(ref);
  return m ? Number(m[1]) : undefined;
}
