// One chat tab: the conversation (history from REST, live lines from the socket), typing indicator,
// send, file upload/download, canned answers, tags and close with a disposition. Every server string
// is a React text node, so HTML in a visitor's message is shown, never run.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../admin/kit/format.ts';
import { describeError } from '../api/client.ts';
import type { CannedAnswer, DesktopApi } from './desktopApi.ts';
import { closedByOf, parseTags, type ChatMessage, type Interaction } from './model.ts';
import { DispositionPicker } from './DispositionPicker.tsx';
import { NO_DISPOSITIONS, type ApplicableDispositions } from './dispositions.ts';

/** Who wrote a line, for the known senders; anything else is shown as the server sent it. */
const SENDERS = ['agent', 'visitor', 'system', 'bot'] as const;

export interface ChatLive {
  /** Messages pushed by the socket since the tab opened. */
  readonly pushed: readonly ChatMessage[];
  readonly visitorTyping: boolean;
  readonly closedBy: string | null;
}

export function ChatConversation({
  desk,
  interactionId,
  interaction,
  live,
  onClosed,
  onError,
  onNotice,
  onDismiss,
}: {
  desk: DesktopApi;
  interactionId: number;
  interaction: Interaction | null;
  live: ChatLive;
  onClosed: () => void;
  onError: (text: string) => void;
  onNotice: (text: string) => void;
  /** For a chat the server does not know (e.g. an integration's reference): frees the slot. */
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  const [history, setHistory] = useState<ChatMessage[]>([]);
  const [unavailable, setUnavailable] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [canned, setCanned] = useState<CannedAnswer[]>([]);
  const [applicable, setApplicable] = useState<ApplicableDispositions>(NO_DISPOSITIONS);
  const [tags, setTags] = useState(() => (interaction?.tags ?? []).join(', '));
  const tagsEdited = useRef(false);
  const [closing, setClosing] = useState(false);
  const [disposition, setDisposition] = useState('');
  const [note, setNote] = useState('');
  const typingSent = useRef(false);
  const typingTimer = useRef<number | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    desk
      .messages(interactionId)
      .then((m) => live && setHistory(m))
      .catch((e: unknown) => live && setUnavailable(describeError(e)));
    const websiteId = interaction?.websiteId ?? null;
    if (websiteId !== null) {
      desk.cannedAnswers(websiteId).then((c) => live && setCanned(c)).catch(() => undefined);
    }
    return () => {
      live = false;
      if (typingTimer.current !== null) window.clearTimeout(typingTimer.current);
    };
  }, [desk, interactionId, interaction?.websiteId]);

  // A tab restored after a reload may open before its record arrives: take the saved tags then,
  // unless the agent has started typing some (saving would otherwise wipe the record's tags).
  const savedTags = (interaction?.tags ?? []).join(', ');
  useEffect(() => {
    if (!tagsEdited.current) setTags(savedTags);
  }, [savedTags]);

  // History and pushed lines overlap when a message arrives while the history loads: dedupe by id.
  const seen = new Set<string>();
  const messages = [...history, ...live.pushed].filter((m) => {
    const key = String(m.id);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  // Live from the socket; for a chat restored after a reload, from its record and its last system line.
  const closedBy = live.closedBy ?? (interaction?.status === 'closed' ? (closedByOf(messages) ?? t('desktop.otherSide')) : null);

  const setTyping = (typing: boolean) => {
    if (typingSent.current === typing) return;
    typingSent.current = typing;
    desk.typing(interactionId, typing).catch(() => undefined);
  };
  const onType = (value: string) => {
    setText(value);
    setTyping(value.length > 0);
    if (typingTimer.current !== null) window.clearTimeout(typingTimer.current);
    typingTimer.current = window.setTimeout(() => setTyping(false), 4000);
  };

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    try {
      await desk.send(interactionId, body);
      setText('');
      setTyping(false);
    } catch (err) {
      onError(describeError(err));
    }
  };

  const upload = async (file: File | undefined) => {
    if (!file) return;
    try {
      await desk.upload(interactionId, file);
    } catch (err) {
      onError(describeError(err));
    } finally {
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const saveTags = async () => {
    try {
      const saved = parseTags(tags);
      await desk.setTags(interactionId, saved);
      setTags(saved.join(', '));
      onNotice(saved.length ? t('desktop.chat.tagsSaved', { tags: saved.join(', ') }) : t('desktop.chat.tagsCleared'));
    } catch (err) {
      onError(describeError(err));
    }
  };

  // The trees that apply to this chat, read when the close form opens (an admin may have changed them meanwhile).
  useEffect(() => {
    if (!closing) return;
    let live = true;
    desk.chatDispositions(interactionId).then((d) => live && setApplicable(d)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [closing, desk, interactionId]);

  const close = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await desk.close(interactionId, disposition.trim(), note);
      onClosed();
    } catch (err) {
      onError(describeError(err));
    }
  };

  const contact = interaction?.contact;
  return (
    <section className="chat" aria-label={t('desktop.chat.label', { id: interactionId })} data-testid={`chat-${interactionId}`}>
      <header className="chat-header">
        <div>
          <strong>{contact?.name || t('desktop.chatTab', { id: interactionId })}</strong>
          {contact?.email ? <span className="muted small"> · {contact.email}</span> : null}
        </div>
        {closedBy !== null ? <span className="chip chip-warn">{t('desktop.chat.closedBy', { by: closedBy })}</span> : null}
      </header>
      <ol className="chat-log" aria-live="polite" aria-label={t('desktop.chat.conversation')}>
        {unavailable !== null ? (
          <li className="chat-system">
            {t('desktop.chat.unavailable', { reason: unavailable })}{' '}
            <button type="button" className="link-button" onClick={onDismiss}>
              {t('desktop.chat.removeTab')}
            </button>
          </li>
        ) : null}
        {messages.map((m) => (
          <li key={String(m.id)} className={`chat-line chat-from-${m.secret ? 'note' : m.from === 'agent' ? 'agent' : m.from === 'visitor' ? 'visitor' : 'other'}`} data-testid="chat-line">
            <span className="chat-from">{m.secret ? t('desktop.chat.note') : SENDERS.some((s) => s === m.from) ? t(`desktop.chat.senders.${m.from as (typeof SENDERS)[number]}`) : m.from}</span>
            {m.text ? <span className="chat-text">{m.text}</span> : null}
            {m.attachment ? (
              <button type="button" className="link-button chat-attachment" onClick={() => m.attachment && desk.download(m.attachment.url, m.attachment.name).catch((err: unknown) => onError(describeError(err)))}>
                {t('desktop.chat.download', { name: m.attachment.name, size: formatBytes(m.attachment.size) })}
              </button>
            ) : null}
          </li>
        ))}
        {live.visitorTyping ? (
          <li className="chat-typing" data-testid="visitor-typing">
            {t('desktop.chat.typing')}
          </li>
        ) : null}
      </ol>
      <form className="chat-compose" onSubmit={send}>
        <label className="sr-only" htmlFor={`compose-${interactionId}`}>
          {t('desktop.chat.message')}
        </label>
        <textarea id={`compose-${interactionId}`} value={text} maxLength={4000} rows={2} placeholder={t('desktop.chat.typeMessage')} onChange={(e) => onType(e.target.value)} disabled={closedBy !== null} />
        <div className="chat-compose-actions">
          <label className="chat-canned">
            <span className="sr-only">{t('desktop.chat.canned')}</span>
            <select
              value=""
              disabled={canned.length === 0}
              onChange={(e) => {
                const answer = canned[Number(e.target.value)];
                if (answer) onType(text ? `${text} ${answer.text}` : answer.text);
              }}
            >
              <option value="">{canned.length ? t('desktop.chat.cannedChoose') : t('desktop.chat.noCanned')}</option>
              {canned.map((c, i) => (
                <option key={`${i}-${c.title}`} value={i}>
                  {c.title}
                </option>
              ))}
            </select>
          </label>
          <label className="btn btn-sm">
            {t('desktop.chat.attach')}
            <input ref={fileInput} type="file" className="sr-only" onChange={(e) => void upload(e.target.files?.[0])} />
          </label>
          <button type="submit" className="btn btn-primary btn-sm" disabled={!text.trim() || closedBy !== null}>
            {t('desktop.chat.send')}
          </button>
        </div>
      </form>
      <div className="chat-meta">
        <label className="presence-field">
          <span>{t('desktop.chat.tags')}</span>
          <input value={tags} onChange={(e) => {
              tagsEdited.current = true;
              setTags(e.target.value);
            }} placeholder={t('desktop.chat.tagsPlaceholder')} />
        </label>
        <button type="button" className="btn btn-sm" onClick={() => void saveTags()}>
          {t('desktop.chat.saveTags')}
        </button>
        {!closing ? (
          <button type="button" className="btn btn-danger btn-sm" onClick={() => setClosing(true)}>
            {t('desktop.chat.close')}
          </button>
        ) : (
          <form className="chat-close" onSubmit={close} aria-label={t('desktop.chat.closeLabel')}>
            <DispositionPicker tree={applicable.tree} value={disposition} onChange={setDisposition} />
            <label className="presence-field">
              <span>{t('desktop.note')}</span>
              <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
            </label>
            <button type="submit" className="btn btn-danger btn-sm" disabled={!disposition.trim()}>
              {t('desktop.chat.closeWithDisposition')}
            </button>
          </form>
        )}
      </div>
    </section>
  );
}
