import type { Value } from '../expression/index.ts';
import type { Clock } from '../clock.ts';
import type {
  AgentResult,
  CallbackRequest,
  Contact,
  DatabaseQuery,
  DatabaseResult,
  HttpRequest,
  HttpResponse,
  LogLevel,
  MailMessage,
  QueueStatus,
  ServiceName,
  Services,
  SmsMessage,
  SystemCommand,
  SystemResult,
} from '../services.ts';

/**
 * In-memory service ports for tests, the CLI and the designer's simulator. They behave like the
 * real ones where a flow can tell the difference (agent PINs, contact fields, delays against
 * timeouts on the flow's clock) and record every request so tests can assert on them.
 */
export interface MemoryAgent {
  readonly id: string;
  readonly extension: string;
  readonly username: string;
  readonly pin: string;
  state: 'logged-out' | 'ready' | 'paused';
  phone: string;
  pauseReason: string;
}

export interface MemoryServicesOptions {
  /** The flow's clock, so `delayMs` competes with block timeouts in virtual time. */
  readonly clock: Clock;
  readonly http?: (request: HttpRequest) => HttpResponse & { readonly delayMs?: number };
  readonly database?: (query: DatabaseQuery) => DatabaseResult;
  readonly contacts?: readonly Contact[];
  readonly agents?: ReadonlyArray<Pick<MemoryAgent, 'id' | 'extension' | 'username' | 'pin'>>;
  readonly queues?: Readonly<Record<string, QueueStatus>>;
  readonly systemEnabled?: boolean;
  readonly system?: (command: SystemCommand) => SystemResult;
  /** Ports that throw on every call (to exercise error exits). */
  readonly failing?: readonly ServiceName[];
  /** Ports left out entirely (ServiceUnavailableError). */
  readonly missing?: readonly ServiceName[];
  readonly ttsFails?: boolean;
}

export interface ServiceRequest {
  readonly service: ServiceName;
  readonly action: string;
  readonly detail: unknown;
}

export interface MemoryServices {
  readonly services: Services;
  readonly requests: ServiceRequest[];
  readonly mails: MailMessage[];
  readonly sms: SmsMessage[];
  readonly callbacks: CallbackRequest[];
  readonly tags: Map<string, string[]>;
  readonly contacts: Map<string, Contact>;
  readonly agents: Map<string, MemoryAgent>;
  readonly logs: string[];
}

export function createMemoryServices(options: MemoryServicesOptions): MemoryServices {
  const requests: ServiceRequest[] = [];
  const mails: MailMessage[] = [];
  const sms: SmsMessage[] = [];
  const callbacks: CallbackRequest[] = [];
  const tags = new Map<string, string[]>();
  const logs: string[] = [];
  const contacts = new Map<string, Contact>();
  for (const c of options.contacts ?? []) contacts.set(c.id, c);
  const agents = new Map<string, MemoryAgent>();
  for (const a of options.agents ?? []) agents.set(a.id, { ...a, state: 'logged-out', phone: '', pauseReason: '' });
  const failing = new Set(options.failing ?? []);

  const track = (service: ServiceName, action: string, detail: unknown, signal: AbortSignal): void => {
    if (signal.aborted) throw signal.reason;
    requests.push({ service, action, detail });
    if (failing.has(service)) throw new Error(`${service} service unavailable (simulated)`);
  };
  const agentResult = (agent: MemoryAgent | undefined, ok: (a: MemoryAgent) => AgentResult): AgentResult =>
    agent === undefined ? { ok: false, reason: 'unknown-agent' } : ok(agent);

  const services: Services = {
    http: {
      async request(request, signal) {
        track('http', request.method, request, signal);
        const response = options.http?.(request) ?? { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
        if (response.delayMs !== undefined && response.delayMs > 0) await options.clock.sleep(response.delayMs, signal);
        return { status: response.status, headers: response.headers, body: response.body.slice(0, request.maxResponseBytes) };
      },
    },
    database: {
      async query(query, signal) {
        track('database', 'query', query, signal);
        return options.database?.(query) ?? { columns: [], rows: [] };
      },
    },
    mail: {
      async send(message, signal) {
        track('mail', 'send', message, signal);
        mails.push(message);
      },
    },
    sms: {
      async send(message, signal) {
        track('sms', 'send', message, signal);
        sms.push(message);
      },
    },
    contacts: {
      async findByPhone(phone, signal) {
        track('contacts', 'findByPhone', { phone }, signal);
        for (const contact of contacts.values()) {
          const value: Value | undefined = contact.fields['phone'];
          if (value === phone) return contact;
        }
        return null;
      },
      async update(contactId, fields, signal) {
        track('contacts', 'update', { contactId, fields }, signal);
        const contact = contacts.get(contactId);
        if (contact !== undefined) contacts.set(contactId, { id: contactId, fields: { ...contact.fields, ...fields } });
      },
    },
    agents: {
      async login(request, signal) {
        track('agents', 'login', request, signal);
        const identity = request.identity;
        const agent = [...agents.values()].find((a) =>
          identity.by === 'extension' ? a.extension === identity.extension : a.username === identity.username,
        );
        return agentResult(agent, (a) => {
          if (a.pin !== request.pin) return { ok: false, reason: 'bad-pin' };
          a.state = 'ready';
          a.phone = request.phone;
          return { ok: true, agentId: a.id };
        });
      },
      async logout(agentId, signal) {
        track('agents', 'logout', { agentId }, signal);
        return agentResult(agents.get(agentId), (a) => {
          if (a.state === 'logged-out') return { ok: false, reason: 'not-logged-in' };
          a.state = 'logged-out';
          return { ok: true, agentId };
        });
      },
      async pause(agentId, reason, signal) {
        track('agents', 'pause', { agentId, reason }, signal);
        return agentResult(agents.get(agentId), (a) => {
          if (a.state === 'logged-out') return { ok: false, reason: 'not-logged-in' };
          a.state = 'paused';
          a.pauseReason = reason;
          return { ok: true, agentId };
        });
      },
      async unpause(agentId, signal) {
        track('agents', 'unpause', { agentId }, signal);
        return agentResult(agents.get(agentId), (a) => {
          if (a.state === 'logged-out') return { ok: false, reason: 'not-logged-in' };
          a.state = 'ready';
          a.pauseReason = '';
          return { ok: true, agentId };
        });
      },
    },
    queue: {
      async status(queue, signal) {
        track('queue', 'status', { queue }, signal);
        return options.queues?.[queue] ?? { exists: true, agentsAvailable: 1, waiting: 0 };
      },
    },
    system: {
      enabled: options.systemEnabled ?? false,
      async run(command, signal) {
        track('system', 'run', command, signal);
        return options.system?.(command) ?? { exitCode: 0, stdout: '' };
      },
    },
    callbacks: {
      async schedule(request, signal) {
        track('callbacks', 'schedule', request, signal);
        callbacks.push(request);
        return { id: `cb-${callbacks.length}` };
      },
    },
    tts: {
      async synthesize(request, signal) {
        track('tts', 'synthesize', request, signal);
        if (options.ttsFails === true) throw new Error('TTS engine unavailable (simulated)');
        return { prompt: `tts/${request.engine}-${requests.length}` };
      },
    },
    interactions: {
      async tag(callId, newTags, signal) {
        track('interactions', 'tag', { callId, tags: newTags }, signal);
        tags.set(callId, [...(tags.get(callId) ?? []), ...newTags]);
      },
    },
    log: {
      log(level: LogLevel, message: string) {
        logs.push(`${level}: ${message}`);
      },
    },
  };
  const missing = new Set(options.missing ?? []);
  const filtered = Object.fromEntries(Object.entries(services).filter(([name]) => !missing.has(name as ServiceName))) as Services;
  return { services: filtered, requests, mails, sms, callbacks, tags, contacts, agents, logs };
}
