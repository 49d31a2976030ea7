// One chat website's settings (PATCH /api/chat/websites/:id): appearance, allowed origins, the
// proactive invitation, the pre-chat and offline forms and canned answers, beside the live preview of
// the widget and the snippet to paste into the site; its dispositions are the catalogue's (Tools →
// Dispositions), listed here with a link there. The draft is checked with the API's own schema
// (contracts/chat.ts) before it is sent, and the server validates the whole website again; each
// refusal comes with its path ('appearance.color', 'onlineForm.0.name') and is shown next to that
// input. Saves send the version read (If-Match): someone else's save in between is reported, with
// reload or overwrite.
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldType, FormField, WidgetConfig } from '../../../../contracts/chat-widget.ts';
import { websitePatchSchema } from '../../../../contracts/chat.ts';
import { describeError } from '../../api/client.ts';
import { useToast } from '../../ui/Toasts.tsx';
import { checkAgainst, Field, FormError, formErrorsOf, NO_ERRORS, SaveFooter, type FormErrors } from '../kit/forms.tsx';
import { isStaleEdit, StaleSave } from '../kit/versioned.tsx';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { AppLink } from '../../ui/AppLink.tsx';
import { useApiMutation, useApiQuery } from '../kit/query.tsx';
import { WidgetPreview } from './WidgetPreview.tsx';

/** GET /api/chat/websites/:id (what this page reads of it). */
export interface ChatWebsite {
  readonly id: number;
  readonly name: string;
  readonly key: string;
  readonly projectId: string | null;
  readonly queueId: number | null;
  readonly allowedOrigins: string[];
  readonly appearance: { title: string; greeting: string; color: string; position: 'right' | 'left' };
  readonly proactive: { afterSeconds: number | null; onMouseOver: boolean };
  readonly onlineForm: FormField[];
  readonly offlineForm: { enabled: boolean; title: string; fields: FormField[] };
  readonly cannedAnswers: { title: string; text: string }[];
  readonly maxFileBytes: number;
  readonly allowedFileTypes: string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const WEBSITES = '/api/chat/websites';
const FIELD_TYPES: readonly FieldType[] = ['text', 'email', 'tel'];

interface Draft {
  name: string;
  projectId: string;
  queueId: string;
  title: string;
  greeting: string;
  color: string;
  position: 'right' | 'left';
  origins: string;
  afterSeconds: string;
  onMouseOver: boolean;
  onlineForm: FormField[];
  offlineEnabled: boolean;
  offlineTitle: string;
  offlineFields: FormField[];
  canned: { title: string; text: string }[];
}

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

export function draftOf(w: ChatWebsite): Draft {
  return {
    name: w.name,
    projectId: w.projectId ?? '',
    queueId: w.queueId === null ? '' : String(w.queueId),
    title: w.appearance.title,
    greeting: w.appearance.greeting,
    color: w.appearance.color,
    position: w.appearance.position,
    origins: w.allowedOrigins.join('\n'),
    afterSeconds: w.proactive.afterSeconds === null ? '' : String(w.proactive.afterSeconds),
    onMouseOver: w.proactive.onMouseOver,
    onlineForm: w.onlineForm,
    offlineEnabled: w.offlineForm.enabled,
    offlineTitle: w.offlineForm.title,
    offlineFields: w.offlineForm.fields,
    canned: w.cannedAnswers,
  };
}

/** The PATCH body: every section the form edits, whole (the server merges and checks them). */
export function patchOf(d: Draft): Record<string, unknown> {
  const after = d.afterSeconds.trim();
  return {
    name: d.name,
    projectId: d.projectId === '' ? null : d.projectId,
    queueId: d.queueId === '' ? null : Number(d.queueId),
    appearance: { title: d.title, greeting: d.greeting, color: d.color, position: d.position },
    allowedOrigins: lines(d.origins),
    // Empty: never by itself; a number as a number; anything else as typed, for the server to name.
    proactive: { afterSeconds: after === '' ? null : /^\d+$/.test(after) ? Number(after) : after, onMouseOver: d.onMouseOver },
    onlineForm: d.onlineForm,
    offlineForm: { enabled: d.offlineEnabled, title: d.offlineTitle, fields: d.offlineFields },
    cannedAnswers: d.canned,
  };
}

/** What the widget would receive from the node once the draft is saved. */
export function previewConfigOf(d: Draft, w: ChatWebsite): WidgetConfig {
  return {
    title: d.title,
    greeting: d.greeting,
    color: d.color,
    position: d.position,
    // The preview opens at once: no timer, no hover.
    proactive: { afterSeconds: null, onMouseOver: false },
    onlineForm: d.onlineForm,
    offlineForm: { enabled: d.offlineEnabled, title: d.offlineTitle, fields: d.offlineFields },
    maxFileBytes: w.maxFileBytes,
    allowedFileTypes: w.allowedFileTypes,
  };
}

/** Every path the server may name for this draft, so each error finds its input. */
function formPaths(d: Draft): string[] {
  const paths = ['name', 'projectId', 'queueId', 'appearance.title', 'appearance.greeting', 'appearance.color', 'appearance.position', 'proactive.afterSeconds', 'proactive.onMouseOver', 'offlineForm.title', 'offlineForm.enabled', 'allowedOrigins', 'cannedAnswers'];
  lines(d.origins).forEach((_, i) => paths.push(`allowedOrigins.${i}`));
  const rows = (prefix: string, n: number, props: readonly string[]) => {
    for (let i = 0; i < n; i++) for (const p of props) paths.push(`${prefix}.${i}.${p}`);
  };
  rows('onlineForm', d.onlineForm.length, ['name', 'label', 'type', 'required']);
  rows('offlineForm.fields', d.offlineFields.length, ['name', 'label', 'type', 'required']);
  rows('cannedAnswers', d.canned.length, ['title', 'text']);
  return paths;
}

/** The first error under a list's path ('allowedOrigins', 'allowedOrigins.2'), for its one textarea. */
const firstUnder = (fields: Readonly<Record<string, string>>, prefix: string): string | undefined => {
  const key = Object.keys(fields).find((k) => k === prefix || k.startsWith(`${prefix}.`));
  if (key === undefined) return undefined;
  const index = key.slice(prefix.length + 1);
  return index === '' ? fields[key] : `${Number(index) + 1}: ${fields[key]}`;
};

export function WebsiteEditor({ website, mayEdit, onClose }: { website: ChatWebsite; mayEdit: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const { api } = useSession();
  const [draft, setDraft] = useState<Draft>(() => draftOf(website));
  // The version the draft was read at: the ETag the server gives is the update time in milliseconds.
  const [version, setVersion] = useState<string | null>(() => `"${Date.parse(website.updatedAt)}"`);
  const [local, setLocal] = useState<FormErrors | null>(null);
  const save = useApiMutation(
    async (api, input: { body: Record<string, unknown>; ifMatch: string | null }) => (await api.patch<ChatWebsite>(`${WEBSITES}/${website.id}`, input.body, input.ifMatch)).body,
    [WEBSITES],
  );
  const errors = local ?? (isStaleEdit(save.error) ? NO_ERRORS : formErrorsOf(save.error, formPaths(draft)));
  const config = useMemo(() => previewConfigOf(draft, website), [draft, website]);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const send = (ifMatch: string | null) => {
    save.reset();
    const checked = checkAgainst(websitePatchSchema, patchOf(draft));
    setLocal(checked.ok ? null : checked.errors);
    if (!checked.ok) return;
    save.mutate(
      { body: patchOf(draft), ifMatch },
      {
        onSuccess: (saved) => {
          setVersion(`"${Date.parse(saved.updatedAt)}"`);
          toast('success', t('websites.saved_toast', { name: saved.name }));
        },
      },
    );
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send(version);
  };
  const reload = async () => {
    const fresh = await api.getVersioned<ChatWebsite>(`${WEBSITES}/${website.id}`);
    setDraft(draftOf(fresh.body));
    setVersion(fresh.etag);
  };

  return (
    <div className="website-workspace" data-testid="website-editor">
      <form className="form-stack" onSubmit={submit} aria-labelledby="website-editor-title" noValidate>
        <div className="row-gap" style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
          <h2 id="website-editor-title">{t('websites.editTitle', { name: website.name })}</h2>
          <button type="button" className="btn btn-sm" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
        <fieldset className="admin-fieldset" disabled={!mayEdit}>
          <legend>{t('websites.sections.appearance')}</legend>
          <Field label={t('common.name')} error={errors.fields.name} required>
            {(props) => <input {...props} name="name" value={draft.name} onChange={(e) => set('name', e.target.value)} />}
          </Field>
          <Field label={t('websites.title_')} error={errors.fields['appearance.title']}>
            {(props) => <input {...props} name="title" value={draft.title} onChange={(e) => set('title', e.target.value)} />}
          </Field>
          <Field label={t('websites.greeting')} error={errors.fields['appearance.greeting']}>
            {(props) => <textarea {...props} name="greeting" rows={2} value={draft.greeting} onChange={(e) => set('greeting', e.target.value)} />}
          </Field>
          <div className="website-colour">
            <Field label={t('websites.color')} error={errors.fields['appearance.color']}>
              {(props) => <input {...props} type="color" name="color" value={draft.color} onChange={(e) => set('color', e.target.value)} />}
            </Field>
            <span className="mono small" aria-hidden>
              {draft.color}
            </span>
            <Field label={t('websites.position')} error={errors.fields['appearance.position']}>
              {(props) => (
                <select {...props} name="position" value={draft.position} onChange={(e) => set('position', e.target.value === 'left' ? 'left' : 'right')}>
                  <option value="right">{t('websites.positions.right')}</option>
                  <option value="left">{t('websites.positions.left')}</option>
                </select>
              )}
            </Field>
          </div>
        </fieldset>

        <fieldset className="admin-fieldset" disabled={!mayEdit}>
          <legend>{t('websites.sections.origins')}</legend>
          <Field label={t('websites.originsField')} hint={t('websites.originsHint')} error={firstUnder(errors.fields, 'allowedOrigins')}>
            {(props) => <textarea {...props} name="origins" rows={3} value={draft.origins} onChange={(e) => set('origins', e.target.value)} />}
          </Field>
        </fieldset>

        <RoutingFields draft={draft} errors={errors.fields} disabled={!mayEdit} onChange={(key, value) => set(key, value)} />

        <fieldset className="admin-fieldset" disabled={!mayEdit}>
          <legend>{t('websites.sections.proactive')}</legend>
          <Field label={t('websites.afterSeconds')} hint={t('websites.afterSecondsHint')} error={errors.fields['proactive.afterSeconds']}>
            {(props) => <input {...props} name="afterSeconds" inputMode="numeric" value={draft.afterSeconds} onChange={(e) => set('afterSeconds', e.target.value)} />}
          </Field>
          <label className="check">
            <input type="checkbox" checked={draft.onMouseOver} onChange={(e) => set('onMouseOver', e.target.checked)} />
            {t('websites.onMouseOver')}
          </label>
        </fieldset>

        <FieldsEditor form={t('websites.sections.prechat')} prefix="onlineForm" fields={draft.onlineForm} errors={errors.fields} disabled={!mayEdit} onChange={(f) => set('onlineForm', f)} />

        <fieldset className="admin-fieldset" disabled={!mayEdit}>
          <legend>{t('websites.sections.offline')}</legend>
          <label className="check">
            <input type="checkbox" checked={draft.offlineEnabled} onChange={(e) => set('offlineEnabled', e.target.checked)} />
            {t('websites.offlineEnabled')}
          </label>
          <Field label={t('websites.offlineTitle')} error={errors.fields['offlineForm.title']}>
            {(props) => <input {...props} name="offlineTitle" value={draft.offlineTitle} onChange={(e) => set('offlineTitle', e.target.value)} />}
          </Field>
        </fieldset>
        <FieldsEditor form={t('websites.sections.offline')} prefix="offlineForm.fields" fields={draft.offlineFields} errors={errors.fields} disabled={!mayEdit} onChange={(f) => set('offlineFields', f)} />

        <CannedAnswersEditor answers={draft.canned} errors={errors.fields} disabled={!mayEdit} onChange={(c) => set('canned', c)} />

        <WebsiteDispositions websiteId={website.id} />

        <StaleSave save={save} onReload={() => void reload()} onOverwrite={() => send(null)} />
        <SaveFooter error={errors.form} mayEdit={mayEdit} busy={save.isPending} label={t('websites.save')} />
      </form>
      <div className="website-side">
        <Snippet websiteId={website.id} />
        <WidgetPreview config={config} />
      </div>
    </div>
  );
}

/**
 * The website's own dispositions (its trees in the catalogue, as agents' desks read them) and the way
 * to Tools → Dispositions filtered on it, for whoever may open that page.
 */
function WebsiteDispositions({ websiteId }: { websiteId: number }) {
  const { t } = useTranslation();
  const { account } = useSession();
  const list = useApiQuery<string[]>(`${WEBSITES}/${websiteId}/dispositions`);
  return (
    <section className="admin-fieldset" aria-labelledby="website-dispositions-title" data-testid="website-dispositions">
      <h3 id="website-dispositions-title">{t('dispositions.ofWebsite')}</h3>
      <p className="muted small">{t('dispositions.ofWebsiteHint')}</p>
      {list.data && list.data.length > 0 ? (
        <ul>
          {list.data.map((path) => (
            <li key={path}>{path}</li>
          ))}
        </ul>
      ) : (
        <p className="muted small">{t('dispositions.noneForWebsite')}</p>
      )}
      {can(account, 'settings', 'read') ? <AppLink href={`/admin/tools/dispositions?scope=website&websiteId=${websiteId}`}>{t('dispositions.manage')}</AppLink> : null}
    </section>
  );
}

/** A chat project as GET /api/ivr/projects?channel=chat lists it. */
interface ChatProjectRow {
  readonly id: string;
  readonly name: string;
  readonly publishedVersion: number | null;
}

/** Which chat flow a new chat runs, and the chat queue it waits in without one. */
function RoutingFields({ draft, errors, disabled, onChange }: { draft: Draft; errors: Readonly<Record<string, string>>; disabled: boolean; onChange: (key: 'projectId' | 'queueId', value: string) => void }) {
  const { t } = useTranslation();
  const projects = useApiQuery<ChatProjectRow[]>('/api/ivr/projects?channel=chat');
  const queues = useApiQuery<{ id: number; name: string }[]>('/api/queues?channel=chat');
  return (
    <fieldset className="admin-fieldset" disabled={disabled}>
      <legend>{t('websiteRouting.legend')}</legend>
      <Field label={t('websiteRouting.flow')} hint={t('websiteRouting.flowHint')} error={errors.projectId}>
        {(props) => (
          <select {...props} name="projectId" value={draft.projectId} onChange={(e) => onChange('projectId', e.target.value)}>
            <option value="">{t('websiteRouting.none')}</option>
            {(projects.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.publishedVersion === null ? t('websiteRouting.unpublished', { name: p.name }) : p.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('websiteRouting.queue')} hint={t('websiteRouting.queueHint')} error={errors.queueId}>
        {(props) => (
          <select {...props} name="queueId" value={draft.queueId} onChange={(e) => onChange('queueId', e.target.value)}>
            <option value="">{t('websiteRouting.none')}</option>
            {(queues.data ?? []).map((q) => (
              <option key={q.id} value={String(q.id)}>
                {q.name}
              </option>
            ))}
          </select>
        )}
      </Field>
    </fieldset>
  );
}

const NEW_FIELD: FormField = { name: '', label: '', type: 'text', required: false };

/** The fields of a visitor form (pre-chat or offline): name, label, type, required; add and remove. */
function FieldsEditor({ form, prefix, fields, errors, disabled, onChange }: { form: string; prefix: string; fields: FormField[]; errors: Readonly<Record<string, string>>; disabled: boolean; onChange: (next: FormField[]) => void }) {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<FormField>) => onChange(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <fieldset className="admin-fieldset" disabled={disabled}>
      <legend>{t('websites.fields.legend', { form })}</legend>
      {fields.length === 0 ? <p className="muted small">{t('websites.fields.none')}</p> : null}
      <ul className="website-rows">
        {fields.map((f, i) => (
          <li key={i} className="website-row">
            <Field label={t('websites.fields.name')} error={errors[`${prefix}.${i}.name`]} required>
              {(props) => <input {...props} value={f.name} onChange={(e) => update(i, { name: e.target.value })} />}
            </Field>
            <Field label={t('websites.fields.label')} error={errors[`${prefix}.${i}.label`]} required>
              {(props) => <input {...props} value={f.label} onChange={(e) => update(i, { label: e.target.value })} />}
            </Field>
            <Field label={t('websites.fields.type')} error={errors[`${prefix}.${i}.type`]}>
              {(props) => (
                <select {...props} value={f.type} onChange={(e) => update(i, { type: FIELD_TYPES.find((type) => type === e.target.value) ?? 'text' })}>
                  {FIELD_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {t(`websites.fields.types.${type}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <label className="check" style={{ marginTop: 22 }}>
              <input type="checkbox" checked={f.required} onChange={(e) => update(i, { required: e.target.checked })} />
              {t('websites.fields.required')}
            </label>
            <button type="button" className="btn btn-sm btn-danger-text" onClick={() => onChange(fields.filter((_, j) => j !== i))} aria-label={t('websites.fields.remove', { name: f.label || f.name || String(i + 1) })}>
              ✕
            </button>
          </li>
        ))}
      </ul>
      <div>
        <button type="button" className="btn btn-sm" onClick={() => onChange([...fields, NEW_FIELD])}>
          {t('websites.fields.add')}
        </button>
      </div>
    </fieldset>
  );
}

function CannedAnswersEditor({ answers, errors, disabled, onChange }: { answers: { title: string; text: string }[]; errors: Readonly<Record<string, string>>; disabled: boolean; onChange: (next: { title: string; text: string }[]) => void }) {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<{ title: string; text: string }>) => onChange(answers.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  return (
    <fieldset className="admin-fieldset" disabled={disabled}>
      <legend>{t('websites.sections.canned')}</legend>
      {answers.length === 0 ? <p className="muted small">{t('websites.canned.none')}</p> : null}
      <ul className="website-rows">
        {answers.map((a, i) => (
          <li key={i} className="website-row">
            <Field label={t('websites.canned.title')} error={errors[`cannedAnswers.${i}.title`]} required>
              {(props) => <input {...props} value={a.title} onChange={(e) => update(i, { title: e.target.value })} />}
            </Field>
            <Field label={t('websites.canned.text')} error={errors[`cannedAnswers.${i}.text`]} required>
              {(props) => <textarea {...props} rows={2} value={a.text} onChange={(e) => update(i, { text: e.target.value })} />}
            </Field>
            <button type="button" className="btn btn-sm btn-danger-text" onClick={() => onChange(answers.filter((_, j) => j !== i))} aria-label={t('websites.canned.remove', { title: a.title || String(i + 1) })}>
              ✕
            </button>
          </li>
        ))}
      </ul>
      <div>
        <button type="button" className="btn btn-sm" onClick={() => onChange([...answers, { title: '', text: '' }])}>
          {t('websites.canned.add')}
        </button>
      </div>
    </fieldset>
  );
}

/** The tag to paste into the site (GET …/snippet, with this node's public address) and a copy button. */
function Snippet({ websiteId }: { websiteId: number }) {
  const { t } = useTranslation();
  const snippet = useApiQuery<{ snippet: string }>(`${WEBSITES}/${websiteId}/snippet`);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () => {
    const text = snippet.data?.snippet;
    if (text === undefined) return;
    navigator.clipboard.writeText(text).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };
  return (
    <section className="admin-fieldset" aria-labelledby="website-snippet-title">
      <h2 id="website-snippet-title" className="small">
        {t('websites.sections.snippet')}
      </h2>
      <p className="muted small">{t('websites.snippetHint')}</p>
      {snippet.error ? <FormError message={describeError(snippet.error)} /> : null}
      <pre className="website-snippet" data-testid="website-snippet">
        <code>{snippet.data?.snippet ?? ''}</code>
      </pre>
      <div className="row-gap" style={{ display: 'flex', alignItems: 'center' }}>
        <button type="button" className="btn btn-sm" onClick={copy} disabled={snippet.data === undefined}>
          {t('websites.copy')}
        </button>
        <span className="small" role="status" data-testid="snippet-copied">
          {copied === 'yes' ? t('websites.copied') : copied === 'failed' ? t('websites.copyFailed') : ''}
        </span>
      </div>
    </section>
  );
}
