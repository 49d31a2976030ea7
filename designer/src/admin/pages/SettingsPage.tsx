// Tools → Settings: the node's global settings (GET/PATCH /api/settings): sign-in security (the
// security suite, lockout, the per-address limit, reset links) and the general ones. Only what
// changed is sent, checked first against the API's schema; each refusal lands next to its field.
// The save carries the version read (If-Match): after someone else's save the page says so and
// offers to reload theirs or overwrite it, as the other editors do.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { checkAgainst, Field, FormError, formErrorsOf, NO_ERRORS, SaveFooter, type FormErrors } from '../kit/forms.tsx';
import { useApiMutation } from '../kit/query.tsx';
import { isStaleEdit, StaleSave, useVersioned, type Versioned } from '../kit/versioned.tsx';
import { PageHeader } from '../kit/crud.tsx';
import { settingsPatchSchema } from '../../../../contracts/settings.ts';
import { draftOf, FORM_FIELDS, SECURITY_NUMBERS, settingsPatch, type Draft, type NodeSettings, type NumberKey } from './settings-form.ts';
import './chat-tools.css';

const PATH = '/api/settings';

export function SettingsPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const toast = useToast();
  const current = useVersioned<NodeSettings>(PATH);
  const loaded = current.loaded?.body;
  const mayEdit = can(account, 'settings', 'edit');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [local, setLocal] = useState<FormErrors | null>(null);
  const save = useApiMutation((api, s: { patch: Record<string, unknown>; etag: string | null }) => api.patch<NodeSettings>(PATH, s.patch, s.etag), [PATH]);
  useEffect(() => {
    if (loaded !== undefined && draft === null) setDraft(draftOf(loaded));
  }, [loaded, draft]);
  const errors = local ?? (isStaleEdit(save.error) ? NO_ERRORS : formErrorsOf(save.error, FORM_FIELDS));

  const send = (overwrite: boolean) => {
    if (loaded === undefined || draft === null) return;
    save.reset();
    const patch = settingsPatch(loaded, draft);
    const checked = checkAgainst(settingsPatchSchema, patch);
    setLocal(checked.ok ? null : checked.errors);
    if (!checked.ok) return;
    save.mutate(
      { patch, etag: overwrite ? null : (current.loaded?.etag ?? null) },
      {
        onSuccess: (saved: Versioned<NodeSettings>) => {
          current.setLoaded(saved);
          setDraft(draftOf(saved.body));
          toast('success', t('settingsPage.saved_toast'));
        },
      },
    );
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send(false);
  };
  // Someone else saved first: start over from their settings.
  const reload = () => void current.reload().then((fresh) => fresh && setDraft(draftOf(fresh.body)));
  const number = (key: NumberKey) => (
    <Field key={key} label={t(`settingsPage.${key}`)} error={errors.fields[key]}>
      {(props) => <input {...props} name={key} inputMode="numeric" value={String(draft?.[key] ?? '')} disabled={!mayEdit} onChange={(e) => setDraft((d) => (d === null ? d : { ...d, [key]: e.target.value }))} />}
    </Field>
  );

  return (
    <div className="page" data-testid="settings-page">
      <PageHeader title={t('settingsPage.title')} intro={t('settingsPage.intro')} />
      {current.error ? <FormError message={describeError(current.error)} /> : null}
      {mayEdit ? null : <p className="muted">{t('settingsPage.readOnly')}</p>}
      {draft === null ? null : (
        <form className="form-stack admin-settings-form" onSubmit={submit} aria-label={t('settingsPage.title')} noValidate>
          <StaleSave save={save} onReload={reload} onOverwrite={() => send(true)} />
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
