// A queue's settings as admins and the API give them: whole seconds, Asterisk's vocabulary. Their
// schema (contracts/queues.ts, shared with the web app's forms) is the one place they are validated. The engine works in milliseconds: `inMilliseconds`
// derives those from a stored queue (valid, since only this schema let it in), so a routing pass
// converts numbers and parses nothing.
import { z } from 'zod';
import type { queues } from '../db/schema.ts';
import { queueSettingsSchema, type EmptyPolicyKeyword } from '../../contracts/queues.ts';
import type { QueueRoutingSettings } from './routing/index.ts';

/** Every setting of a queue besides its name, channel and description: the API's schema (contracts/queues.ts). */
export { queueSettingsSchema };
export type QueueSettings = z.output<typeof queueSettingsSchema>;

/** The settings routing reads, as a queue row holds them. */
export type StoredRoutingSettings = Pick<typeof queues.$inferSelect, 'strategy' | 'timeoutSec' | 'ringTimeoutSec' | 'retrySec' | 'wrapupSec' | 'maxWaiting' | 'joinEmpty' | 'leaveWhenEmpty'>;

/** The routing core's settings of a queue, and the longest wait of its entries (0 = none), in ms. */
export interface QueueSettingsMs extends Required<QueueRoutingSettings> {
  readonly waitTimeoutMs: number;
}

/** The one conversion from the settings people give (s) to the ones the engine routes by (ms). */
export function inMilliseconds(s: StoredRoutingSettings): QueueSettingsMs {
  return {
    strategy: s.strategy,
    timeoutMs: s.ringTimeoutSec * 1000,
    wrapupMs: s.wrapupSec * 1000,
    retryMs: s.retrySec * 1000,
    maxWaiting: s.maxWaiting,
    // The column is plain text, but only queueSettingsSchema writes it: one of the keywords.
    joinEmpty: s.joinEmpty as EmptyPolicyKeyword,
    leaveWhenEmpty: s.leaveWhenEmpty as EmptyPolicyKeyword,
    waitTimeoutMs: s.timeoutSec * 1000,
  };
}
