// The node's global settings (Tools → Settings, GET/PATCH /api/settings): what the API accepts,
// shared with the web app's form so both check the same rules. Each GET carries the settings'
// version as an ETag; a PATCH with If-Match made from an older one is refused (409).
import { z } from 'zod';
import { featureCodesSchema, FEATURES, type FeatureCodes } from './feature-codes.ts';

export const settingsSchema = z.object({
  /** XCALLY's "security suite": strong password rules and lockout. On by default: security by default. */
  securitySuite: z.boolean(),
  /**
   * Failed logins in a row, from one source (client address, or `phone` for PINs), before the account
   * is locked for that source (0 = never lock). Failures from elsewhere never lock it for everyone:
   * that would let anyone lock any account out (server/auth/lockout.ts).
   */
  maxFailedLogins: z.number().int().min(0).max(100),
  /**
   * How long such a lock lasts, in minutes; failures are remembered as long. 0 = until an
   * administrator unlocks it (XCALLY's behaviour; failures are then remembered for a day).
   */
  lockoutMinutes: z.number().int().min(0).max(30 * 24 * 60),
  /** Failed logins one client address may make per window, whatever the usernames (0 = no limit); beyond, 429. */
  maxFailedLoginsPerAddress: z.number().int().min(0).max(100_000),
  /** The window of maxFailedLoginsPerAddress, in minutes (a token bucket: it refills steadily). */
  failedLoginsWindowMinutes: z.number().int().min(1).max(24 * 60),
  /** Global limit of interactions an agent may have open at once (0 = unlimited). */
  maxOpenTabs: z.number().int().min(0).max(1000),
  /** Minutes a password-reset link stays valid. */
  passwordResetMinutes: z.number().int().min(5).max(24 * 60),
  /** Star codes of the internal phones and in-call codes (Tools → Feature codes; server/voice/feature-codes). */
  featureCodes: featureCodesSchema,
  /**
   * The spy code of older releases, kept as an alias of featureCodes.spy: read, it is that code;
   * written, it changes that code (and is checked against the other codes like it).
   */
  spyFeatureCode: z.string().regex(/^\*[0-9]{1,6}$/, 'must be * followed by 1 to 6 digits, e.g. *222'),
});
export type Settings = z.infer<typeof settingsSchema>;

/** PATCH /api/settings: any settings; featureCodes may name only the codes that change. */
export const settingsPatchSchema = settingsSchema
  .omit({ featureCodes: true })
  .extend({ featureCodes: z.object(Object.fromEntries(FEATURES.map((f) => [f, z.string()])) as Record<keyof FeatureCodes, z.ZodString>).partial().strict() })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
