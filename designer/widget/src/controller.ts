// The widget's conversation, without a single DOM node: what the visitor sees (config, chat state,
// messages, which screen) kept from the `/chat-widget` events of the chat contract, and the visitor's
// actions sent back over the transport. The panel (widget.ts) draws it and is told what changed
// through a ChatUi, so this file never decides how anything looks.
import { WIDGET_EVENTS, WIDGET_REQUESTS, type WidgetRequestPayloads } from '../../../contracts/chat-widget.ts';
import {
  ackChatId, parseAck, parseConfig, parseError, parseMessage, parseSession, parseState, safeUrl,
  type ChatMessage, type ChatState, type WidgetConfig,
} from './protocol.ts';
import { saveToken } from './storage.ts';
import { validateFile, validateText } from './validate.ts';

/** The socket as the widget uses it (main.ts wraps socket.io in it). */
export interface ChatTransport {
  on(event: string, handler: (payload: unknown) => void): void;
  emit(event: string, payload: unknown, ack: (result: unknown) => void): void;
  close(): void;
}

export interface ChatOptions {
  websiteKey: string;
  /** Origin of the Tandem server, to resolve relative attachment URLs. */
  serverOrigin: string;
  transport: ChatTransport;
}

/** Which screen the panel shows. */
export type Screen = 'connecting' | 'prechat' | 'conversation' | 'offline' | 'offline-sent' | 'closed';

/** What the controller tells the panel; the panel decides how it shows it. */
export interface ChatUi {
  /** Screen, config or chat state changed: draw the panel again. */
  changed(): void;
  /** One new message (the panel appends it to the conversation on screen, or draws again). */
  messageAdded(m: ChatMessage): void;
  /** The first config, or a new one: colours, position, title. */
  configured(c: WidgetConfig, first: boolean): void;
  /** The chat's status moved (queued, agent joined, closed…). */
  statusChanged(s: ChatState): void;
  typing(active: boolean): void;
  /** A message for the visitor, or null to clear the one shown. */
  error(text: string | null): void;
  uploading(fileName: string): void;
  /** The server refuses this website (key or origin): the widget must disappear. */
  refused(): void;
}

export class ChatController {
  config: WidgetConfig | null = null;
  state: ChatState | null = null;
  screen: Screen = 'connecting';
  readonly messages: ChatMessage[] = [];
  private chatId: string | null = null;
  private visitorToken: string | null = null;
  private readonly seen = new Set<string>();
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private typingSent = false;

  constructor(
    private readonly opts: ChatOptions,
    private readonly ui: ChatUi,
  ) {
    this.listen();
  }

  // ---------- server events ----------

  private listen(): void {
    const t = this.opts.transport;
    t.on(WIDGET_EVENTS.config, (p) => {
      const c = parseConfig(p);
      if (c === null) return;
      const first = this.config === null;
      this.config = c;
      this.ui.configured(c, first);
      if (this.screen === 'connecting') this.screen = this.chatId === null ? 'prechat' : 'conversation';
      this.ui.changed();
    });
    t.on(WIDGET_EVENTS.session, (p) => {
      const s = parseSession(p);
      if (s === null) return;
      saveToken(this.opts.websiteKey, s.visitorToken);
      this.visitorToken = s.visitorToken;
      this.chatId = s.chatId;
      if (s.chatId !== null && (this.screen === 'connecting' || this.screen === 'prechat')) this.screen = 'conversation';
      this.ui.changed();
    });
    t.on(WIDGET_EVENTS.message, (p) => {
      const m = parseMessage(p);
      if (m !== null) this.addMessage(m);
    });
    t.on(WIDGET_EVENTS.typing, (p) => {
      this.ui.typing(typeof p === 'object' && p !== null && (p as { typing?: unknown }).typing === true);
    });
    t.on(WIDGET_EVENTS.state, (p) => {
      const s = parseState(p);
      if (s === null) return;
      const before = this.state?.status;
      this.state = s;
      if (s.status === 'offline') this.screen = this.screen === 'offline-sent' ? 'offline-sent' : 'offline';
      else if (s.status === 'closed') this.screen = 'closed';
      else this.screen = 'conversation';
      if (s.status !== 'connected') this.ui.typing(false);
      if (before !== s.status) this.ui.statusChanged(s);
      this.ui.changed();
    });
    t.on(WIDGET_EVENTS.error, (p) => this.ui.error(parseError(p).message));
    t.on('connect_error', (p) => {
      // ORIGIN_NOT_ALLOWED / UNKNOWN_WEBSITE are configuration problems of the site owner: say so in
      // the console, keep the visitor's page quiet.
      const message = p instanceof Error ? p.message : String(p);
      if (message === 'ORIGIN_NOT_ALLOWED' || message === 'UNKNOWN_WEBSITE') {
        console.warn(`Tandem chat: ${message} (check the website key and its allowed origins)`);
        this.ui.refused();
      } else if (message === 'TOO_MANY_CONNECTIONS') {
        // The server's words for the visitor ride on the error's `data`.
        const data = p instanceof Error ? (p as Error & { data?: unknown }).data : undefined;
        const text = typeof data === 'object' && data !== null ? (data as { message?: unknown }).message : undefined;
        this.ui.error(typeof text === 'string' ? text.slice(0, 300) : 'Too many chat windows are open from your network. Close some of them and reload the page.');
      }
    });
  }

  private addMessage(m: ChatMessage): void {
    if (this.seen.has(m.id)) return;
    this.seen.add(m.id);
    this.messages.push(m);
    if (m.from !== 'visitor') this.ui.typing(false);
    if (this.screen === 'connecting' || this.screen === 'prechat') this.screen = 'conversation';
    this.ui.messageAdded(m);
  }

  // ---------- visitor actions ----------

  private send<K extends keyof WidgetRequestPayloads>(event: (typeof WIDGET_REQUESTS)[K], payload: WidgetRequestPayloads[K]): Promise<boolean> {
    return new Promise((resolve) => {
      this.opts.transport.emit(event, payload, (raw) => {
        const ack = parseAck(raw);
        this.ui.error(ack.ok ? null : ack.error.message);
        const m = typeof raw === 'object' && raw !== null ? parseMessage((raw as { message?: unknown }).message) : null;
        if (m !== null) this.addMessage(m);
        const chatId = ackChatId(raw);
        if (ack.ok && chatId !== null) this.chatId = chatId;
        resolve(ack.ok);
      });
    });
  }

  /** The pre-chat form: starts the chat, then the conversation screen. */
  async start(form: Record<string, string>): Promise<void> {
    if (await this.send(WIDGET_REQUESTS.start, { form })) {
      if (this.screen === 'prechat') this.screen = 'conversation';
      this.ui.changed();
    }
  }

  /** The offline form (its message already checked by the form); whether the server took it. */
  async leaveMessage(form: Record<string, string>, message: string): Promise<boolean> {
    if (!(await this.send(WIDGET_REQUESTS.offline, { form, message }))) return false;
    this.screen = 'offline-sent';
    this.ui.changed();
    return true;
  }

  async sendText(text: string, quickReplyId?: string): Promise<boolean> {
    const problem = validateText(text);
    if (problem !== null) {
      this.ui.error(problem);
      return false;
    }
    this.stopTyping();
    return this.send(WIDGET_REQUESTS.message, quickReplyId === undefined ? { text } : { text, quickReplyId });
  }

  async upload(file: File): Promise<void> {
    const c = this.config;
    const problem = validateFile(file, c?.maxFileBytes ?? 0, c?.allowedFileTypes ?? []);
    if (problem !== null) {
      this.ui.error(problem);
      return;
    }
    this.ui.uploading(file.name);
    const data = await file.arrayBuffer();
    await this.send(WIDGET_REQUESTS.upload, { name: file.name, type: file.type, data });
  }

  /** A key stroke in the composer: `typing` true at once, false 2.5 s after the last. */
  composing(): void {
    if (!this.typingSent) {
      this.typingSent = true;
      this.opts.transport.emit(WIDGET_REQUESTS.typing, { typing: true } satisfies WidgetRequestPayloads['typing'], () => undefined);
    }
    if (this.typingTimer !== null) clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), 2500);
  }

  private stopTyping(): void {
    if (this.typingTimer !== null) clearTimeout(this.typingTimer);
    this.typingTimer = null;
    if (this.typingSent) {
      this.typingSent = false;
      this.opts.transport.emit(WIDGET_REQUESTS.typing, { typing: false } satisfies WidgetRequestPayloads['typing'], () => undefined);
    }
  }

  /** The visitor ends the conversation (a chat already over has nothing to close). */
  end(): void {
    if (this.chatId !== null && this.state?.status !== 'closed' && this.state?.status !== 'offline') {
      void this.send(WIDGET_REQUESTS.close, {});
    }
  }

  /** "Start a new chat" after one ended: back to the pre-chat form with nothing kept. */
  restart(): void {
    this.chatId = null;
    this.state = null;
    this.messages.length = 0;
    this.seen.clear();
    this.screen = 'prechat';
    this.ui.changed();
  }

  /** An attachment's link, only when it is http(s) (relative ones resolve against the server). */
  attachmentUrl(url: string): string | null {
    return safeUrl(url, this.opts.serverOrigin);
  }

  /**
   * The server hands a visitor its chat's files only with the visitor token in X-Tandem-Visitor (a
   * token in the URL would leak through history and logs), so the file is fetched, not followed.
   * Null before the server gave this visitor a token.
   */
  download(href: string): Promise<Blob> | null {
    if (this.visitorToken === null) return null;
    return fetch(href, { headers: { 'X-Tandem-Visitor': this.visitorToken } }).then((res) => {
      if (!res.ok) throw new Error(String(res.status));
      return res.blob();
    });
  }

  destroy(): void {
    if (this.typingTimer !== null) clearTimeout(this.typingTimer);
    this.opts.transport.close();
  }
}
