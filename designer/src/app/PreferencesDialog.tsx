// The signed-in user's own language, formats and time zone (PUT /api/me/preferences, any role), and
// the same fields in the Users page's form, where administrators set them for someone else.
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FormDialog } from '../admin/kit/FormDialog.tsx';
import { checkAgainst, Field, FormError, formErrorsOf, NO_ERRORS, type FormErrors } from '../admin/kit/forms.tsx';
import { browserLocale, formatDateTime, formatNumber } from '../admin/kit/format.ts';
import { resources } from '../i18n/index.ts';
import { useToast } from '../ui/Toasts.tsx';
import { preferencesSchema, type Preferences } from '../../../contracts/preferences.ts';
import { useSession } from './session.tsx';

/** The fields as typed: '' follows the browser. */
export interface PreferencesDraft {
  readonly language: string;
  readonly locale: string;
  readonly timeZone: string;
}

export const draftOfPreferences = (p: Preferences | undefined): PreferencesDraft => ({ language: p?.language ?? '', locale: p?.locale ?? '', timeZone: p?.timeZone ?? '' });

/** What the API takes: the fields chosen, the browser defaults left out. */
export function preferencesOfDraft(d: PreferencesDraft): Record<string, string> {
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v !== ''));
}

// Formats people commonly pick; one set through the API that is not here is still offered.
const COMMON_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-CA', 'en-IE', 'en-IN', 'it-IT', 'fr-FR', 'de-DE', 'es-ES', 'es-MX', 'pt-PT', 'pt-BR', 'nl-NL', 'sv-SE', 'pl-PL', 'ja-JP', 'zh-CN'];

function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

function withCurrent(options: readonly string[], current: string): readonly string[] {
  return current === '' || options.includes(current) ? options : [current, ...options];
}

/** Language, format and time zone selects, each with "browser default" first; `prefix` names the API's fields ('preferences.'). */
export function PreferencesFields({ value, onChange, errors, prefix = '' }: { value: PreferencesDraft; onChange: (next: PreferencesDraft) => void; errors: FormErrors; prefix?: string }) {
  const { t, i18n } = useTranslation();
  const browser = browserLocale();
  const zones = useMemo(timeZones, []);
  const names = useMemo(() => new Intl.DisplayNames([i18n.language, 'en'], { type: 'language' }), [i18n.language]);
  const nameOf = (tag: string) => {
    try {
      return `${names.of(tag) ?? tag} (${tag})`;
    } catch {
      return tag;
    }
  };
  const set = (key: keyof PreferencesDraft, v: string) => onChange({ ...value, [key]: v });
  const shown = { locale: value.locale || browser.locale, timeZone: value.timeZone || browser.timeZone };
  const example = t('preferences.example', { date: formatDateTime(new Date(), shown), number: formatNumber(1234567.89, shown) });
  const languages = Object.keys(resources);
  return (
    <>
      <Field label={t('preferences.language')} error={errors.fields[`${prefix}language`]}>
        {(props) => (
          <select {...props} name="language" value={value.language} onChange={(e) => set('language', e.target.value)}>
            <option value="">{t('preferences.browserDefault', { value: nameOf(navigator.language) })}</option>
            {withCurrent(languages, value.language).map((l) => (
              <option key={l} value={l}>
                {l in resources ? t(`preferences.languages.${l as keyof typeof resources}`) : l}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('preferences.locale')} error={errors.fields[`${prefix}locale`]} hint={example}>
        {(props) => (
          <select {...props} name="locale" value={value.locale} onChange={(e) => set('locale', e.target.value)}>
            <option value="">{t('preferences.browserDefault', { value: nameOf(browser.locale) })}</option>
            {withCurrent(COMMON_LOCALES, value.locale).map((l) => (
              <option key={l} value={l}>
                {nameOf(l)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('preferences.timeZone')} error={errors.fields[`${prefix}timeZone`]}>
        {(props) => (
          <select {...props} name="timeZone" value={value.timeZone} onChange={(e) => set('timeZone', e.target.value)}>
            <option value="">{t('preferences.browserDefault', { value: browser.timeZone })}</option>
            {withCurrent(zones, value.timeZone).map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}

const FIELDS = ['language', 'locale', 'timeZone'];

export function PreferencesDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { api, account, setPreferences } = useSession();
  const toast = useToast();
  const [draft, setDraft] = useState(() => draftOfPreferences(account.preferences));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const checked = checkAgainst(preferencesSchema, preferencesOfDraft(draft));
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setBusy(true);
    api.put<{ preferences: Preferences }>('/api/me/preferences', checked.data).then(
      (answer) => {
        setPreferences(answer.preferences);
        toast('success', t('preferences.saved_toast'));
        onClose();
      },
      (error: unknown) => {
        setErrors(formErrorsOf(error, FIELDS));
        setBusy(false);
      },
    );
  };

  return (
    <FormDialog title={t('preferences.title')} onClose={onClose} testId="preferences-dialog" formId="preferences-form" submitLabel={t('preferences.save')} submitDisabled={busy}>
      <form id="preferences-form" className="form-stack" onSubmit={onSubmit} noValidate aria-label={t('preferences.title')}>
        <p className="muted">{t('preferences.intro')}</p>
        <PreferencesFields value={draft} onChange={setDraft} errors={errors} />
        <FormError message={errors.form} />
      </form>
    </FormDialog>
  );
}
