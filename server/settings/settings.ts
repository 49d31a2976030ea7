// Global settings (XCALLY's Settings → General): stored as one JSON value per key, read with
// defaults, validated on every write.
import { z } from 'zod';
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { settings as settingsTable } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { DEFAULT_FEATURE_CODES, featureCodeClashes, featureCodesSchema, featureCodesShapeSchema, FEATURES, type Feature, type FeatureCodes } from '../../contracts/feature-codes.ts';

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

export const DEFAULT_SETTINGS: Settings = {
  securitySuite: true,
  maxFailedLogins: 5,
  // A contact center runs around the clock: an agent locked out at night should not wait for an
  // administrator; 5 guesses per 15 minutes per address (and the per-address limit) keep guessing slow.
  lockoutMinutes: 15,
  // Generous enough for a whole floor of agents behind one NAT address mistyping at shift start.
  maxFailedLoginsPerAddress: 50,
  failedLoginsWindowMinutes: 10,
  maxOpenTabs: 0,
  passwordResetMinutes: 60,
  featureCodes: DEFAULT_FEATURE_CODES,
  spyFeatureCode: DEFAULT_FEATURE_CODES.spy,
};

/** What is stored: spyFeatureCode only in rows written before featureCodes existed. */
const KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

export async function readSettings(db: Db): Promise<Settings> {
  const rows = await db.select().from(settingsTable).where(inArray(settingsTable.key, KEYS));
  const stored: Record<string, unknown> = {};
  for (const row of rows) stored[row.key] = row.value;
  // A value that no longer fits (older release, hand edit) falls back to its default.
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of KEYS) {
    const ok = settingsSchema.shape[key].safeParse(stored[key]);
    if (ok.success) merged[key] = ok.data;
  }
  // Before featureCodes, the spy code was a setting of its own: it carries over until the codes are saved.
  const codes = stored.featureCodes === undefined ? { ...DEFAULT_FEATURE_CODES, spy: merged.spyFeatureCode as string } : (merged.featureCodes as FeatureCodes);
  const checked = featureCodesSchema.safeParse(codes);
  merged.featureCodes = checked.success ? checked.data : DEFAULT_FEATURE_CODES;
  merged.spyFeatureCode = (merged.featureCodes as FeatureCodes).spy;
  return merged as Settings;
}

/**
 * The feature codes after `patch`, checked as a whole against the codes in force: a clash with a
 * code that is not in the patch is reported on the field the patch changed.
 */
function patchedFeatureCodes(current: FeatureCodes, patch: SettingsPatch): FeatureCodes | undefined {
  if (patch.featureCodes === undefined && patch.spyFeatureCode === undefined) return undefined;
  const viaAlias = patch.spyFeatureCode !== undefined && patch.featureCodes?.spy === undefined;
  if (patch.spyFeatureCode !== undefined && patch.featureCodes?.spy !== undefined && patch.spyFeatureCode !== patch.featureCodes.spy) {
    throw new DomainError('validation', 'spyFeatureCode and featureCodes.spy differ', { fields: [{ field: 'spyFeatureCode', message: 'differs from featureCodes.spy (the same setting)' }] });
  }
  const next = { ...current, ...patch.featureCodes, ...(viaAlias ? { spy: patch.spyFeatureCode! } : {}) };
  const fieldOf = (feature: string) => (viaAlias && feature === 'spy' ? 'spyFeatureCode' : `featureCodes.${feature}`);
  const shape = featureCodesShapeSchema.safeParse(next);
  const changed = new Set((Object.keys(next) as Feature[]).filter((f) => next[f] !== current[f]));
  const fields = shape.success
    ? featureCodeClashes(shape.data, changed).map((p) => ({ field: fieldOf(p.feature), message: p.message }))
    : shape.error.issues.map((issue) => ({ field: fieldOf(String(issue.path[0] ?? '')), message: issue.message }));
  if (fields.length === 0) return next;
  throw new DomainError('validation', fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields });
}

export async function writeSettings(db: Db, input: SettingsPatch): Promise<Settings> {
  const { featureCodes: _codes, spyFeatureCode: _spy, ...rest } = input;
  const codes = patchedFeatureCodes((await readSettings(db)).featureCodes, input);
  // The group is stored whole under its own key; the old key is left as it was (readSettings ignores it then).
  const patch: Record<string, unknown> = { ...rest, ...(codes ? { featureCodes: codes } : {}) };
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  if (entries.length > 0) {
    await db
      .insert(settingsTable)
      .values(entries.map(([key, value]) => ({ key, value })))
      .onConflictDoUpdate({ target: settingsTable.key, set: { value: sql`excluded.value`, updatedAt: sql`now()` } });
  }
  return readSettings(db);
}
