/**
 * Per-channel event handlers with a known end of life (the fix for ari-client #43/#44, where
 * channel listeners lived forever unless the app removed them by hand).
 *
 * When does a channel's event stream end? From the captures:
 * - a channel the app originated, or subscribed to: ChannelDestroyed comes (after StasisEnd);
 * - a channel that entered Stasis from the dialplan, and a snoop channel: StasisEnd is the last event.
 * So handlers go at ChannelDestroyed, or at StasisEnd unless the channel is marked `untilDestroyed`.
 * Anything a disconnect made us miss is pruned by the resync (`prune`).
 */
import type { AriChannelLostEvent, AriEvent } from './events.ts';
import { channelIdsOf } from './events.ts';

export type ChannelHandler = (event: AriEvent | AriChannelLostEvent) => void;

export class ChannelHandlers {
  readonly #handlers = new Map<string, Set<ChannelHandler>>();
  readonly #untilDestroyed = new Set<string>();
  readonly #onError: (err: unknown, channelId: string) => void;

  constructor(onError: (err: unknown, channelId: string) => void) {
    this.#onError = onError;
  }

  on(channelId: string, handler: ChannelHandler): () => void {
    let set = this.#handlers.get(channelId);
    if (!set) {
      set = new Set();
      this.#handlers.set(channelId, set);
    }
    set.add(handler);
    return () => {
      const current = this.#handlers.get(channelId);
      if (!current) return;
      current.delete(handler);
      if (current.size === 0) this.#forget(channelId);
    };
  }

  /** The channel's events continue after StasisEnd (originated by us, or subscribed). */
  keepUntilDestroyed(channelId: string): void {
    this.#untilDestroyed.add(channelId);
  }

  dispatch(event: AriEvent): void {
    for (const id of channelIdsOf(event)) {
      const set = this.#handlers.get(id);
      if (set) {
        for (const handler of [...set]) this.#call(handler, event, id);
      }
      const last = event.type === 'ChannelDestroyed' || (event.type === 'StasisEnd' && !this.#untilDestroyed.has(id));
      if (last) this.#forget(id);
    }
  }

  /** Drops handlers of channels that no longer exist; they get `connection.channelLost` first. Returns their ids. */
  prune(existing: ReadonlySet<string>): string[] {
    const lost: string[] = [];
    for (const id of [...this.#handlers.keys(), ...this.#untilDestroyed]) {
      if (existing.has(id) || lost.includes(id)) continue;
      lost.push(id);
      for (const handler of [...(this.#handlers.get(id) ?? [])]) this.#call(handler, { type: 'connection.channelLost', channelId: id }, id);
      this.#forget(id);
    }
    return lost;
  }

  /** Channels with handlers, handlers in all, and channels marked until-destroyed (must return to 0). */
  get size(): { channels: number; handlers: number; marked: number } {
    let handlers = 0;
    for (const set of this.#handlers.values()) handlers += set.size;
    return { channels: this.#handlers.size, handlers, marked: this.#untilDestroyed.size };
  }

  #forget(channelId: string): void {
    this.#handlers.delete(channelId);
    this.#untilDestroyed.delete(channelId);
  }

  #call(handler: ChannelHandler, event: AriEvent | AriChannelLostEvent, channelId: string): void {
    try {
      handler(event);
    } catch (err) {
      this.#onError(err, channelId);
    }
  }
}
