// A queue's settings as admins and the API give them: whole seconds, Asterisk's vocabulary. This
// schema is the one place they are validated. The engine works in milliseconds: `inMilliseconds`
// derives those from a stored queue (valid, since only this schema let it in), so a routing pass
// converts numbers and parses nothing.
import { z } from 'zod';
import type { queues } from '../db/schema.ts';
import { EMPTY_POLICY_KEYWORDS, STRATEGIES, type EmptyPolicyKeyword, type QueueRoutingSettings } from './routing/index.ts';

const emptyPolicy = z.enum(EMPTY_POLICY_KEYWORDS, { message: `must be one of ${EMPTY_POLICY_KEYWORDS.join(', ')}` });

/** Every setting of a queue besides its name, channel and description (XCALLY/Asterisk queue options). */
export const queueSettingsSchema = z.object({
  strategy: z.enum(STRATEGIES, { message: `must be one of ${STRATEGIES.join(', ')}` }),
  /** Longest wait in line before the Queue block takes its timeout exit (0 = no limit of the queue's own). */
  timeoutSec: z.number().int().min(0, 'must be 0 (no limit) or more').max(86_400),
  /** How long one offer rings an agent. */
  ringTimeoutSec: z.number().int().min(1).max(600),
  /** How long an agent who refused (or let ring out) an entry is kept from it. */
  retrySec: z.number().int().min(0).max(600),
  wrapupSec: z.number().int().min(0).max(3600),
  maxWaiting: z.number().int().min(0).max(100_000),
  joinEmpty: emptyPolicy,
  leaveWhenEmpty: emptyPolicy,
  mohClass: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be a music-on-hold class name'),
  announcement: z.string().max(200).nullable(),
  announcePosition: z.boolean(),
  announceFrequencySec: z.number().int().min(0).max(3600),
});
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
