// Tools → Feature codes: the `featureCodes` group of the node's settings (GET/PATCH /api/settings).
// Only the codes that changed are sent; the server checks the group as a whole (shape, equal codes,
// a code that begins another) and each refusal lands next to its code. The save carries the version
// read (If-Match), as the Settings page's does: after someone else's save the page says so and
// offers to reload theirs or overwrite it.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DIALLED_FEATURES, FEATURES_WITH_EXTENSION, IN_CALL_FEATURES, type Feature, type FeatureCodes } from '../../../../contracts/feature-codes.ts';
import { describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { Field, FormError, formErrorsOf, NO_ERRORS, SaveFooter } from '../kit/forms.tsx';
import { useApiMutation } from '../kit/query.tsx';
import { isStaleEdit, StaleSave, useVersioned, type Versioned } from '../kit/versioned.tsx';
import { PageHeader } from '../kit/crud.tsx';
import './chat-tools.css';

const PATH = '/api/settings';
const fieldOf = (feature: Feature) => `featureCodes.${feature}`;
const FORM_FIELDS = [...DIALLED_FEATURES, ...IN_CALL_FEATURES].map(fieldOf);

interface WithFeatureCodes {
  readonly featureCodes: FeatureCodes;
}

export function FeatureCodesPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const toast = useToast();
  const current = useVersioned<WithFeatureCodes>(PATH);
  const loaded = current.loaded?.body;
  const mayEdit = can(account, 'settings', 'edit');
  const [draft, setDraft] = useState<FeatureCodes | null>(null);
  const save = useApiMutation((api, s: { featureCodes: Partial<FeatureCodes>; etag: string | null }) => api.patch<WithFeatureCodes>(PATH, { featureCodes: s.featureCodes }, s.etag), [PATH]);
  useEffect(() => {
    if (loaded !== undefined && draft === null) setDraft(loaded.featureCodes);
  }, [loaded, draft]);
  const errors = isStaleEdit(save.error) ? NO_ERRORS : formErrorsOf(save.error, FORM_FIELDS);

  const send = (overwrite: boolean) => {
    if (loaded === undefined || draft === null) return;
    save.reset();
    const before = loaded.featureCodes;
    const changed = Object.fromEntries(Object.entries(draft).filter(([feature, code]) => code !== before[feature as Feature]));
    save.mutate(
      { featureCodes: changed, etag: overwrite ? null : (current.loaded?.etag ?? null) },
      {
        onSuccess: (saved: Versioned<WithFeatureCodes>) => {
          current.setLoaded(saved);
          setDraft(saved.body.featureCodes);
          toast('success', t('featureCodes.saved_toast'));
        },
      },
    );
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send(false);
  };
  // Someone else saved first: start over from their codes.
  const reload = () => void current.reload().then((fresh) => fresh && setDraft(fresh.body.featureCodes));
  const code = (feature: Feature) => {
    const example = FEATURES_WITH_EXTENSION.has(feature as (typeof DIALLED_FEATURES)[number]) ? `${draft?.[feature] ?? ''}1001` : (draft?.[feature] ?? '');
    return (
      <Field key={feature} label={t(`featureCodes.codes.${feature}.label`)} hint={`${t(`featureCodes.codes.${feature}.help`)} ${t('featureCodes.example', { example })}`} error={errors.fields[fieldOf(feature)]}>
        {(props) => (
          <input
            {...props}
            name={fieldOf(feature)}
            className="feature-code-input"
            autoComplete="off"
            spellCheck={false}
            value={draft?.[feature] ?? ''}
            // Read-only rather than disabled: the codes stay focusable and copyable for those who only read them.
            readOnly={!mayEdit}
            onChange={(e) => setDraft((d) => (d === null ? d : { ...d, [feature]: e.target.value.trim() }))}
          />
        )}
      </Field>
    );
  };

  return (
    <div className="page" data-testid="feature-codes-page">
      <PageHeader title={t('featureCodes.title')} intro={t('featureCodes.intro')} />
      {current.error ? <FormError message={describeError(current.error)} /> : null}
      {mayEdit ? null : <p className="muted">{t('featureCodes.readOnly')}</p>}
      {draft === null ? null : (
        <form className="form-stack admin-settings-form" onSubmit={submit} aria-label={t('featureCodes.title')} noValidate>
          <StaleSave save={save} onReload={reload} onOverwrite={() => send(true)} />
          <fieldset className="admin-fieldset">
            <legend>{t('featureCodes.dialled')}</legend>
            <p className="muted">{t('featureCodes.dialledHelp')}</p>
            {DIALLED_FEATURES.map(code)}
          </fieldset>
          <fieldset className="admin-fieldset">
            <legend>{t('featureCodes.inCall')}</legend>
            <p className="muted">{t('featureCodes.inCallHelp')}</p>
            <p className="muted" data-testid="in-call-limit">
              {t('featureCodes.inCallLimit')}
            </p>
            {IN_CALL_FEATURES.map(code)}
          </fieldset>
          <SaveFooter error={errors.form} mayEdit={mayEdit} busy={save.isPending} label={t('featureCodes.save')} />
        </form>
      )}
    </div>
  );
}
