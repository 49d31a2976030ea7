// The widget: a launcher and a panel in a shadow root, driven by the `/chat-widget` events of the
// chat contract. The transport is passed in (main.ts gives it a socket.io socket) so the view logic
// never reaches for the network itself.
import { WIDGET_EVENTS, WIDGET_REQUESTS, type WidgetRequestPayloads } from '../../../contracts/chat-widget.ts';
import { clear, el } from './dom.ts';
import {
  ackChatId, parseAck, parseConfig, parseError, parseMessage, parseSession, parseState, safeUrl,
  type ChatMessage, type ChatState, type FormField, type WidgetConfig,
} from './protocol.ts';
import { saveToken } from './storage.ts';
import { STYLES } from './styles.ts';
import { formatBytes, validateFile, validateForm, validateText, MAX_TEXT_CHARS } from './validate.ts';

export interface ChatTransport {
  on(event: string, handler: (payload: unknown) => void): void;
  emit(event: string, payload: unknown, ack: (result: unknown) => void): void;
  close(): void;
}

export interface WidgetOptions {
  websiteKey: string;
  /** Origin of the Tandem server, to resolve relative attachment URLs. */
  serverOrigin: string;
  transport: ChatTransport;
  host?: HTMLElement;
}

const CHAT_ICON = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z';
const STATUS_TEXT: Record<ChatState['status'], string> = {
  bot: 'Automated assistant',
  queued: 'Waiting for an agent…',
  connected: 'Connected',
  closed: 'Chat ended',
  offline: 'We are offline',
};
// Drawn paths rather than emoji: many systems (and headless Chromium) have no emoji font.
const CLIP_ICON = 'M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z';

function icon(d: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  p.setAttribute('d', d);
  svg.appendChild(p);
  return svg;
}
const SENDER_TEXT = { visitor: 'You', agent: 'Agent', bot: 'Assistant', system: '' } as const;

type View = 'connecting' | 'prechat' | 'conversation' | 'offline' | 'offline-sent' | 'closed';

export class ChatWidget {
  readonly host: HTMLElement;
  private readonly shadow: ShadowRoot;
  private readonly root: HTMLDivElement;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLDivElement;
  private readonly titleEl: HTMLHeadingElement;
  private readonly statusEl: HTMLSpanElement;
  private readonly body: HTMLDivElement;
  private readonly typingEl: HTMLDivElement;
  private readonly errorEl: HTMLDivElement;
  private readonly announcer: HTMLDivElement;
  private readonly footer: HTMLDivElement;
  private list: HTMLUListElement | null = null;
  private composer: HTMLTextAreaElement | null = null;

  private config: WidgetConfig | null = null;
  private state: ChatState | null = null;
  private chatId: string | null = null;
  private visitorToken: string | null = null;
  private view: View = 'connecting';
  private readonly messages: ChatMessage[] = [];
  private readonly seen = new Set<string>();
  private everOpened = false;
  private dismissed = false;
  private proactiveTimer: ReturnType<typeof setTimeout> | null = null;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private typingSent = false;

  constructor(private readonly opts: WidgetOptions) {
    this.host = opts.host ?? el('div', { attrs: { id: 'tandem-chat' } });
    if (!this.host.isConnected) document.body.appendChild(this.host);
    this.shadow = this.host.attachShadow({ mode: 'open' });
    this.shadow.appendChild(el('style', { text: STYLES }));

    this.launcher = el('button', { cls: 'launcher', attrs: { type: 'button', 'aria-label': 'Open chat', 'aria-expanded': 'false', 'aria-controls': 'tc-panel' } }, [icon(CHAT_ICON)]);
    this.launcher.addEventListener('click', () => (this.isOpen() ? this.minimise() : this.open(true)));
    this.launcher.addEventListener('mouseenter', () => {
      if (this.config?.proactive.onMouseOver && !this.everOpened && !this.dismissed) this.open(false);
    });

    this.titleEl = el('h2', { attrs: { id: 'tc-title' }, text: 'Chat' });
    this.statusEl = el('span', { cls: 'status' });
    this.titleEl.appendChild(this.statusEl);
    const minimise = el('button', { cls: 'icon', text: '–', attrs: { type: 'button', 'aria-label': 'Minimise chat' }, on: { click: () => this.minimise() } });
    const end = el('button', { cls: 'icon', text: '✕', attrs: { type: 'button', 'aria-label': 'End chat' }, on: { click: () => this.endChat() } });
    this.body = el('div', { cls: 'body' });
    this.typingEl = el('div', { cls: 'typing', attrs: { 'aria-live': 'polite' } });
    this.errorEl = el('div', { cls: 'err', attrs: { role: 'alert', hidden: '' } });
    this.announcer = el('div', { cls: 'sr', attrs: { 'aria-live': 'polite', role: 'status' } });
    this.footer = el('div');
    this.panel = el('div', { cls: 'panel', attrs: { id: 'tc-panel', role: 'dialog', 'aria-labelledby': 'tc-title', hidden: '' } }, [
      el('div', { cls: 'head' }, [this.titleEl, minimise, end]),
      this.body,
      this.typingEl,
      this.errorEl,
      this.footer,
      this.announcer,
    ]);
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.minimise();
      }
    });
    this.root = el('div', { cls: 'root right' }, [this.panel, this.launcher]);
    this.shadow.appendChild(this.root);
    this.render();
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
      this.root.className = `root ${c.position}`;
      this.root.style.setProperty('--tc', c.color);
      this.launcher.setAttribute('aria-label', `Open chat: ${c.title}`);
      if (first) this.scheduleProactive();
      if (this.view === 'connecting') this.view = this.chatId === null ? 'prechat' : 'conversation';
      this.render();
    });
    t.on(WIDGET_EVENTS.session, (p) => {
      const s = parseSession(p);
      if (s === null) return;
      saveToken(this.opts.websiteKey, s.visitorToken);
      this.visitorToken = s.visitorToken;
      this.chatId = s.chatId;
      if (s.chatId !== null && (this.view === 'connecting' || this.view === 'prechat')) this.view = 'conversation';
      this.render();
    });
    t.on(WIDGET_EVENTS.message, (p) => {
      const m = parseMessage(p);
      if (m !== null) this.addMessage(m);
    });
    t.on(WIDGET_EVENTS.typing, (p) => {
      const typing = typeof p === 'object' && p !== null && (p as { typing?: unknown }).typing === true;
      this.typingEl.textContent = typing ? `${this.state?.agentName ?? 'Agent'} is typing…` : '';
    });
    t.on(WIDGET_EVENTS.state, (p) => {
      const s = parseState(p);
      if (s === null) return;
      const before = this.state?.status;
      this.state = s;
      if (s.status === 'offline') this.view = this.view === 'offline-sent' ? 'offline-sent' : 'offline';
      else if (s.status === 'closed') this.view = 'closed';
      else this.view = 'conversation';
      if (s.status !== 'connected') this.typingEl.textContent = '';
      if (before !== s.status) this.announce(s.status === 'connected' && s.agentName ? `${s.agentName} joined the chat` : STATUS_TEXT[s.status]);
      this.render();
    });
    t.on(WIDGET_EVENTS.error, (p) => this.showError(parseError(p).message));
    t.on('connect_error', (p) => {
      // ORIGIN_NOT_ALLOWED / UNKNOWN_WEBSITE are configuration problems of the site owner: say so in
      // the console, keep the visitor's page quiet.
      const message = p instanceof Error ? p.message : String(p);
      if (message === 'ORIGIN_NOT_ALLOWED' || message === 'UNKNOWN_WEBSITE') {
        console.warn(`Tandem chat: ${message} (check the website key and its allowed origins)`);
        this.host.hidden = true;
      } else if (message === 'TOO_MANY_CONNECTIONS') {
        // The server's words for the visitor ride on the error's `data`.
        const data = p instanceof Error ? (p as Error & { data?: unknown }).data : undefined;
        const text = typeof data === 'object' && data !== null ? (data as { message?: unknown }).message : undefined;
        this.showError(typeof text === 'string' ? text.slice(0, 300) : 'Too many chat windows are open from your network. Close some of them and reload the page.');
      }
    });
  }

  private addMessage(m: ChatMessage): void {
    if (this.seen.has(m.id)) return;
    this.seen.add(m.id);
    this.messages.push(m);
    if (m.from !== 'visitor') this.typingEl.textContent = '';
    if (this.view === 'connecting' || this.view === 'prechat') this.view = 'conversation';
    if (this.list !== null && this.view === 'conversation') {
      // Older messages' quick replies stop being offered once the conversation moves on.
      this.list.querySelectorAll('.qr button').forEach((b) => ((b as HTMLButtonElement).disabled = true));
      this.list.appendChild(this.renderMessage(m));
      this.body.scrollTop = this.body.scrollHeight;
    } else this.render();
  }

  // ---------- visitor actions ----------

  private send<K extends keyof WidgetRequestPayloads>(event: (typeof WIDGET_REQUESTS)[K], payload: WidgetRequestPayloads[K]): Promise<boolean> {
    return new Promise((resolve) => {
      this.opts.transport.emit(event, payload, (raw) => {
        const ack = parseAck(raw);
        if (!ack.ok) this.showError(ack.error.message);
        else this.hideError();
        const m = typeof raw === 'object' && raw !== null ? parseMessage((raw as { message?: unknown }).message) : null;
        if (m !== null) this.addMessage(m);
        const chatId = ackChatId(raw);
        if (ack.ok && chatId !== null) this.chatId = chatId;
        resolve(ack.ok);
      });
    });
  }

  private async sendText(text: string, quickReplyId?: string): Promise<boolean> {
    const problem = validateText(text);
    if (problem !== null) {
      this.showError(problem);
      return false;
    }
    this.stopTyping();
    return this.send(WIDGET_REQUESTS.message, quickReplyId === undefined ? { text } : { text, quickReplyId });
  }

  private async upload(file: File): Promise<void> {
    const c = this.config;
    const problem = validateFile(file, c?.maxFileBytes ?? 0, c?.allowedFileTypes ?? []);
    if (problem !== null) {
      this.showError(problem);
      return;
    }
    this.announce(`Sending ${file.name}`);
    const data = await file.arrayBuffer();
    await this.send(WIDGET_REQUESTS.upload, { name: file.name, type: file.type, data });
  }

  private onComposerInput(): void {
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

  private endChat(): void {
    if (this.chatId !== null && this.state?.status !== 'closed' && this.state?.status !== 'offline') {
      void this.send(WIDGET_REQUESTS.close, {});
    }
    this.dismissed = true;
    this.minimise();
  }

  // ---------- open / close ----------

  isOpen(): boolean {
    return !this.panel.hidden;
  }

  /** `takeFocus` is false for proactive opens: the widget must not steal focus from the page. */
  open(takeFocus: boolean): void {
    this.cancelProactive();
    this.everOpened = true;
    this.panel.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.launcher.setAttribute('aria-label', `Close chat: ${this.config?.title ?? 'Chat'}`);
    if (takeFocus) this.focusFirst();
    this.body.scrollTop = this.body.scrollHeight;
  }

  minimise(): void {
    const hadFocus = this.shadow.activeElement !== null;
    this.panel.hidden = true;
    this.dismissed = true;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.setAttribute('aria-label', `Open chat: ${this.config?.title ?? 'Chat'}`);
    if (hadFocus) this.launcher.focus();
  }

  private focusFirst(): void {
    const target = this.panel.querySelector<HTMLElement>('.body input, .compose textarea, .body button.primary') ?? this.panel.querySelector<HTMLElement>('button');
    target?.focus();
  }

  private scheduleProactive(): void {
    const after = this.config?.proactive.afterSeconds;
    if (after === null || after === undefined) return;
    this.proactiveTimer = setTimeout(() => {
      this.proactiveTimer = null;
      if (!this.everOpened && !this.dismissed) this.open(false);
    }, after * 1000);
  }

  private cancelProactive(): void {
    if (this.proactiveTimer !== null) clearTimeout(this.proactiveTimer);
    this.proactiveTimer = null;
  }

  destroy(): void {
    this.cancelProactive();
    if (this.typingTimer !== null) clearTimeout(this.typingTimer);
    this.opts.transport.close();
    this.host.remove();
  }

  // ---------- rendering ----------

  private announce(text: string): void {
    this.announcer.textContent = text;
  }

  private showError(text: string): void {
    this.errorEl.textContent = text;
    this.errorEl.hidden = false;
    // The error bar takes room from the message list: keep the newest message in view.
    this.body.scrollTop = this.body.scrollHeight;
  }

  private hideError(): void {
    this.errorEl.textContent = '';
    this.errorEl.hidden = true;
  }

  private render(): void {
    const c = this.config;
    const hadFocus = this.shadow.activeElement !== null && this.panel.contains(this.shadow.activeElement);
    const titleText = this.titleEl.firstChild;
    if (titleText !== null && titleText.nodeType === Node.TEXT_NODE) titleText.textContent = c?.title ?? 'Chat';
    else this.titleEl.prepend(c?.title ?? 'Chat');
    this.statusEl.textContent = this.state ? ` ${this.state.status === 'connected' && this.state.agentName ? this.state.agentName : STATUS_TEXT[this.state.status]}` : '';
    clear(this.body);
    clear(this.footer);
    this.list = null;
    this.composer = null;
    switch (this.view) {
      case 'connecting':
        this.body.appendChild(el('p', { cls: 'greet', text: 'Connecting…' }));
        break;
      case 'prechat':
        this.renderPrechat(c);
        break;
      case 'conversation':
        this.renderConversation();
        break;
      case 'offline':
        this.renderOffline(c);
        break;
      case 'offline-sent':
        this.body.appendChild(el('p', { cls: 'greet', text: 'Thank you, your message was sent. We will get back to you.' }));
        break;
      case 'closed':
        this.renderConversation(false);
        this.footer.appendChild(
          el('div', { cls: 'compose' }, [el('button', { cls: 'primary', text: 'Start a new chat', attrs: { type: 'button' }, on: { click: () => this.restart() } })]),
        );
        break;
    }
    if (hadFocus && this.isOpen()) this.focusFirst();
    this.body.scrollTop = this.body.scrollHeight;
  }

  private restart(): void {
    this.chatId = null;
    this.state = null;
    this.messages.length = 0;
    this.seen.clear();
    this.view = 'prechat';
    this.render();
    this.focusFirst();
  }

  private renderForm(fields: readonly FormField[], submitLabel: string, extra: HTMLElement[], onSubmit: (values: Record<string, string>, form: HTMLFormElement) => Promise<void>): HTMLFormElement {
    const inputs = new Map<string, { input: HTMLInputElement; err: HTMLSpanElement }>();
    const form = el('form', { attrs: { novalidate: '' } });
    for (const f of fields) {
      const id = `tc-f-${f.name}-${submitLabel.length}`;
      const input = el('input', { attrs: { id, name: f.name, type: f.type, autocomplete: f.type === 'email' ? 'email' : f.type === 'tel' ? 'tel' : 'on', 'aria-describedby': `${id}-err` } });
      if (f.required) input.setAttribute('aria-required', 'true');
      const err = el('span', { cls: 'ferr', attrs: { id: `${id}-err` } });
      inputs.set(f.name, { input, err });
      form.appendChild(el('label', { attrs: { for: id } }, [document.createTextNode(f.required ? `${f.label} *` : f.label), input, err]));
    }
    for (const e of extra) form.appendChild(e);
    const submit = el('button', { cls: 'primary', text: submitLabel, attrs: { type: 'submit' } });
    form.appendChild(submit);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const values: Record<string, string> = {};
      for (const [name, { input }] of inputs) values[name] = input.value.trim();
      const errors = validateForm(fields, values);
      let firstBad: HTMLInputElement | null = null;
      for (const [name, { input, err }] of inputs) {
        const msg = errors[name];
        err.textContent = msg ?? '';
        input.setAttribute('aria-invalid', msg ? 'true' : 'false');
        if (msg && firstBad === null) firstBad = input;
      }
      if (firstBad !== null) {
        firstBad.focus();
        return;
      }
      submit.disabled = true;
      void onSubmit(values, form).finally(() => (submit.disabled = false));
    });
    return form;
  }

  private renderPrechat(c: WidgetConfig | null): void {
    if (c === null) return;
    if (c.greeting) this.body.appendChild(el('p', { cls: 'greet', text: c.greeting }));
    this.body.appendChild(
      this.renderForm(c.onlineForm, 'Start chat', [], async (form) => {
        if (await this.send(WIDGET_REQUESTS.start, { form })) {
          if (this.view === 'prechat') this.view = 'conversation';
          this.render();
        }
      }),
    );
  }

  private renderOffline(c: WidgetConfig | null): void {
    if (c === null || !c.offlineForm.enabled) {
      this.body.appendChild(el('p', { cls: 'greet', text: 'Sorry, nobody can answer right now. Please try again later.' }));
      return;
    }
    this.body.appendChild(el('p', { cls: 'greet', text: c.offlineForm.title }));
    const msgId = 'tc-offline-msg';
    const text = el('textarea', { attrs: { id: msgId, name: 'message', rows: '4', maxlength: String(MAX_TEXT_CHARS), 'aria-required': 'true' } });
    const label = el('label', { attrs: { for: msgId } }, [document.createTextNode('Message *'), text]);
    this.body.appendChild(
      this.renderForm(c.offlineForm.fields, 'Send message', [label], async (form) => {
        const problem = validateText(text.value);
        if (problem !== null) {
          text.setAttribute('aria-invalid', 'true');
          this.showError(problem);
          text.focus();
          return;
        }
        if (await this.send(WIDGET_REQUESTS.offline, { form, message: text.value })) {
          this.view = 'offline-sent';
          this.render();
          this.announce('Your message was sent');
        }
      }),
    );
  }

  private renderConversation(withComposer = true): void {
    const c = this.config;
    if (c?.greeting) this.body.appendChild(el('p', { cls: 'greet', text: c.greeting }));
    this.list = el('ul', { cls: 'msgs', attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': 'Messages' } });
    this.messages.forEach((m, i) => {
      const li = this.renderMessage(m);
      if (i < this.messages.length - 1 || !withComposer) li.querySelectorAll('button').forEach((b) => (b.disabled = true));
      this.list!.appendChild(li);
    });
    this.body.appendChild(this.list);
    if (!withComposer) return;

    const textarea = el('textarea', { attrs: { id: 'tc-compose', rows: '1', maxlength: String(MAX_TEXT_CHARS), placeholder: 'Type your message…' } });
    this.composer = textarea;
    const submit = async (): Promise<void> => {
      if (await this.sendText(textarea.value)) textarea.value = '';
      textarea.focus();
    };
    textarea.addEventListener('input', () => this.onComposerInput());
    textarea.addEventListener('keydown', (e) => {
      // Enter sends, Shift+Enter makes a new line (the usual chat convention).
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        void submit();
      }
    });
    const nodes: Node[] = [el('label', { cls: 'sr', text: 'Message', attrs: { for: 'tc-compose' } }), textarea];
    const uploads = c !== null && c.maxFileBytes > 0 && c.allowedFileTypes.length > 0;
    if (uploads) {
      const file = el('input', { cls: 'sr', attrs: { type: 'file', id: 'tc-file', accept: c.allowedFileTypes.join(','), tabindex: '-1', 'aria-hidden': 'true' } });
      file.addEventListener('change', () => {
        const f = file.files?.[0];
        file.value = '';
        if (f) void this.upload(f);
      });
      nodes.push(file, el('button', { cls: 'attach', attrs: { type: 'button', 'aria-label': `Attach a file (${formatBytes(c.maxFileBytes)} at most)` }, on: { click: () => file.click() } }, [icon(CLIP_ICON)]));
    }
    nodes.push(el('button', { cls: 'primary', text: 'Send', attrs: { type: 'button' }, on: { click: () => void submit() } }));
    this.footer.appendChild(el('div', { cls: 'compose' }, nodes));
  }

  /**
   * The server hands a visitor its chat's files only with the visitor token in X-Tandem-Visitor (a
   * token in the URL would leak through history and logs), so the link is fetched, not followed.
   */
  private download(e: Event, href: string, name: string): void {
    if (this.visitorToken === null) return;
    e.preventDefault();
    fetch(href, { headers: { 'X-Tandem-Visitor': this.visitorToken } })
      .then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        const url = URL.createObjectURL(await res.blob());
        const a = el('a', { attrs: { href: url, download: name } });
        this.shadow.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      })
      .catch(() => this.showError(`Could not download ${name}`));
  }

  private renderMessage(m: ChatMessage): HTMLLIElement {
    const li = el('li', { cls: `msg ${m.from}`, attrs: { 'data-id': m.id } });
    const who = m.from === 'agent' ? (this.state?.agentName ?? SENDER_TEXT.agent) : SENDER_TEXT[m.from];
    if (who) li.appendChild(el('span', { cls: 'who', text: who }));
    if (m.text) li.appendChild(document.createTextNode(m.text));
    if (m.attachment !== null) {
      const name = m.attachment.name;
      const href = safeUrl(m.attachment.url, this.opts.serverOrigin);
      const label = `${m.attachment.name} (${formatBytes(m.attachment.size)})`;
      li.appendChild(
        href === null
          ? el('span', { text: label })
          : el('a', { text: label, attrs: { href, target: '_blank', rel: 'noopener noreferrer', download: m.attachment.name }, on: { click: (e) => this.download(e, href, name) } }),
      );
    }
    if (m.quickReplies.length > 0) {
      const group = el('div', { cls: 'qr', attrs: { role: 'group', 'aria-label': 'Suggested replies' } });
      for (const q of m.quickReplies) {
        group.appendChild(
          el('button', {
            text: q.label,
            attrs: { type: 'button' },
            on: {
              click: () => {
                group.querySelectorAll('button').forEach((b) => (b.disabled = true));
                void this.sendText(q.label, q.id).then((ok) => {
                  if (!ok) group.querySelectorAll('button').forEach((b) => (b.disabled = false));
                  this.composer?.focus();
                });
              },
            },
          }),
        );
      }
      li.appendChild(group);
    }
    return li;
  }
}
