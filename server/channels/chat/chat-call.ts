// The chat as a virtual call: the CallPort the flow interpreter drives for one chat. Bot messages
// go to the widget (and are stored); the flow waits for the visitor's messages; Queue hands the
// chat to the queue engine through the chat service. Voice-only operations are refused by
// CallPortBase as capability errors.
import { CallPortBase } from '../../../flows/call-port-base.ts';
import {
  CallHungUpError,
  CHANNEL_CAPABILITIES,
  type CallInfo,
  type Capability,
  type EnqueueOptions,
  type EnqueueResult,
  type InboundMessage,
  type OutboundMessage,
} from '../../../flows/call-port.ts';

/** What the chat call needs from the chat service (kept narrow so the port stays testable). */
export interface ChatCallHost {
  sendBotMessage(interactionId: number, message: OutboundMessage): Promise<void>;
  enqueue(interactionId: number, options: EnqueueOptions, signal: AbortSignal): Promise<EnqueueResult>;
  closeByFlow(interactionId: number): Promise<void>;
}

export class ChatCall extends CallPortBase {
  readonly info: CallInfo;
  readonly capabilities: ReadonlySet<Capability> = new Set(CHANNEL_CAPABILITIES.chat);
  #hungUp = false;
  #listeners = new Set<() => void>();
  /** Visitor messages the flow has not read yet (bounded: a flow that never reads must not grow it). */
  #inbox: InboundMessage[] = [];
  #waiter: ((m: InboundMessage | null) => void) | undefined;
  #vars = new Map<string, string>();

  constructor(
    readonly interactionId: number,
    info: Omit<CallInfo, 'callId' | 'channel'>,
    private readonly host: ChatCallHost,
  ) {
    super();
    this.info = { callId: `chat:${interactionId}`, channel: 'chat', ...info };
  }

  get hungUp(): boolean {
    return this.#hungUp;
  }

  onHangup(listener: () => void): () => void {
    if (this.#hungUp) {
      listener();
      return () => undefined;
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The chat ended (either side, or the flow): waits reject, listeners run once. */
  markHungUp(): void {
    if (this.#hungUp) return;
    this.#hungUp = true;
    this.#waiter?.(null);
    this.#waiter = undefined;
    for (const l of this.#listeners) l();
    this.#listeners.clear();
  }

  /** A visitor message while the flow (bot) holds the chat. */
  deliver(message: InboundMessage): void {
    if (this.#waiter) {
      const w = this.#waiter;
      this.#waiter = undefined;
      w(message);
      return;
    }
    if (this.#inbox.length < 50) this.#inbox.push(message);
  }

  #alive(signal: AbortSignal): void {
    signal.throwIfAborted();
    if (this.#hungUp) throw new CallHungUpError('the visitor has left the chat');
  }

  async hangup(_cause: number, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.#hungUp) return;
    await this.host.closeByFlow(this.interactionId);
    this.markHungUp();
  }
  async getVariable(name: string): Promise<string | undefined> {
    return this.#vars.get(name) ?? this.info.variables[name];
  }
  async setVariable(name: string, value: string): Promise<void> {
    this.#vars.set(name, value);
  }

  override async enqueue(options: EnqueueOptions, signal: AbortSignal): Promise<EnqueueResult> {
    this.#alive(signal);
    return this.host.enqueue(this.interactionId, options, signal);
  }

  override async sendMessage(message: OutboundMessage, signal: AbortSignal): Promise<void> {
    this.#alive(signal);
    await this.host.sendBotMessage(this.interactionId, message);
  }

  override async waitForMessage(timeoutMs: number, signal: AbortSignal): Promise<InboundMessage | null> {
    this.#alive(signal);
    const queued = this.#inbox.shift();
    if (queued) return queued;
    if (this.#waiter) throw new Error('waitForMessage is already waiting');
    return new Promise<InboundMessage | null>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#waiter = undefined;
      };
      const done = (m: InboundMessage | null) => {
        cleanup();
        if (m === null && this.#hungUp) reject(new CallHungUpError('the visitor has left the chat'));
        else resolve(m);
      };
      const onAbort = () => {
        cleanup();
        reject(signal.reason);
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      this.#waiter = done;
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
