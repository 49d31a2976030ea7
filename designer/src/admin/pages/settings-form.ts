// The Tools → Settings form against GET/PATCH /api/settings (pure: the page and its test agree on
// it). Numbers are kept as typed; the patch is checked against the API's own schema
// (contracts/settings.ts) before it is sent, so a wrong one is named next to its field.
import type { Settings } from '../../../../contracts/settings.ts';

/** What this form shows of GET /api/settings (feature codes have their own page). */
export type NodeSettings = Pick<
  Settings,
  'securitySuite' | 'maxFailedLogins' | 'lockoutMinutes' | 'maxFailedLoginsPerAddress' | 'failedLoginsWindowMinutes' | 'passwordResetMinutes' | 'maxOpenTabs' | 'spyFeatureCode'
>;

export type NumberKey = { [K in keyof NodeSettings]: NodeSettings[K] extends number ? K : never }[keyof NodeSettings];
export const SECURITY_NUMBERS: readonly NumberKey[] = ['maxFailedLogins', 'lockoutMinutes', 'maxFailedLoginsPerAddress', 'failedLoginsWindowMinutes', 'passwordResetMinutes'];
export const FORM_FIELDS: readonly (keyof NodeSettings)[] = ['securitySuite', ...SECURITY_NUMBERS, 'maxOpenTabs', 'spyFeatureCode'];

/** What the form holds: numbers as typed, so that a wrong one reaches the server and is named. */
export type Draft = Record<keyof NodeSettings, string | boolean>;

export const draftOf = (s: NodeSettings): Draft => Object.fromEntries(FORM_FIELDS.map((k) => [k, typeof s[k] === 'boolean' ? s[k] : String(s[k])])) as Draft;

/** The fields that differ from what was loaded; whole numbers as numbers, anything else as typed. */
export function settingsPatch(loaded: NodeSettings, draft: Draft): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of FORM_FIELDS) {
    const value = draft[key];
    const typed = typeof value === 'string' && typeof loaded[key] === 'number' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
    if (typed !== loaded[key]) patch[key] = typed;
  }
  return patch;
}
