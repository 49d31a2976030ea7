// Visitor tokens: a random secret in the visitor's localStorage; only its SHA-256 is stored, so a
// database leak does not let anyone take over a chat.
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { visitors } from '../../db/schema.ts';

export type VisitorRow = typeof visitors.$inferSelect;

export const hashVisitorToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function newVisitor(db: Db, websiteId: number): Promise<{ token: string; visitor: VisitorRow }> {
  const token = randomBytes(32).toString('base64url');
  const [visitor] = await db.insert(visitors).values({ tokenHash: hashVisitorToken(token), websiteId }).returning();
  return { token, visitor: visitor! };
}

/** The visitor of `token` on this website, or undefined (unknown token, or another website's). */
export async function visitorByToken(db: Db, websiteId: number, token: string): Promise<VisitorRow | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const [v] = await db.select().from(visitors).where(eq(visitors.tokenHash, hashVisitorToken(token)));
  return v && v.websiteId === websiteId ? v : undefined;
}

export async function setVisitorChat(db: Db, visitorId: number, interactionId: number | null, contactId?: number | null): Promise<void> {
  await db.update(visitors).set({ interactionId, ...(contactId !== undefined ? { contactId } : {}) }).where(eq(visitors.id, visitorId));
}
