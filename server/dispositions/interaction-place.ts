// Where an interaction belongs for its dispositions: its queue (whose trees apply, and which may
// require a disposition to finish) and, for a chat, its website. Read from a queue entry (a voice
// call's finish) or from an interaction (a chat's close).
import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { interactions, queueEntries, queues } from '../db/schema.ts';
import type { InteractionPlace } from './catalogue.ts';

export interface DispositionPlace extends InteractionPlace {
  /** The queue needs a disposition to finish (its `dispositionRequired` setting). */
  required: boolean;
}

async function requiredBy(db: Db, queueId: number | null): Promise<boolean> {
  if (queueId === null) return false;
  const [q] = await db.select({ required: queues.dispositionRequired }).from(queues).where(eq(queues.id, queueId));
  return q?.required ?? false;
}

/** The place of a queue entry: its queue, and the website of the chat it carries (none for a call). */
export async function placeOfEntry(db: Db, entry: { id: number; queueId: number; channel: string }): Promise<DispositionPlace> {
  let websiteId: number | null = null;
  if (entry.channel === 'chat') {
    const [i] = await db.select({ accountId: interactions.accountId }).from(interactions).where(eq(interactions.entryId, entry.id)).limit(1);
    websiteId = i?.accountId ?? null;
  }
  return { queueId: entry.queueId, websiteId, required: await requiredBy(db, entry.queueId) };
}

/** The place of an interaction: the queue it waited in (its entry's when it has none itself), and its website. */
export async function placeOfInteraction(db: Db, row: { channel: string; accountId: number | null; queueId: number | null; entryId: number | null }): Promise<DispositionPlace> {
  let queueId = row.queueId;
  if (queueId === null && row.entryId !== null) {
    const [e] = await db.select({ queueId: queueEntries.queueId }).from(queueEntries).where(eq(queueEntries.id, row.entryId));
    queueId = e?.queueId ?? null;
  }
  return { queueId, websiteId: row.channel === 'chat' ? row.accountId : null, required: await requiredBy(db, queueId) };
}
