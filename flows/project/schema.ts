import { z } from 'zod';
import { FLOW_CHANNELS } from '../../contracts/channels.ts';

/**
 * The project document in its CURRENT schema version. Older documents are brought up to this shape
 * by ./migrations.ts before they are parsed here, so every other part of flows/ only ever sees this.
 */
export const CURRENT_SCHEMA_VERSION = 2;

/** The channels a project can be written for: the shared list's flow channels (every one but WhatsApp). */
export const CHANNEL_KINDS = FLOW_CHANNELS;
export const channelKindSchema = z.enum(CHANNEL_KINDS);
export type ChannelKind = z.infer<typeof channelKindSchema>;

/** Block ids and variable names end up in traces, URLs and AGI variable names: keep them plain. */
export const BLOCK_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Names that would reach Object.prototype when used as a plain-object key. loadProject rejects them
 * anywhere in a document; the schemas repeat the check for callers that parse objects directly.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const notForbidden = (name: string): boolean => !FORBIDDEN_KEYS.has(name);

export const blockIdSchema = z
  .string()
  .regex(BLOCK_ID_PATTERN, 'block ids are 1-64 letters, digits, "_" or "-"')
  .refine(notForbidden, 'this name is reserved');

export const variableNameSchema = z
  .string()
  .regex(VARIABLE_NAME_PATTERN, 'variable names start with a letter or "_" and hold up to 64 letters, digits or "_"')
  .refine(notForbidden, 'this name is reserved');

export const exitNameSchema = z.string().min(1).max(64).refine(notForbidden, 'this name is reserved');

/** A variable's default: the JSON values the expression language understands. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);

export const positionSchema = z.object({ x: z.number().finite(), y: z.number().finite() });
export type Position = z.infer<typeof positionSchema>;

export const blockSchema = z.object({
  type: z.string().min(1).max(64),
  label: z.string().max(200).default(''),
  position: positionSchema.default({ x: 0, y: 0 }),
  /** Checked against the block type's own params schema by compile/validate, not here. */
  params: z.record(z.string(), z.unknown()).default({}),
  /** exit name → target block id; null (or absent) = not wired, the flow ends there. */
  exits: z.record(exitNameSchema, blockIdSchema.nullable()).default({}),
});
export type Block = z.infer<typeof blockSchema>;

export const variableDeclarationSchema = z.object({
  default: jsonValueSchema.default(null),
  description: z.string().max(500).default(''),
});
export type VariableDeclaration = z.infer<typeof variableDeclarationSchema>;

export const projectSchema = z
  .object({
    schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
    id: z.string().min(1).max(128),
    name: z.string().min(1).max(200),
    description: z.string().max(2000).default(''),
    channel: channelKindSchema,
    entry: blockIdSchema,
    blocks: z.record(blockIdSchema, blockSchema),
    variables: z.record(variableNameSchema, variableDeclarationSchema).default({}),
  })
  .superRefine((project, ctx) => {
    if (!Object.hasOwn(project.blocks, project.entry)) {
      ctx.addIssue({ code: 'custom', path: ['entry'], message: `entry block "${project.entry}" does not exist` });
    }
  });

export type Project = z.infer<typeof projectSchema>;
/** What a designer or API client may send: defaults not yet applied. */
export type ProjectInput = z.input<typeof projectSchema>;
