// Global settings (XCALLY's Settings → General): stored as one JSON value per key, read with
// defaults, validated on every write (the schema is in contracts/settings.ts, shared with the web
// app). Their version is the latest change of any key: an editor that read an older one is refused.
import { inArray, max, sql } from 'drizzle-orm';
import { transaction, type Db } from '../db/database.ts';
import { settings as settingsTable } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { assertUnchanged } from '../db/row-version.ts';
import { DEFAULT_FEATURE_CODES, featureCodeClashes, featureCodesSchema, featureCodesShapeSchema, type Feature, type FeatureCodes } from '../../contracts/feature-codes.ts';
import { settingsSchema, type Settings, type SettingsPatch } from '../../contracts/settings.ts';

export { settingsPatchSchema, settingsSchema, type Settings, type SettingsPatch } from '../../contracts/settings.ts';

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

/** When any setting last changed (the Unix epoch while all are defaults): the version GET sends as its ETag. */
export async function settingsVersion(db: Db): Promise<Date> {
  const [row] = await db.select({ at: max(settingsTable.updatedAt) }).from(settingsTable).where(inArray(settingsTable.key, KEYS));
  // Milliseconds, as an editor's copy of the version holds it.
  return new Date(row?.at ? new Date(row.at).getTime() : 0);
}

/**
 * Applies the patch, refused when `expected` (the version the editor read) is no longer current.
 * One writer at a time (an advisory lock), so two editors who read the same version cannot both
 * save; each save moves the version on by at least a millisecond, so the next check always sees it.
 */
export async function writeSettings(db: Db, input: SettingsPatch, expected?: Date): Promise<{ settings: Settings; version: Date }> {
  return transaction(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7412014)`);
    const current = await settingsVersion(tx);
    assertUnchanged('settings', 'of this node', current, expected);
    const { featureCodes: _codes, spyFeatureCode: _spy, ...rest } = input;
    const codes = patchedFeatureCodes((await readSettings(tx)).featureCodes, input);
    // The group is stored whole under its own key; the old key is left as it was (readSettings ignores it then).
    const patch: Record<string, unknown> = { ...rest, ...(codes ? { featureCodes: codes } : {}) };
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    if (entries.length > 0) {
      const at = new Date(Math.max(Date.now(), current.getTime() + 1));
      await tx
        .insert(settingsTable)
        .values(entries.map(([key, value]) => ({ key, value, updatedAt: at })))
        .onConflictDoUpdate({ target: settingsTable.key, set: { value: sql`excluded.value`, updatedAt: at } });
    }
    return { settings: await readSettings(tx), version: await settingsVersion(tx) };
  });
}
