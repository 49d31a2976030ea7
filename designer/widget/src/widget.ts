// The widget: a launcher and a panel in a shadow root. The conversation itself (state, the
// `/chat-widget` events, the visitor's requests) is the ChatController's; this shell owns the DOM:
// it opens and closes the panel, opens it proactively, and draws the controller's current screen
// with the builders of views.ts. The transport is passed in (main.ts gives it a socket.io socket)
// so neither part reaches for the network itself.
import { ChatController, type ChatOptions, type ChatUi } from './controller.ts';
import { clear, el } from './dom.ts';
import type { ChatMessage, ChatState, WidgetConfig } from './protocol.ts';
import { STYLES } from './styles.ts';
import {
  CHAT_ICON, STATUS_TEXT, composerView, icon, messageListView, messageView, note, offlineView, prechatView, retireQuickReplies,
  type MessageActions,
} from './views.ts';

export interface WidgetOptions extends ChatOptions {
  host?: HTMLElement;
}

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

  private readonly chat: ChatController;
  private everOpened = false;
  private dismissed = false;
  private proactiveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(opts: WidgetOptions) {
    this.host = opts.host ?? el('div', { attrs: { id: 'tandem-chat' } });
    if (!this.host.isConnected) document.body.appendChild(this.host);
    this.shadow = this.host.attachShadow({ mode: 'open' });
    this.shadow.appendChild(el('style', { text: STYLES }));

    this.launcher = el('button', { cls: 'launcher', attrs: { type: 'button', 'aria-label': 'Open chat', 'aria-expanded': 'false', 'aria-controls': 'tc-panel' } }, [icon(CHAT_ICON)]);
    this.launcher.addEventListener('click', () => (this.isOpen() ? this.minimise() : this.open(true)));
    this.launcher.addEventListener('mouseenter', () => {
      if (this.chat.config?.proactive.onMouseOver && !this.everOpened && !this.dismissed) this.open(false);
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
    this.chat = new ChatController(opts, this.ui());
    this.render();
  }

  /** How the controller's news reaches the DOM. */
  private ui(): ChatUi {
    return {
      changed: () => this.render(),
      messageAdded: (m) => this.messageAdded(m),
      configured: (c, first) => this.configured(c, first),
      statusChanged: (s) => this.announce(s.status === 'connected' && s.agentName ? `${s.agentName} joined the chat` : STATUS_TEXT[s.status]),
      typing: (active) => (this.typingEl.textContent = active ? `${this.chat.state?.agentName ?? 'Agent'} is typing…` : ''),
      error: (text) => (text === null ? this.hideError() : this.showError(text)),
      uploading: (name) => this.announce(`Sending ${name}`),
      refused: () => (this.host.hidden = true),
    };
  }

  private configured(c: WidgetConfig, first: boolean): void {
    this.root.className = `root ${c.position}`;
    this.root.style.setProperty('--tc', c.color);
    this.launcher.setAttribute('aria-label', `Open chat: ${c.title}`);
    if (first) this.scheduleProactive();
  }

  private messageAdded(m: ChatMessage): void {
    if (this.list !== null && this.chat.screen === 'conversation') {
      retireQuickReplies(this.list);
      this.list.appendChild(messageView(m, this.messageActions()));
      this.body.scrollTop = this.body.scrollHeight;
    } else this.render();
  }

  private endChat(): void {
    this.chat.end();
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
    this.launcher.setAttribute('aria-label', `Close chat: ${this.chat.config?.title ?? 'Chat'}`);
    if (takeFocus) this.focusFirst();
    this.body.scrollTop = this.body.scrollHeight;
  }

  minimise(): void {
    const hadFocus = this.shadow.activeElement !== null;
    this.panel.hidden = true;
    this.dismissed = true;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.setAttribute('aria-label', `Open chat: ${this.chat.config?.title ?? 'Chat'}`);
    if (hadFocus) this.launcher.focus();
  }

  private focusFirst(): void {
    const target = this.panel.querySelector<HTMLElement>('.body input, .compose textarea, .body button.primary') ?? this.panel.querySelector<HTMLElement>('button');
    target?.focus();
  }

  private scheduleProactive(): void {
    const after = this.chat.config?.proactive.afterSeconds;
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
    this.chat.destroy();
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
    const { config: c, state } = this.chat;
    const hadFocus = this.shadow.activeElement !== null && this.panel.contains(this.shadow.activeElement);
    const titleText = this.titleEl.firstChild;
    if (titleText !== null && titleText.nodeType === Node.TEXT_NODE) titleText.textContent = c?.title ?? 'Chat';
    else this.titleEl.prepend(c?.title ?? 'Chat');
    this.statusEl.textContent = state ? ` ${statusLine(state)}` : '';
    clear(this.body);
    clear(this.footer);
    this.list = null;
    this.composer = null;
    switch (this.chat.screen) {
      case 'connecting':
        this.body.appendChild(note('Connecting…'));
        break;
      case 'prechat':
        if (c !== null) this.body.append(...prechatView(c, (form) => this.chat.start(form)));
        break;
      case 'conversation':
        this.renderConversation(true);
        break;
      case 'offline':
        this.body.append(
          ...offlineView(c, {
            invalid: (problem) => this.showError(problem),
            send: async (form, message) => {
              if (await this.chat.leaveMessage(form, message)) this.announce('Your message was sent');
            },
          }),
        );
        break;
      case 'offline-sent':
        this.body.appendChild(note('Thank you, your message was sent. We will get back to you.'));
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
    this.chat.restart();
    this.focusFirst();
  }

  /** The messages, and the composer while the chat is `live`. */
  private renderConversation(live: boolean): void {
    const c = this.chat.config;
    if (c?.greeting) this.body.appendChild(note(c.greeting));
    this.list = messageListView(this.chat.messages, live, this.messageActions());
    this.body.appendChild(this.list);
    if (!live) return;
    const composer = composerView(c, {
      send: (text) => this.chat.sendText(text),
      input: () => this.chat.composing(),
      attach: (file) => void this.chat.upload(file),
    });
    this.composer = composer.textarea;
    this.footer.appendChild(composer.node);
  }

  private messageActions(): MessageActions {
    return {
      agentName: this.chat.state?.agentName ?? null,
      link: (url) => this.chat.attachmentUrl(url),
      download: (e, href, name) => this.download(e, href, name),
      reply: (q) =>
        this.chat.sendText(q.label, q.id).then((ok) => {
          this.composer?.focus();
          return ok;
        }),
    };
  }

  /** Saves an attachment fetched by the controller (see ChatController.download for why fetched). */
  private download(e: Event, href: string, name: string): void {
    const file = this.chat.download(href);
    if (file === null) return;
    e.preventDefault();
    file
      .then((blob) => {
        const url = URL.createObjectURL(blob);
        const a = el('a', { attrs: { href: url, download: name } });
        this.shadow.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      })
      .catch(() => this.showError(`Could not download ${name}`));
  }
}

/** The line under the title: the agent's name once one joined, else what the chat is doing. */
function statusLine(s: ChatState): string {
  return s.status === 'connected' && s.agentName ? s.agentName : STATUS_TEXT[s.status];
}
