// The audit trail as the API lists it (GET /api/audit, administrators only): the filters it takes,
// which the Tools → Audit trail page builds its query from, and the rows it answers. The server
// validates the query with this schema; the page uses the same words.
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true, message: 'must be a date and time such as 2026-01-31T09:00:00Z' });

export const auditQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
    /** Only entries older than this id (paging by id, as before offsets existed). */
    before: z.coerce.number().int().positive().optional(),
    /** Who did it: a username (any case); 'system' for what the node did on its own. */
    actor: z.string().trim().min(1).max(100).optional(),
    /** The beginning of the action: 'user.' finds user.created, user.updated, user.deleted. */
    action: z.string().trim().min(1).max(100).optional(),
    /** What it was done to, exactly as recorded ('user:12', 'chat-website:3'). */
    subject: z.string().trim().min(1).max(200).optional(),
    /** From this instant on (included). */
    from: instant.optional(),
    /** Up to this instant (included). */
    to: instant.optional(),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) <= Date.parse(q.to), { path: ['to'], message: 'must not be before from' });
export type AuditQuery = z.output<typeof auditQuerySchema>;

/** The actor filter's name for entries no account made (sign-in lockouts, the first admin). */
export const SYSTEM_ACTOR = 'system';

/** One row of GET /api/audit (newest first; X-Total-Count says how many match in all). */
export interface AuditEntry {
  id: number;
  at: string;
  actorId: number | null;
  /** The actor's username, null for the system or an account since deleted. */
  actorName: string | null;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
}
