// Staff → Agents: the create / edit form, grouped as a contact-center admin knows it from XCALLY
// Motion: account, telephony, channels (capacity and auto-answer), queues and teams. The body is
// checked with the API's own schemas (contracts/staff.ts) before it goes, the server's refusals land
// next to their fields, and an edit carries the version it read (If-Match): when someone else saved
// first, the form says so and lets the person reload or overwrite.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AGENT_TYPOLOGIES, type AgentTypology } from '../../../../contracts/agents.ts';
import { CHANNELS } from '../../../../contracts/channels.ts';
import { agentCreateSchema, agentUpdateSchema, setPasswordSchema } from '../../../../contracts/staff.ts';
import { ApiError, type ApiClient } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { checkAgainst, Field, FormError, formErrorsOf, NO_ERRORS, type FormErrors } from '../kit/forms.tsx';
import { useApiMutation, useApiQuery } from '../kit/query.tsx';
import { isStaleEdit, StaleEditNotice } from '../kit/versioned.tsx';
import { setAgentMembership, type QueueRow, type TeamRow } from './agentMembership.ts';
import { AGENT_FORM_FIELDS, createBody, updateBody, valuesOf, type AgentDetail, type AgentValues } from './agent-form.ts';

interface Loaded {
  readonly agent: AgentDetail;
  readonly etag: string | null;
  readonly queueIds: number[];
}

async function loadAgent(api: ApiClient, id: number): Promise<Loaded> {
  const [{ body, etag }, queues] = await Promise.all([api.getVersioned<AgentDetail>(`/api/agents/${id}`), api.get<{ queueId: number }[]>(`/api/agents/${id}/queues`)]);
  return { agent: body, etag, queueIds: queues.map((q) => q.queueId) };
}

/** The dialog: `agentId` null makes a new agent. */
export function AgentForm({ agentId, onClose }: { agentId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const loaded = useQuery<Loaded, ApiError>({
    queryKey: ['agent-form', agentId],
    queryFn: () => loadAgent(api, agentId!),
    enabled: agentId !== null,
    staleTime: Infinity,
    gcTime: 0,
  });
  const teams = useApiQuery<TeamRow[]>('/api/teams');
  const queues = useApiQuery<QueueRow[]>('/api/queues');
  const title = agentId === null ? t('agents.newTitle') : t('agents.editTitle', { name: loaded.data?.agent.fullName ?? '' });
  const ready = (agentId === null || loaded.data !== undefined) && teams.data !== undefined;
  return (
    <Dialog title={title} onClose={onClose} width={780} testId="agent-form-dialog">
      {loaded.error ? <FormError message={loaded.error.message} /> : null}
      {teams.error ? <FormError message={teams.error.message} /> : null}
      {!ready ? (
        <p className="muted" role="status">
          {t('agents.loading')}
        </p>
      ) : (
        <AgentFormBody
          // A reload after a conflict reads a new version: the form starts again from it.
          key={loaded.data?.etag ?? 'new'}
          loaded={loaded.data ?? null}
          teams={teams.data ?? []}
          queues={queues.data ?? []}
          onReload={() => void loaded.refetch()}
          onClose={onClose}
        />
      )}
    </Dialog>
  );
}

function AgentFormBody({
  loaded,
  teams,
  queues,
  onReload,
  onClose,
}: {
  loaded: Loaded | null;
  teams: readonly TeamRow[];
  queues: readonly QueueRow[];
  onReload: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const agent = loaded?.agent ?? null;
  const [values, setValues] = useState<AgentValues>(() =>
    valuesOf(
      agent,
      loaded?.queueIds ?? [],
      agent === null ? [] : teams.filter((team) => team.agentIds.includes(agent.id)).map((team) => team.id),
    ),
  );
  const [local, setLocal] = useState<FormErrors | null>(null);
  const set = <K extends keyof AgentValues>(key: K, value: AgentValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const save = useApiMutation(
    async (api, { body, etag, sent }: { body: Record<string, unknown>; etag: string | null; sent: AgentValues }) => {
      const saved =
        agent === null
          ? await api.post<AgentDetail>('/api/agents', body)
          : (await api.patch<AgentDetail>(`/api/agents/${agent.id}`, body, etag)).body;
      if (agent !== null && sent.password !== '') await api.put(`/api/agents/${agent.id}/password`, { password: sent.password });
      await setAgentMembership(api, saved.id, { before: loaded?.queueIds ?? [], after: sent.queueIds }, { all: teams, after: sent.teamIds });
      return saved;
    },
    ['/api/agents', '/api/teams', '/api/queues', '/api/dependents', '/api/setup'],
  );
  const stale = isStaleEdit(save.error);
  const errors = local ?? (stale ? NO_ERRORS : formErrorsOf(save.error, AGENT_FORM_FIELDS));

  const send = (etag: string | null) => {
    save.reset();
    const checked = check(values, agent);
    setLocal(checked.ok ? null : checked.errors);
    if (!checked.ok) return;
    save.mutate(
      { body: checked.body, etag, sent: values },
      {
        onSuccess: (saved) => {
          toast('success', t(agent === null ? 'agents.created_toast' : 'agents.saved_toast', { name: saved.fullName }));
          onClose();
        },
      },
    );
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send(loaded?.etag ?? null);
  };
  // Overwriting saves over the other change: sent with the version the server says is current now.
  const overwrite = () => {
    const current = save.error instanceof ApiError ? save.error.details.currentVersion : undefined;
    send(typeof current === 'string' ? `"${current}"` : null);
  };

  const err = (field: string) => errors.fields[field];
  const bool = (key: 'hotdesk' | 'maskSensitiveData' | 'chanspy' | 'voicemail' | 'loginInPause' | 'disabled' | 'locked', label: string, disabled = false) => (
    <div className="field">
      <label className="check">
        <input type="checkbox" name={key} checked={values[key]} disabled={disabled} onChange={(e) => set(key, e.target.checked)} aria-invalid={err(key) !== undefined} />
        {label}
      </label>
      {err(key) ? (
        <span className="field-error" data-testid="field-error">
          {err(key)}
        </span>
      ) : null}
    </div>
  );
  const text = (key: 'fullName' | 'alias' | 'username' | 'email' | 'description' | 'extension', label: string, opts: { required?: boolean; hint?: string; type?: string } = {}) => (
    <Field label={label} error={err(key)} required={opts.required ?? false} {...(opts.hint ? { hint: opts.hint } : {})}>
      {(props) => <input {...props} type={opts.type ?? 'text'} name={key} value={values[key]} onChange={(e) => set(key, e.target.value)} />}
    </Field>
  );
  const toggleId = (key: 'queueIds' | 'teamIds', id: number, on: boolean) => set(key, on ? [...values[key], id] : values[key].filter((x) => x !== id));

  return (
    <form className="form-stack" onSubmit={submit} aria-label={agent === null ? t('agents.newTitle') : t('agents.editTitle', { name: agent.fullName })} noValidate data-testid="agent-form">
      {stale ? <StaleEditNotice onReload={onReload} onOverwrite={overwrite} busy={save.isPending} /> : null}
      <fieldset className="field-group">
        <legend>{t('agents.account')}</legend>
        {text('fullName', t('agents.fullName'), { required: true })}
        {text('alias', t('agents.alias'))}
        {agent === null ? (
          text('username', t('agents.username'), { required: true })
        ) : (
          <p>
            {t('agents.username')}: <span className="mono">{agent.username}</span>
          </p>
        )}
        <Field label={agent === null ? t('agents.password') : t('agents.newPassword')} error={err('password')} required={agent === null} {...(agent === null ? {} : { hint: t('agents.newPasswordHint') })}>
          {(props) => <input {...props} type="password" name="password" autoComplete="new-password" value={values.password} onChange={(e) => set('password', e.target.value)} />}
        </Field>
        {text('email', t('agents.email'), { type: 'email' })}
        {text('description', t('common.description'))}
        <Field label={t('agents.pin')} error={err('pin')} hint={agent?.hasPhonePin ? t('agents.pinSet') : t('agents.pinHint')}>
          {(props) => <input {...props} name="pin" inputMode="numeric" autoComplete="off" value={values.pin} disabled={values.removePin} onChange={(e) => set('pin', e.target.value)} />}
        </Field>
        {agent?.hasPhonePin ? (
          <label className="check">
            <input type="checkbox" checked={values.removePin} onChange={(e) => set('removePin', e.target.checked)} />
            {t('agents.removePin')}
          </label>
        ) : null}
        {bool('disabled', t('agents.disabled'))}
        {agent?.locked ? bool('locked', t('agents.locked')) : null}
      </fieldset>

      <fieldset className="field-group">
        <legend>{t('agents.telephony')}</legend>
        <Field label={t('agents.typology')} error={err('typology')} hint={t('agents.dialTargetHint')}>
          {(props) => (
            <select
              {...props}
              name="typology"
              value={values.typology}
              onChange={(e) => {
                const typology = e.target.value as AgentTypology;
                // Hot-desking belongs to external agents only; leaving that typology turns it off.
                setValues((v) => ({ ...v, typology, hotdesk: typology === 'external' ? v.hotdesk : false }));
              }}
            >
              {AGENT_TYPOLOGIES.map((ty) => (
                <option key={ty} value={ty}>
                  {t(`agents.typologies.${ty}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('extension', t('agents.extension'), agent === null ? { hint: t('agents.extensionHint') } : { required: true })}
        {bool('hotdesk', t('agents.hotdesk'), values.typology !== 'external')}
        {bool('maskSensitiveData', t('agents.maskSensitiveData'))}
        {bool('chanspy', t('agents.chanspy'))}
        {bool('voicemail', t('agents.voicemail'))}
        {bool('loginInPause', t('agents.loginInPause'))}
      </fieldset>

      <fieldset className="field-group">
        <legend>{t('agents.channels')}</legend>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('agents.channel')}</th>
              <th scope="col">{t('agents.capacity')}</th>
              <th scope="col">{t('agents.autoAnswer')}</th>
              <th scope="col">{t('agents.delay')}</th>
            </tr>
          </thead>
          <tbody>
            {CHANNELS.map((c) => {
              const capacityError = c === 'voice' ? undefined : err(`capacity.${c}`);
              const answerError = err(`autoAnswer.${c}.delaySeconds`) ?? err(`autoAnswer.${c}`);
              return (
                <tr key={c}>
                  <th scope="row">{c}</th>
                  <td>
                    {c === 'voice' ? (
                      <span className="muted">{t('agents.voiceCapacity')}</span>
                    ) : (
                      <>
                        <input
                          type="number"
                          min={0}
                          name={`capacity.${c}`}
                          aria-label={t('agents.capacityOf', { channel: c })}
                          aria-invalid={capacityError !== undefined}
                          value={values.capacity[c]}
                          onChange={(e) => set('capacity', { ...values.capacity, [c]: e.target.value })}
                        />
                        {capacityError ? (
                          <span className="field-error" data-testid="field-error">
                            {capacityError}
                          </span>
                        ) : null}
                      </>
                    )}
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('agents.autoAnswerOf', { channel: c })}
                      checked={values.autoAnswer[c].enabled}
                      onChange={(e) => set('autoAnswer', { ...values.autoAnswer, [c]: { ...values.autoAnswer[c], enabled: e.target.checked } })}
                    />
                  </td>
                  <td>
                    <input
                      type="number"
                      min={0}
                      aria-label={t('agents.delayOf', { channel: c })}
                      aria-invalid={answerError !== undefined}
                      value={values.autoAnswer[c].delaySeconds}
                      onChange={(e) => set('autoAnswer', { ...values.autoAnswer, [c]: { ...values.autoAnswer[c], delaySeconds: e.target.value } })}
                    />
                    {answerError ? (
                      <span className="field-error" data-testid="field-error">
                        {answerError}
                      </span>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </fieldset>

      <fieldset className="field-group">
        <legend>{t('agents.membership')}</legend>
        <div className="row-gap">
          <fieldset>
            <legend>{t('agents.queues')}</legend>
            {queues.length === 0 ? <p className="muted">{t('agents.noQueues')}</p> : null}
            {queues.map((q) => (
              <label key={q.id} className="check">
                <input type="checkbox" checked={values.queueIds.includes(q.id)} onChange={(e) => toggleId('queueIds', q.id, e.target.checked)} />
                {q.name} <span className="muted small">({q.channel})</span>
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('agents.teams')}</legend>
            {teams.length === 0 ? <p className="muted">{t('agents.noTeams')}</p> : null}
            {teams.map((team) => (
              <label key={team.id} className="check">
                <input type="checkbox" checked={values.teamIds.includes(team.id)} onChange={(e) => toggleId('teamIds', team.id, e.target.checked)} />
                {team.name}
              </label>
            ))}
          </fieldset>
        </div>
      </fieldset>

      {Object.keys(errors.fields).length > 0 ? <FormError message={t('form.fixFields')} /> : null}
      <FormError message={errors.form} />
      <div className="row-end">
        <button type="button" className="btn" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {agent === null ? t('agents.create') : t('common.save')}
        </button>
      </div>
    </form>
  );
}

/** The form against the API's schemas: the agent body, and the new password of an edit. */
function check(values: AgentValues, agent: AgentDetail | null): { ok: true; body: Record<string, unknown> } | { ok: false; errors: FormErrors } {
  const body = agent === null ? createBody(values) : updateBody(values, agent);
  const checked = agent === null ? checkAgainst(agentCreateSchema, body) : checkAgainst(agentUpdateSchema, body);
  const password = agent !== null && values.password !== '' ? checkAgainst(setPasswordSchema, { password: values.password }) : null;
  // What goes is the form's body itself: the server applies the defaults and trims as the schema says.
  if (checked.ok && (password === null || password.ok)) return { ok: true, body };
  const fields = { ...(checked.ok ? {} : checked.errors.fields), ...(password !== null && !password.ok ? password.errors.fields : {}) };
  return { ok: false, errors: { fields, form: null } };
}
