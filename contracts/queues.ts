// What the API accepts for queues (any channel) and their members: the server validates request
// bodies with these schemas and the web app's forms with the very same ones. The queue engine's
// vocabulary (strategies, join/leave-when-empty keywords) is Asterisk's.
import { z } from 'zod';
import { CHANNELS } from './channels.ts';
import { descriptionSchema, nameSchema } from './staff.ts';

export const STRATEGIES = ['ringall', 'beepall', 'leastrecent', 'fewestcalls', 'random', 'rrmemory', 'linear', 'wrandom'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Asterisk's joinempty / leavewhenempty keywords (the two options read them differently: the engine's empty-policy). */
export const EMPTY_POLICY_KEYWORDS = ['yes', 'no', 'strict', 'loose'] as const;
export type EmptyPolicyKeyword = (typeof EMPTY_POLICY_KEYWORDS)[number];

const emptyPolicy = z.enum(EMPTY_POLICY_KEYWORDS, { message: `must be one of ${EMPTY_POLICY_KEYWORDS.join(', ')}` });

/** Every setting of a queue besides its name, channel and description (XCALLY/Asterisk queue options), in whole seconds. */
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
  /** The service-level target: the realtime board counts the answered interactions that waited at most this long. */
  serviceLevelSec: z.number().int().min(1, 'must be 1 or more').max(3600),
  /** Agents must give a disposition (Tools → Dispositions) to finish an interaction of this queue. */
  dispositionRequired: z.boolean(),
});

/** Any setting may be left out: creating keeps the defaults, updating keeps the current value. */
export const optionalQueueSettings = queueSettingsSchema.partial().shape;

export const queueCreateSchema = z
  .object({
    name: nameSchema,
    channel: z.enum(CHANNELS, { message: `must be one of ${CHANNELS.join(', ')}` }),
    description: descriptionSchema.nullish(),
    ...optionalQueueSettings,
  })
  .strict();
export const queueUpdateSchema = z.object({ name: nameSchema.optional(), description: descriptionSchema.nullish(), ...optionalQueueSettings }).strict();
export const queueAgentSchema = z
  .object({ agentId: z.number({ message: 'must be a number' }).int().positive(), penalty: z.number().int().min(0, 'must be 0 or more').max(100, 'must be at most 100').default(0) })
  .strict();
export const queueTeamSchema = z
  .object({ teamId: z.number({ message: 'must be a number' }).int().positive(), penalty: z.number().int().min(0, 'must be 0 or more').max(100, 'must be at most 100').default(0) })
  .strict();
export const queueListQuery = z.object({ channel: z.enum(CHANNELS).optional() });
