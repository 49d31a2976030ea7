// What the API accepts for Staff (users, agents, teams, telephones, pause reasons, API keys): the
// server validates request bodies with these schemas and the web app's forms validate with the very
// same ones, so a form never accepts what the API refuses, with the same words for each problem.
import { z } from 'zod';
import { CHANNELS, NON_VOICE_CHANNELS } from './channels.ts';
import { AGENT_TYPOLOGIES, type AgentTypology } from './agents.ts';
import type { PermissionLevel } from './api.ts';
import { preferencesSchema } from './preferences.ts';

/** The modules a supervisor's or service user's permissions are given per (Staff → Users). */
export const MODULES = [
  'staff', // users' agents and teams
  ...CHANNELS,
  'ivr',
  'dialer',
  'contacts',
  'reports',
  'realtime',
  'recordings',
  'chanspy',
  'settings',
  'wfm',
] as const;
export type Module = (typeof MODULES)[number];

export const LEVELS = ['none', 'read', 'read-edit', 'read-edit-delete'] as const satisfies readonly PermissionLevel[];

// --- fields every kind of account shares, so users and agents validate the same way

export const usernameSchema = z
  .string({ message: 'must be a string' })
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9._]+$/, "may contain only letters, digits, '.' and '_'");

export const fullNameSchema = z
  .string({ message: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((s) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f), 'must not contain control characters');

export const emailSchema = z.email({ message: 'must be an e-mail address' }).max(254, 'must be at most 254 characters');

export const descriptionSchema = z.string({ message: 'must be a string' }).max(2000, 'must be at most 2000 characters');

export const passwordSchema = z.string({ message: 'must be a string' }).min(1, 'must not be empty').max(256, 'must be at most 256 characters');

// Keys are checked one by one so that an unknown module is reported at its own path (permissions.<key>).
export const permissionsSchema = z
  .record(z.string(), z.enum(LEVELS, { message: `must be one of ${LEVELS.join(', ')}` }), { message: 'must be an object of module: level' })
  .superRefine((value, ctx) => {
    for (const key of Object.keys(value)) {
      if (!(MODULES as readonly string[]).includes(key)) ctx.addIssue({ code: 'custom', path: [key], message: `is not a module; modules are ${MODULES.join(', ')}` });
    }
  })
  .transform((v) => v as Partial<Record<Module, (typeof LEVELS)[number]>>);

export const nameSchema = z.string({ message: 'must be a string' }).trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const idListSchema = z.array(z.number({ message: 'must be a number' }).int().positive(), { message: 'must be a list of ids' }).max(10_000);

// --- users (administrators, supervisors, service users)

export const USER_ROLES = ['admin', 'supervisor', 'service'] as const;

export const userCreateSchema = z
  .object({
    role: z.enum(USER_ROLES, { message: `must be one of ${USER_ROLES.join(', ')}` }),
    username: usernameSchema,
    fullName: fullNameSchema,
    email: emailSchema.nullish(),
    description: descriptionSchema.nullish(),
    password: passwordSchema.optional(),
    permissions: permissionsSchema.default({}),
    disabled: z.boolean().default(false),
    mustChangePassword: z.boolean().default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.role !== 'service' && v.password === undefined) ctx.addIssue({ code: 'custom', path: ['password'], message: 'is required' });
    if (v.role === 'service' && v.password !== undefined)
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'service users have no password; give them API keys' });
  });

export const userUpdateSchema = z
  .object({
    role: z.enum(['admin', 'supervisor'], { message: 'must be admin or supervisor' }).optional(),
    fullName: fullNameSchema.optional(),
    email: emailSchema.nullish(),
    description: descriptionSchema.nullish(),
    permissions: permissionsSchema.optional(),
    disabled: z.boolean().optional(),
    locked: z.boolean().optional(),
    preferences: preferencesSchema.optional(),
  })
  .strict();

export const supervisorQueuesSchema = z.object({ queueIds: idListSchema }).strict();

/** PUT /api/users/:id/password and /api/agents/:id/password. */
export const setPasswordSchema = z.object({ password: passwordSchema, mustChangePassword: z.boolean().default(false) }).strict();

// --- agents

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
  typology: z.enum(AGENT_TYPOLOGIES, { message: `must be one of ${AGENT_TYPOLOGIES.join(', ')}` }),
  email: emailSchema.nullish(),
  description: descriptionSchema.nullish(),
  extension: extensionSchema,
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

/** XCALLY: hot-desking is an option of External agents only. */
export const HOTDESK_NEEDS_EXTERNAL = 'hot-desking is only available to agents of typology external';

function hotdeskNeedsExternal(v: { hotdesk?: boolean | undefined; typology?: AgentTypology | undefined }, ctx: z.RefinementCtx): void {
  if (v.hotdesk === true && v.typology !== undefined && v.typology !== 'external') {
    ctx.addIssue({ code: 'custom', path: ['hotdesk'], message: HOTDESK_NEEDS_EXTERNAL });
  }
}

/** The columns the agents list sorts by (GET /api/agents?sort=…); ties are broken by id. */
export const AGENT_SORTS = ['id', 'fullName', 'username', 'extension', 'typology', 'createdAt'] as const;
export type AgentSort = (typeof AGENT_SORTS)[number];

/** GET /api/agents and GET /api/agents/export.csv: search, filters, order, page. */
export const agentListQuery = z.object({
  /** Matches name, username, extension or alias, anywhere in them, case-insensitively. */
  q: z.string().max(100).optional(),
  typology: z.enum(AGENT_TYPOLOGIES).optional(),
  teamId: z.coerce.number().int().positive().optional(),
  queueId: z.coerce.number().int().positive().optional(),
  enabled: z.enum(['true', 'false'], { message: 'must be true or false' }).transform((s) => s === 'true').optional(),
  sort: z.enum(AGENT_SORTS, { message: `must be one of ${AGENT_SORTS.join(', ')}` }).default('id'),
  order: z.enum(['asc', 'desc'], { message: 'must be asc or desc' }).default('asc'),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

// --- teams

export const teamCreateSchema = z.object({ name: nameSchema, description: descriptionSchema.nullish() }).strict();
export const teamUpdateSchema = z.object({ name: nameSchema.optional(), description: descriptionSchema.nullish() }).strict();
export const teamAgentsSchema = z.object({ agentIds: idListSchema }).strict();

// --- telephones (hot-desking), pause reasons, API keys

export const phoneCreateSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/, 'must be the PJSIP endpoint name (letters, digits, . _ -)'),
    description: z.string().max(500).nullish(),
  })
  .strict();

export const pauseReasonCreateSchema = z.object({ name: nameSchema, description: z.string().max(500).nullish() }).strict();

export const apiKeyIssueSchema = z
  .object({
    name: nameSchema,
    expiresAt: z.iso
      .datetime({ message: 'must be an ISO 8601 date-time', offset: true })
      .transform((s) => new Date(s))
      .refine((d) => d.getTime() > Date.now(), 'must be in the future')
      .nullish(),
  })
  .strict();
