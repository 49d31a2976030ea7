/**
 * AmiPort: what the rest of Tandem (dialer, ACD, supervisors' views) may ask of AMI.
 * No call logic sees the socket, the codec or any npm AMI package; they see this interface.
 */
import type { AmiHeader, AmiMessage } from './message.ts';
import type { AmiError } from './errors.ts';
import type { AmiChannelListItem, AmiDeviceState, AmiQueueMember, AmiStreamEvent } from './events.ts';

export type AmiConnectionState = 'idle' | 'connecting' | 'up' | 'reconnecting' | 'failed' | 'closed';

export interface AmiStatus {
  readonly state: AmiConnectionState;
  /** Retry number while reconnecting (1 = first retry). */
  readonly attempt?: number;
  /** Wait before that retry. */
  readonly delayMs?: number;
  /** Why the connection went down / failed. */
  readonly error?: AmiError;
  /** Asterisk's AMI version from the banner, once connected. */
  readonly amiVersion?: string;
}

/** A finished action: the response and, for list actions (`EventList: start`), every item and the Complete event. */
export interface AmiResponse {
  readonly actionId: string;
  readonly response: AmiMessage;
  readonly items: readonly AmiMessage[];
  readonly complete?: AmiMessage;
}

export interface AmiActionOptions {
  /** Overrides the client's action timeout for this one action. */
  readonly timeoutMs?: number;
}

export interface OriginateParams {
  /** Channel to call, e.g. `Local/600@ami-test` or `PJSIP/agent-12`. */
  readonly channel: string;
  /** Either a dialplan target … */
  readonly context?: string;
  readonly exten?: string;
  readonly priority?: number | string;
  /** … or an application (exactly one of the two). */
  readonly application?: string;
  readonly data?: string;
  /** Ring timeout in milliseconds (AMI's `Timeout`). */
  readonly timeoutMs?: number;
  /** `"Name" <number>` or a bare number. */
  readonly callerId?: string;
  readonly variables?: Readonly<Record<string, string>>;
  /** Default true: answer at once with `Originate successfully queued`, outcome later as an `originate.response` event. */
  readonly async?: boolean;
  readonly account?: string;
  readonly earlyMedia?: boolean;
  readonly codecs?: readonly string[];
  /** Uniqueid to give the channel(s), for correlating the events. */
  readonly channelId?: string;
  readonly otherChannelId?: string;
}

export interface OriginateResult {
  /** Correlates the later `originate.response` event (it carries this ActionID). */
  readonly actionId: string;
  readonly message: string;
}

export interface RedirectParams {
  readonly channel: string;
  readonly context: string;
  readonly exten: string;
  readonly priority: number | string;
  readonly extraChannel?: string;
  readonly extraContext?: string;
  readonly extraExten?: string;
  readonly extraPriority?: number | string;
}

export interface AmiQueueParams {
  readonly name: string;
  readonly strategy: string;
  readonly max: number;
  readonly calls: number;
  readonly holdTime: number;
  readonly talkTime: number;
  readonly completed: number;
  readonly abandoned: number;
  readonly serviceLevel: number;
  readonly weight: number;
}

export interface AmiQueueEntry {
  readonly queue: string;
  readonly position: number;
  readonly channel: string;
  readonly uniqueId: string;
  readonly callerIdNum?: string;
  readonly callerIdName?: string;
  readonly waitSeconds: number;
  readonly priority: number;
}

export interface AmiQueueStatus {
  readonly queue: AmiQueueParams;
  readonly members: readonly AmiQueueMember[];
  readonly entries: readonly AmiQueueEntry[];
}

export interface AmiPort {
  readonly state: AmiConnectionState;
  /**
   * Connects and logs in. Resolves once logged in and the first resync event has been emitted.
   * Rejects with the first failure (AmiConnectError, AmiAuthError, AmiTimeoutError, …) so a down
   * Asterisk is reported, while the client keeps retrying with backoff in the background
   * (except after an authentication failure, which needs a config change: state `failed`).
   */
  connect(): Promise<void>;
  /** Logs off and stops reconnecting. Pending actions reject. */
  close(): Promise<void>;
  /** Normalised events plus `connection.resync` after every login. Returns the unsubscribe function. */
  onEvent(listener: (event: AmiStreamEvent) => void): () => void;
  onStatus(listener: (status: AmiStatus) => void): () => void;

  /** Any action; a list action resolves when its `EventList: Complete` event has arrived. */
  action(name: string, headers?: readonly AmiHeader[], options?: AmiActionOptions): Promise<AmiResponse>;
  originate(params: OriginateParams, options?: AmiActionOptions): Promise<OriginateResult>;
  /** Hangs up one channel by name (`cause`: Q.850 cause, e.g. 16). */
  hangup(channel: string, cause?: number, options?: AmiActionOptions): Promise<void>;
  redirect(params: RedirectParams, options?: AmiActionOptions): Promise<void>;
  /** Channel or global (no channel) variable / function; an unset variable reads as ''. */
  getVar(variable: string, channel?: string, options?: AmiActionOptions): Promise<string>;
  setVar(variable: string, value: string, channel?: string, options?: AmiActionOptions): Promise<void>;
  coreShowChannels(options?: AmiActionOptions): Promise<AmiChannelListItem[]>;
  deviceStateList(options?: AmiActionOptions): Promise<AmiDeviceState[]>;
  /** Queue params, members and waiting callers; an unknown queue gives an empty list (Asterisk does not error). */
  queueStatus(queue?: string, member?: string, options?: AmiActionOptions): Promise<AmiQueueStatus[]>;
  queuePause(params: { queue?: string; interface: string; paused: boolean; reason?: string }, options?: AmiActionOptions): Promise<void>;
  ping(options?: AmiActionOptions): Promise<{ timestamp?: string }>;
}
