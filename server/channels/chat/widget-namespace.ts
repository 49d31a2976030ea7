// The chat widget's socket.io namespace. A connection is admitted only for a known website key and
// an Origin in the website's allowedOrigins; the visitor token (hashed in PostgreSQL) brings a
// reloaded page back to its chat, and a socket only ever joins its own visitor's chat room: no
// event takes a chat id, so nothing else is reachable from here. In a cluster a reloaded page may
// land on any node (the chat service relays what the chat's flow needs); the rate limits count per
// node, so a visitor with tabs on two nodes gets each node's allowance. The website's limits (see
// admission.ts) cap the sockets one client address holds and the chats it starts; files are checked
// by content against the website's allowed types (file-check.ts).
import { clientAddressOf } from '../../http/client-address.ts';
import { z } from 'zod';
import type { Server, Socket } from 'socket.io';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../logger.ts';
import { ChatError, chatRoom, type ChatService } from './chat-service.ts';
import { WIDGET_EVENTS, WIDGET_NAMESPACE, WIDGET_REQUESTS, type Ack as AckPayload, type SessionPayload, type WidgetRefusal, type WidgetRequestPayloads } from '../../../contracts/chat-widget.ts';
import { RateLimiter } from './rate-limit.ts';
import { ChatAdmission } from './admission.ts';
import { checkFile } from './file-check.ts';
import { getInteraction, listMessages, saveAttachment } from './store.ts';
import { newVisitor, setVisitorChat, visitorByToken } from './visitor-tokens.ts';
import { cachedWebsiteByKey, widgetConfig, type WebsiteView } from './websites.ts';

export const MAX_TEXT = 4000;

interface WidgetData {
  websiteKey: string;
  websiteId: number;
  /** The client address limits count by. */
  address: string;
  visitorId: number;
  visitorToken: string;
  chatId: number | null;
  /** The visitor's own (unverified) contact, once they gave a form. */
  contactId: number | null;
}

type Ack = (result: AckPayload<Record<string, unknown>>) => void;

const formSchema = z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/), z.string().max(500)).refine((f) => Object.keys(f).length <= 30, 'at most 30 fields');
const startSchema = z.object({ form: formSchema.default({}) });
const messageSchema = z.object({ text: z.string(), quickReplyId: z.string().max(32).optional() });
const typingSchema = z.object({ typing: z.boolean() });
const uploadSchema = z.object({ name: z.string().min(1).max(200), type: z.string().max(100), data: z.instanceof(Uint8Array).or(z.instanceof(ArrayBuffer)) });
const offlineSchema = z.object({ form: formSchema.default({}), message: z.string() });

export interface WidgetDeps {
  db: Db;
  logger: Logger;
  chat: ChatService;
  dataDir: string;
  /** Messages per visitor per window (contract: 10 / 10 s). */
  rate?: { max: number; windowMs: number };
  now?: () => number;
  /** Reverse proxies whose X-Forwarded-For names the visitor's address (TANDEM_TRUSTED_PROXIES). */
  trustedProxies?: readonly string[];
}

/** A refused handshake: the widget reads the code from the client's connect_error message. */
const refused = (code: WidgetRefusal): Error => new Error(code);

/** What a refused handshake tells the widget (socket.io passes `data` to the client's connect_error). */
function refusedConnection(code: WidgetRefusal, message: string): Error & { data: { message: string } } {
  return Object.assign(new Error(code), { data: { message } });
}

export function attachWidgetNamespace(io: Server, deps: WidgetDeps): void {
  const { db, chat } = deps;
  const ns = io.of(WIDGET_NAMESPACE);
  const limiter = new RateLimiter(deps.rate?.max ?? 10, deps.rate?.windowMs ?? 10_000);
  // Typing and other chatter: generous, silently dropped beyond it.
  const chatter = new RateLimiter(60, 10_000);
  const admission = new ChatAdmission(db, deps.now);
  const addressOf = clientAddressOf(deps.trustedProxies ?? []);

  ns.use(async (socket, next) => {
    try {
      const auth = (socket.handshake.auth ?? {}) as { key?: unknown; visitorToken?: unknown };
      const website = typeof auth.key === 'string' && auth.key.length <= 64 ? await cachedWebsiteByKey(db, auth.key) : undefined;
      if (!website) return next(refused('UNKNOWN_WEBSITE'));
      const origin = socket.handshake.headers.origin;
      if (!origin || !website.allowedOrigins.includes(origin)) return next(refused('ORIGIN_NOT_ALLOWED'));
      // Before any row is written: a client opening hundreds of sockets gets refused, not hundreds of visitors.
      const address = addressOf(socket.handshake.address, socket.handshake.headers['x-forwarded-for']);
      if (!admission.connect(website, address, socket.id)) {
        return next(refusedConnection('TOO_MANY_CONNECTIONS', 'Too many chat windows are open from your network. Close some of them and reload the page.'));
      }
      const release = () => admission.disconnect(website.id, address, socket.id);
      // Given back however the socket ends: disconnected, refused below, or its transport closed mid-handshake.
      socket.conn.once('close', release);
      socket.once('disconnect', release);
      let data: WidgetData;
      try {
        if (auth.visitorToken !== undefined && auth.visitorToken !== null) {
          const visitor = typeof auth.visitorToken === 'string' ? await visitorByToken(db, website.id, auth.visitorToken) : undefined;
          if (!visitor) {
            release();
            return next(refused('INVALID_VISITOR_TOKEN'));
          }
          data = { websiteKey: website.key, websiteId: website.id, address, visitorId: visitor.id, visitorToken: auth.visitorToken as string, chatId: visitor.interactionId, contactId: visitor.contactId };
        } else {
          const created = await newVisitor(db, website.id);
          data = { websiteKey: website.key, websiteId: website.id, address, visitorId: created.visitor.id, visitorToken: created.token, chatId: null, contactId: null };
        }
      } catch (err) {
        release();
        throw err;
      }
      socket.data = data;
      next();
    } catch (err) {
      deps.logger.warn({ err: String(err) }, 'chat widget handshake failed');
      next(refused('UNAVAILABLE'));
    }
  });

  ns.on('connection', (socket: Socket) => {
    const data = socket.data as WidgetData;
    void welcome(socket, data).catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'chat widget welcome failed'));

    /** Runs one widget request: parse, rate-limit, answer with the contract's ack shape. */
    const handle = <S extends z.ZodType>(event: keyof WidgetRequestPayloads, schema: S, limited: boolean, fn: (input: z.output<S>, website: WebsiteView) => Promise<Record<string, unknown>>) => {
      socket.on(event, (raw: unknown, maybeAck?: unknown) => {
        const ack: Ack = typeof maybeAck === 'function' ? (maybeAck as Ack) : () => undefined;
        const fail = (code: string, message: string) => {
          socket.emit(WIDGET_EVENTS.error, { code, message });
          ack({ ok: false, error: { code, message } });
        };
        if (limited && !limiter.take(String(data.visitorId))) return fail('RATE_LIMITED', `Too many messages: at most ${limiter.max} every ${limiter.windowMs / 1000} s`);
        if (!limited && !chatter.take(socket.id)) return ack({ ok: false, error: { code: 'RATE_LIMITED', message: 'Too many events' } });
        const parsed = schema.safeParse(raw ?? {});
        if (!parsed.success) return fail('INVALID_REQUEST', `Invalid ${event}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
        void (async () => {
          // Settings may have changed since the connection (origins, limits): looked up per request,
          // through the website cache (cleared on every change, see websites.ts).
          const website = await cachedWebsiteByKey(db, data.websiteKey);
          if (!website) return fail('UNKNOWN_WEBSITE', 'This chat is no longer available');
          ack({ ok: true, ...(await fn(parsed.data, website)) });
        })().catch((err: unknown) => {
          if (err instanceof ChatError) return fail(err.code, err.message);
          deps.logger.warn({ err: String(err), event }, 'chat widget request failed');
          fail('UNAVAILABLE', 'The chat is unavailable; try again shortly');
        });
      });
    };

    const ownChat = async () => {
      if (!data.chatId) throw new ChatError('NO_CHAT', 'Start a chat first');
      return getInteraction(db, data.chatId);
    };
    const checkText = (text: string) => {
      if (text.length > MAX_TEXT) throw new ChatError('MESSAGE_TOO_LONG', `A message has at most ${MAX_TEXT} characters`);
      if (text.trim() === '') throw new ChatError('INVALID_REQUEST', 'The message is empty');
    };

    handle(WIDGET_REQUESTS.start, startSchema, true, async ({ form }, website) => {
      if (data.chatId) {
        const current = await getInteraction(db, data.chatId);
        if (current.status === 'open') throw new ChatError('CHAT_OPEN', 'This visitor already has an open chat');
      }
      for (const f of website.onlineForm) if (f.required && !(form[f.name] ?? '').trim()) throw new ChatError('INVALID_REQUEST', `The field ${f.label} is required`);
      const row = await admission.newChat(website, data.address, true, () =>
        chat.start(website, form, {
          contactId: data.contactId,
          beforeRun: async (created) => {
            data.chatId = created.id;
            data.contactId = created.contactId;
            await setVisitorChat(db, data.visitorId, created.id, created.contactId);
            // Every tab of this visitor follows the chat, from before the flow says its first word.
            ns.in(`visitor:${data.visitorId}`).socketsJoin(chatRoom(created.id));
          },
        }),
      );
      return { chatId: row.id };
    });

    handle(WIDGET_REQUESTS.message, messageSchema, true, async ({ text, quickReplyId }) => {
      checkText(text);
      const row = await ownChat();
      const message = await chat.visitorMessage(row, text, quickReplyId);
      return { message };
    });

    handle(WIDGET_REQUESTS.typing, typingSchema, false, async ({ typing }) => {
      const row = await ownChat();
      chat.visitorTyping(row, typing);
      return {};
    });

    handle(WIDGET_REQUESTS.upload, uploadSchema, true, async ({ name, type, data: bytes }, website) => {
      const row = await ownChat();
      const body = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
      if (!website.allowedFileTypes.includes(type)) throw new ChatError('FILE_TYPE_NOT_ALLOWED', `Files of type ${type.slice(0, 100)} are not accepted here`);
      if (body.byteLength > website.maxFileBytes) throw new ChatError('FILE_TOO_LARGE', `The file is ${body.byteLength} bytes; the limit is ${website.maxFileBytes}`);
      if (row.status === 'closed') throw new ChatError('CHAT_CLOSED', 'This chat is closed');
      const verdict = await checkFile({ name, declaredType: type, bytes: body }, website.allowedFileTypes);
      if (!verdict.ok) throw new ChatError(verdict.code, verdict.message);
      const attachment = await saveAttachment(db, deps.dataDir, { interactionId: row.id, name, type: verdict.type, bytes: body });
      const message = await chat.visitorMessage(row, '', undefined, attachment);
      return { message };
    });

    handle(WIDGET_REQUESTS.close, z.object({}).passthrough(), true, async () => {
      const row = await ownChat();
      await chat.close(row.id, 'visitor');
      return {};
    });

    handle(WIDGET_REQUESTS.offline, offlineSchema, true, async ({ form, message }, website) => {
      checkText(message);
      if (!website.offlineForm.enabled) throw new ChatError('OFFLINE_FORM_DISABLED', 'This website takes no offline messages');
      const current = data.chatId ? await getInteraction(db, data.chatId) : undefined;
      const ongoing = current && current.status !== 'closed' ? current.id : null;
      // A message without a chat is a new interaction: it counts against the new-chat limits.
      const leave = () => chat.offline(website, ongoing, form, message, data.contactId);
      const row = ongoing ? await leave() : await admission.newChat(website, data.address, false, leave);
      data.chatId = row.id;
      data.contactId = row.contactId;
      await setVisitorChat(db, data.visitorId, row.id, row.contactId);
      return { chatId: row.id };
    });

    socket.on('disconnect', () => chatter.forget(socket.id));
  });

  async function welcome(socket: Socket, data: WidgetData): Promise<void> {
    const website = await cachedWebsiteByKey(db, data.websiteKey);
    if (!website) return void socket.disconnect(true);
    await socket.join(`visitor:${data.visitorId}`);
    socket.emit(WIDGET_EVENTS.config, widgetConfig(website));
    const row = data.chatId ? await getInteraction(db, data.chatId).catch(() => undefined) : undefined;
    socket.emit(WIDGET_EVENTS.session, { visitorToken: data.visitorToken, chatId: row?.id ?? null } satisfies SessionPayload);
    if (!row) return;
    await socket.join(chatRoom(row.id));
    // A reloaded page gets the conversation so far (never the supervisors' notes), then the state.
    for (const m of await listMessages(db, row.id, false)) socket.emit(WIDGET_EVENTS.message, m);
    socket.emit(WIDGET_EVENTS.state, { status: await chat.statusOf(row) });
  }
}
