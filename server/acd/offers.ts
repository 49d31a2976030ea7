// The queue engine's offers in PostgreSQL, after a routing pass created them (routing-pass.ts): an
// agent accepts one (one guarded statement: only one agent wins an entry), declines one or lets it
// ring out (the entry waits again, that agent kept from it for the queue's retry time), and
// finishes the interaction accepted (wrap-up). Plain functions over a `Db`; the engine shell
// (engine.ts) announces what they changed and routes again.
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { rowsOf, transaction, type Db } from '../db/database.ts';
import { agentChannelStates, agentStateHistory, calls, offers, queueEntries, queueReports, queues } from '../db/schema.ts';
import { DomainError, notFound } from '../errors.ts';
import { reportValues } from './entry-store.ts';
import type { EntryRow, OfferRow } from './routing-pass.ts';

export interface Disposition {
  code: string;
  note?: string;
  /** The agent who gives it: only theirs is kept. */
  by: number;
}

export async function pendingOffersOf(db: Db, agentId: number): Promise<OfferRow[]> {
  return db
    .select()
    .from(offers)
    .where(and(eq(offers.agentId, agentId), eq(offers.status, 'pending')))
    .orderBy(asc(offers.id));
}

/**
 * Accepts an offer for `agentId`: the entry is taken, the other offers of the round are closed
 * (`others`), the report row and the agent's state are written. 404 for an offer that is not this
 * agent's, 409 when it expired, was withdrawn, or another agent took the interaction.
 */
export async function acceptOffer(db: Db, offerId: number, agentId: number, now: number): Promise<{ entry: EntryRow; accepted: OfferRow; others: OfferRow[] }> {
  const at = new Date(now);
  const [pending] = await db
    .select({ entry: queueEntries })
    .from(offers)
    .innerJoin(queueEntries, eq(queueEntries.id, offers.entryId))
    .where(and(eq(offers.id, offerId), eq(offers.agentId, agentId)));
  if (!pending) await refuseAccept(db, offerId, agentId, at);
  const report = reportValues(pending!.entry, { outcome: 'accepted', agentId, at: now });
  // One statement, so one round trip and atomic without a transaction: lock the offer if it is
  // still open for this agent, take the entry if it is still offered, close the offer and the
  // other agents' offers of the round, write the report row and the agent's state.
  const taken = rowsOf<{ entry_id: number | string | null; others: (number | string)[] | null }>(
    await db.execute(sql`
      with target as (
        select id, entry_id from ${offers}
         where id = ${offerId} and agent_id = ${agentId} and status = 'pending' and expires_at > ${at}
           for update
      ), entry as (
        update ${queueEntries} qe set status = 'accepted', agent_id = ${agentId}
          from target where qe.id = target.entry_id and qe.status = 'offered'
        returning qe.id, qe.channel, qe.queue_id
      ), accepted as (
        update ${offers} set status = 'accepted', decided_at = ${at} where id in (select t.id from target t join entry e on e.id = t.entry_id)
      ), others as (
        update ${offers} set status = 'cancelled', decided_at = ${at}
         where entry_id in (select id from entry) and id <> ${offerId} and status = 'pending'
        returning id
      ), report as (
        insert into ${queueReports} (channel, queue_id, entry_id, interaction_ref, reason, user_id, enqueued_at, ended_at, wait_ms)
        select ${report.channel}, ${report.queueId}, ${report.entryId}, ${report.interactionRef}, ${report.reason}, ${report.userId},
               ${report.enqueuedAt}, ${report.endedAt}, ${report.waitMs}
          from entry
        on conflict do nothing
      ), history as (
        insert into ${agentStateHistory} (user_id, channel, state, at, details)
        select ${agentId}, channel, 'busy', ${at}, jsonb_build_object('entryId', id, 'queueId', queue_id) from entry
      )
      select (select id from entry) as entry_id, array(select id from others) as others`),
  )[0];
  if (taken?.entry_id === null || taken?.entry_id === undefined) await refuseAccept(db, offerId, agentId, at);
  const entryId = Number(taken!.entry_id);
  const others = (taken!.others ?? []).map(Number);
  const [entry] = await db.select().from(queueEntries).where(eq(queueEntries.id, entryId));
  const closed = await db.select().from(offers).where(inArray(offers.id, [offerId, ...others]));
  return { entry: entry!, accepted: closed.find((o) => o.id === offerId)!, others: closed.filter((o) => o.id !== offerId) };
}

/** Why an accept took nothing: 404 for an offer that is not this agent's, 409 for one no longer open. */
async function refuseAccept(db: Db, offerId: number, agentId: number, now: Date): Promise<never> {
  const [offer] = await db.select().from(offers).where(eq(offers.id, offerId));
  if (!offer || offer.agentId !== agentId) throw notFound('offer', offerId);
  if (offer.status !== 'pending' || offer.expiresAt.getTime() <= now.getTime()) {
    throw new DomainError('conflict', `Offer ${offerId} is no longer open (${offer.status === 'pending' ? 'expired' : offer.status})`, { fields: [{ field: 'offerId', message: 'is no longer open' }], status: offer.status });
  }
  throw new DomainError('conflict', `The interaction of offer ${offerId} was taken or left the queue`, { fields: [{ field: 'offerId', message: 'interaction no longer waiting' }] });
}

/** The agent declines (or does not answer the phone): 409 when the offer is no longer open. Returns the entry's queue when it waits again. */
export async function rejectOffer(db: Db, offerId: number, agentId: number, now: number): Promise<{ offer: OfferRow; queueId: number | null }> {
  const at = new Date(now);
  return transaction(db, async (tx) => {
    const [offer] = await tx
      .update(offers)
      .set({ status: 'rejected', decidedAt: at })
      .where(and(eq(offers.id, offerId), eq(offers.agentId, agentId), eq(offers.status, 'pending')))
      .returning();
    if (!offer) throw new DomainError('conflict', `Offer ${offerId} is no longer open`, { fields: [{ field: 'offerId', message: 'is no longer open' }] });
    await noteRefusal(tx, offer.entryId, agentId, at, 'rejected');
    const queueId = await backToWaiting(tx, offer.entryId);
    return { offer, queueId };
  });
}

/** Offers that rang out by `now`: each counts as a refusal and its entry waits again; `ended` hears of each in turn. */
export async function expireOffers(db: Db, now: number, ended: (offer: OfferRow) => void): Promise<number> {
  const at = new Date(now);
  const expired = await db
    .update(offers)
    .set({ status: 'expired', decidedAt: at })
    .where(and(eq(offers.status, 'pending'), lte(offers.expiresAt, at)))
    .returning();
  for (const o of expired) {
    await noteRefusal(db, o.entryId, o.agentId, at, 'timeout');
    await backToWaiting(db, o.entryId);
    ended(o);
  }
  return expired.length;
}

/**
 * The accepted interaction is over: the agent enters wrap-up on that channel. A disposition given
 * by the agent is kept on the entry and, for a call, on the call record with the agent's id.
 * Returns the agent, or undefined when the entry was not an accepted one still open.
 */
export async function finishAccepted(db: Db, entryId: number, now: number, disposition?: Disposition): Promise<number | undefined> {
  if (disposition) {
    const [entry] = await db
      .update(queueEntries)
      .set({ data: sql`${queueEntries.data} || ${JSON.stringify({ disposition: disposition.code, dispositionNote: disposition.note ?? null })}::jsonb` })
      .where(and(eq(queueEntries.id, entryId), eq(queueEntries.agentId, disposition.by)))
      .returning();
    if (entry?.channel === 'voice') {
      await db
        .update(calls)
        .set({ disposition: disposition.code, dispositionNote: disposition.note ?? null, disposedBy: disposition.by, disposedAt: new Date(now) })
        .where(eq(calls.uniqueId, entry.interactionRef));
    }
  }
  const at = new Date(now);
  // One statement (one commit): the entry ends; the agent enters the queue's wrap-up on that
  // channel (none: the last end is still recorded, an earlier wrap-up still running is kept); the
  // state history says wrap-up or ready.
  const [ended] = rowsOf<{ id: number | string; agent_id: number | string }>(
    await db.execute(sql`
      with e as (
        update ${queueEntries} qe set ended_at = ${at}
          from ${queues} q
         where qe.id = ${entryId} and qe.status = 'accepted' and qe.ended_at is null and qe.agent_id is not null and q.id = qe.queue_id
        returning qe.id, qe.agent_id, qe.channel, q.wrapup_sec
      ), wrapup as (
        insert into ${agentChannelStates} (user_id, channel, wrapup_until, last_ended_at)
        select agent_id, channel, case when wrapup_sec > 0 then ${at}::timestamptz + make_interval(secs => wrapup_sec) end, ${at} from e
        on conflict (user_id, channel) do update
           set wrapup_until = coalesce(excluded.wrapup_until, ${agentChannelStates}.wrapup_until), last_ended_at = excluded.last_ended_at
      ), history as (
        insert into ${agentStateHistory} (user_id, channel, state, at, details)
        select agent_id, channel, case when wrapup_sec > 0 then 'wrapup' else 'ready' end, ${at},
               jsonb_build_object('entryId', id, 'wrapupSec', wrapup_sec) from e
      )
      select id, agent_id from e`),
  );
  return ended ? Number(ended.agent_id) : undefined;
}

/** The entry waits again if no offer rings for it any more; returns its queue when it does. */
async function backToWaiting(db: Db, entryId: number): Promise<number | null> {
  const [stillPending] = await db
    .select({ id: offers.id })
    .from(offers)
    .where(and(eq(offers.entryId, entryId), eq(offers.status, 'pending')))
    .limit(1);
  if (stillPending) return null;
  const [waiting] = await db
    .update(queueEntries)
    .set({ status: 'waiting' })
    .where(and(eq(queueEntries.id, entryId), eq(queueEntries.status, 'offered')))
    .returning({ queueId: queueEntries.queueId });
  return waiting?.queueId ?? null;
}

async function noteRefusal(db: Db, entryId: number, agentId: number, now: Date, kind: 'rejected' | 'timeout'): Promise<void> {
  await db
    .update(queueEntries)
    .set({ data: sql`jsonb_set(${queueEntries.data}, '{refusals}', coalesce(${queueEntries.data}->'refusals', '[]'::jsonb) || ${JSON.stringify([{ agentId, at: now.getTime(), kind }])}::jsonb)` })
    .where(eq(queueEntries.id, entryId));
}
