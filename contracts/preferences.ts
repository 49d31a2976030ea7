// A user's own language, locale and time zone (PUT /api/me/preferences, and administrators through
// PATCH /api/users/:id). Every field is optional: what is left out follows the browser.
import { z } from 'zod';

/** Intl accepts the tag (well-formed BCP 47); its canonical spelling is kept. */
function canonicalLocale(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * The IANA name as Intl knows it. Constructing a formatter is the check every engine supports;
 * `Intl.supportedValuesOf` leaves out aliases (e.g. `UTC`, `Asia/Calcutta`) that formatters accept.
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const languageSchema = z
  .string()
  .max(35)
  .transform((v, ctx) => {
    const tag = canonicalLocale(v);
    if (tag === null || !/^[a-z]{2,3}$/.test(tag)) {
      ctx.addIssue({ code: 'custom', message: `'${v}' is not a language code such as en or it` });
      return z.NEVER;
    }
    return tag;
  });

const localeSchema = z
  .string()
  .max(35)
  .transform((v, ctx) => {
    const tag = canonicalLocale(v);
    if (tag === null) {
      ctx.addIssue({ code: 'custom', message: `'${v}' is not a locale such as en-GB or it-IT` });
      return z.NEVER;
    }
    return tag;
  });

const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, { error: (issue) => `'${String(issue.input)}' is not an IANA time zone such as Europe/Rome` });

export const preferencesSchema = z
  .object({
    /** The words of the web app (i18next); e.g. `en`. */
    language: languageSchema.optional(),
    /** How dates and numbers are written; e.g. `en-GB`. */
    locale: localeSchema.optional(),
    /** Where dates are shown; an IANA name such as `Europe/Rome`. */
    timeZone: timeZoneSchema.optional(),
  })
  .strict();

export type Preferences = z.output<typeof preferencesSchema>;
