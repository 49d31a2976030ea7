// The web chat's socket contract: event names and payload shapes between the chat widget on a
// customer's site (designer/widget), the Tandem server (server/channels/chat) and the agent desktop
// (designer/src/desktop). docs/chat-widget-events.md explains the rules around them (admission,
// limits, error codes, attachments). Payloads stay untrusted on arrival, both ways: the server
// validates them with zod, the widget and the desktop narrow them field by field; these types say
// what a well-behaved peer sends. Constants only: the widget's 50 KB budget pays for every byte.

/** The visitors' socket.io namespace. */
export const WIDGET_NAMESPACE = '/chat-widget';

/** Server → widget. */
export const WIDGET_EVENTS = {
  /** The website's widget settings (WidgetConfig), first thing after connecting. */
  config: 'config',
  /** { visitorToken, chatId } (SessionPayload), right after `config`. */
  session: 'session',
  /** One message of the chat (ChatMessagePayload); the history too, after `session`. */
  message: 'message',
  /** { status, agentName? } (ChatStatePayload). */
  state: 'state',
  /** { from: 'agent', typing } (TypingPayload). */
  typing: 'typing',
  /** { code, message } (ServerError): a request failed (its ack says so too). */
  error: 'error',
} as const;

/** Widget → server requests; each carries an acknowledgement callback answered with an Ack. */
export const WIDGET_REQUESTS = {
  start: 'start',
  message: 'message',
  typing: 'typing',
  upload: 'upload',
  close: 'close',
  offline: 'offline',
} as const;

/** The `connect_error` messages of a refused connection. */
export const WIDGET_REFUSALS = ['UNKNOWN_WEBSITE', 'ORIGIN_NOT_ALLOWED', 'INVALID_VISITOR_TOKEN', 'TOO_MANY_CONNECTIONS', 'UNAVAILABLE'] as const;
export type WidgetRefusal = (typeof WIDGET_REFUSALS)[number];

/** Agents' and supervisors' chat events on the authenticated default namespace. */
export const AGENT_CHAT_EVENTS = {
  /** Server → agent: { interactionId, message }. */
  message: 'chat:message',
  /** Server → agent and spies: { interactionId, note } (a supervisor's note, never sent to the visitor). */
  note: 'chat:note',
  /** Server → agent: { interactionId, typing } (the visitor is typing). */
  typing: 'chat:typing',
  /** Server → agent and spies: { interactionId, by, reason? }. */
  closed: 'chat:closed',
  /** Supervisor → server: { interactionId }, acked. */
  spy: 'chat:spy',
  /** Supervisor → server: { interactionId }, acked. */
  unspy: 'chat:unspy',
  /** Server → spy: { interactionId, reason: 'out-of-scope' }. */
  spyEnded: 'chat:spy-ended',
} as const;

export const CHAT_STATUSES = ['bot', 'queued', 'connected', 'closed', 'offline'] as const;
export type ChatStatus = (typeof CHAT_STATUSES)[number];

/** Who wrote a message, and who closed a chat. */
export const SENDERS = ['visitor', 'agent', 'bot', 'system'] as const;
export type Sender = (typeof SENDERS)[number];

export type FieldType = 'text' | 'email' | 'tel';
export interface FormField {
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
}

export interface WidgetConfig {
  title: string;
  greeting: string;
  color: string;
  position: 'right' | 'left';
  proactive: { afterSeconds: number | null; onMouseOver: boolean };
  onlineForm: FormField[];
  offlineForm: { enabled: boolean; title: string; fields: FormField[] };
  maxFileBytes: number;
  allowedFileTypes: string[];
}

/** A chat message as the server sends it (ids are numbers on the server; the widget keeps strings). */
export interface ChatMessagePayload {
  id: number;
  from: Sender;
  text: string;
  quickReplies?: { id: string; label: string }[];
  attachment?: { id: number; name: string; size: number; type: string; url: string };
  at: string;
}

export interface SessionPayload {
  visitorToken: string;
  chatId: number | null;
}

export interface ChatStatePayload {
  status: ChatStatus;
  agentName?: string;
}

export interface ServerError {
  code: string;
  message: string;
}

/** The acknowledgement of every request: `ok` with what the request returns, or the error. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ServerError };

/** What each request sends (the server's zod schemas check them: server/channels/chat/widget-namespace.ts). */
export interface WidgetRequestPayloads {
  start: { form: Record<string, string> };
  message: { text: string; quickReplyId?: string };
  typing: { typing: boolean };
  upload: { name: string; type: string; data: ArrayBuffer | Uint8Array };
  close: Record<string, never>;
  offline: { form: Record<string, string>; message: string };
}
