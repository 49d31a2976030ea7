import { z } from 'zod';
import { VARIABLE_NAME_PATTERN, FORBIDDEN_KEYS } from '../project/schema.ts';

/** Param building blocks shared by block schemas, so the same field means the same thing everywhere. */

/** A `{VAR}` template. Length-capped: templates end up in AGI command lines (≤ 2048 bytes). */
export const templateField = (max = 2000) => z.string().max(max);

/** Prompt names (Asterisk sound files without extension); each may contain `{VAR}`. */
export const promptListField = () =>
  z.array(z.string().min(1, 'a prompt name cannot be empty').max(512)).max(32);

export const variableField = () =>
  z
    .string()
    .regex(VARIABLE_NAME_PATTERN, 'variable names start with a letter or "_" and hold up to 64 letters, digits or "_"')
    .refine((name) => !FORBIDDEN_KEYS.has(name), 'this name is reserved');

export const optionalVariableField = () => z.union([variableField(), z.literal('')]).default('');

export const DTMF_PATTERN = /^[0-9*#]*$/;
export const dtmfField = (max = 12) => z.string().max(max).regex(DTMF_PATTERN, 'only digits 0-9, * and # are allowed');

/** Seconds as designers type them; the block converts to ms. */
export const secondsField = (defaultSeconds: number, max: number) => z.number().min(0).max(max).default(defaultSeconds);

export const retriesField = (defaultRetries = 2) => z.number().int().min(0).max(10).default(defaultRetries);

/** Admin-configured names (queue, trunk, mail account, connection): no templating, no spaces. */
export const resourceNameField = () =>
  z.string().min(1, 'required').max(128).regex(/^[A-Za-z0-9_.@:-]+$/, 'letters, digits and _ . @ : - only');
