// The web chat's live side on this node: starts chats (runs the website's published chat flow on a
// ChatCall), carries messages visitor ↔ bot ↔ agent, hands chats to the queue engine and closes
// them. Records go to PostgreSQL (./store.ts); the widget's sockets are in the `/chat-widget`
// namespace, room `chat:<id>`; agents get their events in their `user:<id>` room of the default
// namespace and supervisors spying in `spy:<id>`.
import { and, eq, sql } from 'drizzle-orm';
import type { Server } from 'socket.io';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../logger.ts';
import type { AcdEngine } from '../../acd/engine.ts';
import { queues, users, type MessageFrom } from '../../db/schema.ts';
import type { Services as FlowServices } from '../../../flows/services.ts';
import type { EnqueueOptions, EnqueueResult, OutboundMessage } from '../../../flows/call-port.ts';
import { compileProject } from '../../../flows/compile.ts';
import { runProject } from '../../../flows/interpreter.ts';
import { getVersion } from '../../ivr/projects.ts';
import { ChatCall } from './chat-call.ts';
import { addMessage, createInteraction, getInteraction, matchContact, updateInteraction, type AttachmentRow, type InteractionRow, type MessageView } from './store.ts';
import type { WebsiteView } from './websites.ts';

export const WIDGET_NAMESPACE = '/chat-widget';
export type ChatStatus = 'bot' | 'queued' | 'connected' | 'closed' | 'offline';
export const chatRoom = (id: number) => `chat:${id}`;
export const spyRoom = (id: number) => `spy:${id}`;

export interface ChatServiceDeps {
  db: Db;
  logger: Logger;
  engine: AcdEngine;
  io: Server;
  dataDir: string;
  flowServices?: FlowServices;
  shutdown?: AbortSignal;
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

export const CLOSE_BY = ['visitor', 'agent', 'bot', 'system'] as const;
export type ClosedBy = (typeof CLOSE_BY)[number];

export class ChatService {
  readonly #d: ChatServiceDeps;
  readonly #live = new Map<number, LiveChat>();

  constructor(deps: ChatServiceDeps) {
    this.#d = deps;
    deps.engine.on('entry-accepted', (entry) => {
      const id = interactionIdOf(entry.interactionRef);
      if (id !== undefined && entry.agentId) void this.#connected(id, entry.agentId, entry.id).catch((err: unknown) => deps.logger.warn({ err: String(err), interaction: id }, 'connecting the agent failed'));
    });
  }

  get #widget() {
    return this.#d.io.of(WIDGET_NAMESPACE);
  }

  /** What the widget shows: live state when this node runs the chat, else derived from the record. */
  statusOf(row: InteractionRow): ChatStatus {
    if (row.status === 'closed') return 'closed';
    if (row.status === 'pending') return 'offline';
    const live = this.#live.get(row.id);
    if (live) return live.status;
    return row.agentId ? 'connected' : 'offline';
  }

  #emitState(id: number, status: ChatStatus, agentName?: string): void {
    const live = this.#live.get(id);
    if (live) live.status = status;
    this.#widget.to(chatRoom(id)).emit('state', { status, ...(agentName ? { agentName } : {}) });
  }

  /** Stores a message and sends it to everyone who sees the conversation. */
  async post(row: Pick<InteractionRow, 'id' | 'agentId'>, from: MessageFrom, text: string, extra: { userId?: number; quickReplies?: { id: string; label: string }[]; attachment?: AttachmentRow } = {}): Promise<MessageView> {
    const message = await addMessage(this.#d.db, { interactionId: row.id, from, text, userId: extra.userId ?? null, quickReplies: extra.quickReplies ?? null, attachment: extra.attachment ?? null });
    this.#widget.to(chatRoom(row.id)).emit('message', message);
    let target = this.#d.io.to(spyRoom(row.id));
    if (row.agentId) target = target.to(`user:${row.agentId}`);
    target.emit('chat:message', { interactionId: row.id, message });
    return message;
  }

  /** A new chat from the widget's online form. */
  /**
   * Creates the chat and starts its flow. `beforeRun` lets the caller subscribe the visitor's sockets
   * first: the flow's first bot messages go out at once and must not reach an empty room.
   */
  async start(website: WebsiteView, form: Record<string, string>, beforeRun?: (row: InteractionRow) => Promise<void> | void): Promise<InteractionRow> {
    const { db } = this.#d;
    const contact = await matchContact(db, { name: form.name, email: form.email, phone: form.phone ?? form.tel });
    const row = await createInteraction(db, { channel: 'chat', accountId: website.id, contactId: contact.id, queueId: website.queueId, form });
    const call = new ChatCall(row.id, { callerNumber: contact.phone ?? contact.email ?? '', callerName: contact.name, dialed: website.key, variables: { ...form } }, this);
    let markClosed = () => undefined as void;
    const closed = new Promise<void>((r) => (markClosed = r));
    const controller = new AbortController();
    this.#live.set(row.id, { call, status: 'bot', website, controller, closed, markClosed });
    await beforeRun?.(row);
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
      await engine.abandon(joined.entry.id).catch(() => undefined);
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
      this.#emitState(interactionId, 'offline');
      return { outcome: 'timeout' };
    }
    return { outcome: 'failed' };
  }

  /** The queue engine gave the chat to an agent (called by the event and by the waiting flow; idempotent). */
  async #connected(interactionId: number, agentId: number, entryId: number): Promise<void> {
    const live = this.#live.get(interactionId);
    if (live?.status === 'connected') return;
    if (live) live.status = 'connected';
    await updateInteraction(this.#d.db, interactionId, { agentId, entryId });
    const [agent] = await this.#d.db.select({ fullName: users.fullName }).from(users).where(eq(users.id, agentId));
    this.#emitState(interactionId, 'connected', agent?.fullName);
  }

  // --- from the visitor ----------------------------------------------------------------------------

  async visitorMessage(interactionId: number, text: string, quickReplyId?: string, attachment?: AttachmentRow): Promise<MessageView> {
    const row = await getInteraction(this.#d.db, interactionId);
    if (row.status === 'closed') throw new ChatError('CHAT_CLOSED', 'This chat is closed');
    const message = await this.post(row, 'visitor', text, attachment ? { attachment } : {});
    const live = this.#live.get(interactionId);
    if (live?.status === 'bot') live.call.deliver({ text, ...(quickReplyId ? { quickReplyId } : {}) });
    return message;
  }

  visitorTyping(row: InteractionRow, typing: boolean): void {
    if (row.agentId) this.#d.io.to(`user:${row.agentId}`).emit('chat:typing', { interactionId: row.id, typing });
  }

  agentTyping(row: InteractionRow, typing: boolean): void {
    this.#widget.to(chatRoom(row.id)).emit('typing', { from: 'agent', typing });
  }

  /** The offline form: a message for later, kept as a pending interaction. */
  async offline(website: WebsiteView, interactionId: number | null, form: Record<string, string>, text: string): Promise<InteractionRow> {
    const { db } = this.#d;
    let row: InteractionRow;
    if (interactionId) {
      const current = await getInteraction(db, interactionId);
      if (current.agentId && current.status === 'open') throw new ChatError('CHAT_CONNECTED', 'An agent has this chat; write to them instead');
      row = await updateInteraction(db, interactionId, { status: 'pending', form: { ...current.form, ...form } });
    } else {
      const contact = await matchContact(db, { name: form.name, email: form.email, phone: form.phone ?? form.tel });
      row = await createInteraction(db, { channel: 'chat', accountId: website.id, contactId: contact.id, queueId: website.queueId, form });
      row = await updateInteraction(db, row.id, { status: 'pending' });
    }
    await addMessage(db, { interactionId: row.id, from: 'visitor', text });
    const live = this.#live.get(row.id);
    if (live) {
      live.controller.abort(new Error('the visitor left an offline message'));
      live.call.markHungUp();
      this.#live.delete(row.id);
    }
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
    if (row.entryId) {
      const entry = await engine.getEntry(row.entryId).catch(() => undefined);
      if (entry?.status === 'accepted') await engine.finish(entry.id, disposition ? { code: disposition.code, ...(disposition.note ? { note: disposition.note } : {}), by: disposition.agentId } : undefined);
      else if (entry && (entry.status === 'waiting' || entry.status === 'offered')) await engine.abandon(entry.id);
    }
    await addMessage(db, { interactionId, from: 'system', text: `closed by ${by}` });
    this.#emitState(interactionId, 'closed');
    this.#d.io.to(spyRoom(interactionId)).to(row.agentId ? `user:${row.agentId}` : spyRoom(interactionId)).emit('chat:closed', { interactionId, by });
    const live = this.#live.get(interactionId);
    if (live) {
      live.markClosed();
      live.call.markHungUp();
      this.#live.delete(interactionId);
    }
    return row;
  }

  /** A supervisor's note: the agent (and other spies) see it, never the visitor. */
  async note(row: InteractionRow, supervisorId: number, text: string) {
    const note = await addMessage(this.#d.db, { interactionId: row.id, from: 'system', text, userId: supervisorId, secret: true });
    let target = this.#d.io.to(spyRoom(row.id));
    if (row.agentId) target = target.to(`user:${row.agentId}`);
    target.emit('chat:note', { interactionId: row.id, note });
    return note;
  }

  /** Stops every flow this node runs (node shutdown); the records stay. */
  stop(): void {
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

export function interactionIdOf(ref: string): number | undefined {
  const m = /^chat:([1-9][0-9]{0,15})$/.exec(ref);
  return m ? Number(m[1]) : undefined;
}
