// Agents' phones as Asterisk sees them (AMI DeviceStateChange, and the DeviceStateList snapshot after
// every login): the queue engine gives no voice offer to a phone that is unregistered, and none to
// one already in use. Asterisk does not replay missed events, so each resync replaces the map.
import type { AmiPort } from './ami/port.ts';

export type DeviceStateListener = (device: string, state: string | undefined) => void;

export class DeviceStates {
  readonly #states = new Map<string, string>();
  readonly #listeners = new Set<DeviceStateListener>();

  /** Called with each device whose state changed (the supervisor board follows phones and trunks). */
  onChange(listener: DeviceStateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(device: string, state: string | undefined): void {
    for (const l of this.#listeners) l(device, state);
  }

  /** The Asterisk state name of a device (`NOT_INUSE`, `UNAVAILABLE`, `INUSE`…), if known. */
  get(device: string): string | undefined {
    return this.#states.get(device.toLowerCase());
  }

  set(device: string, state: string): void {
    const key = device.toLowerCase();
    if (this.#states.get(key) === state) return;
    this.#states.set(key, state);
    this.#notify(key, state);
  }

  /** The device an agent's offers ring: `PJSIP/1001` as is; Local channels (remote agents) have none. */
  stateOfDialTarget(dialTarget: string | null): string | undefined {
    if (!dialTarget || dialTarget.startsWith('Local/')) return undefined;
    return this.get(dialTarget.split('@')[0]!);
  }

  follow(ami: AmiPort): () => void {
    return ami.onEvent((event) => {
      if (event.kind === 'device.state') this.set(event.device, event.state);
      else if (event.kind === 'connection.resync' && event.deviceStates) {
        const before = new Set(this.#states.keys());
        this.#states.clear();
        for (const d of event.deviceStates) this.set(d.device, d.state);
        for (const key of before) if (!this.#states.has(key)) this.#notify(key, undefined);
      }
    });
  }
}
