// English strings of one part of the web app (see ../en.ts, which gathers the parts).
export const preferences = {
  open: 'Preferences',
  title: 'Your preferences',
  intro: 'The language of the web app, how dates and numbers are written, and the time zone dates are shown in. Left on the browser default, each follows this browser.',
  legend: 'Language, formats and time zone',
  language: 'Language',
  languages: { en: 'English' },
  locale: 'Date and number format',
  timeZone: 'Time zone',
  browserDefault: 'Browser default ({{value}})',
  example: 'Example: {{date}} · {{number}}',
  save: 'Save preferences',
  saved_toast: 'Preferences saved.',
} as const;
