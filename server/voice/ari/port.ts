/**
 * AriPort: the Stasis application as the rest of Tandem sees it (queue hold, bridging, snoop,
 * origination are built on it in later issues). No caller sees HTTP, the WebSocket or any npm ARI package.
 */
import type { AriError } from './errors.ts';
import type { AriChannelLostEvent, AriEvent, AriStreamEvent } from './events.ts';
import type { AriApplication, AriAsteriskInfo, AriBridge, AriChannel, AriDeviceState, AriPlayback } from './models.ts';

export type AriConnectionState = 'idle' | 'connecting' | 'up' | 'reconnecting' | 'failed' | 'closed';

export interface AriStatus {
  readonly state: AriConnectionState;
  readonly attempt?: number;
  readonly delayMs?: number;
  readonly error?: AriError;
}

/** ARI's named hangup reasons (`reason=`); a number is sent as `reason_code=` (Q.850). */
export type AriHangupReason =
  | 'normal'
  | 'busy'
  | 'congestion'
  | 'no_answer'
  | 'timeout'
  | 'rejected'
  | 'unallocated'
  | 'normal_unspecified'
  | 'number_incomplete'
  | 'codec_mismatch'
  | 'interworking'
  | 'failure'
  | 'answered_elsewhere';

export interface AriOriginateParams {
  /** e.g. `Local/202@agent-leg2`, `PJSIP/agent-12`. */
  readonly endpoint: string;
  /** Into a Stasis app (usually ours) with args … */
  readonly app?: string;
  readonly appArgs?: string;
  /** … or into the dialplan. */
  readonly context?: string;
  readonly extension?: string;
  readonly priority?: number;
  readonly label?: string;
  readonly callerId?: string;
  /** Ring timeout in seconds (ARI's unit). */
  readonly timeoutSec?: number;
  readonly variables?: Readonly<Record<string, string>>;
  readonly channelId?: string;
  readonly otherChannelId?: string;
  readonly originator?: string;
  readonly formats?: string;
}

export type AriSnoopDirection = 'none' | 'both' | 'out' | 'in';

export interface AriSnoopParams {
  readonly spy?: AriSnoopDirection;
  readonly whisper?: AriSnoopDirection;
  /** Defaults to our application. */
  readonly app?: string;
  readonly appArgs?: string;
  readonly snoopId?: string;
}

export type AriChannelHandler = (event: AriEvent | AriChannelLostEvent) => void;

export interface AriPort {
  readonly app: string;
  readonly state: AriConnectionState;
  /**
   * Opens the event WebSocket for `app`, then emits `connection.resync`. Resolves when that is done.
   * Rejects with the first failure (AriUnreachableError, AriAuthError, …) — a down Asterisk is
   * reported, not waited on silently — and keeps retrying with backoff unless it was an auth failure.
   */
  connect(): Promise<void>;
  close(): Promise<void>;
  onEvent(listener: (event: AriStreamEvent) => void): () => void;
  onStatus(listener: (status: AriStatus) => void): () => void;
  /**
   * Events of one channel. Handlers are dropped by the client after the channel's last event:
   * ChannelDestroyed, or StasisEnd for channels whose events stop there (dialplan-entered, snoops),
   * and on resync if the channel no longer exists (they get `connection.channelLost` first).
   */
  onChannel(channelId: string, handler: AriChannelHandler): () => void;

  answer(channelId: string): Promise<void>;
  hangup(channelId: string, reason?: AriHangupReason | number): Promise<void>;
  continueInDialplan(channelId: string, target?: { context?: string; extension?: string; priority?: number; label?: string }): Promise<void>;
  originate(params: AriOriginateParams): Promise<AriChannel>;
  getChannel(channelId: string): Promise<AriChannel>;
  listChannels(): Promise<AriChannel[]>;
  setVariable(channelId: string, variable: string, value: string): Promise<void>;
  getVariable(channelId: string, variable: string): Promise<string>;
  startMoh(channelId: string, mohClass?: string): Promise<void>;
  stopMoh(channelId: string): Promise<void>;
  ring(channelId: string): Promise<void>;
  stopRing(channelId: string): Promise<void>;
  play(channelId: string, media: string | readonly string[], options?: { lang?: string; playbackId?: string }): Promise<AriPlayback>;
  snoop(channelId: string, params: AriSnoopParams): Promise<AriChannel>;
  /** Subscribes the app to a channel not in Stasis (talk detection on a phone leg); its events then run until ChannelDestroyed. */
  subscribeChannel(channelIds: string | readonly string[]): Promise<AriApplication>;

  createBridge(params?: { type?: string; name?: string; bridgeId?: string }): Promise<AriBridge>;
  getBridge(bridgeId: string): Promise<AriBridge>;
  listBridges(): Promise<AriBridge[]>;
  destroyBridge(bridgeId: string): Promise<void>;
  addChannel(bridgeId: string, channelIds: string | readonly string[], options?: { role?: string }): Promise<void>;
  removeChannel(bridgeId: string, channelIds: string | readonly string[]): Promise<void>;
  startBridgeMoh(bridgeId: string, mohClass?: string): Promise<void>;
  stopBridgeMoh(bridgeId: string): Promise<void>;

  asteriskInfo(only?: readonly string[]): Promise<AriAsteriskInfo>;
  getApplication(): Promise<AriApplication>;
  deviceStates(): Promise<AriDeviceState[]>;
}
