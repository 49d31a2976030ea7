// Global settings (XCALLY's Settings → General): stored as one JSON value per key, read with
// defaults, validated on every write.
import { z } from 'zod';
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { settings as settingsTable } from '../db/schema.ts';

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
  /** Dialled before an agent's extension on an internal phone: listen to that agent (server/voice/spy). */
  spyFeatureCode: z.string().regex(/^\*[0-9]{1,6}$/, 'must be * followed by 1 to 6 digits, e.g. *222'),
});
export type Settings = z.infer<typeof settingsSchema>;

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
  spyFeatureCode: '*222',
};

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
  return merged as Settings;
}

export async function writeSettings(db: Db, patch: Partial<Settings>): Promise<Settings> {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  if (entries.length > 0) {
    await db
      .insert(settingsTable)
      .values(entries.map(([key, value]) => ({ key, value })))
      .onConflictDoUpdate({ target: settingsTable.key, set: { value: sql`excluded.value`, updatedAt: sql`now()` } });
  }
  return readSettings(db);
}
