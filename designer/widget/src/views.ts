// The panel's screens as DOM: the pre-chat and offline forms, a message with its attachment and quick
// replies, the message list and the composer. Each builder gets what it shows and callbacks for what
// the visitor does; none holds state or talks to the server (controller.ts does).
import { el } from './dom.ts';
import type { ChatMessage, ChatState, FormField, QuickReply, WidgetConfig } from './protocol.ts';
import { formatBytes, validateForm, validateText, MAX_TEXT_CHARS } from './validate.ts';

export const CHAT_ICON = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z';
// Drawn paths rather than emoji: many systems (and headless Chromium) have no emoji font.
const CLIP_ICON = 'M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z';

export const STATUS_TEXT: Record<ChatState['status'], string> = {
  bot: 'Automated assistant',
  queued: 'Waiting for an agent…',
  connected: 'Connected',
  closed: 'Chat ended',
  offline: 'We are offline',
};
const SENDER_TEXT = { visitor: 'You', agent: 'Agent', bot: 'Assistant', system: '' } as const;

export function icon(d: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  p.setAttribute('d', d);
  svg.appendChild(p);
  return svg;
}

/** A line of text in the panel's body (greeting, "Connecting…", thanks). */
export const note = (text: string): HTMLParagraphElement => el('p', { cls: 'greet', text });

/** A form of the website's fields: each checked and its error named next to it before `onSubmit`. */
export function formView(fields: readonly FormField[], submitLabel: string, extra: HTMLElement[], onSubmit: (values: Record<string, string>) => Promise<void>): HTMLFormElement {
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
    void onSubmit(values).finally(() => (submit.disabled = false));
  });
  return form;
}

export function prechatView(c: WidgetConfig, start: (form: Record<string, string>) => Promise<void>): Node[] {
  const nodes: Node[] = c.greeting ? [note(c.greeting)] : [];
  nodes.push(formView(c.onlineForm, 'Start chat', [], start));
  return nodes;
}

/** The offline form: the website's fields and a message, or an apology when it has none. */
export function offlineView(c: WidgetConfig | null, actions: { invalid(problem: string): void; send(form: Record<string, string>, message: string): Promise<void> }): Node[] {
  if (c === null || !c.offlineForm.enabled) return [note('Sorry, nobody can answer right now. Please try again later.')];
  const msgId = 'tc-offline-msg';
  const text = el('textarea', { attrs: { id: msgId, name: 'message', rows: '4', maxlength: String(MAX_TEXT_CHARS), 'aria-required': 'true' } });
  const label = el('label', { attrs: { for: msgId } }, [document.createTextNode('Message *'), text]);
  const form = formView(c.offlineForm.fields, 'Send message', [label], async (values) => {
    const problem = validateText(text.value);
    if (problem !== null) {
      text.setAttribute('aria-invalid', 'true');
      actions.invalid(problem);
      text.focus();
      return;
    }
    await actions.send(values, text.value);
  });
  return [note(c.offlineForm.title), form];
}

export interface MessageActions {
  /** The name of the agent who joined, when the server said it. */
  readonly agentName: string | null;
  /** An attachment's link, or null when it must not be one. */
  link(url: string): string | null;
  download(e: Event, href: string, name: string): void;
  /** Sends a quick reply; whether it went. */
  reply(q: QuickReply): Promise<boolean>;
}

export function messageView(m: ChatMessage, actions: MessageActions): HTMLLIElement {
  const li = el('li', { cls: `msg ${m.from}`, attrs: { 'data-id': m.id } });
  const who = m.from === 'agent' ? (actions.agentName ?? SENDER_TEXT.agent) : SENDER_TEXT[m.from];
  if (who) li.appendChild(el('span', { cls: 'who', text: who }));
  if (m.text) li.appendChild(document.createTextNode(m.text));
  if (m.attachment !== null) {
    const name = m.attachment.name;
    const href = actions.link(m.attachment.url);
    const label = `${m.attachment.name} (${formatBytes(m.attachment.size)})`;
    li.appendChild(
      href === null
        ? el('span', { text: label })
        : el('a', { text: label, attrs: { href, target: '_blank', rel: 'noopener noreferrer', download: m.attachment.name }, on: { click: (e) => actions.download(e, href, name) } }),
    );
  }
  if (m.quickReplies.length > 0) {
    const group = el('div', { cls: 'qr', attrs: { role: 'group', 'aria-label': 'Suggested replies' } });
    const enable = (on: boolean): void => group.querySelectorAll('button').forEach((b) => (b.disabled = !on));
    for (const q of m.quickReplies) {
      group.appendChild(
        el('button', {
          text: q.label,
          attrs: { type: 'button' },
          on: {
            click: () => {
              enable(false);
              void actions.reply(q).then((ok) => {
                if (!ok) enable(true);
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

/** The message list; quick replies are offered only under the newest message of a live chat. */
export function messageListView(messages: readonly ChatMessage[], live: boolean, actions: MessageActions): HTMLUListElement {
  const list = el('ul', { cls: 'msgs', attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': 'Messages' } });
  messages.forEach((m, i) => {
    const li = messageView(m, actions);
    if (i < messages.length - 1 || !live) li.querySelectorAll('button').forEach((b) => (b.disabled = true));
    list.appendChild(li);
  });
  return list;
}

/** Older messages' quick replies stop being offered once the conversation moves on. */
export function retireQuickReplies(list: HTMLUListElement): void {
  list.querySelectorAll('.qr button').forEach((b) => ((b as HTMLButtonElement).disabled = true));
}

export interface ComposerActions {
  /** Sends the text; whether it went (the box is emptied only then). */
  send(text: string): Promise<boolean>;
  input(): void;
  attach(file: File): void;
}

/** The text box, the attach button (when the website takes files) and Send. */
export function composerView(c: WidgetConfig | null, actions: ComposerActions): { node: HTMLDivElement; textarea: HTMLTextAreaElement } {
  const textarea = el('textarea', { attrs: { id: 'tc-compose', rows: '1', maxlength: String(MAX_TEXT_CHARS), placeholder: 'Type your message…' } });
  const submit = async (): Promise<void> => {
    if (await actions.send(textarea.value)) textarea.value = '';
    textarea.focus();
  };
  textarea.addEventListener('input', () => actions.input());
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
      if (f) actions.attach(f);
    });
    nodes.push(file, el('button', { cls: 'attach', attrs: { type: 'button', 'aria-label': `Attach a file (${formatBytes(c.maxFileBytes)} at most)` }, on: { click: () => file.click() } }, [icon(CLIP_ICON)]));
  }
  nodes.push(el('button', { cls: 'primary', text: 'Send', attrs: { type: 'button' }, on: { click: () => void submit() } }));
  return { node: el('div', { cls: 'compose' }, nodes), textarea };
}
