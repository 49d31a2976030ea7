// A minimal `/chat-widget` namespace implementing the chat contract (docs/chat-widget-events.md)
// for the widget's browser test, used because server/channels/chat was not wired into a Tandem node
// when the widget was written. It plays the server's part only as far as the widget can observe:
// origin and key check, config, session with a visitorToken that reconnects to the same chat, a bot
// message with quick replies, queue → agent, typing, uploads with limits, close, offline form.
import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';

export const ONLINE_KEY = 'onlinekey0123456789abcd';
export const OFFLINE_KEY = 'offlinekey123456789abcd';
/** A website whose widget opens by itself after one second. */
export const PROACTIVE_KEY = 'proactivekey3456789abcd';

interface Chat { id: number; messages: Record<string, unknown>[]; status: string; agentName: string | null; closed: boolean }
export interface FakeChatServer {
  io: Server;
  typing: boolean[];
  offlineSubmissions: unknown[];
  starts: unknown[];
  closes: number;
  /** Uploaded files by attachment id, with the visitor token allowed to download them. */
  files: Map<number, { token: string; bytes: Buffer }>;
  close(): Promise<void>;
}

const config = (offline: boolean, proactive: boolean) => ({
  title: 'Acme <b>Help</b>',
  greeting: 'Hello! Ask us anything.',
  color: '#0f766e',
  position: 'right',
  proactive: { afterSeconds: proactive ? 1 : null, onMouseOver: false },
  onlineForm: [
    { name: 'name', label: 'Your name', type: 'text', required: true },
    { name: 'email', label: 'E-mail', type: 'email', required: true },
  ],
  offlineForm: { enabled: offline, title: 'We are away: leave a message', fields: [{ name: 'email', label: 'E-mail', type: 'email', required: true }] },
  maxFileBytes: 1024,
  allowedFileTypes: ['text/plain', 'image/*'],
});

export function startFakeChatServer(http: HttpServer, allowedOrigin: string): FakeChatServer {
  const io = new Server(http, { cors: { origin: allowedOrigin } });
  const visitors = new Map<string, { key: string; chat: Chat | null }>();
  let nextId = 100;
  const state: FakeChatServer = { io, typing: [], offlineSubmissions: [], starts: [], closes: 0, files: new Map(), close: () => new Promise((resolve) => io.close(() => resolve())) };
  const ns = io.of('/chat-widget');

  ns.use((socket, next) => {
    const auth = socket.handshake.auth as { key?: unknown; visitorToken?: unknown };
    if (socket.handshake.headers.origin !== allowedOrigin) return next(new Error('ORIGIN_NOT_ALLOWED'));
    if (![ONLINE_KEY, OFFLINE_KEY, PROACTIVE_KEY].includes(String(auth.key))) return next(new Error('UNKNOWN_WEBSITE'));
    // As the real server: a token it does not know, or of another website, is refused.
    if (auth.visitorToken !== undefined && visitors.get(String(auth.visitorToken))?.key !== auth.key) return next(new Error('INVALID_VISITOR_TOKEN'));
    next();
  });

  ns.on('connection', (socket: Socket) => {
    const auth = socket.handshake.auth as { key: string; visitorToken?: unknown };
    let token = typeof auth.visitorToken === 'string' ? auth.visitorToken : '';
    let visitor = visitors.get(token);
    if (visitor === undefined) {
      token = randomUUID();
      visitor = { key: auth.key, chat: null };
      visitors.set(token, visitor);
    }
    const v = visitor;
    const offline = auth.key === OFFLINE_KEY;
    const say = (from: string, text: string, extra: Record<string, unknown> = {}): void => {
      if (v.chat === null) return;
      const m = { id: nextId++, from, text, at: new Date().toISOString(), ...extra };
      v.chat.messages.push(m);
      socket.emit('message', m);
    };
    const setState = (status: string, agentName: string | null = null): void => {
      if (v.chat !== null) Object.assign(v.chat, { status, agentName });
      socket.emit('state', agentName === null ? { status } : { status, agentName });
    };

    socket.emit('config', config(offline, auth.key === PROACTIVE_KEY));
    socket.emit('session', { visitorToken: token, chatId: v.chat?.id ?? null });
    if (v.chat !== null) {
      for (const m of v.chat.messages) socket.emit('message', m);
      socket.emit('state', v.chat.agentName === null ? { status: v.chat.status } : { status: v.chat.status, agentName: v.chat.agentName });
    }

    socket.on('start', (p: { form?: unknown }, ack: (r: unknown) => void) => {
      state.starts.push(p.form);
      v.chat = { id: nextId++, messages: [], status: 'bot', agentName: null, closed: false };
      // As the real server: the chat id comes back in the ack, no new `session` event.
      ack({ ok: true, chatId: v.chat.id });
      if (offline) {
        setState('offline');
        return;
      }
      setState('bot');
      say('bot', 'Hi <img src=x onerror="window.__pwned=1">! What do you need?', { quickReplies: [{ id: 'billing', label: 'Billing' }, { id: 'agent', label: 'Talk to a person' }] });
    });
    socket.on('message', (p: { text?: unknown; quickReplyId?: unknown }, ack: (r: unknown) => void) => {
      const text = typeof p.text === 'string' ? p.text : '';
      if (text.length > 4000) return ack({ ok: false, error: { code: 'MESSAGE_TOO_LONG', message: 'Message is too long' } });
      say('visitor', text);
      ack({ ok: true });
      if (p.quickReplyId === 'agent') {
        setState('queued');
        setTimeout(() => {
          setState('connected', 'Ann <i>Agent</i>');
          socket.emit('typing', { from: 'agent', typing: true });
        }, 50);
      } else if (v.chat?.status === 'connected') {
        socket.emit('typing', { from: 'agent', typing: false });
        say('agent', `You said: ${text}`);
      }
    });
    socket.on('typing', (p: { typing?: unknown }, ack?: (r: unknown) => void) => {
      state.typing.push(p.typing === true);
      ack?.({ ok: true });
    });
    socket.on('upload', (p: { name?: unknown; type?: unknown; data?: unknown }, ack: (r: unknown) => void) => {
      const data = p.data instanceof Buffer ? p.data : Buffer.alloc(0);
      if (data.length > 1024) return ack({ ok: false, error: { code: 'FILE_TOO_LARGE', message: 'File too large' } });
      say('visitor', '', { attachment: { id: 7, name: String(p.name), size: data.length, type: String(p.type), url: '/api/attachments/7' } });
      state.files.set(7, { token, bytes: data });
      ack({ ok: true });
    });
    socket.on('close', (_p: unknown, ack: (r: unknown) => void) => {
      state.closes += 1;
      if (v.chat !== null) v.chat.closed = true;
      ack({ ok: true });
      setState('closed');
    });
    socket.on('offline', (p: unknown, ack: (r: unknown) => void) => {
      state.offlineSubmissions.push(p);
      ack({ ok: true });
    });
  });
  return state;
}
