// The one message catalogue (i18next + react-i18next). Resources are bundled, so initialisation is
// synchronous and the first render already has its words; the language follows the browser and
// falls back to English. Adding a language: a file like en.ts typed `Catalogue`, listed below.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';

export const resources = { en: { translation: en } } as const;

// React escapes what it renders; i18next escaping on top would show `&amp;` in names.
void i18next.use(initReactI18next).init({
  resources,
  lng: typeof navigator === 'undefined' ? 'en' : navigator.language,
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  initAsync: false,
});

export { i18next };
