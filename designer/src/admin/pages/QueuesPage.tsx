// Voice → Queues (and Chat → Chat queues: the same page, another channel picked). The list filtered
// by channel; one editor for every setting of contracts/queues.ts, grouped by what a caller lives
// through (ringing the agents, waiting in line, what they hear), saved with If-Match; the members
// (agents and teams, each with a penalty); delete behind a confirmation listing where it is used.
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANNELS, type Channel } from '../../../../contracts/channels.ts';
import { EMPTY_POLICY_KEYWORDS, STRATEGIES, queueCreateSchema, queueUpdateSchema, type Strategy, type EmptyPolicyKeyword } from '../../../../contracts/queues.ts';
import { describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ActionConfirm, editDeleteColumn, PageHeader } from '../kit/crud.tsx';
import { useDependents } from '../kit/dependents.ts';
import { AgentCombobox, type AgentChoice } from '../kit/AgentCombobox.tsx';
import { DataTable } from '../kit/DataTable.tsx';
import { checkAgainst, Field, FormError, formErrorsOf } from '../kit/forms.tsx';
import { useApiMutation, useApiPage, useApiQuery } from '../kit/query.tsx';
import { EditorFooter } from '../kit/versioned.tsx';
import { useVersionedEditor } from '../kit/useVersionedEditor.ts';

/** A queue as GET /api/queues answers it. */
export interface QueueRow {
  readonly id: number;
  readonly name: string;
  readonly channel: Channel;
  readonly description: string | null;
  readonly strategy: Strategy;
  readonly timeoutSec: number;
  readonly ringTimeoutSec: number;
  readonly retrySec: number;
  readonly wrapupSec: number;
  readonly maxWaiting: number;
  readonly joinEmpty: EmptyPolicyKeyword;
  readonly leaveWhenEmpty: EmptyPolicyKeyword;
  readonly mohClass: string;
  readonly announcement: string | null;
  readonly announcePosition: boolean;
  readonly announceFrequencySec: number;
  readonly serviceLevelSec: number;
  readonly dispositionRequired: boolean;
}

const LIST = '/api/queues';
const NUMBER_FIELDS = ['ringTimeoutSec', 'retrySec', 'wrapupSec', 'timeoutSec', 'maxWaiting', 'serviceLevelSec', 'announceFrequencySec'] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];
const FORM_FIELDS = ['name', 'channel', 'description', 'strategy', ...NUMBER_FIELDS, 'joinEmpty', 'leaveWhenEmpty', 'mohClass', 'announcement', 'announcePosition', 'dispositionRequired'];

/** What the form holds: numbers as typed, so a half-typed value is not lost. */
type QueueForm = Omit<QueueRow, 'id' | NumberField | 'description' | 'announcement'> & Record<NumberField, string> & { description: string; announcement: string };

const DEFAULTS: QueueForm = {
  name: '',
  channel: 'voice',
  description: '',
  strategy: 'rrmemory',
  ringTimeoutSec: '20',
  retrySec: '5',
  wrapupSec: '0',
  timeoutSec: '300',
  serviceLevelSec: '20',
  maxWaiting: '0',
  joinEmpty: 'yes',
  leaveWhenEmpty: 'no',
  mohClass: 'default',
  announcement: '',
  announcePosition: false,
  announceFrequencySec: '0',
  dispositionRequired: false,
};

function formOf(q: QueueRow): QueueForm {
  const { name, channel, strategy, joinEmpty, leaveWhenEmpty, mohClass, announcePosition, dispositionRequired } = q;
  return {
    name,
    channel,
    strategy,
    joinEmpty,
    leaveWhenEmpty,
    mohClass,
    announcePosition,
    dispositionRequired,
    description: q.description ?? '',
    announcement: q.announcement ?? '',
    ...(Object.fromEntries(NUMBER_FIELDS.map((f) => [f, String(q[f])])) as Record<NumberField, string>),
  };
}

/** The body the API takes (empty texts are "none"; a number left blank is refused by the schema). */
export function bodyOf(form: QueueForm): Record<string, unknown> {
  const numbers = Object.fromEntries(NUMBER_FIELDS.map((f) => [f, form[f].trim() === '' ? Number.NaN : Number(form[f])]));
  return { ...form, ...numbers, description: form.description.trim() === '' ? null : form.description, announcement: form.announcement.trim() === '' ? null : form.announcement };
}

export function QueuesPage({ channel: initialChannel }: { channel: Channel }) {
  const { t } = useTranslation();
  const { account } = useSession();
  const [channel, setChannel] = useState<Channel>(initialChannel);
  // Voice → Queues and Chat → Chat queues are this one page: following the other menu entry starts
  // it over on that entry's channel.
  const [entryChannel, setEntryChannel] = useState<Channel>(initialChannel);
  if (entryChannel !== initialChannel) {
    setEntryChannel(initialChannel);
    setChannel(initialChannel);
  }
  const list = useApiQuery<QueueRow[]>(`${LIST}?channel=${channel}`);
  const mayEdit = can(account, channel, 'edit');
  const mayDelete = can(account, channel, 'delete');
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [deleting, setDeleting] = useState<QueueRow | null>(null);

  const columns = useMemo<ColumnDef<QueueRow>[]>(
    () => [
      { id: 'name', header: t('common.name'), accessorFn: (q) => q.name, enableHiding: false },
      { id: 'strategy', header: t('queues.strategy'), accessorFn: (q) => t(`queues.strategies.${q.strategy}`) },
      { id: 'ringTimeoutSec', header: t('queues.ringTimeoutSec'), accessorFn: (q) => q.ringTimeoutSec },
      { id: 'timeoutSec', header: t('queues.timeoutSec'), accessorFn: (q) => q.timeoutSec },
      editDeleteColumn<QueueRow>(t('common.actions'), {
        mayEdit,
        mayDelete,
        onEdit: (row) => setEditing(row.id),
        onDelete: setDeleting,
      }),
    ],
    [t, mayEdit, mayDelete],
  );

  return (
    <div className="page" data-testid="queues-page">
      <PageHeader title={t('queues.title')} intro={t('queues.intro')} add={mayEdit ? { label: t('queues.add'), onClick: () => setEditing('new') } : null} />
      <div className="admin-inline-form">
        <Field label={t('queues.channel')}>
          {(props) => (
            <select {...props} value={channel} onChange={(e) => setChannel(e.target.value as Channel)} data-testid="queue-channel-filter">
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`queues.channels.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {list.error ? <FormError message={describeError(list.error)} /> : null}
      <DataTable label={t('queues.title')} columns={columns} rows={list.data ?? []} rowId={(q) => String(q.id)} loading={list.isPending} testId="queues-table" />
      {editing === null ? null : <QueueEditor id={editing === 'new' ? null : editing} channel={channel} readOnly={!mayEdit} onClose={() => setEditing(null)} onCreated={(id) => setEditing(id)} />}
      {deleting === null ? null : <DeleteQueue queue={deleting} onDone={() => setDeleting(null)} />}
    </div>
  );
}

// The server refuses to delete a queue that published flows or websites use (409 naming them); an
// administrator may insist.
function DeleteQueue({ queue, onDone }: { queue: QueueRow; onDone: () => void }) {
  const { t } = useTranslation();
  const { account } = useSession();
  const dependents = useDependents('queue', queue.id);
  const [force, setForce] = useState(false);
  const mayForce = account.role === 'admin' && dependents !== null && dependents.length > 0;
  return (
    <ActionConfirm
      title={t('queues.deleteTitle', { name: queue.name })}
      confirmLabel={t('common.delete')}
      dependents={dependents}
      body={
        <>
          <p>{t('queues.deleteBody')}</p>
          {mayForce ? (
            <label className="check">
              <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
              {t('queues.force')}
            </label>
          ) : null}
        </>
      }
      run={(api) => api.delete<void>(`${LIST}/${queue.id}${force && mayForce ? '?force=true' : ''}`)}
      invalidates={[LIST, '/api/dependents']}
      doneToast={t('queues.deleted_toast', { name: queue.name })}
      onDone={onDone}
    />
  );
}

/** Creating (id null) or editing one queue; once created, the editor stays open on it for the members. */
function QueueEditor({ id, channel, readOnly, onClose, onCreated }: { id: number | null; channel: Channel; readOnly: boolean; onClose: () => void; onCreated: (id: number) => void }) {
  const { t } = useTranslation();
  const editor = useVersionedEditor<QueueRow, QueueForm>({
    list: LIST,
    id,
    blank: { ...DEFAULTS, channel },
    formOf,
    fields: FORM_FIELDS,
    check: (form) => {
      const body = bodyOf(form);
      return id === null ? checkAgainst(queueCreateSchema, body) : checkAgainst(queueUpdateSchema, (({ channel: _c, ...rest }) => rest)(body));
    },
    savedToast: (name) => t('queues.saved_toast', { name }),
    onSaved: (saved) => {
      if (id === null) onCreated(saved.body.id);
      else current.setLoaded(saved);
    },
  });
  const { current, form, set, errors, submit } = editor;
  const number = (key: NumberField, hint: string) => (
    <Field label={t(`queues.${key}`)} error={errors.fields[key]} hint={hint} required>
      {(props) => <input {...props} name={key} type="number" inputMode="numeric" min={0} value={form?.[key] ?? ''} onChange={(e) => set(key, e.target.value)} disabled={readOnly} />}
    </Field>
  );

  return (
    <Dialog title={id === null ? t('queues.addTitle') : t('queues.editTitle', { name: current.loaded?.body.name ?? '' })} onClose={onClose} width={720} testId="queue-editor">
      {current.error ? <FormError message={describeError(current.error)} /> : null}
      {form === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <form className="form-stack" onSubmit={submit} aria-label={t('queues.settings')} noValidate>
          <fieldset className="field-group">
            <legend>{t('queues.groups.general')}</legend>
            <Field label={t('common.name')} error={errors.fields.name} required>
              {(props) => <input {...props} name="name" value={form.name} onChange={(e) => set('name', e.target.value)} disabled={readOnly} />}
            </Field>
            <Field label={t('common.description')} error={errors.fields.description}>
              {(props) => <input {...props} name="description" value={form.description} onChange={(e) => set('description', e.target.value)} disabled={readOnly} />}
            </Field>
          </fieldset>
          <fieldset className="field-group">
            <legend>{t('queues.groups.ringing')}</legend>
            <Field label={t('queues.strategy')} error={errors.fields.strategy} hint={t('queues.hints.strategy')}>
              {(props) => (
                <select {...props} name="strategy" value={form.strategy} onChange={(e) => set('strategy', e.target.value as Strategy)} disabled={readOnly}>
                  {STRATEGIES.map((s) => (
                    <option key={s} value={s}>
                      {t(`queues.strategies.${s}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {number('ringTimeoutSec', t('queues.hints.ringTimeoutSec'))}
            {number('retrySec', t('queues.hints.retrySec'))}
            {number('wrapupSec', t('queues.hints.wrapupSec'))}
          </fieldset>
          <fieldset className="field-group">
            <legend>{t('queues.groups.waiting')}</legend>
            {number('timeoutSec', t('queues.hints.timeoutSec'))}
            {number('maxWaiting', t('queues.hints.maxWaiting'))}
            {number('serviceLevelSec', t('queues.hints.serviceLevelSec'))}
            {(['joinEmpty', 'leaveWhenEmpty'] as const).map((key) => (
              <Field key={key} label={t(`queues.${key}`)} error={errors.fields[key]} hint={t(`queues.hints.${key}`)}>
                {(props) => (
                  <select {...props} name={key} value={form[key]} onChange={(e) => set(key, e.target.value as EmptyPolicyKeyword)} disabled={readOnly}>
                    {EMPTY_POLICY_KEYWORDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`queues.emptyPolicies.${k}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ))}
          </fieldset>
          <fieldset className="field-group">
            <legend>{t('queues.groups.caller')}</legend>
            <Field label={t('queues.mohClass')} error={errors.fields.mohClass} hint={t('queues.hints.mohClass')} required>
              {(props) => <input {...props} name="mohClass" value={form.mohClass} onChange={(e) => set('mohClass', e.target.value)} disabled={readOnly} />}
            </Field>
            <Field label={t('queues.announcement')} error={errors.fields.announcement} hint={t('queues.hints.announcement')}>
              {(props) => <input {...props} name="announcement" value={form.announcement} onChange={(e) => set('announcement', e.target.value)} disabled={readOnly} />}
            </Field>
            <label className="field-inline">
              <input type="checkbox" name="announcePosition" checked={form.announcePosition} onChange={(e) => set('announcePosition', e.target.checked)} disabled={readOnly} />
              {t('queues.announcePosition')}
            </label>
            {number('announceFrequencySec', t('queues.hints.announceFrequencySec'))}
          </fieldset>
          <fieldset className="field-group">
            <legend>{t('dispositions.title')}</legend>
            <label className="field-inline">
              <input type="checkbox" name="dispositionRequired" checked={form.dispositionRequired} onChange={(e) => set('dispositionRequired', e.target.checked)} disabled={readOnly} />
              {t('dispositions.queueRequired')}
            </label>
            <p className="muted small">{t('dispositions.queueRequiredHint')}</p>
          </fieldset>
          <EditorFooter
            editor={editor}
            readOnly={readOnly}
            submitLabel={id === null ? t('queues.create') : t('common.save')}
          />
        </form>
      )}
      {id === null ? null : <QueueMembers queueId={id} readOnly={readOnly} />}
      <div className="row-actions">
        <button type="button" className="btn" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}

interface AgentOption {
  readonly id: number;
  readonly fullName: string;
}
interface TeamOption {
  readonly id: number;
  readonly name: string;
}

/** Agents and teams on the queue with their penalties (lower is offered first). */
function QueueMembers({ queueId, readOnly }: { queueId: number; readOnly: boolean }) {
  const { t } = useTranslation();
  // Names of this queue's agents only: the picker searches the rest on the server, however many.
  const agents = useApiPage<AgentOption>(`/api/agents?queueId=${queueId}&limit=10000&sort=fullName&order=asc`);
  const teams = useApiQuery<TeamOption[]>('/api/teams');
  const agentName = (id: number) => agents.data?.rows.find((a) => a.id === id)?.fullName ?? `#${id}`;
  const teamName = (id: number) => teams.data?.find((team) => team.id === id)?.name ?? `#${id}`;
  return (
    <section aria-labelledby={`queue-${queueId}-members`} className="form-stack" data-testid="queue-members">
      <h2 id={`queue-${queueId}-members`}>{t('queues.members')}</h2>
      <p className="muted">{t('queues.hints.penalty')}</p>
      <MemberList
        kind="agents"
        path={`${LIST}/${queueId}/agents`}
        idKey="agentId"
        nameOf={agentName}
        options={[]}
        readOnly={readOnly}
      />
      <MemberList kind="teams" path={`${LIST}/${queueId}/teams`} idKey="teamId" nameOf={teamName} options={(teams.data ?? []).map((team) => ({ id: team.id, name: team.name }))} readOnly={readOnly} />
    </section>
  );
}

/** A member as GET /api/queues/:id/agents (agentId) or /teams (teamId) answers it. */
interface MemberRow {
  readonly agentId?: number;
  readonly teamId?: number;
  readonly penalty: number;
}

function MemberList({
  kind,
  path,
  idKey,
  nameOf,
  options,
  readOnly,
}: {
  kind: 'agents' | 'teams';
  path: string;
  idKey: 'agentId' | 'teamId';
  nameOf: (id: number) => string;
  options: readonly { id: number; name: string }[];
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const idOf = (m: MemberRow): number => m[idKey] ?? 0;
  const members = useApiQuery<MemberRow[]>(path);
  // '/api/agents': the names of the queue's agents are read from the agents list filtered by queue.
  const put = useApiMutation((api, m: { id: number; penalty: number }) => api.post<MemberRow>(path, { [idKey]: m.id, penalty: m.penalty }), [path, '/api/dependents', '/api/agents']);
  const remove = useApiMutation((api, id: number) => api.delete<void>(`${path}/${id}`), [path, '/api/dependents']);
  const [adding, setAdding] = useState('');
  const [agent, setAgent] = useState<AgentChoice | null>(null);
  const [penalty, setPenalty] = useState('0');
  const [local, setLocal] = useState<string | null>(null);
  const errors = formErrorsOf(put.error, ['penalty', idKey]);
  const present = new Set((members.data ?? []).map((m) => idOf(m)));
  const add = (e: FormEvent) => {
    e.preventDefault();
    put.reset();
    const id = kind === 'agents' ? (agent?.id ?? null) : adding === '' ? null : Number(adding);
    if (id === null) {
      setLocal(t('queues.pickOne'));
      return;
    }
    setLocal(null);
    put.mutate(
      { id, penalty: Number(penalty) },
      {
        onSuccess: () => {
          setAdding('');
          setAgent(null);
        },
      },
    );
  };
  return (
    <div data-testid={`queue-${kind}`}>
      <h3>{t(`queues.${kind}`)}</h3>
      {members.error ? <FormError message={describeError(members.error)} /> : null}
      {(members.data ?? []).length === 0 ? <p className="muted">{t('queues.noMembers')}</p> : null}
      <ul className="plain-list">
        {(members.data ?? []).map((m) => (
          <li key={idOf(m)} className="row-actions" data-testid="queue-member">
            <span>{nameOf(idOf(m))}</span>
            <PenaltyInput label={t('queues.penaltyOf', { name: nameOf(idOf(m)) })} value={m.penalty} disabled={readOnly || put.isPending} onCommit={(p) => put.mutate({ id: idOf(m), penalty: p })} />
            {readOnly ? null : (
              <button type="button" className="btn btn-sm btn-danger-text" onClick={() => remove.mutate(idOf(m))} aria-label={t('queues.removeMember', { name: nameOf(idOf(m)) })}>
                {t('common.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {readOnly ? null : (
        <form className="admin-inline-form" onSubmit={add} aria-label={t(`queues.add_${kind}`)} noValidate>
          {kind === 'agents' ? (
            <AgentCombobox label={t('queues.pick_agents')} value={agent} onChange={setAgent} exclude={[...present]} error={local ?? errors.fields[idKey]} />
          ) : (
            <Field label={t(`queues.pick_${kind}`)} error={local ?? errors.fields[idKey]}>
              {(props) => (
                <select {...props} value={adding} onChange={(e) => setAdding(e.target.value)}>
                  <option value="">{t('common.choose')}</option>
                  {options
                    .filter((o) => !present.has(o.id))
                    .map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name}
                      </option>
                    ))}
                </select>
              )}
            </Field>
          )}
          <Field label={t('queues.penalty')} error={errors.fields.penalty}>
            {(props) => <input {...props} type="number" min={0} max={100} value={penalty} onChange={(e) => setPenalty(e.target.value)} />}
          </Field>
          <button type="submit" className="btn" disabled={put.isPending}>
            {t(`queues.add_${kind}`)}
          </button>
          <FormError message={errors.form ?? (remove.error ? describeError(remove.error) : null)} />
        </form>
      )}
    </div>
  );
}

/** A penalty edited in place: saved when the field is left or Enter is pressed, if it changed. */
function PenaltyInput({ label, value, disabled, onCommit }: { label: string; value: number; disabled: boolean; onCommit: (penalty: number) => void }) {
  const [text, setText] = useState(String(value));
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setText(String(value));
  }
  const commit = () => {
    const n = Number(text);
    if (text.trim() !== '' && Number.isInteger(n) && n !== value) onCommit(n);
  };
  return (
    <input
      type="number"
      min={0}
      max={100}
      aria-label={label}
      value={text}
      disabled={disabled}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        }
      }}
      style={{ width: 80 }}
    />
  );
}
