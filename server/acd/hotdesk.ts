// Hot-desking (XCALLY's hot-desk rules): the telephones a hot-desk agent may pick at login, and taking / freeing a
// phone. The rules themselves are the routing core's (routing/hotdesk.ts); this is their I/O shell.
import { z } from 'zod';
import { and, asc, eq, isNull, ne, or } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { agentSessions, agents, phones } from '../db/schema.ts';
import { DomainError, notFound } from '../errors.ts';
import { hotdeskChoices, reachabilityFromDeviceState, RoutingInputError, type HotdeskChoices } from './routing/index.ts';
import { rethrowConflict } from '../staff/conflicts.ts';
import type { phoneCreateSchema } from '../../contracts/staff.ts';

export type PhoneRow = typeof phones.$inferSelect;

export async function listPhones(db: Db): Promise<PhoneRow[]> {
  return db.select().from(phones).orderBy(asc(phones.name));
}

export async function createPhone(db: Db, input: z.output<typeof phoneCreateSchema>): Promise<PhoneRow> {
  try {
    const [row] = await db.insert(phones).values({ name: input.name, description: input.description ?? null }).returning();
    return row!;
  } catch (err) {
    rethrowConflict(err);
  }
}

export async function deletePhone(db: Db, id: number): Promise<void> {
  const deleted = await db.delete(phones).where(eq(phones.id, id)).returning({ id: phones.id });
  if (!deleted.length) throw notFound('phone', id);
}

/** The phones the agent may pick now, with the excluded ones and why. */
export async function choicesFor(db: Db, agentId: number, deviceState: (device: string) => string | undefined): Promise<HotdeskChoices> {
  const [agent] = await db.select().from(agents).where(eq(agents.userId, agentId));
  if (!agent) throw notFound('agent', agentId);
  const all = await listPhones(db);
  const sessions = await db.select({ userId: agentSessions.userId }).from(agentSessions);
  const loggedIn = new Set(sessions.map((s) => s.userId));
  const holders = new Set(all.map((p) => p.heldBy).filter((h): h is number => h !== null));
  try {
    return hotdeskChoices(
      all.map((p) => ({ id: p.id, name: p.name, device: reachabilityFromDeviceState(deviceState(`PJSIP/${p.name}`) ?? 'UNKNOWN'), heldBy: p.heldBy })),
      [...holders].map((id) => ({ id, loggedIn: loggedIn.has(id), hotdeskPhoneId: all.find((p) => p.heldBy === id)?.id ?? null })),
      { id: agentId, typology: agent.typology, hotdesk: agent.hotdesk },
    );
  } catch (err) {
    if (err instanceof RoutingInputError) throw new DomainError('conflict', `Hot-desking: ${err.message}`, { fields: [{ field: 'hotdeskPhone', message: err.message }] });
    throw err;
  }
}

/** Takes a phone for the agent's login (it must be one of their choices); returns the dial target. */
export async function takePhone(db: Db, agentId: number, phoneName: string, deviceState: (device: string) => string | undefined): Promise<string> {
  const choices = await choicesFor(db, agentId, deviceState);
  const phone = choices.phones.find((p) => p.name.toLowerCase() === phoneName.toLowerCase());
  if (!phone) {
    throw new DomainError('conflict', `Telephone ${phoneName} cannot be picked now (in use by another agent, stuck busy, not registered, or unknown)`, {
      fields: [{ field: 'hotdeskPhone', message: 'is not available' }],
      excluded: choices.excluded,
    });
  }
  await db.transaction(async (tx) => {
    // Guarded: of two agents picking the same phone at the same moment, only one gets it.
    const taken = await tx
      .update(phones)
      .set({ heldBy: agentId })
      .where(and(eq(phones.id, phone.id), or(isNull(phones.heldBy), eq(phones.heldBy, agentId))))
      .returning({ id: phones.id });
    if (!taken.length) throw new DomainError('conflict', `Telephone ${phoneName} was just taken by another agent`, { fields: [{ field: 'hotdeskPhone', message: 'was just taken' }] });
    // A phone this agent held before (an earlier desk) is freed.
    await tx.update(phones).set({ heldBy: null }).where(and(eq(phones.heldBy, agentId), ne(phones.id, phone.id)));
  });
  return `PJSIP/${phone.name}`;
}

export async function freePhones(db: Db, agentId: number): Promise<void> {
  await db.update(phones).set({ heldBy: null }).where(eq(phones.heldBy, agentId));
}
