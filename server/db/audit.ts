// The audit trail of account and security changes. Never holds secrets: callers pass field names,
// not values, for anything sensitive.
import type { Db } from './database.ts';
import { auditLog } from './schema.ts';

export async function audit(db: Db, actorId: number | null, action: string, subject: string | null, details: Record<string, unknown> = {}): Promise<void> {
  await db.insert(auditLog).values({ actorId, action, subject, details });
}
