// The widget's reading of the chat contract (contracts/chat-widget.ts, docs/chat-widget-events.md).
// Everything the server sends is checked by hand here rather than with zod: zod alone would eat a
// third of the 50 KB budget. Anything malformed is dropped, never half-rendered.
import { CHAT_STATUSES, SENDERS, type Ack, type ChatStatus, type FormField, type Sender, type ServerError, type WidgetConfig } from '../../../contracts/chat-widget.ts';

export type { Ack, ChatStatus, FieldType, FormField, Sender, ServerError, WidgetConfig } from '../../../contracts/chat-widget.ts';
/** The widget keeps every id as a string (the server's are numbers). */
export interface QuickReply { id: string; label: string }
export interface Attachment { id: string; name: string; size: number; type: string; url: string }
export interface ChatMessage { id: string; from: Sender; text: string; quickReplies: QuickReply[]; attachment: Attachment | null; at: string }
export interface ChatState { status: ChatStatus; agentName: string | null }
export interface Session { visitorToken: string; chatId: string | null }

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** Ids are numbers from the PostgreSQL-backed server and strings elsewhere; the widget keeps strings. */
const id = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null);

/** Only a plain hex or rgb colour reaches the style sheet: a config value must never inject CSS. */
export function safeColor(v: unknown): string {
  const s = str(v).trim();
  return /^#[0-9a-fA-F]{3,8}$/.test(s) || /^rgba?\(\s*[\d.\s,%]+\)$/.test(s) ? s : '#2563eb';
}

function parseField(v: unknown): FormField | null {
  if (!isObj(v) || typeof v.name !== 'string' || v.name === '') return null;
  const type = v.type === 'email' || v.type === 'tel' ? v.type : 'text';
  return { name: v.name, label: str(v.label, v.name), type, required: v.required === true };
}
const parseFields = (v: unknown): FormField[] => arr(v).map(parseField).filter((f): f is FormField => f !== null);

export function parseConfig(v: unknown): WidgetConfig | null {
  if (!isObj(v)) return null;
  const proactive = isObj(v.proactive) ? v.proactive : {};
  const offline = isObj(v.offlineForm) ? v.offlineForm : {};
  const after = proactive.afterSeconds;
  return {
    title: str(v.title, 'Chat'),
    greeting: str(v.greeting),
    color: safeColor(v.color),
    position: v.position === 'left' ? 'left' : 'right',
    proactive: { afterSeconds: typeof after === 'number' && after >= 0 && Number.isFinite(after) ? after : null, onMouseOver: proactive.onMouseOver === true },
    onlineForm: parseFields(v.onlineForm),
    offlineForm: { enabled: offline.enabled === true, title: str(offline.title, 'Leave us a message'), fields: parseFields(offline.fields) },
    maxFileBytes: typeof v.maxFileBytes === 'number' && v.maxFileBytes > 0 ? v.maxFileBytes : 0,
    allowedFileTypes: arr(v.allowedFileTypes).filter((t): t is string => typeof t === 'string'),
  };
}

export function parseMessage(v: unknown): ChatMessage | null {
  if (!isObj(v) || !(SENDERS as readonly string[]).includes(v.from as string)) return null;
  const messageId = id(v.id);
  if (messageId === null) return null;
  const quickReplies = arr(v.quickReplies)
    .filter(isObj)
    .map((q) => ({ id: id(q.id), label: q.label }))
    .filter((q): q is { id: string; label: unknown } => q.id !== null)
    .map((q) => ({ id: q.id, label: str(q.label, q.id) }));
  const a = v.attachment;
  const attachmentId = isObj(a) ? id(a.id) : null;
  const attachment =
    isObj(a) && attachmentId !== null ? { id: attachmentId, name: str(a.name, 'file'), size: typeof a.size === 'number' ? a.size : 0, type: str(a.type), url: str(a.url) } : null;
  return { id: messageId, from: v.from as Sender, text: str(v.text), quickReplies, attachment, at: str(v.at) };
}

export function parseState(v: unknown): ChatState | null {
  if (!isObj(v) || !(CHAT_STATUSES as readonly string[]).includes(v.status as string)) return null;
  return { status: v.status as ChatStatus, agentName: typeof v.agentName === 'string' ? v.agentName : null };
}

export function parseSession(v: unknown): Session | null {
  if (!isObj(v) || typeof v.visitorToken !== 'string' || v.visitorToken === '') return null;
  return { visitorToken: v.visitorToken, chatId: id(v.chatId) };
}

export function parseError(v: unknown): ServerError {
  if (isObj(v)) return { code: str(v.code, 'ERROR'), message: str(v.message, 'Something went wrong') };
  return { code: 'ERROR', message: 'Something went wrong' };
}

/** The chat id a `start` / `offline` ack carries, if any. */
export const ackChatId = (v: unknown): string | null => (isObj(v) ? id(v.chatId) : null);

export function parseAck(v: unknown): Ack {
  if (isObj(v) && v.ok === true) return { ok: true };
  return { ok: false, error: parseError(isObj(v) ? v.error : undefined) };
}

/**
 * Only http(s) links (relative ones resolved against the Tandem server) become attachment hrefs:
 * a `javascript:` URL from a compromised server must not run on the customer's site.
 */
export function safeUrl(url: string, base: string): string | null {
  try {
    const u = new URL(url, base);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}
