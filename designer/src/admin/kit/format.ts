// Dates and numbers in the user's locale and time zone (Intl). The browser tells both; a test or a
// user setting can pass others. Formatters are cached: building one is the expensive part.
export interface LocaleSettings {
  readonly locale: string;
  readonly timeZone: string;
}

export function browserLocale(): LocaleSettings {
  const resolved = new Intl.DateTimeFormat().resolvedOptions();
  return { locale: typeof navigator === 'undefined' ? resolved.locale : navigator.language || resolved.locale, timeZone: resolved.timeZone };
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
export function formatDateTime(value: string | Date | null | undefined, settings: LocaleSettings = browserLocale()): string {
  if (value === null || value === undefined) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return '';
  const formatter = cached(`dt|${settings.locale}|${settings.timeZone}`, () => new Intl.DateTimeFormat(settings.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: settings.timeZone }));
  return formatter.format(date);
}

export function formatNumber(value: number, settings: Pick<LocaleSettings, 'locale'> = browserLocale(), options: Intl.NumberFormatOptions = {}): string {
  const formatter = cached(`n|${settings.locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(settings.locale, options));
  return formatter.format(value);
}
