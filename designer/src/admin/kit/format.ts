// Dates and numbers in the user's locale and time zone (Intl). The signed-in account's preferences
// decide (app/LocalePreferences.tsx sets them here), else the browser; a caller can pass others.
// Formatters are cached: building one is the expensive part.
import { i18next } from '../../i18n/index.ts';

export interface LocaleSettings {
  readonly locale: string;
  readonly timeZone: string;
}

export function browserLocale(): LocaleSettings {
  const resolved = new Intl.DateTimeFormat().resolvedOptions();
  return { locale: typeof navigator === 'undefined' ? resolved.locale : navigator.language || resolved.locale, timeZone: resolved.timeZone };
}

// Module state rather than only a context: every formatting call in pages, tables and toasts takes
// the account's choice without each caller threading it through.
let chosen: Partial<LocaleSettings> = {};

/** The account's locale and time zone, each left undefined to follow the browser. */
export function chooseLocale(settings: Partial<LocaleSettings>): void {
  chosen = settings;
}

/** What formatting uses when the caller passes nothing: the account's choice over the browser's. */
export function currentLocale(): LocaleSettings {
  const browser = browserLocale();
  return { locale: chosen.locale ?? browser.locale, timeZone: chosen.timeZone ?? browser.timeZone };
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let formatter = cache.get(key);
  if (formatter === undefined) {
    formatter = make();
    cache.set(key, formatter);
  }
  return formatter as F;
}

/** A date-time as the API sends it (ISO string) or a Date, in the user's zone; '' for null or invalid. */
export function formatDateTime(value: string | Date | null | undefined, settings: LocaleSettings = currentLocale()): string {
  if (value === null || value === undefined) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return '';
  const formatter = cached(`dt|${settings.locale}|${settings.timeZone}`, () => new Intl.DateTimeFormat(settings.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: settings.timeZone }));
  return formatter.format(date);
}

export function formatNumber(value: number, settings: Pick<LocaleSettings, 'locale'> = currentLocale(), options: Intl.NumberFormatOptions = {}): string {
  const formatter = cached(`n|${settings.locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(settings.locale, options));
  return formatter.format(value);
}

/** A file size for people: 512 B, 1.5 KB, 2.0 MB (units from the catalogue, common.units). */
export function formatBytes(bytes: number, settings: Pick<LocaleSettings, 'locale'> = currentLocale()): string {
  const one = { maximumFractionDigits: 1, minimumFractionDigits: 1 };
  if (bytes < 1024) return i18next.t('common.units.bytes', { value: formatNumber(bytes, settings) });
  if (bytes < 1024 * 1024) return i18next.t('common.units.kilobytes', { value: formatNumber(bytes / 1024, settings, one) });
  return i18next.t('common.units.megabytes', { value: formatNumber(bytes / 1024 / 1024, settings, one) });
}
