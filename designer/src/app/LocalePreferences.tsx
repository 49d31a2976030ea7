// Applies the signed-in account's preferences to the whole app: the formats and time zone every date
// and number of admin pages, the desktop and the board is written in (admin/kit/format.ts), and the
// catalogue's language (i18next). What the account leaves out follows the browser.
import { useEffect, useMemo, type ReactNode } from 'react';
import { i18next } from '../i18n/index.ts';
import { chooseLocale } from '../admin/kit/format.ts';
import type { Preferences } from '../../../contracts/preferences.ts';

const browserLanguage = () => (typeof navigator === 'undefined' ? 'en' : navigator.language || 'en');

export function LocalePreferences({ preferences, children }: { preferences: Preferences; children: ReactNode }) {
  const { locale, timeZone, language } = preferences;
  // Set while rendering, before the children format anything: an effect would run after they did.
  useMemo(() => chooseLocale({ locale, timeZone }), [locale, timeZone]);
  useEffect(() => () => chooseLocale({}), []);
  useEffect(() => {
    void i18next.changeLanguage(language ?? browserLanguage());
  }, [language]);
  useEffect(
    () => () => {
      void i18next.changeLanguage(browserLanguage());
    },
    [],
  );
  return children;
}
