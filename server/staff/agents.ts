// Staff → Agents, with XCALLY's fields: typology, auto-generated unique internal extension,
// per-channel capacity and auto-answer, hot-desking, masked sensitive data. A supervisor only sees
// and changes agents of their scope (server/staff/scope.ts).
import { z } from 'zod';
import { and, asc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { transaction, type Db } from '../db/database.ts';
import { agents, queueAgents, teamMembers, users, type AgentTypology } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import { uniqueViolation } from '../db/errors.ts';
import type { Settings } from '../settings/settings.ts';
import type { Principal } from '../auth/permissions.ts';
import { agentScope, queueScope, teamScope } from './scope.ts';
import { DomainError, notFound } from '../errors.ts';
import { descriptionSchema, emailSchema, fullNameSchema, passwordSchema, usernameSchema } from './fields.ts';
import { acceptablePasswordHash, accountView, setLocked, withLockouts, type AccountView } from './accounts.ts';
import { hashPassword } from '../auth/passwords.ts';
import { rethrowConflict } from './conflicts.ts';
import { escapeLike } from './users.ts';
import { CHANNELS, NON_VOICE_CHANNELS } from '../../contracts/channels.ts';
import { AGENT_TYPOLOGIES } from '../../contracts/agents.ts';

export const TYPOLOGIES = AGENT_TYPOLOGIES;

const capacitySchema = z.partialRecord(
  z.enum(NON_VOICE_CHANNELS, { message: `must be one of ${NON_VOICE_CHANNELS.join(', ')}` }),
  z.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 (unlimited) or more').max(1000, 'must be at most 1000'),
);
const autoAnswerSchema = z.partialRecord(
  z.enum(CHANNELS, { message: `must be one of ${CHANNELS.join(', ')}` }),
  z.object({ enabled: z.boolean(), delaySeconds: z.number().int().min(0, 'must be 0 or more').max(300, 'must be at most 300').default(0) }).strict(),
);
const extensionSchema = z.string({ message: 'must be a string of digits' }).regex(/^[0-9]{2,10}$/, 'must be 2 to 10 digits');
const aliasSchema = z.string().trim().max(100, 'must be at most 100 characters');
/** For logging in from any phone (Agent login block): digits only, as a phone keypad types them. */
const pinSchema = z.string({ message: 'must be a string of digits' }).regex(/^[0-9]{4,8}$/, 'must be 4 to 8 digits');

const agentFields = {
  fullName: fullNameSchema,
  alias: aliasSchema.nullish(),
  typology: z.enum(TYPOLOGIES, { message: `must be one of ${TYPOLOGIES.join(', ')}` }),
  email: emailSchema.nullish(),
  description: descriptionSchema.nullish(),
  extension: extensionSchema,
  voicemail: z.boolean(),
  loginInPause: z.boolean(),
  capacity: capacitySchema,
  autoAnswer: autoAnswerSchema,
  hotdesk: z.boolean(),
  maskSensitiveData: z.boolean(),
  chanspy: z.boolean(),
  disabled: z.boolean(),
};

export const agentCreateSchema = z
  .object({
    ...agentFields,
    username: usernameSchema,
    password: passwordSchema,
    pin: pinSchema.optional(),
    typology: agentFields.typology.default('phonebar'),
    extension: extensionSchema.optional(),
    voicemail: z.boolean().default(false),
    loginInPause: z.boolean().default(false),
    capacity: capacitySchema.default({}),
    autoAnswer: autoAnswerSchema.default({}),
    hotdesk: z.boolean().default(false),
    maskSensitiveData: z.boolean().default(false),
    chanspy: z.boolean().default(true),
    disabled: z.boolean().default(false),
  })
  .strict()
  .superRefine(hotdeskNeedsExternal);

export const agentUpdateSchema = z
  .object({
    fullName: agentFields.fullName.optional(),
    alias: agentFields.alias,
    typology: agentFields.typology.optional(),
    email: agentFields.email,
    description: agentFields.description,
    extension: agentFields.extension.optional(),
    voicemail: z.boolean().optional(),
    loginInPause: z.boolean().optional(),
    capacity: capacitySchema.optional(),
    autoAnswer: autoAnswerSchema.optional(),
    hotdesk: z.boolean().optional(),
    maskSensitiveData: z.boolean().optional(),
    chanspy: z.boolean().optional(),
    disabled: z.boolean().optional(),
    locked: z.boolean().optional(),
    /** A new phone PIN, or null to remove it. */
    pin: pinSchema.nullable().optional(),
  })
  .strict()
  .superRefine(hotdeskNeedsExternal);

function hotdeskNeedsExternal(v: { hotdesk?: boolean | undefined; typology?: AgentTypology | undefined }, ctx: z.RefinementCtx): void {
  // XCALLY: hot-desking is an option of External agents only.
  if (v.hotdesk === true && v.typology !== undefined && v.typology !== 'external') {
    ctx.addIssue({ code: 'custom', path: ['hotdesk'], message: 'hot-desking is only available to agents of typology external' });
  }
}

export const agentListQuery = z.object({
  q: z.string().max(100).optional(),
  typology: z.enum(TYPOLOGIES).optional(),
  teamId: z.coerce.number().int().positive().optional(),
  queueId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export type AgentView = AccountView & {
  hasPhonePin: boolean;
  alias: string | null;
  typology: AgentTypology;
  extension: string;
  voicemail: boolean;
  loginInPause: boolean;
  capacity: Record<string, number>;
  autoAnswer: Record<string, { enabled: boolean; delaySeconds: number }>;
  hotdesk: boolean;
  maskSensitiveData: boolean;
  chanspy: boolean;
};

type Row = { user: typeof users.$inferSelect; agent: typeof agents.$inferSelect };

function agentView({ user, agent }: Row): AgentView {
  const { permissions: _p, ...account } = accountView(user);
  return {
    ...account,
    permissions: {},
    alias: agent.alias,
    typology: agent.typology,
    extension: agent.extension,
    voicemail: agent.voicemail,
    loginInPause: agent.loginInPause,
    capacity: agent.capacity as Record<string, number>,
    autoAnswer: agent.autoAnswer as AgentView['autoAnswer'],
    hotdesk: agent.hotdesk,
    maskSensitiveData: agent.maskSensitiveData,
    chanspy: agent.chanspy,
    hasPhonePin: agent.phonePinHash !== null,
  };
}

async function findAgent(db: Db, id: number): Promise<Row | undefined> {
  const [row] = await db.select({ user: users, agent: agents }).from(users).innerJoin(agents, eq(agents.userId, users.id)).where(eq(users.id, id));
  return row;
}

/** The agent's rows, when the principal may act on them; the same 404 for an unknown id and an out-of-scope one. */
async function loadAgentInScope(db: Db, principal: Principal, id: number): Promise<Row> {
  const [row] = await db
    .select({ user: users, agent: agents })
    .from(users)
    .innerJoin(agents, eq(agents.userId, users.id))
    .where(and(eq(users.id, id), agentScope(principal)));
  if (!row) throw notFound('agent', id);
  return row;
}

export async function listAgents(db: Db, principal: Principal, q: z.output<typeof agentListQuery>): Promise<AgentView[]> {
  const like = q.q ? `%${escapeLike(q.q)}%` : undefined;
  const rows = await db
    .select({ user: users, agent: agents })
    .from(users)
    .innerJoin(agents, eq(agents.userId, users.id))
    .where(
      and(
        agentScope(principal),
        like ? or(ilike(users.username, like), ilike(users.fullName, like), ilike(agents.extension, like), ilike(agents.alias, like)) : undefined,
        q.typology ? eq(agents.typology, q.typology) : undefined,
        // A team or queue outside the scope filters to nothing, as an unknown one does.
        q.teamId ? and(sql`exists (select 1 from ${teamMembers} tm where tm.user_id = ${users.id} and tm.team_id = ${q.teamId})`, teamScope(principal, sql`${q.teamId}`)) : undefined,
        q.queueId ? and(sql`exists (select 1 from ${queueAgents} qa where qa.user_id = ${users.id} and qa.queue_id = ${q.queueId})`, queueScope(principal, sql`${q.queueId}`)) : undefined,
      ),
    )
    .orderBy(asc(users.id))
    .limit(q.limit)
    .offset(q.offset);
  return withLockouts(db, rows.map(agentView));
}

export async function getAgent(db: Db, principal: Principal, id: number): Promise<AgentView> {
  const [view] = await withLockouts(db, [agentView(await loadAgentInScope(db, principal, id))]);
  return view!;
}

export async function getAgentsByIds(db: Db, principal: Principal, ids: number[] | undefined): Promise<AgentView[]> {
  const rows = await db
    .select({ user: users, agent: agents })
    .from(users)
    .innerJoin(agents, eq(agents.userId, users.id))
    .where(and(agentScope(principal), ids ? inArray(users.id, ids.length ? ids : [-1]) : undefined))
    .orderBy(asc(users.id));
  return withLockouts(db, rows.map(agentView));
}

/**
 * The next free numeric extension from 1000 on. Called inside the creating transaction after taking
 * an advisory lock, so that agents created at the same moment (on any node) do not compute the same one.
 */
async function nextExtension(db: Db): Promise<string> {
  await db.execute(sql`select pg_advisory_xact_lock(7412002)`);
  const [row] = await db
    .select({ next: sql<number>`coalesce(max(${agents.extension}::bigint), 999) + 1` })
    .from(agents)
    .where(sql`${agents.extension} ~ '^[0-9]{1,10}$'`);
  return String(Math.max(1000, Number(row?.next ?? 1000)));
}

export async function createAgent(db: Db, settings: Settings, cost: number, input: z.output<typeof agentCreateSchema>, actorId: number): Promise<AgentView> {
  const passwordHash = await acceptablePasswordHash(settings, cost, input.password);
  for (let attempt = 0; ; attempt++) {
    let extension = input.extension ?? '';
    try {
      const id = await transaction(db, async (tx) => {
        if (input.extension === undefined) extension = await nextExtension(tx);
        const [user] = await tx
          .insert(users)
          .values({
            role: 'agent',
            username: input.username,
            fullName: input.fullName,
            email: input.email ?? null,
            description: input.description ?? null,
            passwordHash,
            passwordChangedAt: new Date(),
            disabled: input.disabled,
          })
          .returning({ id: users.id });
        await tx.insert(agents).values({
          userId: user!.id,
          alias: input.alias ?? null,
          typology: input.typology,
          extension,
          voicemail: input.voicemail,
          loginInPause: input.loginInPause,
          capacity: input.capacity,
          autoAnswer: input.autoAnswer as AgentView['autoAnswer'],
          hotdesk: input.hotdesk,
          maskSensitiveData: input.maskSensitiveData,
          chanspy: input.chanspy,
          phonePinHash: input.pin === undefined ? null : await hashPassword(input.pin, cost),
        });
        return user!.id;
      });
      await audit(db, actorId, 'agent.created', `user:${id}`, { username: input.username, extension });
      const row = await findAgent(db, id);
      return agentView(row!);
    } catch (err) {
      // Belt and braces: an extension typed by hand meanwhile can still collide with the computed one.
      if (input.extension === undefined && uniqueViolation(err) === 'agents_extension_key' && attempt < 5) continue;
      rethrowConflict(err);
    }
  }
}

export async function updateAgent(db: Db, principal: Principal, id: number, patch: z.output<typeof agentUpdateSchema>, pinCost = 15): Promise<AgentView> {
  const current = await loadAgentInScope(db, principal, id);
  const typology = patch.typology ?? current.agent.typology;
  const hotdesk = patch.hotdesk ?? current.agent.hotdesk;
  if (hotdesk && typology !== 'external') {
    throw new DomainError('validation', 'hotdesk: hot-desking is only available to agents of typology external', {
      fields: [{ field: 'hotdesk', message: 'hot-desking is only available to agents of typology external' }],
    });
  }
  // locked: false always lifts the locks failed logins put on single sources, which the row does not show.
  if (patch.locked === false || (patch.locked === true && !current.user.locked)) await setLocked(db, id, patch.locked, principal.userId);
  const userPatch = pick(patch, ['fullName', 'email', 'description', 'disabled']);
  const agentPatch: Partial<typeof agents.$inferInsert> = pick(patch, ['alias', 'typology', 'extension', 'voicemail', 'loginInPause', 'capacity', 'autoAnswer', 'hotdesk', 'maskSensitiveData', 'chanspy']);
  if (patch.pin !== undefined) agentPatch.phonePinHash = patch.pin === null ? null : await hashPassword(patch.pin, pinCost);
  try {
    await transaction(db, async (tx) => {
      if (Object.keys(userPatch).length) await tx.update(users).set({ ...userPatch, updatedAt: new Date() }).where(eq(users.id, id));
      else await tx.update(users).set({ updatedAt: new Date() }).where(eq(users.id, id));
      if (Object.keys(agentPatch).length) await tx.update(agents).set(agentPatch).where(eq(agents.userId, id));
    });
  } catch (err) {
    rethrowConflict(err);
  }
  const changed = [...Object.keys(userPatch), ...Object.keys(agentPatch)];
  if (changed.length) await audit(db, principal.userId, 'agent.updated', `user:${id}`, { fields: changed });
  return getAgent(db, principal, id);
}

export async function deleteAgent(db: Db, principal: Principal, id: number): Promise<void> {
  const current = await loadAgentInScope(db, principal, id);
  await db.delete(users).where(eq(users.id, id));
  await audit(db, principal.userId, 'agent.deleted', `user:${id}`, { username: current.user.username });
}

function pick<T extends object, K extends keyof T>(obj: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}
