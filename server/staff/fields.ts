// Field rules shared by every kind of account, so users and agents validate the same way.
import { z } from 'zod';
import { MODULES, LEVELS } from '../auth/permissions.ts';

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
  .transform((v) => v as Partial<Record<(typeof MODULES)[number], (typeof LEVELS)[number]>>);

export const nameSchema = z.string({ message: 'must be a string' }).trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const idListSchema = z.array(z.number({ message: 'must be a number' }).int().positive(), { message: 'must be a list of ids' }).max(10_000);
