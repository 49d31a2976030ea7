import type { Value } from './expression/index.ts';

/**
 * Ports to everything outside the call that blocks may use. The server injects real ones; tests and
 * the CLI use flows/testing/memory-services.ts. Blocks never do I/O themselves, which is what lets
 * the same block files run in the server, the designer's simulator and tests.
 *
 * Every port is optional: a block needing a port that is not configured fails with
 * ServiceUnavailableError (follows its error/failure exit when it has one).
 */
export interface Services {
  readonly http?: HttpPort;
  readonly database?: DatabasePort;
  readonly mail?: MailPort;
  readonly sms?: SmsPort;
  readonly contacts?: ContactsPort;
  readonly agents?: AgentsPort;
  readonly queue?: QueuePort;
  readonly system?: SystemPort;
  readonly callbacks?: CallbacksPort;
  readonly tts?: TtsPort;
  readonly interactions?: InteractionsPort;
  readonly log?: LogPort;
}
export type ServiceName = keyof Services;

export class ServiceUnavailableError extends Error {
  readonly code = 'service-unavailable';
  readonly service: ServiceName;
  constructor(service: ServiceName) {
    super(`the "${service}" service is not configured on this server`);
    this.name = 'ServiceUnavailableError';
    this.service = service;
  }
}

// --- HTTP ------------------------------------------------------------------------------------

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The port must give up (rejecting with the signal's reason) when the signal aborts. */
  readonly timeoutMs: number;
  /** Responses longer than this are cut off by the port (and flagged `truncated`). */
  readonly maxResponseBytes: number;
}
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly truncated?: boolean;
}
export interface HttpPort {
  request(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse>;
}

// --- Database ---------------------------------------------------------------------------------

export interface DatabaseQuery {
  /** Name of a connection configured by an admin; never a connection string from the flow. */
  readonly connection: string;
  /** SQL with positional placeholders ($1, $2… or ?, per driver); values are never spliced in. */
  readonly sql: string;
  readonly params: readonly Value[];
  readonly maxRows: number;
  readonly timeoutMs: number;
}
export interface DatabaseResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Value[])[];
}
export interface DatabasePort {
  query(query: DatabaseQuery, signal: AbortSignal): Promise<DatabaseResult>;
}

// --- Mail, SMS --------------------------------------------------------------------------------

export interface MailMessage {
  readonly account: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string;
  readonly text: string;
}
export interface MailPort {
  send(message: MailMessage, signal: AbortSignal): Promise<void>;
}

export interface SmsMessage {
  readonly account: string;
  readonly to: string;
  readonly text: string;
}
export interface SmsPort {
  send(message: SmsMessage, signal: AbortSignal): Promise<void>;
}

// --- Contacts ---------------------------------------------------------------------------------

export interface Contact {
  readonly id: string;
  readonly fields: Readonly<Record<string, Value>>;
}
export interface ContactsPort {
  findByPhone(phone: string, signal: AbortSignal): Promise<Contact | null>;
  update(contactId: string, fields: Readonly<Record<string, string>>, signal: AbortSignal): Promise<void>;
}

// --- Agents (remote agents on any phone) ------------------------------------------------------

export type AgentIdentity =
  | { readonly by: 'extension'; readonly extension: string }
  | { readonly by: 'username'; readonly username: string };

export type AgentResult =
  | { readonly ok: true; readonly agentId: string }
  | { readonly ok: false; readonly reason: 'unknown-agent' | 'bad-pin' | 'not-logged-in' | 'not-allowed' | 'failed' };

export interface AgentLoginRequest {
  readonly identity: AgentIdentity;
  readonly pin: string;
  /** Number the agent wants to be called on (remote agent); empty = their configured phone. */
  readonly phone: string;
}
export interface AgentsPort {
  login(request: AgentLoginRequest, signal: AbortSignal): Promise<AgentResult>;
  logout(agentId: string, signal: AbortSignal): Promise<AgentResult>;
  pause(agentId: string, reason: string, signal: AbortSignal): Promise<AgentResult>;
  unpause(agentId: string, signal: AbortSignal): Promise<AgentResult>;
}

// --- Queues (read side; enqueueing goes through the CallPort) ---------------------------------

export interface QueueStatus {
  readonly exists: boolean;
  /** Agents logged in and not paused on this queue's channel. */
  readonly agentsAvailable: number;
  readonly waiting: number;
}
export interface QueuePort {
  status(queue: string, signal: AbortSignal): Promise<QueueStatus>;
}

// --- System command (disabled unless an admin enables it) ------------------------------------

export interface SystemCommand {
  /** An admin-configured command name; the port maps it to an executable. */
  readonly command: string;
  /**
   * Passed as separate argv entries with no shell, so caller input can never become shell syntax.
   */
  readonly args: readonly string[];
  readonly timeoutMs: number;
}
export interface SystemResult {
  readonly exitCode: number;
  readonly stdout: string;
}
export interface SystemPort {
  /** False unless an admin enabled the System block on this server. */
  readonly enabled: boolean;
  run(command: SystemCommand, signal: AbortSignal): Promise<SystemResult>;
}

// --- Callbacks (for the dialer) ---------------------------------------------------------------

export interface CallbackRequest {
  readonly number: string;
  /** When to call back (epoch ms); null = as soon as possible. */
  readonly at: number | null;
  readonly queue: string;
  readonly note: string;
  readonly callId: string;
}
export interface CallbacksPort {
  schedule(request: CallbackRequest, signal: AbortSignal): Promise<{ readonly id: string }>;
}

// --- Text to speech ---------------------------------------------------------------------------

export interface TtsRequest {
  readonly engine: string;
  readonly text: string;
  readonly voice: string;
  readonly language: string;
}
export interface TtsPort {
  /** Returns a prompt name the CallPort can play. */
  synthesize(request: TtsRequest, signal: AbortSignal): Promise<{ readonly prompt: string }>;
}

// --- Interactions, log ------------------------------------------------------------------------

export interface InteractionsPort {
  tag(callId: string, tags: readonly string[], signal: AbortSignal): Promise<void>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface LogPort {
  log(level: LogLevel, message: string, fields: Readonly<Record<string, unknown>>): void;
}
