// What the API accepts for Voice routes and trunks: the server validates request bodies with these
// schemas and the web app's forms with the very same ones. Dial patterns and business hours are
// checked by the flow language's own rules (flows/), the ones calls are matched with.
import { z } from 'zod';
import { validateDialPattern } from '../flows/expression/dial-pattern.ts';
import { HOLIDAY, ISO_DATE, TIME_OF_DAY, WEEKDAYS, isValidTimeZone } from '../flows/runtime/time-window.ts';

/**
 * The three kinds of voice route, which are also the three directions of a call: inbound (a DID
 * from a trunk), internal (an extension dialled from a phone), outbound (a number sent to a trunk).
 */
export const ROUTE_KINDS = ['inbound', 'internal', 'outbound'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

const patternSchema = z
  .string({ message: 'must be a dial pattern' })
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .superRefine((p, ctx) => {
    try {
      validateDialPattern(p);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `is not a valid dial pattern: ${(err as Error).message}` });
    }
  });

const scheduleSchema = z
  .object({
    timezone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Rome'),
    intervals: z
      .array(
        z
          .object({
            days: z.array(z.enum(WEEKDAYS, { message: `must be one of ${WEEKDAYS.join(', ')}` })).default([]),
            from: z.string().regex(TIME_OF_DAY, 'must be HH:MM'),
            to: z.string().regex(TIME_OF_DAY, 'must be HH:MM'),
            dateFrom: z.string().regex(ISO_DATE, 'must be YYYY-MM-DD').optional(),
            dateTo: z.string().regex(ISO_DATE, 'must be YYYY-MM-DD').optional(),
          })
          .strict(),
      )
      .min(1, 'needs at least one interval')
      .max(100),
    holidays: z.array(z.string().regex(HOLIDAY, 'must be YYYY-MM-DD or MM-DD')).max(500).default([]),
  })
  .strict();

const callerIdSchema = z.string().max(80).regex(/^[^\r\n"]*$/, 'must not contain quotes or line breaks');

const routeFields = {
  kind: z.enum(ROUTE_KINDS, { message: 'must be inbound, internal or outbound' }),
  name: z.string().trim().min(1, 'must not be empty').max(100),
  pattern: patternSchema,
  position: z.number().int().min(0).max(1_000_000),
  projectId: z.uuid({ message: 'must be an IVR project id' }).nullable(),
  trunkId: z.number().int().positive().nullable(),
  stripDigits: z.number().int().min(0).max(20),
  prepend: z.string().regex(/^[0-9+*#]{0,20}$/, 'must be up to 20 dial characters'),
  callerId: callerIdSchema.nullable(),
  schedule: scheduleSchema.nullable(),
  enabled: z.boolean(),
};

export const routeCreateSchema = z
  .object({
    ...routeFields,
    position: routeFields.position.default(0),
    projectId: routeFields.projectId.default(null),
    trunkId: routeFields.trunkId.default(null),
    stripDigits: routeFields.stripDigits.default(0),
    prepend: routeFields.prepend.default(''),
    callerId: routeFields.callerId.default(null),
    schedule: routeFields.schedule.default(null),
    enabled: routeFields.enabled.default(true),
  })
  .strict()
  .superRefine(targetsFitKind);

export const routeUpdateSchema = z
  .object({
    name: routeFields.name.optional(),
    pattern: routeFields.pattern.optional(),
    position: routeFields.position.optional(),
    projectId: routeFields.projectId.optional(),
    trunkId: routeFields.trunkId.optional(),
    stripDigits: routeFields.stripDigits.optional(),
    prepend: routeFields.prepend.optional(),
    callerId: routeFields.callerId.optional(),
    schedule: routeFields.schedule.optional(),
    enabled: routeFields.enabled.optional(),
  })
  .strict();

export const routeOrderSchema = z.object({ routeIds: z.array(z.number().int().positive()).min(1).max(10_000) }).strict();
export const routeListQuery = z.object({ kind: z.enum(ROUTE_KINDS).optional() });

/** Outbound routes need a trunk; inbound and internal ones an IVR project. */
export function missingTarget(v: { kind: RouteKind; projectId: string | null; trunkId: number | null }): { field: string; message: string } | undefined {
  if (v.kind === 'outbound' && v.trunkId === null) return { field: 'trunkId', message: 'is required for an outbound route' };
  if (v.kind !== 'outbound' && v.projectId === null) return { field: 'projectId', message: `is required for an ${v.kind} route` };
  return undefined;
}

function targetsFitKind(v: { kind: RouteKind; projectId: string | null; trunkId: number | null }, ctx: z.RefinementCtx): void {
  const problem = missingTarget(v);
  if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
}

export const trunkCreateSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100),
    endpoint: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/, 'must be an Asterisk endpoint name (letters, digits, . _ -)'),
    callerId: callerIdSchema.nullish(),
    enabled: z.boolean().default(true),
    description: z.string().max(2000).nullish(),
  })
  .strict();
export const trunkUpdateSchema = trunkCreateSchema.partial().strict();

/** How a call record ended (server/voice/call-handler.ts writes these). */
export const CALL_OUTCOMES = ['completed', 'hangup', 'error', 'step-limit', 'stopped', 'no-route', 'no-version'] as const;

const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

/** GET /api/voice/calls: one page of call records, newest first, filtered; X-Total-Count is the total. */
export const callListQuery = z
  .object({
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    direction: z.enum(ROUTE_KINDS, { message: 'must be inbound, internal or outbound' }).optional(),
    did: z.string().trim().max(64).optional(),
    /** Part of the caller's number or name. */
    caller: z.string().trim().max(80).optional(),
    outcome: z.enum(CALL_OUTCOMES, { message: `must be one of ${CALL_OUTCOMES.join(', ')}` }).optional(),
    routeId: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    /** Keyset paging by id (older than this one), kept for the clients that page that way. */
    before: z.coerce.number().int().positive().optional(),
  });
export type CallListQuery = z.infer<typeof callListQuery>;
