// The Stasis application's shell: it owns channels that enter `Stasis(tandem,…)` and hands each to
// the feature that asked for it (queue hold, agent leg, snoop) by the first app argument. After every
// (re)connect Asterisk does not replay what we missed, so the resync snapshot is checked: a channel
// in the application that no feature claims (Tandem restarted while it was on hold) is sent back to
// the dialplan with TANDEM_STATUS=RECOVERED, never left in silence.
import type { AriPort } from './port.ts';
import type { AriEvent } from './events.ts';
import type { AriChannel } from './models.ts';
import type { VoiceLogger } from '../logger.ts';

/** A feature's handler for channels entering with its first argument (e.g. `queue`, `agent`). */
export type StasisHandler = (channel: AriChannel, args: readonly string[]) => void | Promise<void>;

/** Claims a channel found in the application after a reconnect; true = the feature took it over. */
export type StasisRecovery = (channel: AriChannel) => boolean | Promise<boolean>;

export interface StasisApp {
  on(firstArg: string, handler: StasisHandler): void;
  /** Features that keep state (the queue engine) recover their channels before the default applies. */
  recoverWith(recovery: StasisRecovery): void;
  close(): void;
}

export const RECOVERED_STATUS = 'RECOVERED';

export function createStasisApp(ari: AriPort, log: VoiceLogger): StasisApp {
  const handlers = new Map<string, StasisHandler>();
  const recoveries: StasisRecovery[] = [];

  async function recover(channel: AriChannel): Promise<void> {
    for (const r of recoveries) if (await r(channel)) return;
    log.warn({ channel: channel.id, name: channel.name }, 'channel left in the Stasis app with no owner: back to the dialplan');
    await ari.setVariable(channel.id, 'TANDEM_STATUS', RECOVERED_STATUS).catch(() => undefined);
    await ari.continueInDialplan(channel.id).catch((err: unknown) => log.warn({ channel: channel.id, err: String(err) }, 'could not return a stranded channel to the dialplan'));
  }

  const off = ari.onEvent((event) => {
    if (event.type === 'connection.resync') {
      for (const channel of event.channels) void recover(channel);
      return;
    }
    if (event.type === 'StasisStart') {
      const start = event as Extract<AriEvent, { type: 'StasisStart' }>;
      const [first = '', ...rest] = start.args;
      const handler = handlers.get(first);
      if (!handler) {
        void recover(start.channel);
        return;
      }
      Promise.resolve(handler(start.channel, rest)).catch((err: unknown) => {
        log.error({ channel: start.channel.id, err: String(err) }, 'Stasis handler failed');
        void recover(start.channel);
      });
    }
  });

  return {
    on(firstArg, handler) {
      handlers.set(firstArg, handler);
    },
    recoverWith(recovery) {
      recoveries.push(recovery);
    },
    close() {
      off();
    },
  };
}
