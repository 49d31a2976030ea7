// Contacts, interactions, messages and attachments in PostgreSQL: the records every non-voice
// channel shares. Attachment bytes live under <dataDir>/attachments; only metadata is in the table.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { attachments, calls, contacts, interactions, messages, queueEntries, type Channel, type MessageFrom } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { interactionCondition, type ChatScope } from './scope.ts';
import type { ChatMessagePayload } from '../../../contracts/chat-widget.ts';

export type InteractionRow = typeof interactions.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;

/** A message as the widget, the agent's socket and the API carry it. */
export type MessageView = ChatMessagePayload;

/**
 * The contact of a chat visitor: the one their browser (visitor token) already has, else a new,
 * unverified one holding what they typed. What a visitor types never finds an existing contact: anyone
 * can type anyone's e-mail or phone, and matching on it would show them and their agent that person's
 * history. Blank fields of the visitor's own contact are filled in from the new form.
 */
export async function visitorContact(db: Db, input: { contactId?: number | null; name?: string | undefined; email?: string | undefined; phone?: string | undefined }): Promise<ContactRow> {
  const email = input.email?.trim().toLowerCase().slice(0, 200) || undefined;
  const phone = input.phone?.replace(/[^0-9+]/g, '').slice(0, 40) || undefined;
  const name = (input.name ?? '').trim().slice(0, 200);
  if (input.contactId) {
    const [own] = await db.select().from(contacts).where(eq(contacts.id, input.contactId));
    if (own) {
      if ((name && !own.name) || (email && !own.email) || (phone && !own.phone)) {
        const [updated] = await db
          .update(contacts)
          .set({ ...(name && !own.name ? { name } : {}), ...(email && !own.email ? { email } : {}), ...(phone && !own.phone ? { phone } : {}), updatedAt: new Date() })
          .where(eq(contacts.id, own.id))
          .returning();
        return updated!;
      }
      return own;
    }
  }
  const [created] = await db.insert(contacts).values({ name, email: email ?? null, phone: phone ?? null, verified: false }).returning();
  return created!;
}

export async function createInteraction(db: Db, input: { channel: Channel; accountId: number; contactId: number; queueId: number | null; form: Record<string, string> }): Promise<InteractionRow> {
  const [row] = await db.insert(interactions).values(input).returning();
  return row!;
}

// Read for every chat message (the visitor's and the agent's): prepared once per database handle,
// so neither drizzle's query building nor PostgreSQL's planning is paid per message.
const interactionById = (db: Db) => db.select().from(interactions).where(eq(interactions.id, sql.placeholder('id'))).prepare('chat_interaction_by_id');
const preparedInteractionById = new WeakMap<Db, ReturnType<typeof interactionById>>();

export async function getInteraction(db: Db, id: number): Promise<InteractionRow> {
  let query = preparedInteractionById.get(db);
  if (!query) preparedInteractionById.set(db, (query = interactionById(db)));
  const [row] = await query.execute({ id });
  if (!row) throw notFound('interaction', id);
  return row;
}

export async function updateInteraction(db: Db, id: number, set: Partial<Omit<InteractionRow, 'id'>>): Promise<InteractionRow> {
  const [row] = await db.update(interactions).set({ ...set, updatedAt: new Date() }).where(eq(interactions.id, id)).returning();
  if (!row) throw notFound('interaction', id);
  return row;
}

export async function getContact(db: Db, id: number): Promise<ContactRow> {
  const [row] = await db.select().from(contacts).where(eq(contacts.id, id));
  if (!row) throw notFound('contact', id);
  return row;
}

export async function interactionView(db: Db, row: InteractionRow) {
  const contact = row.contactId ? await getContact(db, row.contactId).catch(() => undefined) : undefined;
  return {
    id: row.id,
    channel: row.channel,
    websiteId: row.accountId,
    contact: contact ? { id: contact.id, name: contact.name, email: contact.email, phone: contact.phone, verified: contact.verified } : null,
    status: row.status,
    queueId: row.queueId,
    agentId: row.agentId,
    tags: row.tags,
    disposition: row.disposition,
    createdAt: row.createdAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
  };
}

const attachmentUrl = (id: number) => `/api/attachments/${id}`;

function toMessageView(row: typeof messages.$inferSelect, att: AttachmentRow | null | undefined): MessageView {
  return {
    id: row.id,
    from: row.from,
    text: row.text,
    ...(row.quickReplies ? { quickReplies: row.quickReplies } : {}),
    ...(att ? { attachment: { id: att.id, name: att.name, size: att.size, type: att.type, url: attachmentUrl(att.id) } } : {}),
    at: row.at.toISOString(),
  };
}

export interface NewMessage {
  interactionId: number;
  from: MessageFrom;
  text: string;
  userId?: number | null;
  quickReplies?: { id: string; label: string }[] | null;
  attachment?: AttachmentRow | null;
  secret?: boolean;
}

const messageValues = (input: NewMessage) => ({ interactionId: input.interactionId, from: input.from, text: input.text, userId: input.userId ?? null, quickReplies: input.quickReplies ?? null, attachmentId: input.attachment?.id ?? null, secret: input.secret ?? false });

export async function addMessage(db: Db, input: NewMessage): Promise<MessageView> {
  const [row] = await db.insert(messages).values(messageValues(input)).returning();
  return toMessageView(row!, input.attachment);
}

/** The rows of a multi-row insert could not be matched to their inputs (they are stored, though). */
export class MessageBatchMismatch extends Error {}

/**
 * Several messages in one INSERT: one statement, one commit. Ids come from the sequence in VALUES
 * order, so the rows sorted by id match the inputs; each is checked against its input so that a
 * surprise fails loudly instead of mixing conversations up.
 */
export async function addMessages(db: Db, inputs: readonly NewMessage[]): Promise<MessageView[]> {
  if (inputs.length === 0) return [];
  const rows = (await db.insert(messages).values(inputs.map(messageValues)).returning()).sort((a, b) => a.id - b.id);
  if (rows.length !== inputs.length || rows.some((r, i) => r.interactionId !== inputs[i]!.interactionId || r.from !== inputs[i]!.from || r.text !== inputs[i]!.text)) {
    throw new MessageBatchMismatch('a multi-row message insert returned rows that do not match its inputs');
  }
  return rows.map((r, i) => toMessageView(r, inputs[i]!.attachment));
}

/** The conversation in order; secret notes only when `withSecret` (agents and supervisors). */
export async function listMessages(db: Db, interactionId: number, withSecret: boolean): Promise<(MessageView & { secret?: boolean })[]> {
  const rows = await db
    .select()
    .from(messages)
    .leftJoin(attachments, eq(attachments.id, messages.attachmentId))
    .where(and(eq(messages.interactionId, interactionId), withSecret ? undefined : eq(messages.secret, false)))
    .orderBy(asc(messages.id));
  return rows.map((r) => ({ ...toMessageView(r.messages, r.attachments), ...(r.messages.secret ? { secret: true } : {}) }));
}

export const attachmentDir = (dataDir: string) => path.join(dataDir, 'attachments');

/** Writes the bytes under a random name (never the visitor's file name) and records the metadata. */
export async function saveAttachment(db: Db, dataDir: string, input: { interactionId: number; name: string; type: string; bytes: Uint8Array }): Promise<AttachmentRow> {
  const dir = attachmentDir(dataDir);
  await mkdir(dir, { recursive: true });
  const file = `${input.interactionId}-${randomUUID()}`;
  await writeFile(path.join(dir, file), input.bytes);
  const name = path.basename(input.name.replace(/\\/g, '/')).replace(/\p{Cc}/gu, '').slice(0, 200) || 'file';
  const [row] = await db.insert(attachments).values({ interactionId: input.interactionId, name, type: input.type, size: input.bytes.byteLength, path: file }).returning();
  return row!;
}

export async function readAttachment(db: Db, dataDir: string, id: number): Promise<{ row: AttachmentRow; bytes: Buffer }> {
  const [row] = await db.select().from(attachments).where(eq(attachments.id, id));
  if (!row) throw notFound('attachment', id);
  return { row, bytes: await readFile(path.join(attachmentDir(dataDir), path.basename(row.path))) };
}

export interface JourneyItem {
  kind: 'interaction' | 'call';
  id: number;
  channel: Channel;
  status: string;
  disposition: string | null;
  agentId: number | null;
  at: string;
  closedAt: string | null;
}

/**
 * What the contact did, newest first, as far as `scope` reaches: interactions of every channel, and
 * calls from its phone when that phone is verified (a phone a visitor typed proves nothing). Scoped
 * users see interactions of their queues (agents also those they handled) and calls queued there
 * (agents also those they answered).
 */
export async function journey(db: Db, contactId: number, scope: ChatScope, limit = 200): Promise<JourneyItem[]> {
  const contact = await getContact(db, contactId);
  const ints = await db
    .select()
    .from(interactions)
    .where(and(eq(interactions.contactId, contactId), interactionCondition(scope)))
    .orderBy(desc(interactions.createdAt))
    .limit(limit);
  const callRows =
    contact.verified && contact.phone
      ? await db
          .select()
          .from(calls)
          .where(and(eq(calls.callerNumber, contact.phone), callCondition(scope)))
          .orderBy(desc(calls.startedAt))
          .limit(limit)
      : [];
  const items: JourneyItem[] = [
    ...ints.map((i) => ({ kind: 'interaction' as const, id: i.id, channel: i.channel, status: i.status, disposition: i.disposition, agentId: i.agentId, at: i.createdAt.toISOString(), closedAt: i.closedAt?.toISOString() ?? null })),
    ...callRows.map((c) => ({ kind: 'call' as const, id: c.id, channel: 'voice' as const, status: c.outcome ?? 'open', disposition: c.disposition, agentId: c.agentId, at: c.startedAt.toISOString(), closedAt: c.endedAt?.toISOString() ?? null })),
  ];
  return items.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
}

/** Calls a scoped user reaches: queued in one of their queues, or (agents) answered by them. */
function callCondition(scope: ChatScope): SQL | undefined {
  if (scope.all) return undefined;
  const queued = scope.queueIds.size > 0 ? sql`exists (select 1 from ${queueEntries} where ${queueEntries.interactionRef} = ${calls.uniqueId} and ${inArray(queueEntries.queueId, [...scope.queueIds])})` : sql`false`;
  return scope.agent ? or(queued, eq(calls.agentId, scope.userId)) : queued;
}
