// Agent presence: login (web, phone bar, external phone, or any phone through the Agent login IVR
// block), logout, pause with a reason and unpause per channel, each written to the state history.
// The queue engine reads this state from PostgreSQL, so it survives restarts and is shared by nodes.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { transaction, type Db } from '../db/database.ts';
import { agentChannelStates, agentSessions, agentStateHistory, agents, offers, queueEntries, users, type Channel } from '../db/schema.ts';
import { DomainError, notFound } from '../errors.ts';
import { CHANNELS } from '../../contracts/channels.ts';

export { CHANNELS };
export const DEVICES = ['web', 'phonebar', 'external', 'phone'] as const;
export type Device = (typeof DEVICES)[number];

export interface ChannelPresence {
  channel: Channel;
  paused: boolean;
  pauseReason: string | null;
  pausedAt: Date | null;
  wrapupUntil: Date | null;
}

export interface AgentPresence {
  agentId: number;
  loggedIn: boolean;
  device: Device | null;
  dialTarget: string | null;
  hotdeskPhone: string | null;
  loggedInAt: Date | null;
  channels: ChannelPresence[];
}

async function history(db: Db, userId: number, state: string, channel: Channel | null, reason: string | null, details: Record<string, unknown> = {}): Promise<void> {
  await db.insert(agentStateHistory).values({ userId, state, channel, reason, details });
}

async function assertAgent(db: Db, agentId: number): Promise<{ loginInPause: boolean; extension: string; typology: string; disabled: boolean }> {
  const [row] = await db
    .select({ loginInPause: agents.loginInPause, extension: agents.extension, typology: agents.typology, disabled: users.disabled })
    .from(agents)
    .innerJoin(users, eq(users.id, agents.userId))
    .where(eq(agents.userId, agentId));
  if (!row) throw notFound('agent', agentId);
  return row;
}

export async function getPresence(db: Db, agentId: number): Promise<AgentPresence> {
  await assertAgent(db, agentId);
  const [session] = await db.select().from(agentSessions).where(eq(agentSessions.userId, agentId));
  const states = await db.select().from(agentChannelStates).where(eq(agentChannelStates.userId, agentId));
  const byChannel = new Map(states.map((s) => [s.channel, s]));
  return {
    agentId,
    loggedIn: session !== undefined,
    device: (session?.device as Device | undefined) ?? null,
    dialTarget: session?.dialTarget ?? null,
    hotdeskPhone: session?.hotdeskPhone ?? null,
    loggedInAt: session?.loggedInAt ?? null,
    channels: CHANNELS.map((channel) => {
      const s = byChannel.get(channel);
      return { channel, paused: s?.paused ?? false, pauseReason: s?.pauseReason ?? null, pausedAt: s?.pausedAt ?? null, wrapupUntil: s?.wrapupUntil ?? null };
    }),
  };
}

export interface LoginInput {
  device: Device;
  /** Where voice offers ring; defaults to the agent's own extension (PJSIP/<extension>). */
  dialTarget?: string | null;
  hotdeskPhone?: string | null;
}

/**
 * Logs an agent in. A second login from another device takes over (the last device wins, as a
 * phone bar re-login does) and is recorded; login-in-pause pauses every channel with reason `login`.
 */
export async function login(db: Db, agentId: number, input: LoginInput): Promise<AgentPresence> {
  const agent = await assertAgent(db, agentId);
  if (agent.disabled) throw new DomainError('account_disabled');
  const dialTarget = input.dialTarget ?? `PJSIP/${agent.extension}`;
  await transaction(db, async (tx) => {
    const [previous] = await tx.select().from(agentSessions).where(eq(agentSessions.userId, agentId)).for('update');
    if (previous) {
      await tx.update(agentSessions).set({ device: input.device, dialTarget, hotdeskPhone: input.hotdeskPhone ?? null, updatedAt: new Date() }).where(eq(agentSessions.userId, agentId));
      await history(tx, agentId, 'login', null, null, { device: input.device, replaced: previous.device });
      return;
    }
    await tx.insert(agentSessions).values({ userId: agentId, device: input.device, dialTarget, hotdeskPhone: input.hotdeskPhone ?? null });
    await history(tx, agentId, 'login', null, null, { device: input.device });
    if (agent.loginInPause) {
      for (const channel of CHANNELS) await setPause(tx, agentId, channel, true, 'login');
    }
  });
  return getPresence(db, agentId);
}

export async function logout(db: Db, agentId: number, reason: string | null = null): Promise<AgentPresence> {
  await assertAgent(db, agentId);
  await transaction(db, async (tx) => {
    const deleted = await tx.delete(agentSessions).where(eq(agentSessions.userId, agentId)).returning({ id: agentSessions.userId });
    if (deleted.length === 0) return;
    // Offers still ringing for this agent are withdrawn, and an entry left with no offer ringing
    // waits again, in its place: the engine offers it to someone else.
    const withdrawn = await tx
      .update(offers)
      .set({ status: 'cancelled', decidedAt: new Date() })
      .where(and(eq(offers.agentId, agentId), eq(offers.status, 'pending')))
      .returning({ entryId: offers.entryId });
    if (withdrawn.length > 0) {
      await tx
        .update(queueEntries)
        .set({ status: 'waiting' })
        .where(
          and(
            inArray(queueEntries.id, withdrawn.map((w) => w.entryId)),
            eq(queueEntries.status, 'offered'),
            sql`not exists (select 1 from ${offers} where ${offers.entryId} = ${queueEntries.id} and ${offers.status} = 'pending')`,
          ),
        );
    }
    await history(tx, agentId, 'logout', null, reason);
  });
  return getPresence(db, agentId);
}

async function setPause(db: Db, agentId: number, channel: Channel, paused: boolean, reason: string | null): Promise<boolean> {
  const now = new Date();
  const [current] = await db
    .select()
    .from(agentChannelStates)
    .where(and(eq(agentChannelStates.userId, agentId), eq(agentChannelStates.channel, channel)));
  if ((current?.paused ?? false) === paused && (!paused || current?.pauseReason === reason)) return false;
  await db
    .insert(agentChannelStates)
    .values({ userId: agentId, channel, paused, pauseReason: paused ? reason : null, pausedAt: paused ? now : null })
    .onConflictDoUpdate({
      target: [agentChannelStates.userId, agentChannelStates.channel],
      set: { paused, pauseReason: paused ? reason : null, pausedAt: paused ? now : null },
    });
  await history(db, agentId, paused ? 'pause' : 'unpause', channel, paused ? reason : null);
  return true;
}

/** Pauses (with a reason) or unpauses the agent on some channels (all when none given). */
export async function pause(db: Db, agentId: number, paused: boolean, reason: string | null, channels: readonly Channel[] = CHANNELS): Promise<AgentPresence> {
  await assertAgent(db, agentId);
  const [session] = await db.select({ id: agentSessions.userId }).from(agentSessions).where(eq(agentSessions.userId, agentId));
  if (!session) throw new DomainError('conflict', `Agent ${agentId} is not logged in`, { fields: [{ field: 'agentId', message: 'is not logged in' }] });
  await transaction(db, async (tx) => {
    for (const channel of channels) await setPause(tx, agentId, channel, paused, reason);
  });
  return getPresence(db, agentId);
}

/** Logged-in agents among `agentIds` with their channel states: the engine's input. */
export async function presenceOf(db: Db, agentIds: readonly number[]): Promise<Map<number, AgentPresence>> {
  const out = new Map<number, AgentPresence>();
  if (agentIds.length === 0) return out;
  // Sessions and per-channel states in one round trip: one row per state (or one with none).
  const rows = await db
    .select({ userId: agents.userId, session: agentSessions, state: agentChannelStates })
    .from(agents)
    .leftJoin(agentSessions, eq(agentSessions.userId, agents.userId))
    .leftJoin(agentChannelStates, eq(agentChannelStates.userId, agents.userId))
    .where(inArray(agents.userId, [...agentIds]));
  const sessions = new Map<number, typeof agentSessions.$inferSelect>();
  const states = new Map<number, (typeof agentChannelStates.$inferSelect)[]>();
  for (const r of rows) {
    if (r.session) sessions.set(r.userId, r.session);
    if (r.state) states.set(r.userId, [...(states.get(r.userId) ?? []), r.state]);
  }
  for (const id of agentIds) {
    const s = sessions.get(id);
    const mine = states.get(id) ?? [];
    out.set(id, {
      agentId: id,
      loggedIn: s !== undefined,
      device: (s?.device as Device | undefined) ?? null,
      dialTarget: s?.dialTarget ?? null,
      hotdeskPhone: s?.hotdeskPhone ?? null,
      loggedInAt: s?.loggedInAt ?? null,
      channels: CHANNELS.map((channel) => {
        const c = mine.find((x) => x.channel === channel);
        return { channel, paused: c?.paused ?? false, pauseReason: c?.pauseReason ?? null, pausedAt: c?.pausedAt ?? null, wrapupUntil: c?.wrapupUntil ?? null };
      }),
    });
  }
  return out;
}

