// Voice → Routes: inbound, internal and outbound routes, each list in the order calls are matched.
// The order changes by dragging a row or, from the keyboard, with its move up / move down buttons;
// either way the whole order goes to PUT /api/voice/routes/order/:kind. The editor covers every
// field of contracts/voice.ts (pattern, the project or trunk, digits stripped and prepended, caller
// id, time intervals) and saves with If-Match.
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROUTE_KINDS, routeCreateSchema, routeUpdateSchema, type RouteKind } from '../../../../contracts/voice.ts';
import { WEEKDAYS } from '../../../../flows/runtime/time-window.ts';
import { describeError } from '../../api/client.ts';
import { can } from '../../app/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { useToast } from '../../ui/Toasts.tsx';
import { ConfirmDialog } from '../kit/ConfirmDialog.tsx';
import { EditDeleteActions, PageHeader } from '../kit/crud.tsx';
import { useDependents } from '../kit/dependents.ts';
import { checkAgainst, Field, FormError } from '../kit/forms.tsx';
import { useApiMutation, useApiQuery } from '../kit/query.tsx';
import { EditorFooter } from '../kit/versioned.tsx';
import { useVersionedEditor } from '../kit/useVersionedEditor.ts';
import type { TrunkRow } from './TrunksPage.tsx';

type Weekday = (typeof WEEKDAYS)[number];
interface Interval {
  days: Weekday[];
  from: string;
  to: string;
}
interface Schedule {
  timezone: string;
  intervals: Interval[];
  holidays: string[];
}

/** A route as GET /api/voice/routes answers it. */
export interface RouteRow {
  readonly id: number;
  readonly kind: RouteKind;
  readonly name: string;
  readonly pattern: string;
  readonly position: number;
  readonly projectId: string | null;
  readonly trunkId: number | null;
  readonly stripDigits: number;
  readonly prepend: string;
  readonly callerId: string | null;
  readonly schedule: Schedule | null;
  readonly enabled: boolean;
}

interface ProjectOption {
  readonly id: string;
  readonly name: string;
}

const LIST = '/api/voice/routes';
const FORM_FIELDS = ['name', 'pattern', 'projectId', 'trunkId', 'stripDigits', 'prepend', 'callerId', 'schedule', 'schedule.timezone', 'schedule.intervals', 'schedule.holidays', 'enabled'];

/** `ids` with the one at `from` moved to `to` (pure: drag and the move buttons both use it). */
export function moved<T>(ids: readonly T[], from: number, to: number): T[] {
  const next = [...ids];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(Math.max(0, Math.min(to, next.length)), 0, item);
  return next;
}

export function RoutesPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  const [kind, setKind] = useState<RouteKind>('inbound');
  const mayEdit = can(account, 'voice', 'edit');
  return (
    <div className="page" data-testid="routes-page">
      <PageHeader title={t('routes.title')} intro={t('routes.intro')} />
      <div className="tabs admin-tabs" role="group" aria-label={t('routes.kinds')}>
        {ROUTE_KINDS.map((k) => (
          <button key={k} type="button" className={`tab${k === kind ? ' tab-active' : ''}`} aria-pressed={k === kind} onClick={() => setKind(k)}>
            {t(`routes.kind.${k}`)}
          </button>
        ))}
      </div>
      <RouteList key={kind} kind={kind} mayEdit={mayEdit} mayDelete={can(account, 'voice', 'delete')} />
    </div>
  );
}

function RouteList({ kind, mayEdit, mayDelete }: { kind: RouteKind; mayEdit: boolean; mayDelete: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const path = `${LIST}?kind=${kind}`;
  const list = useApiQuery<RouteRow[]>(path);
  const projects = useApiQuery<ProjectOption[]>('/api/ivr/projects?channel=voice');
  const trunks = useApiQuery<TrunkRow[]>('/api/voice/trunks');
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [deleting, setDeleting] = useState<RouteRow | null>(null);
  const [dragged, setDragged] = useState<number | null>(null);
  // The order being saved, shown at once so the row stays where it was dropped.
  const [pending, setPending] = useState<number[] | null>(null);
  const reorder = useApiMutation((api, routeIds: number[]) => api.put<RouteRow[]>(`${LIST}/order/${kind}`, { routeIds }), [LIST]);
  const remove = useApiMutation((api, id: number) => api.delete<void>(`${LIST}/${id}`), [LIST, '/api/dependents']);
  // What the route lets go of (its project, its trunk), asked while its confirmation is open.
  const dependents = useDependents('route', deleting === null ? null : deleting.id);

  const rows = list.data ?? [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = pending === null ? rows : pending.map((id) => byId.get(id)).filter((r): r is RouteRow => r !== undefined);
  const targetOf = (r: RouteRow) =>
    r.kind === 'outbound' ? (trunks.data?.find((x) => x.id === r.trunkId)?.name ?? `#${r.trunkId}`) : (projects.data?.find((p) => p.id === r.projectId)?.name ?? r.projectId ?? '');

  const saveOrder = (ids: number[], movedName: string, position: number) => {
    setPending(ids);
    reorder.mutate(ids, {
      onSuccess: () => toast('success', t('routes.moved_toast', { name: movedName, position })),
      onSettled: () => setPending(null),
    });
  };
  const move = (index: number, to: number) => {
    const route = ordered[index];
    if (route === undefined || to < 0 || to >= ordered.length) return;
    saveOrder(
      moved(
        ordered.map((r) => r.id),
        index,
        to,
      ),
      route.name,
      to + 1,
    );
  };
  const onDrop = (e: DragEvent, index: number) => {
    e.preventDefault();
    const from = ordered.findIndex((r) => r.id === dragged);
    setDragged(null);
    if (from >= 0 && from !== index) move(from, index);
  };

  return (
    <section aria-label={t(`routes.kind.${kind}`)}>
      <p className="muted">{t(`routes.kindHelp.${kind}`)}</p>
      {mayEdit ? (
        <p>
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            {t('routes.add', { kind: t(`routes.kind.${kind}`) })}
          </button>
        </p>
      ) : null}
      {list.error ? <FormError message={describeError(list.error)} /> : null}
      <FormError message={reorder.error ? describeError(reorder.error) : null} />
      {list.isPending ? <p role="status">{t('common.loading')}</p> : null}
      {!list.isPending && ordered.length === 0 ? <p className="muted">{t('routes.none')}</p> : null}
      {ordered.length > 0 ? (
        <table className="table" data-testid="routes-table">
          <caption className="sr-only">{t('routes.caption', { kind: t(`routes.kind.${kind}`) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('routes.order')}</th>
              <th scope="col">{t('common.name')}</th>
              <th scope="col">{t('routes.pattern')}</th>
              <th scope="col">{kind === 'outbound' ? t('routes.trunk') : t('routes.project')}</th>
              <th scope="col">{t('common.enabled')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {ordered.map((r, i) => (
              <tr
                key={r.id}
                data-testid="route-row"
                data-route-id={r.id}
                draggable={mayEdit && !reorder.isPending}
                onDragStart={(e) => {
                  setDragged(r.id);
                  e.dataTransfer.effectAllowed = 'move';
                  e.dataTransfer.setData('text/plain', String(r.id));
                }}
                onDragOver={(e) => {
                  if (dragged !== null) e.preventDefault();
                }}
                onDrop={(e) => onDrop(e, i)}
                onDragEnd={() => setDragged(null)}
                className={dragged === r.id ? 'dragging' : undefined}
              >
                <td>
                  {mayEdit ? (
                    <span aria-hidden className="drag-handle" title={t('routes.dragHint')}>
                      ⠿{' '}
                    </span>
                  ) : null}
                  {i + 1}
                </td>
                <td>{r.name}</td>
                <td>
                  <code>{r.pattern}</code>
                </td>
                <td>{targetOf(r)}</td>
                <td>{r.enabled ? t('common.yes') : t('common.no')}</td>
                <td className="actions">
                  <EditDeleteActions
                    name={r.name}
                    mayEdit={mayEdit}
                    mayDelete={mayDelete}
                    onEdit={() => setEditing(r.id)}
                    onDelete={() => setDeleting(r)}
                  >
                    {mayEdit ? (
                      <>
                        <button type="button" className="btn btn-sm" onClick={() => move(i, i - 1)} disabled={i === 0 || reorder.isPending} aria-label={t('routes.moveUp', { name: r.name })}>
                          ↑
                        </button>
                        <button
                          type="button"
                          className="btn btn-sm"
                          onClick={() => move(i, i + 1)}
                          disabled={i === ordered.length - 1 || reorder.isPending}
                          aria-label={t('routes.moveDown', { name: r.name })}
                        >
                          ↓
                        </button>
                      </>
                    ) : null}
                  </EditDeleteActions>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p className="sr-only" role="status" aria-live="polite">
        {reorder.isSuccess ? t('routes.orderSaved') : ''}
      </p>
      {editing === null ? null : (
        <RouteEditor id={editing === 'new' ? null : editing} kind={kind} readOnly={!mayEdit} projects={projects.data ?? []} trunks={trunks.data ?? []} onClose={() => setEditing(null)} />
      )}
      {deleting === null ? null : (
        <ConfirmDialog
          title={t('routes.deleteTitle', { name: deleting.name })}
          confirmLabel={t('common.delete')}
          dependents={dependents}
          busy={remove.isPending}
          error={remove.error ? describeError(remove.error) : null}
          onCancel={() => {
            remove.reset();
            setDeleting(null);
          }}
          onConfirm={() => remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        >
          <p>{t('routes.deleteBody')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

interface RouteForm {
  name: string;
  pattern: string;
  projectId: string;
  trunkId: string;
  stripDigits: string;
  prepend: string;
  callerId: string;
  enabled: boolean;
  scheduled: boolean;
  timezone: string;
  intervals: Interval[];
  holidays: string;
}

const NEW_INTERVAL: Interval = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' };

function formOf(r: RouteRow | null): RouteForm {
  return {
    name: r?.name ?? '',
    pattern: r?.pattern ?? '',
    projectId: r?.projectId ?? '',
    trunkId: r?.trunkId === null || r?.trunkId === undefined ? '' : String(r.trunkId),
    stripDigits: String(r?.stripDigits ?? 0),
    prepend: r?.prepend ?? '',
    callerId: r?.callerId ?? '',
    enabled: r?.enabled ?? true,
    scheduled: (r?.schedule ?? null) !== null,
    timezone: r?.schedule?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    intervals: r?.schedule?.intervals ?? [NEW_INTERVAL],
    holidays: (r?.schedule?.holidays ?? []).join(', '),
  };
}

/** The API's body for the form (the target field the kind does not use is sent as none). */
export function routeBodyOf(form: RouteForm, kind: RouteKind): Record<string, unknown> {
  const holidays = form.holidays
    .split(/[\s,]+/)
    .map((h) => h.trim())
    .filter((h) => h !== '');
  return {
    name: form.name,
    pattern: form.pattern.trim(),
    projectId: kind === 'outbound' || form.projectId === '' ? null : form.projectId,
    trunkId: kind !== 'outbound' || form.trunkId === '' ? null : Number(form.trunkId),
    stripDigits: form.stripDigits.trim() === '' ? Number.NaN : Number(form.stripDigits),
    prepend: form.prepend.trim(),
    callerId: form.callerId.trim() === '' ? null : form.callerId.trim(),
    schedule: form.scheduled ? { timezone: form.timezone.trim(), intervals: form.intervals, holidays } : null,
    enabled: form.enabled,
  };
}

function RouteEditor({
  id,
  kind,
  readOnly,
  projects,
  trunks,
  onClose,
}: {
  id: number | null;
  kind: RouteKind;
  readOnly: boolean;
  projects: readonly ProjectOption[];
  trunks: readonly TrunkRow[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const editor = useVersionedEditor<RouteRow, RouteForm>({
    list: LIST,
    id,
    blank: formOf(null),
    formOf,
    fields: FORM_FIELDS,
    check: (form) => {
      const body = routeBodyOf(form, kind);
      return id === null ? checkAgainst(routeCreateSchema, { ...body, kind }) : checkAgainst(routeUpdateSchema, body);
    },
    savedToast: (name) => t('routes.saved_toast', { name }),
    onSaved: onClose,
    invalidates: [LIST, '/api/dependents'],
  });
  const { current, form, setForm, set, errors, submit } = editor;
  const changeInterval = (i: number, change: Partial<Interval>) => setForm((f) => (f === null ? f : { ...f, intervals: f.intervals.map((iv, j) => (j === i ? { ...iv, ...change } : iv)) }));
  const scheduleError = errors.fields.schedule ?? errors.fields['schedule.intervals'];
  const intervalError = (i: number, field: string) => Object.entries(errors.fields).find(([k]) => k.startsWith(`schedule.intervals.${i}.${field}`))?.[1];

  return (
    <Dialog title={id === null ? t('routes.addTitle', { kind: t(`routes.kind.${kind}`) }) : t('routes.editTitle', { name: current.loaded?.body.name ?? '' })} onClose={onClose} width={720} testId="route-editor">
      {current.error ? <FormError message={describeError(current.error)} /> : null}
      {form === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <form className="form-stack" onSubmit={submit} aria-label={t('routes.settings')} noValidate>
          <fieldset className="field-group">
            <legend>{t('routes.groups.match')}</legend>
            <Field label={t('common.name')} error={errors.fields.name} required>
              {(props) => <input {...props} name="name" value={form.name} onChange={(e) => set('name', e.target.value)} disabled={readOnly} />}
            </Field>
            <Field label={t('routes.pattern')} error={errors.fields.pattern} hint={t('routes.hints.pattern')} required>
              {(props) => <input {...props} name="pattern" value={form.pattern} onChange={(e) => set('pattern', e.target.value)} disabled={readOnly} />}
            </Field>
            <label className="field-inline">
              <input type="checkbox" name="enabled" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} disabled={readOnly} />
              {t('common.enabled')}
            </label>
          </fieldset>
          <fieldset className="field-group">
            <legend>{t('routes.groups.target')}</legend>
            {kind === 'outbound' ? (
              <Field label={t('routes.trunk')} error={errors.fields.trunkId} required>
                {(props) => (
                  <select {...props} name="trunkId" value={form.trunkId} onChange={(e) => set('trunkId', e.target.value)} disabled={readOnly}>
                    <option value="">{t('common.choose')}</option>
                    {trunks.map((x) => (
                      <option key={x.id} value={x.id}>
                        {x.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : (
              <Field label={t('routes.project')} error={errors.fields.projectId} hint={t('routes.hints.project')} required>
                {(props) => (
                  <select {...props} name="projectId" value={form.projectId} onChange={(e) => set('projectId', e.target.value)} disabled={readOnly}>
                    <option value="">{t('common.choose')}</option>
                    {projects.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            <Field label={t('routes.stripDigits')} error={errors.fields.stripDigits} hint={t('routes.hints.stripDigits')}>
              {(props) => <input {...props} name="stripDigits" type="number" min={0} max={20} value={form.stripDigits} onChange={(e) => set('stripDigits', e.target.value)} disabled={readOnly} />}
            </Field>
            <Field label={t('routes.prepend')} error={errors.fields.prepend} hint={t('routes.hints.prepend')}>
              {(props) => <input {...props} name="prepend" value={form.prepend} onChange={(e) => set('prepend', e.target.value)} disabled={readOnly} />}
            </Field>
            <Field label={t('routes.callerId')} error={errors.fields.callerId} hint={t('routes.hints.callerId')}>
              {(props) => <input {...props} name="callerId" value={form.callerId} onChange={(e) => set('callerId', e.target.value)} disabled={readOnly} />}
            </Field>
          </fieldset>
          <fieldset className="field-group">
            <legend>{t('routes.groups.schedule')}</legend>
            <label className="field-inline">
              <input type="checkbox" name="scheduled" checked={form.scheduled} onChange={(e) => set('scheduled', e.target.checked)} disabled={readOnly} />
              {t('routes.scheduled')}
            </label>
            {form.scheduled ? (
              <>
                <Field label={t('routes.timezone')} error={errors.fields['schedule.timezone']} hint={t('routes.hints.timezone')}>
                  {(props) => <input {...props} name="timezone" value={form.timezone} onChange={(e) => set('timezone', e.target.value)} disabled={readOnly} />}
                </Field>
                <FormError message={scheduleError ?? null} />
                {form.intervals.map((iv, i) => (
                  <fieldset key={i} className="field-group" data-testid="route-interval">
                    <legend>{t('routes.interval', { n: i + 1 })}</legend>
                    <div className="row-actions" role="group" aria-label={t('routes.days')}>
                      {WEEKDAYS.map((d) => (
                        <label key={d} className="field-inline">
                          <input
                            type="checkbox"
                            checked={iv.days.includes(d)}
                            onChange={(e) => changeInterval(i, { days: e.target.checked ? WEEKDAYS.filter((w) => w === d || iv.days.includes(w)) : iv.days.filter((w) => w !== d) })}
                            disabled={readOnly}
                          />
                          {t(`routes.weekdays.${d}`)}
                        </label>
                      ))}
                    </div>
                    <Field label={t('common.from')} error={intervalError(i, 'from')}>
                      {(props) => <input {...props} type="time" value={iv.from} onChange={(e) => changeInterval(i, { from: e.target.value })} disabled={readOnly} />}
                    </Field>
                    <Field label={t('common.to')} error={intervalError(i, 'to')}>
                      {(props) => <input {...props} type="time" value={iv.to} onChange={(e) => changeInterval(i, { to: e.target.value })} disabled={readOnly} />}
                    </Field>
                    {readOnly || form.intervals.length === 1 ? null : (
                      <button type="button" className="btn btn-sm btn-danger-text" onClick={() => set('intervals', form.intervals.filter((_, j) => j !== i))}>
                        {t('routes.removeInterval', { n: i + 1 })}
                      </button>
                    )}
                  </fieldset>
                ))}
                {readOnly ? null : (
                  <button type="button" className="btn btn-sm" onClick={() => set('intervals', [...form.intervals, NEW_INTERVAL])}>
                    {t('routes.addInterval')}
                  </button>
                )}
                <Field label={t('routes.holidays')} error={errors.fields['schedule.holidays'] ?? Object.entries(errors.fields).find(([k]) => k.startsWith('schedule.holidays.'))?.[1]} hint={t('routes.hints.holidays')}>
                  {(props) => <input {...props} name="holidays" value={form.holidays} onChange={(e) => set('holidays', e.target.value)} disabled={readOnly} />}
                </Field>
              </>
            ) : null}
          </fieldset>
          <EditorFooter
            editor={editor}
            readOnly={readOnly}
            submitLabel={id === null ? t('routes.create') : t('common.save')}
            close={{ label: t('common.close'), onClick: onClose }}
          />
        </form>
      )}
    </Dialog>
  );
}
