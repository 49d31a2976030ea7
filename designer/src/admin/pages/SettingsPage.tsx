// Tools → Settings: the node's global settings (GET/PATCH /api/settings): sign-in security (the
// security suite, lockout, the per-address limit, reset links) and the general ones. Only what
// changed is sent; the server checks every value and each refusal lands next to its field.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { Field, FormError, formErrorsOf, SaveFooter } from '../kit/forms.tsx';
import { useApiMutation, useApiQuery } from '../kit/query.tsx';
import { PageHeader } from '../kit/crud.tsx';
import { draftOf, FORM_FIELDS, SECURITY_NUMBERS, settingsPatch, type Draft, type NodeSettings, type NumberKey } from './settings-form.ts';
import './chat-tools.css';

const PATH = '/api/settings';

export function SettingsPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const toast = useToast();
  const loaded = useApiQuery<NodeSettings>(PATH);
  const mayEdit = can(account, 'settings', 'edit');
  const [draft, setDraft] = useState<Draft | null>(null);
  const save = useApiMutation((api, patch: Record<string, unknown>) => api.request<NodeSettings>('PATCH', PATH, patch), [PATH]);
  useEffect(() => {
    if (loaded.data !== undefined && draft === null) setDraft(draftOf(loaded.data));
  }, [loaded.data, draft]);
  const errors = formErrorsOf(save.error, FORM_FIELDS);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (loaded.data === undefined || draft === null) return;
    save.mutate(settingsPatch(loaded.data, draft), {
      onSuccess: (saved) => {
        setDraft(draftOf(saved));
        toast('success', t('settingsPage.saved_toast'));
      },
    });
  };
  const number = (key: NumberKey) => (
    <Field key={key} label={t(`settingsPage.${key}`)} error={errors.fields[key]}>
      {(props) => <input {...props} name={key} inputMode="numeric" value={String(draft?.[key] ?? '')} disabled={!mayEdit} onChange={(e) => setDraft((d) => (d === null ? d : { ...d, [key]: e.target.value }))} />}
    </Field>
  );

  return (
    <div className="page" data-testid="settings-page">
      <PageHeader title={t('settingsPage.title')} intro={t('settingsPage.intro')} />
      {loaded.error ? <FormError message={describeError(loaded.error)} /> : null}
      {mayEdit ? null : <p className="muted">{t('settingsPage.readOnly')}</p>}
      {draft === null ? null : (
        <form className="form-stack admin-settings-form" onSubmit={submit} aria-label={t('settingsPage.title')} noValidate>
          <fieldset className="admin-fieldset">
            <legend>{t('settingsPage.security')}</legend>
            <label className="check">
              <input type="checkbox" name="securitySuite" checked={draft.securitySuite === true} disabled={!mayEdit} onChange={(e) => setDraft({ ...draft, securitySuite: e.target.checked })} />
              {t('settingsPage.securitySuite')}
            </label>
            {errors.fields.securitySuite ? <FormError message={errors.fields.securitySuite} /> : null}
            {SECURITY_NUMBERS.map(number)}
          </fieldset>
          <fieldset className="admin-fieldset">
            <legend>{t('settingsPage.general')}</legend>
            {number('maxOpenTabs')}
            <Field label={t('settingsPage.spyFeatureCode')} error={errors.fields.spyFeatureCode}>
              {(props) => <input {...props} name="spyFeatureCode" value={String(draft.spyFeatureCode)} disabled={!mayEdit} onChange={(e) => setDraft({ ...draft, spyFeatureCode: e.target.value })} />}
            </Field>
          </fieldset>
          <SaveFooter error={errors.form} mayEdit={mayEdit} busy={save.isPending} label={t('settingsPage.save')} />
        </form>
      )}
    </div>
  );
}
